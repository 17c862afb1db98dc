"""``dinsos laporan isi-wilayah-nik``: registers and reports (issue 17)."""
import click
from flask.cli import with_appcontext


@click.group("laporan")
def perintah():
    """Registers and reports."""


@perintah.command("isi-wilayah-nik")
@with_appcontext
def isi_wilayah_nik():
    """Once after upgrading to migration 0015 (0012_h17_laporan): the NIK region of clients written before it, for recaps by region."""
    from dinsos.laporan.wilayah import isi_yang_kosong

    click.echo(f"{isi_yang_kosong()} klien diisi wilayah NIK-nya")
