"""The ``dinsos`` command: a Flask CLI group.

``dinsos db ...`` comes from Flask-Migrate; ``worker``, ``beat`` and ``serve``
are added by ``dinsos_workers`` through the ``flask.commands`` entry point,
so this package never imports the workers.
"""
import sys

import click
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate.cli import db as perintah_db
from sqlalchemy import select, text

from dinsos import create_app
from dinsos.demo.cli import perintah_demo


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_version_option=False)
def main():
    """Dinsos: platform Dinas Sosial."""


@perintah_db.command("create-app-role")
@click.option("--name", default=None, help="Role name (default: DINSOS_DB_APP_ROLE).")
@click.option("--password", default=None, help="Password for LOGIN; omit for trust/peer auth.")
@with_appcontext
def buat_peran_aplikasi(name, password):
    """Create the non-owner PostgreSQL role the app connects as (row-level security applies to it)."""
    from flask import current_app
    from sqlalchemy import create_engine

    from .rls import beri_hak_peran_aplikasi

    url = current_app.config["MIGRATION_DATABASE_URL"] or current_app.config["DATABASE_URL"]
    nama = name or current_app.config["DB_APP_ROLE"]
    engine = create_engine(url)
    if engine.dialect.name != "postgresql":
        raise click.ClickException("create-app-role is for PostgreSQL only")
    with engine.begin() as conn:
        ada = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": nama}).scalar()
        q = conn.dialect.identifier_preparer.quote(nama)
        if not ada:
            conn.execute(text(f"CREATE ROLE {q} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"))
        if password:
            conn.execute(text(f"ALTER ROLE {q} PASSWORD :p"), {"p": password})
        beri_hak_peran_aplikasi(conn, nama)
    click.echo(f"role {nama} ready")


main.add_command(perintah_demo)


@main.group("tenants")
def perintah_tenant():
    """Offices: load them from tenants/ folders."""


@perintah_tenant.command("load")
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


@main.group("users")
def perintah_pengguna():
    """Staff accounts."""


@perintah_pengguna.command("create")
@click.option("--tenant", "slug", required=True)
@click.option("--email", required=True)
@click.option("--name", "nama", required=True)
@click.option("--role", "peran", multiple=True, required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def buat_pengguna_cli(slug, email, nama, peran, password):
    """Create a staff account in an office."""
    from dinsos.auth.services import KesalahanAkun, buat_pengguna

    from .db import db
    from .tenant import dalam_tenant

    tenant = _tenant(slug)
    with dalam_tenant(tenant.id):
        try:
            buat_pengguna(email, nama, list(peran), password)
        except KesalahanAkun as e:
            raise click.ClickException(str(e))
        db.session.commit()
    click.echo(f"created {email} in {slug}")


@perintah_pengguna.command("token")
@click.option("--tenant", "slug", required=True)
@click.option("--email", required=True)
@click.option("--name", "nama", default="cli")
@with_appcontext
def buat_token_cli(slug, email, nama):
    """Issue an API token for a staff account; prints it once."""
    from dinsos.auth.models import Pengguna
    from dinsos.auth.services import buat_token

    from .db import db
    from .tenant import dalam_tenant

    tenant = _tenant(slug)
    with dalam_tenant(tenant.id):
        pengguna = db.session.scalar(select(Pengguna).where(Pengguna.email == email.lower()))
        if pengguna is None:
            raise click.ClickException(f"no account {email} in {slug}")
        token = buat_token(pengguna, nama)
        db.session.commit()
    click.echo(token)


@main.group("admin")
def perintah_admin():
    """Platform administrators."""


@perintah_admin.command("create")
@click.option("--email", required=True)
@click.option("--name", "nama", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def buat_admin_cli(email, nama, password):
    from dinsos.auth.services import KesalahanAkun, buat_admin_platform

    from .db import db

    try:
        buat_admin_platform(email, nama, password)
    except KesalahanAkun as e:
        raise click.ClickException(str(e))
    db.session.commit()
    click.echo(f"created platform admin {email}")


def _tenant(slug):
    from dinsos.tenancy.models import Tenant

    from .db import db

    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"unknown tenant {slug}")
    return tenant


if __name__ == "__main__":
    sys.exit(main())
