"""Referral forms (Flask-WTF, CSRF on each). They read and type the request; the services decide."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from dinsos.cases.forms import pilihan
from dinsos.core.formulir import PilihanBanyak

from .dibagikan import BIDANG_KLIEN
from .models import JENIS_MITRA
from .persetujuan import CARA_PERSETUJUAN, HUBUNGAN_PERSETUJUAN

LABEL_JENIS_MITRA = {"balai": _l("Balai / Loka rehabilitasi"), "panti": _l("Panti sosial"),
                     "lks": _l("Lembaga Kesejahteraan Sosial (LKS)"), "lainnya": _l("Lainnya")}


class _Persetujuan:
    persetujuan_nama = StringField(_l("Nama pemberi persetujuan"), validators=[Optional(), Length(max=200)])
    persetujuan_hubungan = SelectField(_l("Hubungan dengan klien"), choices=pilihan([("", "—")] + list(HUBUNGAN_PERSETUJUAN.items())),
                                       validate_choice=False)
    persetujuan_cara = SelectField(_l("Cara persetujuan"), choices=pilihan([("", "—")] + list(CARA_PERSETUJUAN.items())),
                                   validate_choice=False)
    persetujuan_tanggal = DateField(_l("Tanggal persetujuan"), validators=[Optional()])

    def data_persetujuan(self) -> dict:
        return {"nama": self.persetujuan_nama.data, "hubungan": self.persetujuan_hubungan.data,
                "cara": self.persetujuan_cara.data, "tanggal": self.persetujuan_tanggal.data}


class FormRujukan(_Persetujuan, FlaskForm):
    """A new referral. One document choice and one upload per requirement of the receiving service are added per target."""

    alasan = TextAreaField(_l("Alasan dan keterangan rujukan"), validators=[Optional(), Length(max=5000)])
    bidang_klien = PilihanBanyak(_l("Data klien yang dibagikan"), choices=pilihan(BIDANG_KLIEN.items()), validate_choice=False)
    langkah = PilihanBanyak(_l("Jawaban langkah (asesmen dan lainnya) yang dibagikan"), choices=[], validate_choice=False)
    tambahan = PilihanBanyak(_l("Berkas lain yang dibagikan"), choices=[], validate_choice=False)
    unggah_lain = MultipleFileField(_l("Unggah berkas lain (PDF/JPEG/PNG)"))
    override_alasan = TextAreaField(_l("Persetujuan pengganti (override) kepala bidang: alasan"),
                                    validators=[Optional(), Length(max=2000)])
    abaikan_opsional = BooleanField(_l("Tetap kirim walau dokumen yang tidak wajib belum dilampirkan"))


def form_rujukan(persyaratan: list[dict], bahan: dict, data=None) -> FormRujukan:
    """The referral form for one target: a document choice (``dok_<i>``) and an upload (``unggah_<i>``) per requirement."""
    berkas = [(f"lampiran:{l['id']}", l["nama"]) for l in bahan["lampiran"]] + [(f"surat:{s['id']}", s["nama"]) for s in bahan["surat"]]

    class _Form(FormRujukan):
        pass

    for i, d in enumerate(persyaratan):
        # the page groups each pair under the document's name (a fieldset), so their labels say only what they do
        setattr(_Form, f"dok_{i}", SelectField(_l("Pilih dari berkas kasus"), choices=pilihan([("", _l("— belum ada —"))] + berkas),
                                               validate_choice=False))
        setattr(_Form, f"unggah_{i}", FileField(_l("atau unggah pindaian")))
    form = _Form(formdata=data) if data is not None else _Form()
    form.langkah.choices = pilihan((str(l["id"]), l["kegiatan"]) for l in bahan["langkah"])
    form.tambahan.choices = pilihan(berkas)
    return form


class FormPersetujuan(_Persetujuan, FlaskForm):
    pass


class FormAlasan(FlaskForm):
    alasan = TextAreaField(_l("Alasan"), validators=[DataRequired(_l("Alasan wajib diisi.")), Length(max=2000)])


class FormLengkapi(FlaskForm):
    catatan = TextAreaField(_l("Jawaban untuk kantor tujuan"), validators=[Optional(), Length(max=5000)])
    tambahan = PilihanBanyak(_l("Berkas kasus yang ditambahkan"), choices=[], validate_choice=False)
    unggah = MultipleFileField(_l("Unggah berkas (PDF/JPEG/PNG)"))


class FormTanggapanMitra(FlaskForm):
    aksi = SelectField(_l("Tanggapan mitra"), choices=pilihan([("terima", _l("Mitra menerima klien (serah terima)")),
                                                               ("tolak", _l("Mitra menolak")),
                                                               ("selesai", _l("Layanan mitra selesai"))]), validate_choice=False)
    nomor_berita_acara = StringField(_l("Nomor berita acara serah terima"), validators=[Optional(), Length(max=120)])
    catatan = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])


class FormKosong(FlaskForm):
    """A button that changes something: only the CSRF token."""


class FormTerima(FlaskForm):
    """Accepting: a new client from the shared data (empty), or one of the office's clients who may be the same."""

    klien_id = StringField(_l("Klien"), validators=[Optional(), Length(max=40)])


class FormMintaInfo(FlaskForm):
    pertanyaan = TextAreaField(_l("Informasi atau dokumen yang diminta"), validators=[DataRequired(_l("Wajib diisi.")), Length(max=5000)])


class FormMitra(FlaskForm):
    nama = StringField(_l("Nama mitra"), validators=[DataRequired(_l("Nama mitra wajib diisi.")), Length(max=200)])
    jenis = SelectField(_l("Jenis"), choices=pilihan((k, LABEL_JENIS_MITRA[k]) for k in JENIS_MITRA))
    alamat = StringField(_l("Alamat"), validators=[Optional(), Length(max=500)])
    kontak = StringField(_l("Kontak"), validators=[Optional(), Length(max=200)])


def form_pengaturan(layanan: list, data=None):
    """The office's answer times: a default and one per service (``batas_<kode>``)."""

    class _Form(FlaskForm):
        batas_tanggapan = StringField(_l("Batas waktu tanggapan rujukan (kosong: 2 hari kerja)"), validators=[Optional(), Length(max=60)])

    for l in layanan:
        setattr(_Form, f"batas_{l.kode}", StringField(l.nama, validators=[Optional(), Length(max=60)]))
    return _Form(formdata=data) if data is not None else _Form()


class FormTindakanProvinsi(FlaskForm):
    kunci_kirim = HiddenField(validators=[DataRequired()])
    jenis = HiddenField(validators=[DataRequired()])
    catatan = StringField(_l("Catatan"), validators=[Optional(), Length(max=500)])


class FormPemulangan(FlaskForm):
    kode_wilayah = StringField(_l("Kode wilayah alamat keluarga (Kemendagri), mis. 35.20.01.2001"),
                               validators=[DataRequired(_l("Kode wilayah wajib diisi.")), Length(max=20)])
