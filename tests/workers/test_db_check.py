"""``dinsos db check`` (the pods' wait-for-migrations init container) passes only at the migration head."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]


def _dinsos(*args, env: dict) -> subprocess.CompletedProcess:
    lingkungan = {k: v for k, v in os.environ.items() if not k.startswith(("DINSOS_", "DATABASE_URL", "REDIS_URL"))}
    lingkungan.update(PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT / "workers")]), **env)
    return subprocess.run([sys.executable, "-m", "dinsos.cli", *args], env=lingkungan, capture_output=True, text=True, timeout=120)


def _revisi_sebelum_head() -> str:
    skrip = ScriptDirectory(str(ROOT / "platform" / "dinsos" / "migrations"))
    return skrip.get_revision(skrip.get_current_head()).down_revision


def test_db_check_fails_on_an_empty_or_old_database_and_passes_at_head(tmp_path):
    env = {"DINSOS_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'cek.sqlite'}"}
    assert _dinsos("db", "check", env=env).returncode != 0  # nothing migrated yet
    assert _dinsos("db", "upgrade", _revisi_sebelum_head(), env=env).returncode == 0
    belum = _dinsos("db", "check", env=env)
    assert belum.returncode != 0 and "Target database is not up to date" in belum.stderr
    assert _dinsos("db", "upgrade", env=env).returncode == 0
    assert _dinsos("db", "check", env=env).returncode == 0


@pytest.mark.postgres
def test_db_check_as_the_app_role_follows_the_head(konfigurasi_db, tmp_path):  # konfigurasi_db: the app role exists
    admin = make_url(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)).set(drivername="postgresql+psycopg")
    nama = (os.environ.get("DINSOS_TEST_DB") or "dinsos_test_main") + "_cek"
    mesin = create_engine(admin, isolation_level="AUTOCOMMIT")
    with mesin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{nama}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{nama}"'))
    try:
        pemilik = {"DINSOS_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": admin.set(database=nama).render_as_string(hide_password=False)}
        aplikasi = {"DINSOS_INSTANCE_PATH": str(tmp_path), "DINSOS_SECRET_KEY": "uji",
                    "DATABASE_URL": admin.set(database=nama, username="dinsos_app", password=None).render_as_string(hide_password=False)}
        assert _dinsos("db", "upgrade", _revisi_sebelum_head(), env=pemilik).returncode == 0
        assert _dinsos("db", "check", env=aplikasi).returncode != 0
        assert _dinsos("db", "upgrade", env=pemilik).returncode == 0
        hasil = _dinsos("db", "check", env=aplikasi)
        assert hasil.returncode == 0, hasil.stderr
    finally:
        with mesin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{nama}" WITH (FORCE)'))
        mesin.dispose()
