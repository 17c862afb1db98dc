"""Test set-up: a migrated database per test session, emptied after each test.

With nothing configured the suite runs on SQLite. With ``DATABASE_URL``
pointing at PostgreSQL (a superuser, as on a developer machine or in CI) it
creates a fresh test database, migrates it as the owner and runs the app as
the non-owner role ``dinsos_app``, so row-level security is really in force.
``DINSOS_TEST_REQUIRE_SERVICES=1`` (set by .ci/run) turns a missing
PostgreSQL or Redis into a failure instead of a skip.
"""
import os

import shutil
import tempfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

WAJIB = os.environ.get("DINSOS_TEST_REQUIRE_SERVICES") == "1"
_URL_ENV = os.environ.get("DATABASE_URL", "")
PG_ADMIN_URL = _URL_ENV if _URL_ENV.startswith(("postgresql", "postgres:")) else None
REDIS_URL = os.environ.get("REDIS_URL") or None
PERAN_APP = "dinsos_app"


def pytest_configure(config):
    if WAJIB and not (PG_ADMIN_URL and REDIS_URL):
        raise pytest.UsageError("DINSOS_TEST_REQUIRE_SERVICES=1 needs DATABASE_URL (PostgreSQL) and REDIS_URL")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and not PG_ADMIN_URL:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgresql://..."))
        if "redis" in item.keywords and not REDIS_URL:
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://..."))


def _url_pg(url: str, **ubah) -> str:
    u = make_url(url.replace("postgres://", "postgresql://", 1)).set(drivername="postgresql+psycopg", **ubah)
    return u.render_as_string(hide_password=False)


def _siapkan_pg(nama_db: str) -> dict:
    admin = create_engine(_url_pg(PG_ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{nama_db}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{nama_db}"'))
        if not c.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": PERAN_APP}).scalar():
            c.execute(text(f"CREATE ROLE {PERAN_APP} LOGIN NOSUPERUSER NOBYPASSRLS"))
    admin.dispose()
    pemilik = _url_pg(PG_ADMIN_URL, database=nama_db)
    return {
        "DATABASE_URL": _url_pg(PG_ADMIN_URL, database=nama_db, username=PERAN_APP, password=None),
        "MIGRATION_DATABASE_URL": pemilik,
        "DB_APP_ROLE": PERAN_APP,
        "_OWNER_URL": pemilik,
    }


@pytest.fixture(scope="session")
def folder_sesi():
    d = Path(tempfile.mkdtemp(prefix="dinsos-test-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def konfigurasi_db(folder_sesi):
    if PG_ADMIN_URL:
        nama = os.environ.get("DINSOS_TEST_DB") or "dinsos_test_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
        return _siapkan_pg(nama)
    url = f"sqlite:///{folder_sesi / 'dinsos.sqlite'}"
    return {"DATABASE_URL": url, "_OWNER_URL": url}


@pytest.fixture(scope="session")
def app(konfigurasi_db, folder_sesi):
    from flask_migrate import upgrade

    from dinsos import create_app

    cfg = {k: v for k, v in konfigurasi_db.items() if not k.startswith("_")}
    cfg.update(
        INSTANCE_PATH=str(folder_sesi / "instance"),
        SECRET_KEY="uji-rahasia",
        ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        TESTING=True,
        REDIS_URL=None,
        BASE_URL="http://localhost",
        LOGIN_RATE_LIMIT="1000 per minute",
        UPLOAD_DIR=str(folder_sesi / "unggahan"),
    )
    aplikasi = create_app(cfg)
    aplikasi.config["_OWNER_URL"] = konfigurasi_db["_OWNER_URL"]
    with aplikasi.app_context():
        upgrade()
    return aplikasi


@pytest.fixture(scope="session")
def mesin_pemilik(app):
    """An engine as the table owner (superuser on PostgreSQL): bypasses RLS, for set-up and checks."""
    engine = create_engine(app.config["_OWNER_URL"])
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _kosongkan(request):
    """Every test that uses the app starts with an empty database."""
    if "app" not in request.fixturenames:
        yield
        return
    import bantuan

    bantuan.APP = request.getfixturevalue("app")
    mesin_pemilik = request.getfixturevalue("mesin_pemilik")
    yield
    from dinsos.core.extensions import limiter

    limiter.reset()  # rate-limit counters are per test, like the database
    tabel = [t for t in inspect(mesin_pemilik).get_table_names() if t != "alembic_version"]
    with mesin_pemilik.begin() as c:
        if mesin_pemilik.dialect.name == "postgresql":
            c.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tabel) + " RESTART IDENTITY CASCADE"))
        else:
            c.execute(text("PRAGMA foreign_keys=OFF"))
            for t in tabel:
                c.execute(text(f'DELETE FROM "{t}"'))


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        from dinsos.core.db import db

        db.session.rollback()


@pytest.fixture
def klien(app):
    return app.test_client()




@pytest.fixture
def kantor_seed(app):
    """Load the real offices of ``tenants/``; returns slug -> bantuan.Kantor."""
    from sqlalchemy import select

    from bantuan import Kantor
    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant
    from dinsos.tenancy.models import Tenant
    from dinsos.tenancy.muat import muat_akar

    with app.app_context():
        muat_akar(Path(__file__).resolve().parents[1] / "tenants")
        with lintas_tenant("uji", catat=False):
            return {t.slug: Kantor(t.id, t.slug, t.nama) for t in db.session.scalars(select(Tenant))}


@pytest.fixture
def potret(mesin_pemilik):
    """A function returning every row of every table (as the owner, past RLS), to compare before and after."""

    def ambil(kecuali=("alembic_version",)):
        hasil = {}
        with mesin_pemilik.connect() as c:
            for tabel in sorted(inspect(mesin_pemilik).get_table_names()):
                if tabel not in kecuali:
                    hasil[tabel] = sorted(repr(tuple(r)) for r in c.execute(text(f'SELECT * FROM "{tabel}"')))
        return hasil

    return ambil


@pytest.fixture
def akar(tmp_path):
    """A private copy of the whole tenants/ root, to edit in a test."""
    salinan = tmp_path / "tenants"
    shutil.copytree(Path(__file__).resolve().parents[1] / "tenants", salinan)
    return salinan
