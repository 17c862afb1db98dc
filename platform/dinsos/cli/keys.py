"""``dinsos keys rotate``: re-encrypt sensitive data with the first configured key."""
import click
from flask.cli import with_appcontext


@click.group("keys")
def perintah():
    """Encryption keys of sensitive data (cases, complainants, notification settings)."""


@perintah.command("rotate")
@with_appcontext
def putar_kunci():
    """Re-encrypt every encrypted column of every table, and the NIK search hashes, with the first key of DINSOS_ENCRYPTION_KEYS."""
    from dinsos.cases.klien import putar_kunci_semua

    jumlah, nik = putar_kunci_semua()
    click.echo(f"{jumlah} nilai dienkripsi ulang, {nik} sidik NIK dihitung ulang")
