"""Complaint forms: the public one, the staff one for other channels, step and closing forms."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from .services import BATAS_ISI, KANAL_PENGADUAN


class Pilihan:
    """Refuse a value that is not one of the field's choices, with a message naming the field."""

    def __init__(self, pesan):
        self.pesan = pesan

    def __call__(self, form, field):
        if (field.data or "") not in {str(k) for k in dict(field.choices)}:
            raise ValidationError(self.pesan)


class FormPengaduan(FlaskForm):
    layanan = SelectField(_l("Tentang"), validate_choice=False, validators=[Pilihan(_l("Pilih layanan yang diadukan dari daftar."))])
    isi = TextAreaField(
        _l("Isi pengaduan, saran atau masukan"),
        validators=[
            DataRequired(_l("Isi pengaduan wajib diisi: tuliskan apa yang Anda adukan.")),
            Length(max=BATAS_ISI, message=_l("Isi pengaduan paling banyak %(max)d karakter.")),
        ],
    )
    nama = StringField(_l("Nama (boleh dikosongkan)"), validators=[Optional(), Length(max=200, message=_l("Nama paling banyak %(max)d karakter."))])
    kontak = StringField(
        _l("Nomor telepon atau email (boleh dikosongkan)"),
        validators=[Optional(), Length(max=200, message=_l("Kontak paling banyak %(max)d karakter."))],
    )


class FormPengaduanStaf(FormPengaduan):
    kanal = SelectField(
        _l("Kanal"), validate_choice=False,
        validators=[Pilihan(_l("Pilih kanal tempat pengaduan diterima."))],
    )
    nomor_referensi = StringField(
        _l("Nomor tiket SP4N-LAPOR!"), validators=[Length(max=60, message=_l("Nomor tiket paling banyak %(max)d karakter."))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kanal.choices = {k: _(v) for k, v in KANAL_PENGADUAN.items()}

    def validate_nomor_referensi(self, field):
        if self.kanal.data == "sp4n_lapor" and not (field.data or "").strip():
            raise ValidationError(_l("Pengaduan dari SP4N-LAPOR! wajib mencantumkan nomor tiket/referensi LAPOR!."))


class FormLangkah(FlaskForm):
    langkah_id = HiddenField()
    catatan = TextAreaField(
        _l("Catatan (wajib bila langkah dilewati)"),
        validators=[Length(max=BATAS_ISI, message=_l("Catatan paling banyak %(max)d karakter."))],
    )


class FormTutup(FlaskForm):
    jawaban = TextAreaField(
        _l("Jawaban untuk pelapor"),
        validators=[
            DataRequired(_l("Jawaban wajib diisi: pelapor akan membacanya di halaman lacak pengaduan.")),
            Length(max=BATAS_ISI, message=_l("Jawaban paling banyak %(max)d karakter.")),
        ],
    )


class FormLacak(FlaskForm):
    kode = StringField(_l("Kode pelacakan"), validators=[DataRequired(_l("Masukkan kode pelacakan pengaduan Anda."))])
