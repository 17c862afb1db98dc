"""A fresh, migrated benchmark database on PostgreSQL (shared by the benchmarks)."""
import os
import tempfile

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ADMIN = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NAMA = "dinsos_bench"


def url(database=NAMA, **ubah) -> str:
    u = make_url(ADMIN.replace("postgres://", "postgresql://", 1)).set(drivername="postgresql+psycopg", database=database, **ubah)
    return u.render_as_string(hide_password=False)


def siapkan():
    """Create the database, migrate it as the owner; return a Flask app bound to it (as the owner)."""
    from flask_migrate import upgrade

    from dinsos import create_app

    admin = create_engine(url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{NAMA}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{NAMA}"'))
    admin.dispose()
    app = create_app({"INSTANCE_PATH": tempfile.mkdtemp(prefix="dinsos-bench-"), "SECRET_KEY": "bench", "DATABASE_URL": url()})
    with app.app_context():
        upgrade()
    return app
