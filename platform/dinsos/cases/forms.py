"""Case forms (Flask-WTF, CSRF on each). Every form that changes a case carries the case ``versi`` it was read at.

The service layer does the real checking; these forms read and type the
request and carry the field errors back to the page.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, DateField, Form, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import FieldList, FormField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from dinsos.core.formulir import pilihan
from dinsos.wilayah.pemilih import PilihWilayah

from .isian import PANJANG_MAKS, isian_langkah
from .konstanta import HUBUNGAN_KELUARGA, JENIS_JEDA, JENIS_KELAMIN, JENIS_PELAPOR, KATEGORI_PPKS

JUMLAH_BARIS_KELUARGA = 3


class _Versi:
    versi = HiddenField(validators=[InputRequired(_l("Versi kasus tidak ada; muat ulang halaman."))])


class FormAnggotaKeluarga(Form):
    nama = StringField(_l("Nama"), validators=[Optional(), Length(max=200)])
    hubungan = SelectField(_l("Hubungan"), choices=pilihan([("", "—")] + list(HUBUNGAN_KELUARGA.items())), validate_choice=False)
    wali = BooleanField(_l("Wali/penanggung jawab"))
    kontak = StringField(_l("Kontak"), validators=[Optional(), Length(max=100)])
    alamat = StringField(_l("Alamat"), validators=[Optional(), Length(max=1000)])


class FormPenerimaan(FlaskForm):
    """Intake. The requirement checklist fields (status_<i>, berkas_<i>) are added per service version."""

    pelapor_jenis = SelectField(_l("Jenis pelapor/pemohon"), choices=pilihan(JENIS_PELAPOR.items()))
    pelapor_nama = StringField(_l("Nama pelapor/petugas"), validators=[Optional(), Length(max=200)])
    pelapor_instansi = StringField(_l("Instansi"), validators=[Optional(), Length(max=200)])
    pelapor_kontak = StringField(_l("Kontak pelapor"), validators=[Optional(), Length(max=100)])
    surat_nomor = StringField(_l("Nomor surat"), validators=[Optional(), Length(max=120)])
    surat_tanggal = DateField(_l("Tanggal surat"), validators=[Optional()])

    nama = StringField(_l("Nama klien"), validators=[Optional(), Length(max=200)])
    tanpa_identitas = BooleanField(_l("Tanpa identitas (nama tidak diketahui)"))
    deskripsi = TextAreaField(_l("Deskripsi (ciri-ciri, tempat ditemukan)"), validators=[Optional(), Length(max=5000)])
    nik = StringField(_l("NIK"), validators=[Optional(), Length(max=40)])
    tanggal_lahir = DateField(_l("Tanggal lahir"), validators=[Optional()])
    umur_perkiraan = IntegerField(_l("Perkiraan umur (tahun), bila tanggal lahir tidak diketahui"),
                                  validators=[Optional(), NumberRange(0, 120, _l("Perkiraan umur 0 sampai 120 tahun."))])
    jenis_kelamin = SelectField(_l("Jenis kelamin"), choices=pilihan([("", "—")] + list(JENIS_KELAMIN.items())))
    alamat = TextAreaField(_l("Alamat"), validators=[Optional(), Length(max=1000)])
    kode_wilayah = PilihWilayah(_l("Wilayah alamat (Kemendagri)"))
    kategori_ppks = SelectField(_l("Kategori PPKS"), choices=pilihan([("", "—")] + [(k, f"{k}. {v}") for k, v in KATEGORI_PPKS.items()]))
    foto = FileField(_l("Foto klien (JPEG/PNG)"))
    keluarga = FieldList(FormField(FormAnggotaKeluarga), _l("Anggota keluarga"), min_entries=JUMLAH_BARIS_KELUARGA, max_entries=10)
    # Shown after a likely duplicate was found: "baru" or the id of an existing client.
    klien_pilihan = HiddenField()


def form_penerimaan(dokumen: list[dict], data=None) -> FormPenerimaan:
    """The intake form with one status choice and one upload per requirement document of the service version."""

    class _Form(FormPenerimaan):
        pass

    for i, d in enumerate(dokumen):
        pilihan_status = pilihan([("belum", _l("Belum diterima")), ("dilihat", _l("Asli dilihat"))])
        setattr(_Form, f"status_{i}", SelectField(d["nama"], choices=pilihan_status, default="belum"))
        setattr(_Form, f"berkas_{i}", FileField(_l("Pindaian (PDF/JPEG/PNG)")))
    return _Form(formdata=data) if data is not None else _Form()


class FormPersyaratan(_Versi, FlaskForm):
    kode = HiddenField(validators=[DataRequired()])
    status = SelectField(_l("Status"), choices=pilihan([("dilihat", _l("Asli dilihat")), ("belum", _l("Belum diterima"))]), validate_choice=False)
    berkas = FileField(_l("Unggah pindaian"))


def form_langkah(definisi: dict, data=None):
    """The form of one SOP step: its own fields (isian), a note, attachments, and the branch choice when it has one."""

    class _Form(_Versi, FlaskForm):
        langkah = HiddenField(validators=[DataRequired()])
        catatan = TextAreaField(_l("Catatan langkah"), validators=[Optional(), Length(max=20000)])
        lampiran = MultipleFileField(_l("Lampiran (PDF/JPEG/PNG)"))

    _tambah_isian(_Form, definisi)
    cabang = definisi.get("cabang") or []
    if cabang:
        if definisi.get("berikutnya"):
            jalur = [(definisi["berikutnya"], _l("Lanjut seperti biasa"))]
        else:
            jalur = [("", _l("Selesai di langkah ini") if definisi.get("boleh_selesai") else "—")]
        jalur += [(c["ke"], c["kondisi"]) for c in cabang]
        _Form.cabang = SelectField(_l("Kelanjutan"), choices=pilihan(jalur), validate_choice=False)
    return _Form(formdata=data) if data is not None else _Form()


def _tambah_isian(Form, definisi: dict) -> None:
    """Add a step's or case act's fields (``isian``, and a letter's recipient) to a form class."""
    for isian in isian_langkah(definisi):
        nama, label = "isian_" + isian["nama"], isian["label"] + (" *" if isian.get("wajib") else "")
        if isian["jenis"] == "teks_panjang":
            medan = TextAreaField(label, validators=[Length(max=PANJANG_MAKS["teks_panjang"])])
        elif isian["jenis"] == "tanggal":
            medan = StringField(label, render_kw={"type": "date"})
        elif isian["jenis"] == "ya_tidak":
            medan = SelectField(label, choices=pilihan([("", "—"), ("ya", _l("Ya")), ("tidak", _l("Tidak"))]), validate_choice=False)
        elif isian["jenis"] == "pilihan":
            medan = SelectField(label, choices=pilihan([("", "—")] + [(p, p) for p in isian["pilihan"]]), validate_choice=False)
        else:
            medan = StringField(label, validators=[Length(max=PANJANG_MAKS["teks"])])
        setattr(Form, nama, medan)


def form_tindakan(definisi: dict, data=None):
    """The form of one case act: its fields, a note and attachments; prefixed by its code (many on one page)."""

    class _Form(_Versi, FlaskForm):
        catatan = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=20000)])
        lampiran = MultipleFileField(_l("Lampiran (PDF/JPEG/PNG)"))

    _tambah_isian(_Form, definisi)
    return _Form(formdata=data, prefix=definisi["kode"]) if data is not None else _Form(prefix=definisi["kode"])


