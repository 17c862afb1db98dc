"""Staff accounts, roles and permissions, login sessions and API tokens."""


def pasang(app):
    from dinsos.audit.tampilan import NAMA_AKTOR

    from . import sesi
    from .api import blp
    from .nama import nama_admin, nama_pengguna
    from .views import bp, bp_admin

    sesi.pasang(app)
    # The audit log's readers see accounts by name; audit cannot look them up itself (auth writes to it).
    NAMA_AKTOR.daftar("pengguna", nama_pengguna)
    NAMA_AKTOR.daftar("admin", nama_admin)
    app.register_blueprint(bp)
    app.register_blueprint(bp_admin)
    from dinsos.core.extensions import api

    api.register_blueprint(blp)
