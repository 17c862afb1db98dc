"""``dinsos db create-app-role`` and ``dinsos db distribute``: added to Flask-Migrate's ``dinsos db`` group."""
import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate.cli import db as perintah_db
from sqlalchemy import create_engine, text

from dinsos.core import citus
from dinsos.core.rls import beri_hak_peran_aplikasi


@click.command("create-app-role")
@click.option("--name", default=None, help="Role name (default: DINSOS_DB_APP_ROLE).")
@click.option("--password", default=None, help="Password for LOGIN; omit for trust/peer auth.")
@with_appcontext
def buat_peran_aplikasi(name, password):
    """Create the non-owner PostgreSQL role the app connects as (row-level security applies to it)."""
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


@click.command("distribute")
@click.option("--dry-run", is_flag=True, help="Print the plan and the problems; change nothing.")
@with_appcontext
def distribusikan(dry_run):
    """On a Citus coordinator: offices and platform tables to reference tables, office tables distributed by tenant_id.

    Idempotent; run after `dinsos db upgrade` (later upgrades keep distributing new tables themselves).
    """
    url = current_app.config["MIGRATION_DATABASE_URL"] or current_app.config["DATABASE_URL"]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            r = citus.rencana(conn)
            click.echo(f"reference ({len(r.referensi)}): {', '.join(r.referensi)}")
            click.echo(f"distributed by {citus.KOLOM} ({len(r.terdistribusi)}): {', '.join(r.terdistribusi)}")
            if r.lokal:
                click.echo(f"local on the coordinator: {', '.join(r.lokal)}")
            if dry_run:
                for m in r.masalah:
                    click.echo(f"problem: {m}")
                return
            try:
                dilakukan = citus.distribusikan(conn)
            except citus.TidakBisaDidistribusikan as e:
                raise click.ClickException(str(e)) from None
    finally:
        engine.dispose()
    baru = dilakukan["reference"] + dilakukan["distributed"]
    click.echo(f"distributed {len(baru)} table(s) now" + (f": {', '.join(baru)}" if baru else " (all were already)"))


def pasang() -> None:
    """Add this module's commands to Flask-Migrate's ``db`` group (which the ``flask.commands`` entry point adds)."""
    perintah_db.add_command(buat_peran_aplikasi)
    perintah_db.add_command(distribusikan)
