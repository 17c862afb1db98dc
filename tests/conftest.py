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
def tanpa_tembolok(app, monkeypatch):
    """The app without the case-list cache in front of it (PostgreSQL), for tests of the app's own queries."""
    from dinsos.cases.tembolok import TembolokDaftar

    if isinstance(app.wsgi_app, TembolokDaftar):
        monkeypatch.setattr(app, "wsgi_app", app.wsgi_app.wsgi_app)


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


# --- real services: the broker, an SMTP server, worker and beat subprocesses (tests marked redis/postgres) ----------


@pytest.fixture
def broker():
    """The test broker: the Redis database named by REDIS_URL, emptied before and after the test."""
    import redis

    r = redis.Redis.from_url(REDIS_URL)
    r.flushdb()
    yield REDIS_URL
    r.flushdb()
    r.close()


@pytest.fixture
def smtp(app, monkeypatch):
    """A local SMTP server, configured in the test process too: notices written here go out by e-mail like the app's."""
    from server_uji import server_smtp

    with server_smtp() as kotak:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", kotak.port)
        yield kotak


@pytest.fixture
def penerbit(app, broker, monkeypatch):
    """The product's Celery publisher, bound to the test broker for the test and unbound after it."""
    from dinsos_workers.celery_app import ikat
    from dinsos_workers.tugas import terbitkan_ke_antrean

    monkeypatch.setitem(app.config, "REDIS_URL", broker)
    ikat(app)
    yield terbitkan_ke_antrean
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    ikat(app)


@pytest.fixture
def proses_pekerja(app, broker, tmp_path, request):
    """Worker and beat subprocesses on the test broker: ``proses_pekerja(modul_uji, nama="uji", **env)`` -> ``Proses``.

    They run this test app's configuration (database as the app role, instance and
    upload folders, heartbeat files in ``tmp_path``), import the test-only
    ``modul_uji`` from the test's own folder, and are killed when the test ends.
    """
    from pekerja_uji import Proses, env_aplikasi

    semua = []

    def buat(modul_uji: str, nama: str = "uji", **env) -> Proses:
        p = Proses(env_aplikasi(app, request.path.parent, REDIS_URL=broker, DINSOS_INSTANCE_PATH=app.instance_path,
                                DINSOS_UPLOAD_DIR=app.config["UPLOAD_DIR"],
                                DINSOS_WORKER_HEARTBEAT_FILE=tmp_path / "worker.heartbeat",
                                DINSOS_BEAT_HEARTBEAT_FILE=tmp_path / "beat.heartbeat", **env),
                   tmp_path, modul_uji, nama)
        semua.append(p)
        return p

    yield buat
    for p in semua:
        p.bersihkan()
