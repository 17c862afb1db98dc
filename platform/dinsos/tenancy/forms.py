"""The office settings form: contact channels and office hours, editable without JavaScript.

Lists are rows of fields; a few empty rows are offered for additions and an
emptied row is dropped, so adding and removing need no script.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, StringField

from dinsos.catalogue.skema.kosakata import HARI, JENIS_KANAL
from dinsos.catalogue.tampilan import NAMA_HARI, NAMA_KANAL
from dinsos.core.formulir import pilihan

BARIS_KOSONG = {"kanal_kontak": 3, "hari_libur_daerah": 2, "hari_kerja_tambahan": 2}


class FormKanal(Form):
    jenis = SelectField(_l("Jenis"), choices=pilihan((j, NAMA_KANAL[j]) for j in JENIS_KANAL))
    nilai = StringField(_l("Alamat / nomor"))
    label = StringField(_l("Keterangan"))


class FormTanggal(Form):
    tanggal = StringField(_l("Tanggal"), render_kw={"type": "date", "placeholder": "YYYY-MM-DD"})
    keterangan = StringField(_l("Keterangan"))


class FormPengaturan(FlaskForm):
    kanal_kontak = FieldList(FormField(FormKanal))
    hari_libur_daerah = FieldList(FormField(FormTanggal))
    hari_kerja_tambahan = FieldList(FormField(FormTanggal))


class FormKop(FlaskForm):
    """The letterhead logo and how the public standard shows values the decree does not contain."""

    tampil_asal = SelectField(
        _l("Nilai yang ditetapkan platform (tidak tercantum dalam keputusan) di halaman publik"),
        choices=pilihan([("tandai", _l("Tampilkan dengan label")), ("sembunyikan", _l("Sembunyikan"))]),
    )
    logo = FileField(_l("Logo kop surat (PNG atau JPEG, paling besar 512 KB)"))
    hapus_logo = BooleanField(_l("Hapus logo"))


for _hari in HARI:
    setattr(FormPengaturan, _hari, StringField(NAMA_HARI[_hari], render_kw={"placeholder": "07:30-16:00"}))


def isi_awal(form: FormPengaturan, tenant) -> None:
    """Fill the form from the office, plus empty rows for additions."""
    for kanal in tenant.kanal_kontak or []:
        form.kanal_kontak.append_entry({"jenis": kanal["jenis"], "nilai": kanal.get("nilai") or "",
                                        "label": kanal.get("label") or ""})
    for kunci in ("hari_libur_daerah", "hari_kerja_tambahan"):
        for h in getattr(tenant, kunci) or []:
            getattr(form, kunci).append_entry(h)
    for hari in HARI:
        getattr(form, hari).data = (tenant.jam_kerja or {}).get(hari, "")
    tambah_baris_kosong(form)


def tambah_baris_kosong(form: FormPengaturan) -> None:
    """Make sure each list offers its few empty rows for additions."""
    for kunci, n in BARIS_KOSONG.items():
        daftar = getattr(form, kunci)
        kosong = sum(1 for e in daftar.entries if not any((f.data or "").strip() for nama, f in e.form._fields.items() if nama != "jenis"))
        for _i in range(n - kosong):
            daftar.append_entry()


def _baris(daftar, kunci: tuple[str, ...]) -> tuple[list[dict], list[int]]:
    """Non-empty rows as dicts (empty strings dropped), and each one's row index in the form."""
    hasil, indeks = [], []
    for i, entri in enumerate(daftar.entries):
        nilai = {k: (entri[k].data or "").strip() for k in kunci}
        if not any(v for k, v in nilai.items() if k != "jenis"):
            continue
        hasil.append(nilai)
        indeks.append(i)
    return hasil, indeks


def data_dari_form(form: FormPengaturan) -> tuple[dict, dict[str, list[int]]]:
    """The settings as ``tenant.yaml`` data, and for each list the form row of each item."""
    kanal, i_kanal = _baris(form.kanal_kontak, ("jenis", "nilai", "label"))
    for k in kanal:
        k["nilai"] = k["nilai"] or None
        if not k["label"]:
            del k["label"]
    libur, i_libur = _baris(form.hari_libur_daerah, ("tanggal", "keterangan"))
    kerja, i_kerja = _baris(form.hari_kerja_tambahan, ("tanggal", "keterangan"))
    for baris in libur + kerja:  # an empty field is a missing value, not a malformed one
        for k in [k for k, v in baris.items() if not v]:
            del baris[k]
    jam = {h: getattr(form, h).data.strip() for h in HARI if (getattr(form, h).data or "").strip()}
    data = {"kanal_kontak": kanal, "jam_kerja": jam, "hari_libur_daerah": libur, "hari_kerja_tambahan": kerja}
    return data, {"kanal_kontak": i_kanal, "hari_libur_daerah": i_libur, "hari_kerja_tambahan": i_kerja}


def pasang_kesalahan(form: FormPengaturan, kesalahan, indeks: dict[str, list[int]]) -> list[str]:
    """Attach schema messages to the fields they concern; returns the ones that belong to no field."""
    lepas = []
    for jalur, pesan in kesalahan:
        medan = None
        if len(jalur) >= 3 and jalur[0] in indeks and isinstance(jalur[1], int):
            entri = getattr(form, jalur[0]).entries[indeks[jalur[0]][jalur[1]]]
            medan = entri[jalur[2]] if jalur[2] in entri.form._fields else None
        elif len(jalur) == 2 and jalur[0] == "jam_kerja" and jalur[1] in HARI:
            medan = getattr(form, jalur[1])
        if pesan.startswith("Wajib diisi"):
            pesan = "Wajib diisi."  # the schema speaks of YAML keys; here it is a form field
        if medan is not None:
            medan.errors = [*medan.errors, pesan]
        else:
            lepas.append(pesan)
    return lepas
