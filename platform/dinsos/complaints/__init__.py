"""Complaints (pengaduan, saran dan masukan): any channel, the office's own follow-up steps, a tracking code."""


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core import ui

    from .views import bp, ringkasan

    app.register_blueprint(bp)
    ui.tambah_menu_tenant(app, _l("Pengaduan"), "pengaduan.daftar", izin="pengaduan.lihat", grup="publik")
    ui.tambah_panel_dasbor(app, "pengaduan/_panel.html", izin="pengaduan.lihat", data=ringkasan)
