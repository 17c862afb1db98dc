"""The append-only audit log: who did or opened what, where, when, from where."""


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core.ui import tambah_menu_tenant

    from .views import bp

    app.register_blueprint(bp)
    tambah_menu_tenant(app, _l("Log audit"), "audit.daftar", izin="audit.lihat")
