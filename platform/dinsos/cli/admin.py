"""``dinsos admin create``: platform administrators."""
import click
from flask.cli import with_appcontext


@click.group("admin")
def perintah():
    """Platform administrators."""


@perintah.command("create")
@click.option("--email", required=True)
@click.option("--name", "nama", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def buat_admin_cli(email, nama, password):
    from dinsos.auth.services import KesalahanAkun, buat_admin_platform
    from dinsos.core.db import db

    try:
        buat_admin_platform(email, nama, password)
    except KesalahanAkun as e:
        raise click.ClickException(str(e))
    db.session.commit()
    click.echo(f"created platform admin {email}")
