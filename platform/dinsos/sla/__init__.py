"""Deadlines on real working days: each office's calendar (arithmetic in ``dinsos.core.kalender``), running clocks,
reminders and escalations."""


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core import ui

    from .views import bp, tenggat_untuk

    app.register_blueprint(bp)
    app.jinja_env.globals["tenggat_untuk"] = tenggat_untuk
    ui.tambah_menu_tenant(app, _l("Kalender kerja"), "sla.kalender", izin="kalender.lihat")
