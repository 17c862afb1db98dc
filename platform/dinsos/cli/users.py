"""``dinsos users create|token``: staff accounts of one office."""
import click
from flask.cli import with_appcontext

from .tenants import tenant_dari_slug


@click.group("users")
def perintah():
    """Staff accounts."""


@perintah.command("create")
@click.option("--tenant", "slug", required=True)
@click.option("--email", required=True)
@click.option("--name", "nama", required=True)
@click.option("--role", "peran", multiple=True, required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def buat_pengguna_cli(slug, email, nama, peran, password):
    """Create a staff account in an office."""
    from dinsos.auth.services import KesalahanAkun, buat_pengguna
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant

    tenant = tenant_dari_slug(slug)
    with dalam_tenant(tenant.id):
        try:
            buat_pengguna(email, nama, list(peran), password)
        except KesalahanAkun as e:
            raise click.ClickException(str(e))
        db.session.commit()
    click.echo(f"created {email} in {slug}")


@perintah.command("token")
@click.option("--tenant", "slug", required=True)
@click.option("--email", required=True)
@click.option("--name", "nama", default="cli")
@with_appcontext
def buat_token_cli(slug, email, nama):
    """Issue an API token for a staff account; prints it once."""
    from sqlalchemy import select

    from dinsos.auth.models import Pengguna
    from dinsos.auth.services import buat_token
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant

    tenant = tenant_dari_slug(slug)
    with dalam_tenant(tenant.id):
        pengguna = db.session.scalar(select(Pengguna).where(Pengguna.email == email.lower()))
        if pengguna is None:
            raise click.ClickException(f"no account {email} in {slug}")
        token = buat_token(pengguna, nama)
        db.session.commit()
    click.echo(token)
