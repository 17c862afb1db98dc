"""The append-only audit log: who did or opened what, where, when, from where."""


def pasang(app):
    from dinsos.core.jejak import PENCATAT_AUDIT

    from .services import catat_peristiwa
    from .views import bp

    # Core's own events (tenant crossings, outbox deliveries) reach the log through this hook.
    PENCATAT_AUDIT.daftar("audit", catat_peristiwa)
    app.register_blueprint(bp)
