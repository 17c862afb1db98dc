"""The append-only audit log: who did or opened what, where, when, from where."""


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core.jejak import PENCATAT_AUDIT
    from dinsos.core.ui import tambah_menu_tenant

    from .services import catat_peristiwa
    from .views import bp

    # Core's own events (tenant crossings, outbox deliveries) reach the log through this hook.
    PENCATAT_AUDIT.daftar("audit", catat_peristiwa)
    app.register_blueprint(bp)
    tambah_menu_tenant(app, _l("Log audit"), "audit.daftar", izin="audit.lihat", grup="kantor")
