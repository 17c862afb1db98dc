"""Registers and reports (issue 17): the Buku Register Kasus, recaps by period and dimension, a province's and the platform's counts.

The command ``dinsos laporan isi-wilayah-nik`` lives in ``dinsos.cli.laporan``.
"""


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core import ui

    from .views import bp, bp_admin

    app.register_blueprint(bp)
    app.register_blueprint(bp_admin)
    ui.tambah_menu_tenant(app, _l("Laporan"), "laporan.beranda", izin="laporan.lihat")
    ui.tambah_menu_admin(app, _l("Laporan"), "laporan_admin.platform")
