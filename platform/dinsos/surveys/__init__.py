"""The community satisfaction survey (SKM) and its index (IKM), PermenPAN-RB 14/2017."""


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core import ui

    from .views import bp

    app.register_blueprint(bp)
    ui.tambah_menu_tenant(app, _l("Survei kepuasan (IKM)"), "survei.laporan", izin="survei.lihat", grup="publik")
    ui.tambah_menu_tenant(app, _l("Pengaturan survei"), "survei.pengaturan", izin="survei.atur", grup="publik")
