"""Sweep benchmark: the cost of finding due deadlines follows the due items, not the open ones.

10,000 due deadlines among 100,000 and then among 1,000,000 open ones, spread
over 100 offices. Prints the sweep's selection (``tenggat_jatuh_tempo``: the ORM query
the sweep runs to find and lock its batch) in both cases, the same rows found by a raw indexed
SQL query in the same run, and the ratios. Target: the two sweep times within
1.2x of each other, and within 1.5x of the raw query.
"""
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / d) for d in ("platform", "workers")]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _db  # noqa: E402
from _selang import selang  # noqa: E402
from sqlalchemy import text  # noqa: E402

DUE = 10_000
KANTOR = 100
PADA = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)


def isi(app, total: int):
    from dinsos.core.db import db

    with app.app_context():
        # Crossing as the app crosses (a plain SET no longer opens it: docs/security.md), for this one transaction.
        db.session.execute(text("SELECT dinsos_ikat(:r, NULL, 'lintas')"), {"r": app.config["RAHASIA_IKATAN"]})
        db.session.execute(text("TRUNCATE tenggat CASCADE"))
        if not db.session.execute(text("SELECT count(*) FROM tenants")).scalar():
            db.session.execute(text(
                "INSERT INTO tenants (slug, nama, tingkat, kode_wilayah, zona_waktu, kanal_kontak, kepala_dinas, kop_surat,"
                " format_nomor, jam_kerja, hari_libur_daerah, hari_kerja_tambahan, aktif, dibuat_pada)"
                " SELECT 'kantor-' || i, 'Dinas Sosial ' || i, 'kota', '99.' || i, 'Asia/Jakarta', '[]', '{}', '{}', '{}', '{}',"
                " '[]', '[]', true, now() FROM generate_series(1, :n) i"), {"n": KANTOR})
        # Due rows have their next action in the past; the rest in the future (not yet due).
        db.session.execute(text(
            "INSERT INTO tenggat (tenant_id, id, dibuat_pada, objek_jenis, objek_id, judul, durasi, waktu_kalender, berulang,"
            " putaran, mulai_pada, warn_at, due_at, eskalasi_at, aksi_berikutnya_pada)"
            " SELECT t.id, gen_random_uuid(), now(), 'langkah_kasus', i::text, 'Langkah ' || i, '1 hari', false, false, 1,"
            "   :pada - interval '2 days', w, w + interval '2 hours', w + interval '1 day', w"
            " FROM generate_series(1, :total) i"
            " JOIN tenants t ON t.id = 1 + (i % :kantor)"
            " CROSS JOIN LATERAL (SELECT CASE WHEN i <= :due THEN :pada - (i || ' seconds')::interval"
            "                                 ELSE :pada + (i || ' seconds')::interval END AS w) x"),
            {"total": total, "due": DUE, "kantor": KANTOR, "pada": PADA})
        db.session.commit()
    with app.app_context():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE tenggat"))


def _semua_jatuh_tempo(n: int) -> int:
    """Every run, timed or not, must find exactly the due deadlines."""
    assert n == DUE, n
    return n


def sapu_orm(app):
    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant
    from dinsos.sla.services import tenggat_jatuh_tempo

    with app.app_context():
        with lintas_tenant("bench", catat=False):
            n = len(tenggat_jatuh_tempo(PADA, DUE + 1))
        db.session.rollback()
    return n


def sql_mentah(app):
    from dinsos.core.db import db

    with app.app_context():
        with db.engine.connect() as c:
            rows = c.execute(text(
                "SELECT tenant_id, id FROM tenggat WHERE aksi_berikutnya_pada <= :p ORDER BY aksi_berikutnya_pada LIMIT :n FOR UPDATE SKIP LOCKED"),
                {"p": PADA, "n": DUE + 1}).all()
            c.rollback()
    return len(rows)


def main():
    app = _db.siapkan()
    hasil = {}
    for total in (100_000, 1_000_000):
        mulai = time.perf_counter()
        isi(app, total)
        print(f"  {total:>9,} open deadlines inserted in {time.perf_counter() - mulai:.1f}s", flush=True)
        hasil[total] = selang({"orm": lambda: _semua_jatuh_tempo(sapu_orm(app)),
                               "mentah": lambda: _semua_jatuh_tempo(sql_mentah(app))})
    print()
    print(f"{'open':>10} {'due':>7} {'sweep (ORM)':>12} {'raw SQL':>9} {'sweep/raw':>10} {'per round (min-max)':>20}")
    for total, h in hasil.items():
        orm, mentah, (r_min, _r, r_max) = h["orm"][0], h["mentah"][0], h["_rasio"]["mentah"]
        print(f"{total:>10,} {DUE:>7,} {orm:>10.1f}ms {mentah:>7.1f}ms {orm / mentah:>9.2f}x {r_min:>13.2f}-{r_max:.2f}x")
    kecil, besar = hasil[100_000]["orm"][0], hasil[1_000_000]["orm"][0]
    print(f"\nsweep at 1,000,000 / sweep at 100,000: {besar / kecil:.2f}x (target <= 1.2x)")
    print(f"worst sweep/raw: {max(h['orm'][0] / h['mentah'][0] for h in hasil.values()):.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
