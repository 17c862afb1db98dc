"""Platform administration: onboarding a region's standards as data, without code."""
from .akses import perlu_admin_platform

__all__ = ["perlu_admin_platform", "pasang"]


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core.ui import tambah_menu_admin

    from . import impor  # noqa: F401  (its routes join the onboarding blueprint)
    from .views import bp

    app.register_blueprint(bp)
    tambah_menu_admin(app, _l("Onboarding kantor"), "admin.daftar")
