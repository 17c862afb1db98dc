"""REST API basics: bearer-token authentication and the current account."""
from functools import wraps

import marshmallow as ma
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from dinsos.core.errors import tolak
from dinsos.core.extensions import csrf
from dinsos.izin import boleh

blp = Blueprint("api_akun", __name__, url_prefix="/api/t/<slug>", description="Akun dan otentikasi token")
csrf.exempt(blp)


def perlu_token(izin: str | None = None):
    """API view decorator: a valid bearer token of this office, and optionally a permission."""

    def dekorator(fungsi):
        @wraps(fungsi)
        def dibungkus(*args, **kwargs):
            if not current_user.is_authenticated:
                tolak(401, _("Token API tidak ada atau tidak valid."))
            if izin and not boleh(current_user, izin):
                tolak(403, _("Anda tidak memiliki izin untuk tindakan ini."))
            return fungsi(*args, **kwargs)

        return dibungkus

    return dekorator


class SkemaAkun(ma.Schema):
    id = ma.fields.UUID()
    email = ma.fields.String()
    nama = ma.fields.String()
    peran = ma.fields.List(ma.fields.String())


@blp.route("/saya")
@blp.response(200, SkemaAkun)
@perlu_token()
def saya(slug):
    """The account that owns the token."""
    return current_user
