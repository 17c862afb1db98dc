"""Alembic environment for Flask-Migrate.

Migrations run as the table owner (``DINSOS_MIGRATION_DATABASE_URL``, else
``DATABASE_URL``); afterwards the non-owner app role gets its grants, so
row-level security applies to the app. Works on SQLite and PostgreSQL
(``render_as_batch`` lets SQLite alter tables).
"""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine

from dinsos.core import citus
from dinsos.core.rls import beri_hak_peran_aplikasi, daftarkan_rahasia, rahasia_ikatan

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
citus.pasang_buat_tabel()  # on a Citus database already distributed: new tables distributed as they are made


def _url() -> str:
    return current_app.config.get("MIGRATION_DATABASE_URL") or current_app.config["SQLALCHEMY_DATABASE_URI"]


def run_migrations_offline():
    context.configure(url=_url(), target_metadata=target_db.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    def include_object(obj, name, type_, reflected, compare_to):
        # versi_data_kantor belongs to the database's triggers (migrations 0011, 0020), not to the models.
        return not (type_ == "table" and name == "versi_data_kantor")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("include_object", include_object)
    conf_args.setdefault("render_as_batch", True)
    conf_args.setdefault("compare_type", True)

    engine = create_engine(_url())
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
            with context.begin_transaction():
                citus.siapkan_migrasi(connection)
                context.run_migrations()
                # A distributed database stays distributed by the same rule (dinsos.core.citus); anything the
                # migrations made that Citus cannot place fails the upgrade here, naming it.
                if citus.sudah_didistribusikan(connection):
                    citus.distribusikan(connection)
                if beri_hak_peran_aplikasi(connection, current_app.config["DB_APP_ROLE"]):
                    logger.info("granted app role %s", current_app.config["DB_APP_ROLE"])
                # The app's secret for sealing its database binding (dinsos.core.rls): registered on every
                # upgrade, so a new SECRET_KEY takes effect with the next `dinsos db upgrade`.
                if daftarkan_rahasia(connection, rahasia_ikatan(current_app.config["SECRET_KEY"])):
                    logger.info("registered the app's binding secret")
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
