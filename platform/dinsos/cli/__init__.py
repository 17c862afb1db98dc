"""The ``dinsos`` command: a Flask CLI group, one module per command group.

``dinsos db ...`` comes from Flask-Migrate (``db.py`` adds ``create-app-role``
to it); ``worker``, ``beat`` and ``serve`` are added by ``dinsos_workers``
through the ``flask.commands`` entry point, so this package never imports
the workers. Kept out of ``dinsos.core``: commands reach into capabilities,
and core imports none.
"""
import click
from flask.cli import FlaskGroup

from dinsos import create_app

from . import admin, db, demo, keys, laporan, tenants, users


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_version_option=False)
def main():
    """Dinsos: platform Dinas Sosial."""


db.pasang()
for _grup in (demo.perintah, tenants.perintah, users.perintah, admin.perintah, keys.perintah, laporan.perintah):
    main.add_command(_grup)
