"""Survey forms. The element radios are drawn by the template and read by ``services.baca_nilai``."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import Length

from dinsos.complaints.forms import Pilihan

from .services import BATAS_KOMENTAR, PROFIL


class FormSurvei(FlaskForm):
    token = HiddenField()
    kelompok_umur = SelectField(_l("Umur"), validate_choice=False,
                                validators=[Pilihan(_l("Pilih kelompok umur dari daftar."))])
    jenis_kelamin = SelectField(_l("Jenis kelamin"), validate_choice=False,
                                validators=[Pilihan(_l("Pilih jenis kelamin dari daftar."))])
    pendidikan = SelectField(_l("Pendidikan terakhir"), validate_choice=False,
                             validators=[Pilihan(_l("Pilih pendidikan dari daftar."))])
    pekerjaan = SelectField(_l("Pekerjaan"), validate_choice=False,
                            validators=[Pilihan(_l("Pilih pekerjaan dari daftar."))])
    komentar = TextAreaField(
        _l("Saran atau komentar (boleh dikosongkan)"),
        validators=[Length(max=BATAS_KOMENTAR, message=_l("Komentar paling banyak %(max)d karakter."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices in the reader's language, set per request.
        for kolom, (_label, pilihan) in PROFIL.items():
            getattr(self, kolom).choices = {"": _("— tidak diisi —"), **{k: _(v) for k, v in pilihan.items()}}


class FormKonfigurasi(FlaskForm):
    unsur_tambahan = TextAreaField(_l("Unsur tambahan (satu per baris: kode: Nama unsur)"))
    bobot = TextAreaField(_l("Bobot (satu per baris: kode = bobot; kosongkan untuk bobot sama rata)"))
