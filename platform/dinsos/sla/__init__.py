"""Deadlines on real working days: each office's calendar (arithmetic in ``dinsos.core.kalender``), running clocks,
reminders and escalations."""


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core import ui
    from dinsos.core.berkala import daftar_berkala

    from .services import sapu_tenggat
    from .views import bp

    app.register_blueprint(bp)
    ui.tambah_menu_tenant(app, _l("Kalender kerja"), "sla.kalender", izin="kalender.lihat", grup="kantor")
    # Reminders and escalations write outbox rows; the relay delivers them. Every 30 s in production;
    # DINSOS_SAPU_TENGGAT_DETIK shortens it (the end-to-end tests run it every second).
    daftar_berkala("sapu_tenggat", sapu_tenggat, 30, env_detik="DINSOS_SAPU_TENGGAT_DETIK")
