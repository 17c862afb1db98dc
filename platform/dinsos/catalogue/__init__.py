"""Service catalogues as data: each office's Standar Pelayanan and SOP, versioned, and their public pages."""


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core.ui import tambah_menu_tenant

    from .views import bp

    app.register_blueprint(bp)
    tambah_menu_tenant(app, _l("Standar Pelayanan"), "katalog.daftar_publik", grup="publik")
