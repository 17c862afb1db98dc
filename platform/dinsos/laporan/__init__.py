"""Registers and reports (issue 17): the Buku Register Kasus, recaps by period and dimension, a province's and the platform's counts."""
import click
from flask.cli import AppGroup

perintah_laporan = AppGroup("laporan", help="Registers and reports.")


@perintah_laporan.command("isi-wilayah-nik")
def isi_wilayah_nik():
    """Once after upgrading to migration 0012: the NIK region of clients written before it, for recaps by region."""
    from .wilayah import isi_yang_kosong

    click.echo(f"{isi_yang_kosong()} klien diisi wilayah NIK-nya")


def pasang(app):
    from flask_babel import lazy_gettext as _l

    from dinsos.core import ui

    from . import wilayah  # noqa: F401  (keeps the NIK's region beside the encrypted NIK)
    from .views import bp, bp_admin

    app.register_blueprint(bp)
    app.register_blueprint(bp_admin)
    ui.tambah_menu_tenant(app, _l("Laporan"), "laporan.beranda", izin="laporan.lihat")
    ui.tambah_menu_admin(app, _l("Laporan"), "laporan_admin.platform")
    app.cli.add_command(perintah_laporan)
