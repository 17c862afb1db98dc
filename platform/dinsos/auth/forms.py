"""Login and password forms (Flask-WTF: CSRF on every form)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length


class FormMasuk(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Email wajib diisi.")), Email(_l("Format email tidak valid."))])
    kata_sandi = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Kata sandi wajib diisi."))])


class FormGantiKataSandi(FlaskForm):
    lama = PasswordField(_l("Kata sandi lama"), validators=[DataRequired(_l("Kata sandi lama wajib diisi."))])
    baru = PasswordField(
        _l("Kata sandi baru"),
        validators=[DataRequired(_l("Kata sandi baru wajib diisi.")), Length(min=10, message=_l("Kata sandi minimal 10 karakter."))],
    )
    ulangi = PasswordField(
        _l("Ulangi kata sandi baru"), validators=[EqualTo("baru", message=_l("Kedua kata sandi baru tidak sama."))]
    )
