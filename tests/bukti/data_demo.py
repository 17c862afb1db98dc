"""One demo dataset for the tests of the generator's clocks and referrals.

Generated into a SQLite file once per test session (``conftest.py``); each
test that changes it works on its own copy. Reference time: Friday
20 November 2026, 10:00 WIB.
"""
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
PADA = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
SANDI = "sandi-demo-uji-1"
KUNCI = Fernet.generate_key().decode()
BENIH = 7
# The columns of a clock that the live engine computes (its id, creation time and office aside).
KOLOM_JAM = ("objek_jenis", "objek_id", "judul", "tautan", "penanggung_jawab_id", "durasi", "waktu_kalender", "berulang",
             "putaran", "mulai_pada", "warn_at", "due_at", "eskalasi_at", "aksi_berikutnya_pada", "dijeda_pada", "sisa_menit",
             "sisa_menit_peringatan", "selesai_pada", "dihentikan", "induk_id", "layanan_id", "langkah_kode", "menit_standar",
             "menit_aktual")


def aplikasi(folder: Path, baru: bool):
    """The app on ``folder/demo.sqlite``; ``baru`` migrates an empty database first."""
    from flask_migrate import upgrade

    from dinsos import create_app

    app = create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "uji", "REDIS_URL": None, "TESTING": True,
                      "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}", "ENCRYPTION_KEYS": KUNCI})
    if baru:
        with app.app_context():
            upgrade()
    return app


def hasilkan(folder: Path):
    """Generate the dataset (4 offices, 1,200 cases, seed 7) into a new folder; returns (app, summary)."""
    from dinsos.core.db import db
    from dinsos.demo.buat import buat_data_demo

    folder.mkdir(parents=True)
    app = aplikasi(folder, baru=True)
    with app.app_context():
        hasil = buat_data_demo(jumlah_kantor=4, jumlah_kasus=1200, benih=BENIH, pada=PADA, kata_sandi=SANDI,
                               akar=ROOT / "tenants")
        db.engine.dispose()
    return app, hasil


def kolom_jam(t) -> dict:
    """The engine-computed columns of a clock."""
    return {k: getattr(t, k) for k in KOLOM_JAM}


@contextmanager
def di_kantor(tid):
    """Bound to one office; the block's changes are committed while still bound (a flush outside is refused)."""
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant

    with dalam_tenant(tid):
        yield
        db.session.commit()


@contextmanager
def lintas():
    """Across offices (declared, not audited: a test), committing before the crossing ends."""
    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant

    with lintas_tenant("uji", catat=False):
        yield
        db.session.commit()


def sapu_sampai(sampai, **kolom):
    """Run the real sweep at each threshold, up to ``sampai``, of the clocks matching ``kolom``
    (e.g. ``objek_id=...``), as the scheduler would have."""
    from sqlalchemy import select

    from dinsos.core.db import db
    from dinsos.sla.models import Tenggat
    from dinsos.sla.services import sapu_tenggat

    while True:
        with lintas():
            saat = db.session.scalar(select(Tenggat.aksi_berikutnya_pada).filter_by(**kolom)
                                     .where(Tenggat.aksi_berikutnya_pada <= sampai).order_by(Tenggat.aksi_berikutnya_pada))
        if saat is None:
            return
        sapu_tenggat(pada=saat)
