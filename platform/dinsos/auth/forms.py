"""Login, password and staff forms (Flask-WTF: CSRF on every form)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from dinsos.core.formulir import PilihanBanyak, pilihan
from dinsos.izin import PERAN

from .services import KesalahanAkun, email_sah


def _email_akun(form, field):
    """The same rule as account creation (``services.email_sah``): what can be created can log in."""
    try:
        email_sah(field.data)
    except KesalahanAkun:
        raise ValidationError(_l("Format email tidak valid.")) from None


class FormMasuk(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Email wajib diisi.")), _email_akun])
    kata_sandi = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Kata sandi wajib diisi."))])


class FormLupaKataSandi(FlaskForm):
    email = EmailField(_l("Email akun Anda"), validators=[DataRequired(_l("Email wajib diisi.")), _email_akun])


class FormAturKataSandi(FlaskForm):
    """A new password chosen through a recovery link (no old password: the link stands for it)."""

    baru = PasswordField(
        _l("Kata sandi baru"),
        validators=[DataRequired(_l("Kata sandi baru wajib diisi.")), Length(min=10, message=_l("Kata sandi minimal 10 karakter."))],
    )
    ulangi = PasswordField(
        _l("Ulangi kata sandi baru"), validators=[EqualTo("baru", message=_l("Kedua kata sandi baru tidak sama."))]
    )


class FormGantiKataSandi(FlaskForm):
    lama = PasswordField(_l("Kata sandi lama"), validators=[DataRequired(_l("Kata sandi lama wajib diisi."))])
    baru = PasswordField(
        _l("Kata sandi baru"),
        validators=[DataRequired(_l("Kata sandi baru wajib diisi.")), Length(min=10, message=_l("Kata sandi minimal 10 karakter."))],
    )
    ulangi = PasswordField(
        _l("Ulangi kata sandi baru"), validators=[EqualTo("baru", message=_l("Kedua kata sandi baru tidak sama."))]
    )


class FormStaf(FlaskForm):
    nama = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Email wajib diisi.")), _email_akun])
    nip = StringField(_l("NIP (bila ada)"), validators=[Optional(), Length(max=30)])
    # Roles beside their Indonesian names (``izin.PERAN``), never the codes.
    peran = PilihanBanyak(_l("Peran"), validators=[DataRequired(_l("Pilih sedikitnya satu peran."))])

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.peran.choices = pilihan(PERAN.items())


class FormUbahStaf(FlaskForm):
    """A member's name, NIP and roles (the e-mail is the login and stays)."""

    nama = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=200)])
    nip = StringField(_l("NIP (bila ada)"), validators=[Optional(), Length(max=30)])
    peran = PilihanBanyak(_l("Peran"), validators=[DataRequired(_l("Pilih sedikitnya satu peran."))])

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.peran.choices = pilihan(PERAN.items())


class FormNonaktifkan(FlaskForm):
    yakin = BooleanField(_l("Ya, nonaktifkan akun ini"), validators=[DataRequired(_l("Centang untuk menyatakan Anda yakin."))])
