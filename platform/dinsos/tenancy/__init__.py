"""Offices (tenants): who they are, binding the current one to a request, and their own settings."""


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core.ui import tambah_menu_tenant

    from .views import bp

    app.register_blueprint(bp)
    tambah_menu_tenant(app, _l("Pengaturan kantor"), "tenancy.pengaturan", "tenant.kelola_kontak", grup="kantor")
