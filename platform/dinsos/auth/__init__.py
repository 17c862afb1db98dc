"""Staff accounts, roles and permissions, login sessions and API tokens."""


def pasang(app):
    from dinsos.audit.tampilan import NAMA_AKTOR

    from . import sesi
    from .api import blp
    from .nama import nama_admin, nama_pengguna
    from .views import bp, bp_admin
    from .views_staf import bp_staf

    sesi.pasang(app)
    # The audit log's readers see accounts by name; audit cannot look them up itself (auth writes to it).
    NAMA_AKTOR.daftar("pengguna", nama_pengguna)
    NAMA_AKTOR.daftar("admin", nama_admin)
    app.register_blueprint(bp)
    app.register_blueprint(bp_admin)
    app.register_blueprint(bp_staf)
    from flask_babel import lazy_gettext as _l

    from dinsos.core.ui import tambah_menu_tenant, tambah_panel_dasbor

    from .staf import ringkasan_staf

    tambah_menu_tenant(app, _l("Staf kantor"), "staf.daftar", "pengguna.kelola", grup="kantor")
    tambah_panel_dasbor(app, "auth/_panel_staf.html", "pengguna.kelola", awal=True)
    app.jinja_env.globals["ringkasan_staf"] = ringkasan_staf
    from dinsos.core.extensions import api

    api.register_blueprint(blp)
