"""The deadline dashboard: what is due today, overdue and at risk, who carries what, and last month's time standards."""


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core import ui

    from .views import bp, ringkasan_panel

    app.register_blueprint(bp)
    ui.tambah_menu_tenant(app, _l("Tenggat"), "dasbor.tenggat", izin="tenggat.pantau", grup="kasus")
    ui.tambah_panel_dasbor(app, "dasbor/_panel_tenggat.html", izin="kasus.kerjakan", data=ringkasan_panel)
