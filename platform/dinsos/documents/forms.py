"""The public form to check a letter by its number and its PDF (or the PDF's SHA-256)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class FormVerifikasi(FlaskForm):
    nomor = StringField(
        _l("Nomor surat"),
        validators=[DataRequired(_l("Nomor surat wajib diisi.")), Length(max=120, message=_l("Nomor surat terlalu panjang."))],
    )
    berkas = FileField(_l("Berkas PDF surat"))
    sidik = StringField(
        _l("atau sidik SHA-256 berkas (64 karakter heksadesimal)"),
        filters=[lambda v: v.strip().lower() if v else v],
        validators=[Optional(), Regexp(r"^[0-9a-f]{64}$", message=_l("Sidik SHA-256 harus 64 karakter 0-9 dan a-f."))],
    )

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if not self.berkas.data and not self.sidik.data:
            self.berkas.errors.append(_l("Unggah berkas PDF surat atau isi sidik SHA-256-nya."))
            return False
        return True
