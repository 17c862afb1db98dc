"""The file format of an office's Standar Pelayanan, and its validator.

A tenant folder holds ``tenant.yaml`` (the office) and ``services/<kode>.yaml``
(one Standar Pelayanan each: the decree, the 14 components of PermenPAN-RB
15/2014 and the SOP). ``docs/format-standar-pelayanan.md`` describes the keys.

Everything here is pure: paths and plain data in, plain data and a list of
:class:`~dinsos.catalogue.skema.baca.KesalahanValidasi` out. Nothing touches
the database, so the loader, the admin upload page and the tests all use the
same rules and messages. The modules, lowest first: ``kosakata`` (fixed
vocabularies), ``cek`` (single-value checks: time standards, zones, NIP,
number formats, office hours), ``medan`` (field types with Indonesian
messages), ``tenant`` (``tenant.yaml``), ``layanan`` (``services/<kode>.yaml``),
``baca`` (reading one YAML text, problems located by line), ``folder`` (an
office folder and a root of them, with the links between offices) and
``tulis`` (writing data back as YAML).
"""
