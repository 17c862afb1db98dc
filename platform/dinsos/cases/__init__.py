"""Case management on each office's own SOP: intake, requirement checklist, clients, steps, timeline."""
from flask_babel import lazy_gettext as _l


def pasang(app):
    from dinsos.core import kripto, penyimpanan
    from dinsos.core.extensions import api
    from dinsos.core.ui import tambah_menu_tenant
    from dinsos.documents.akses import daftar_pemeriksa_akses

    from . import tembolok
    from .api import blp
    from .surat import OBJEK, pemeriksa_akses
    from .views import bp

    daftar_pemeriksa_akses(OBJEK, pemeriksa_akses)
    kripto.pasang(app)
    penyimpanan.pasang(app)
    app.register_blueprint(bp)
    api.register_blueprint(blp)
    tambah_menu_tenant(app, _l("Kasus saya"), "kasus.saya", "kasus.kerjakan", grup="kasus")
    tambah_menu_tenant(app, _l("Daftar kasus"), "kasus.daftar", "kasus.lihat", grup="kasus")
    tambah_menu_tenant(app, _l("Penerimaan baru"), "kasus.pilih_layanan", "kasus.terima", grup="kasus")
    tembolok.pasang(app)

