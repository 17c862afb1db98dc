"""Flask extensions, created once and bound in the app factory."""
from functools import cached_property

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()


class _BabelPo(Babel):
    """Babel reading our ``.po`` catalogues directly (see ``dinsos.core.i18n``)."""

    @cached_property
    def domain_instance(self):
        from .i18n import DomainPo

        return DomainPo()


babel = _BabelPo()
migrate = Migrate()
api = Api()
limiter = Limiter(key_func=get_remote_address)


def batas_dari_konfigurasi(kunci: str):
    """A rate limit read from ``app.config[kunci]`` at request time (settable by ``DINSOS_<kunci>``)."""
    from flask import current_app

    return lambda: current_app.config[kunci]
