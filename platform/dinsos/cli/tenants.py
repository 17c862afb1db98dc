"""``dinsos tenants load PATH``: offices from their ``tenants/`` folders."""
import click
from flask.cli import with_appcontext


@click.group("tenants")
def perintah():
    """Offices: load them from tenants/ folders."""


@perintah.command("load")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@with_appcontext
def muat_tenant(path):
    """Load every office under PATH (or the one office PATH is). All or nothing."""
    from dinsos.tenancy.muat import GagalMuat, muat_akar

    try:
        laporan = muat_akar(path)
    except GagalMuat as e:
        for k in e.kesalahan:
            click.echo(str(k), err=True)
        raise click.ClickException(f"{len(e.kesalahan)} kesalahan; tidak ada yang dimuat.")
    for baris in laporan:
        click.echo(baris)


def tenant_dari_slug(slug: str):
    """The office called ``slug``, or a click error naming it."""
    from sqlalchemy import select

    from dinsos.core.db import db
    from dinsos.tenancy.models import Tenant

    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"unknown tenant {slug}")
    return tenant
