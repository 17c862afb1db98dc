"""Citus benchmark: one office's case list and the cross-office deadline sweep, one node vs the cluster.

The same ``dinsos demo generate`` data (offices x cases, seed 1) is generated into
a database on the single PostgreSQL (``BENCH_DATABASE_URL``) and into one on the
Citus cluster of deploy/citus.sh (``BENCH_CITUS_URL``, default its coordinator
on port 9700), distributed before the data goes in. On each, as the non-owner
role (row-level security on), it times ``daftar_kasus`` (the case list's own
service: one office's newest 25) and ``tenggat_jatuh_tempo`` (the sweep over
every office's due deadlines), and prints the medians and the ratio cluster /
one node. On one machine the cluster is not faster — every query pays a hop to
a worker — the point is that the list's cost is a router query to one shard
whatever the number of offices, while the sweep fans out to every shard.

    .venv/bin/python bench/citus.py                    # 8 offices, 4,000 cases
    .venv/bin/python bench/citus.py --kantor 4 --kasus 1000
"""
import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / d) for d in ("platform", "workers")]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import os  # noqa: E402

import _db  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

CITUS = os.environ.get("BENCH_CITUS_URL", "postgresql://postgres@127.0.0.1:9700/postgres")
NAMA = "dinsos_bench_citus"
ULANG = 15


def _url(admin: str, **ubah) -> str:
    u = make_url(admin.replace("postgres://", "postgresql://", 1)).set(drivername="postgresql+psycopg", **ubah)
    return u.render_as_string(hide_password=False)


def siapkan(admin: str, di_citus: bool, kantor: int, kasus: int, kunci: str):
    """A database with the demo data; returns the app connected as the non-owner role."""
    from flask_migrate import upgrade

    from dinsos import create_app
    from dinsos.core import citus
    from dinsos.demo.buat import buat_data_demo

    mesin = create_engine(_url(admin), isolation_level="AUTOCOMMIT")
    with mesin.connect() as c:
        if not c.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": _db.PERAN_APP}).scalar():
            c.execute(text(f"CREATE ROLE {_db.PERAN_APP} LOGIN NOSUPERUSER NOBYPASSRLS"))
        if not di_citus:
            c.execute(text(f'DROP DATABASE IF EXISTS "{NAMA}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{NAMA}"'))
    mesin.dispose()
    if di_citus:
        citus.buat_basis_data(_url(admin), NAMA)
    folder = tempfile.mkdtemp(prefix="dinsos-bench-")
    konfig = {"INSTANCE_PATH": folder, "SECRET_KEY": "bench", "REDIS_URL": None, "ENCRYPTION_KEYS": kunci,
              "DB_APP_ROLE": _db.PERAN_APP}
    pemilik = create_app({**konfig, "DATABASE_URL": _url(admin, database=NAMA)})
    with pemilik.app_context():
        upgrade()
    if di_citus:
        m = create_engine(_url(admin, database=NAMA))
        with m.begin() as c:
            citus.distribusikan(c)
        m.dispose()
    with pemilik.app_context():
        buat_data_demo(jumlah_kantor=kantor, jumlah_kasus=kasus, benih=1,
                       pada=datetime(2026, 6, 1, tzinfo=timezone.utc), kata_sandi="bench-sandi",
                       akar=Path(__file__).resolve().parents[1] / "tenants", proses=1, laporan=lambda t: None)
    m = create_engine(_url(admin, database=NAMA), isolation_level="AUTOCOMMIT")
    with m.connect() as c:
        c.execute(text("VACUUM ANALYZE"))
    m.dispose()
    return create_app({**konfig, "DATABASE_URL": _url(admin, database=NAMA, username=_db.PERAN_APP, password=None),
                       "MIGRATION_DATABASE_URL": _url(admin, database=NAMA)})


def ukur(fungsi) -> float:
    for _ in range(3):
        fungsi()
    waktu = []
    for _ in range(ULANG):
        mulai = time.perf_counter()
        fungsi()
        waktu.append(time.perf_counter() - mulai)
    return statistics.median(waktu)


def ukuran(app) -> dict[str, float]:
    from sqlalchemy import select

    from dinsos.cases.daftar import daftar_kasus
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant, lintas_tenant
    from dinsos.sla.services import tenggat_jatuh_tempo
    from dinsos.tenancy.models import Tenant

    with app.app_context():
        with lintas_tenant("bench", catat=False):
            kantor = db.session.scalar(select(Tenant.id).order_by(Tenant.id).limit(1))
        db.session.rollback()

        def daftar():
            with dalam_tenant(kantor):
                assert len(daftar_kasus()[0]) == 25
            db.session.rollback()

        def sapu():
            with lintas_tenant("bench", catat=False):
                tenggat_jatuh_tempo(datetime(2026, 6, 1, tzinfo=timezone.utc), 500)
            db.session.rollback()

        return {"case list (one office)": ukur(daftar), "deadline sweep (all offices)": ukur(sapu)}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kantor", type=int, default=8)
    p.add_argument("--kasus", type=int, default=4000)
    a = p.parse_args()
    kunci = Fernet.generate_key().decode()
    hasil = {}
    for nama, admin, di_citus in (("one node", _db.ADMIN, False), ("Citus (coordinator + workers)", CITUS, True)):
        mulai = time.perf_counter()
        app = siapkan(admin, di_citus, a.kantor, a.kasus, kunci)
        print(f"  {nama}: {a.kantor} offices, {a.kasus:,} cases generated in {time.perf_counter() - mulai:.0f}s", flush=True)
        hasil[nama] = ukuran(app)
    satu, klaster = hasil.values()
    print(f"\n{'':32} {'one node':>10} {'cluster':>10} {'cluster/one':>12}")
    for k in satu:
        print(f"{k:32} {satu[k] * 1000:>8.1f}ms {klaster[k] * 1000:>8.1f}ms {klaster[k] / satu[k]:>11.2f}x")


if __name__ == "__main__":
    main()
