"""Forms of the onboarding pages (Flask-WTF: CSRF on every one)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from dinsos.catalogue.skema.kosakata import TINGKAT
from dinsos.core.formulir import pilihan

POLA_SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ZONA = [
    ("Asia/Jakarta", _l("WIB · Asia/Jakarta")),
    ("Asia/Pontianak", _l("WIB · Asia/Pontianak")),
    ("Asia/Makassar", _l("WITA · Asia/Makassar")),
    ("Asia/Jayapura", _l("WIT · Asia/Jayapura")),
]


class FormKantorBaru(FlaskForm):
    slug = StringField(
        _l("Slug (alamat kantor)"),
        validators=[DataRequired(_l("Slug wajib diisi.")), Length(max=80),
                    Regexp(POLA_SLUG, message=_l("Slug hanya huruf kecil, angka dan tanda '-', mis. 'kabupaten-kepulauan-selayar'."))],
    )
    nama = StringField(_l("Nama resmi kantor"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=200)])
    tingkat = SelectField(_l("Tingkat"), choices=pilihan((t, t) for t in TINGKAT))
    # Checked against the registered provinces by the view, with an Indonesian message.
    provinsi_induk = SelectField(_l("Provinsi induk"), choices=[], validate_choice=False)
    kode_wilayah = StringField(
        _l("Kode wilayah (Kemendagri)"), validators=[DataRequired(_l("Kode wilayah wajib diisi.")), Length(max=20)]
    )
    zona_waktu = SelectField(_l("Zona waktu"), choices=pilihan(ZONA))
    # Offered when the chosen kabupaten/kota's province is not on the platform: its draft is started in the same step.
    buat_provinsi = BooleanField(_l("Buat juga draf kantor provinsinya"))


class FormRevisi(FlaskForm):
    """Any action on a draft: carries the revision the page was built from."""

    revisi = HiddenField()


class FormBerkas(FormRevisi):
    isi = TextAreaField(_l("Isi berkas (YAML)"), validators=[Optional()])


class FormLayananBaru(FormRevisi):
    kode = StringField(
        _l("Kode layanan (nama berkas tanpa .yaml)"),
        validators=[DataRequired(_l("Kode layanan wajib diisi.")), Length(max=80),
                    Regexp(POLA_SLUG, message=_l("Kode hanya huruf kecil, angka dan tanda '-'."))],
    )
    isi = TextAreaField(_l("Isi berkas (YAML); boleh dikosongkan lalu diisi nanti"), validators=[Optional()])


class FormUnggah(FormRevisi):
    berkas = FileField(_l("Zip folder kantor"), validators=[FileRequired(_l("Pilih berkas zip."))])


class FormTemplat(FormRevisi):
    # Choices are the published services, filled in by the view.
    sumber = SelectField(_l("Salin dari layanan kantor lain"), choices=[], validate_choice=False)
    kode = StringField(
        _l("Kode layanan baru (nama berkas tanpa .yaml)"),
        validators=[DataRequired(_l("Kode layanan wajib diisi.")), Length(max=80),
                    Regexp(POLA_SLUG, message=_l("Kode hanya huruf kecil, angka dan tanda '-'."))],
    )