def jawaban_isian(form, definisi: dict) -> dict:
    """The step fields' answers from a submitted step form, by field name."""
    return {i["nama"]: getattr(form, "isian_" + i["nama"]).data for i in isian_langkah(definisi)}


class FormVerifikasi(_Versi, FlaskForm):
    """The verifier's ruling on the file; the incorrect items come as a list of ``salah`` checkboxes."""

    hasil_verifikasi = SelectField(_l("Hasil verifikasi"), choices=pilihan([
        ("benar", _l("Lengkap dan benar: lanjutkan ke langkah SOP")),
        ("tidak_benar", _l("Tidak lengkap atau tidak benar: kembalikan kepada pemohon"))]))
    catatan_verifikasi = TextAreaField(_l("Catatan verifikasi (dicetak pada surat bila dikembalikan)"),
                                       validators=[Optional(), Length(max=2000)])


class FormDisposisi(_Versi, FlaskForm):
    isi_disposisi = TextAreaField(_l("Isi disposisi"), validators=[DataRequired(_l("Isi disposisi wajib diisi.")), Length(max=2000)])


class FormCatatan(_Versi, FlaskForm):
    catatan_perkembangan = TextAreaField(_l("Catatan perkembangan"), validators=[Length(max=20000)])


class FormLampiran(_Versi, FlaskForm):
    berkas_lampiran = FileField(_l("Berkas (PDF/JPEG/PNG)"))


class FormJeda(_Versi, FlaskForm):
    jenis_jeda = SelectField(_l("Menunggu"), choices=pilihan(JENIS_JEDA.items()))
    alasan_jeda = TextAreaField(_l("Alasan"), validators=[Length(max=2000)])


class FormLanjut(_Versi, FlaskForm):
    catatan_lanjut = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])


class FormTugaskan(_Versi, FlaskForm):
    penanggung_jawab_id = SelectField(_l("Petugas"), choices=[], validate_choice=False)


class FormTugaskanLangkah(_Versi, FlaskForm):
    pj_langkah_id = SelectField(_l("Petugas langkah ini"), choices=[], validate_choice=False)


class FormTutup(_Versi, FlaskForm):
    hasil_akhir = SelectField(_l("Hasil akhir"), choices=[], validate_choice=False)
    catatan_tutup = TextAreaField(_l("Catatan/alasan"), validators=[Optional(), Length(max=2000)])


class FormBukaKembali(_Versi, FlaskForm):
    alasan_buka = TextAreaField(_l("Alasan membuka kembali"), validators=[Length(max=2000)])
