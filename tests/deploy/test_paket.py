"""The installed package works anywhere, as the image runs it: no checkout, nothing writable but a scratch database.

The wheel is built from the sources alone (``pip wheel --no-deps``) and
installed, not in editable mode, into a fresh venv in a temporary folder.
Then ``dinsos --help``, ``dinsos db upgrade`` and ``dinsos db check`` run in
production mode (Redis configured, secrets from the environment) with the venv,
HOME and the working directory (outside the checkout) read-only, as the image's
code is to uid 10001: Flask's default instance folder inside the venv cannot be
created, and the migrations must come from the installed package, not from a
folder beside a source file. Read-only holds for root too (CI runs as root):
the folders are made immutable (``chattr +i``), which root cannot write through.
"""
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
MIGRASI = ROOT / "platform" / "dinsos" / "migrations"
WAJIB = os.environ.get("DINSOS_TEST_REQUIRE_SERVICES") == "1"
pytestmark = pytest.mark.slow


def _jalankan(perintah, **kw) -> subprocess.CompletedProcess:
    hasil = subprocess.run(perintah, capture_output=True, text=True, timeout=600, **kw)
    assert hasil.returncode == 0, f"{perintah}: {hasil.stdout[-2000:]}\n{hasil.stderr[-4000:]}"
    return hasil


@pytest.fixture(scope="module")
def terpasang():
    """(base folder, venv) with the wheel installed; the dependencies come from this test run's environment."""
    base = Path(tempfile.mkdtemp(prefix="dinsos-paket-"))
    base.chmod(0o755)
    try:
        sumber = base / "sumber"
        sumber.mkdir()
        for nama in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / nama, sumber / nama)
        for nama in ("platform", "workers"):
            shutil.copytree(ROOT / nama, sumber / nama, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        _jalankan([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(base / "roda"), str(sumber)])
        [roda] = (base / "roda").glob("dinsos-*.whl")

        venv = base / "venv"
        _jalankan([sys.executable, "-m", "venv", "--without-pip", str(venv)])
        python = venv / "bin" / "python"
        situs = Path(_jalankan([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
        # The dependencies (not dinsos: a .pth line adds a folder, it runs none of the .pth files in it, so the
        # editable install of this checkout stays out) are this environment's, to spare a download of them all.
        (situs / "dependensi_uji.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        _jalankan([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", str(roda)])
        shutil.rmtree(sumber)
        yield base, venv
    finally:
        subprocess.run(["chattr", "-i", *(akar for akar, _, _ in os.walk(base))], capture_output=True)
        for akar, folder, _ in os.walk(base):
            for f in folder:
                (Path(akar) / f).chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def _baca_saja(*folder: Path) -> None:
    """Nothing may be created in these folders (and under them), not even by root."""
    semua = [akar for f in folder for akar, _, _ in os.walk(f)]  # folders only; os.walk does not follow symlinks
    for nama in semua:
        os.chmod(nama, 0o555)
    if os.geteuid() == 0:
        hasil = subprocess.run(["chattr", "+i", *semua], capture_output=True, text=True)
        if hasil.returncode != 0:
            alasan = f"cannot make folders read-only for root here (chattr: {hasil.stderr.strip()})"
            pytest.fail(alasan) if WAJIB else pytest.skip(alasan)


def _dinsos(venv: Path, base: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    """``dinsos <args>`` from the installed venv, in a read-only folder outside the checkout."""
    lingkungan = {k: v for k, v in os.environ.items()
                  if not k.startswith(("DINSOS_", "DATABASE_URL", "REDIS_URL", "PYTHON", "FLASK_", "VIRTUAL_ENV"))}
    lingkungan.update(PATH=f"{venv / 'bin'}:/usr/bin:/bin", PYTHONDONTWRITEBYTECODE="1", **env)
    return subprocess.run([str(venv / "bin" / "dinsos"), *args], cwd=base / "kerja", env=lingkungan,
                          capture_output=True, text=True, timeout=300)


def test_the_installed_wheel_migrates_and_starts_with_nothing_writable_but_its_database(terpasang):
    base, venv = terpasang
    rumah, kerja, db = base / "rumah", base / "kerja", base / "db"
    for f in (rumah, kerja, db):
        f.mkdir()
    _baca_saja(venv, rumah, kerja)  # the scratch database's folder is the one place the process may write
    env = {
        "HOME": str(rumah),
        "DATABASE_URL": f"sqlite:///{db / 'dinsos.sqlite'}",
        "REDIS_URL": "redis://127.0.0.1:1/0",  # production mode; neither command may need Redis to answer
        "DINSOS_SECRET_KEY": "rahasia-uji-paket",
        "DINSOS_ENCRYPTION_KEYS": "3rVq3cR3o8m0XWzL4dZ1dOxr4l2Nq6jK7pR0sT8uV9w=",
    }

    bantuan = _dinsos(venv, base, "--help", env=env)
    assert bantuan.returncode == 0, bantuan.stderr
    assert "db" in bantuan.stdout and "tenants" in bantuan.stdout, bantuan.stdout + bantuan.stderr

    naik = _dinsos(venv, base, "db", "upgrade", env=env)
    assert naik.returncode == 0, naik.stdout + naik.stderr
    head = ScriptDirectory(str(MIGRASI)).get_current_head()
    mesin = create_engine(env["DATABASE_URL"])
    with mesin.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    mesin.dispose()

    assert _dinsos(venv, base, "db", "check", env=env).returncode == 0
    # Nothing was written anywhere else: no instance folder in the venv, nothing in HOME or the working directory.
    assert not list(venv.glob("var/*")), list(venv.glob("var/*"))
    assert not list(rumah.iterdir()) and not list(kerja.iterdir())
    assert sorted(p.name for p in db.iterdir()) == ["dinsos.sqlite"]


def test_the_wheel_carries_the_migrations_and_no_source_checkout_paths(terpasang):
    base, venv = terpasang
    [situs] = venv.glob("lib/python3*/site-packages")
    versi = sorted(p.name for p in (situs / "dinsos" / "migrations" / "versions").glob("*.py"))
    assert versi == sorted(p.name for p in (MIGRASI / "versions").glob("*.py"))
    for berkas in ("env.py", "alembic.ini", "script.py.mako"):
        assert (situs / "dinsos" / "migrations" / berkas).is_file(), berkas
    assert not (situs / "migrations").exists()  # no top-level package of that generic name
