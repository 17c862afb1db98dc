"""The office's notification settings form."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, URLField
from wtforms.validators import Length, Optional, ValidationError

from dinsos.core.tujuan_keluar import TujuanDitolak, daftar_izin, periksa_url

from .kanal import url_webhook_sah


def _webhook_sah(form, field):
    if field.data and not url_webhook_sah(field.data.strip()):
        raise ValidationError(_l("Alamat webhook harus URL lengkap yang diawali http:// atau https://."))
    if field.data:
        try:
            periksa_url(field.data.strip(), daftar_izin(current_app.config))  # no internal addresses (SSRF)
        except TujuanDitolak as e:
            raise ValidationError(str(e)) from None


class FormPengaturan(FlaskForm):
    nama_pengirim_email = StringField(
        _l("Nama pengirim email"), validators=[Optional(), Length(max=200, message=_l("Paling banyak 200 karakter."))]
    )
    webhook_whatsapp = URLField(
        _l("Alamat webhook gateway WhatsApp"),
        validators=[Optional(), Length(max=500, message=_l("Paling banyak 500 karakter.")), _webhook_sah],
    )
