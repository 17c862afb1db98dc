"""Recap benchmark: one office's yearly recap and a province's, against the same aggregation in hand-written SQL.

On ``dinsos demo generate`` data (kept in ``dinsos_beban_<cases>``, see
``_db.data_demo``), as the non-owner role (row-level security on). For each
recap it times the platform's function (``rekap_kantor``, ``rekap_provinsi``:
the SQL SQLAlchemy builds, tenant scoping, the table with its totals and, for
the province, small-cell suppression and the audited crossing) and, in the
same process on the same connection settings, a hand-written SQL statement
computing the same counts with plain psycopg from the cases, and another
summing the per-office, per-day summary (``ringkasan_rekap``, migration
0020), run in turn round after round (``_selang``), then prints the medians, the platform's
ratio to each and the spread of that ratio over the rounds. The three
must agree on every count. It also prints the plan of the office's summary
statement, to show it reads the summary's primary key (tenant, day) range.

    .venv/bin/python bench/laporan.py                 # 100 offices, 1,000,000 cases (built once: 20-40 min)
    .venv/bin/python bench/laporan.py --skala 0.1     # 10 offices, 100,000 cases (same cases per office)
"""
import argparse
import sys
from datetime import date, datetime, timezone
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / d) for d in ("platform", "workers")]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _db  # noqa: E402
import psycopg  # noqa: E402
from _selang import selang  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

ULANG = 7

# The hand-written baselines: the same counts the platform's recaps compute.
SQL_KATEGORI_JK = """
SELECT coalesce(kl.kategori_ppks, 0), coalesce(kl.jenis_kelamin, '~'), count(*)
FROM kasus k JOIN klien kl ON kl.tenant_id = k.tenant_id AND kl.id = k.klien_id
WHERE k.tenant_id IN ({ids}) AND k.diterima_pada >= %(awal)s AND k.diterima_pada < %(akhir)s
GROUP BY 1, 2
"""
SQL_UMUR_TEPAT = """
WITH s AS (
  SELECT to_char(timezone('Asia/Jakarta', k.diterima_pada), 'YYYYMMDD')::int AS hari, kl.tanggal_lahir, kl.umur_perkiraan,
         kl.umur_perkiraan_pada, t.id AS tid, t.dihentikan, t.selesai_pada, t.due_at, t.dijeda_pada
  FROM kasus k JOIN klien kl ON kl.tenant_id = k.tenant_id AND kl.id = k.klien_id
  LEFT JOIN tenggat t ON t.tenant_id = k.tenant_id AND t.induk_id = k.id AND t.objek_jenis = 'kasus'
  WHERE k.tenant_id IN ({ids}) AND k.diterima_pada >= %(awal)s AND k.diterima_pada < %(akhir)s
), u AS (
  SELECT CASE WHEN tanggal_lahir IS NOT NULL THEN (hari - to_char(tanggal_lahir, 'YYYYMMDD')::int) / 10000
              WHEN umur_perkiraan_pada IS NOT NULL THEN umur_perkiraan + (hari - to_char(umur_perkiraan_pada, 'YYYYMMDD')::int) / 10000
              ELSE umur_perkiraan END AS umur, *
  FROM s
)
SELECT CASE WHEN umur IS NULL THEN '~' WHEN umur < 18 THEN 'anak' WHEN umur < 60 THEN 'dewasa' ELSE 'lansia' END,
       CASE WHEN tid IS NULL OR dihentikan THEN 'tanpa_batas'
            WHEN selesai_pada IS NOT NULL THEN CASE WHEN selesai_pada <= due_at THEN 'tepat' ELSE 'terlambat' END
            WHEN dijeda_pada IS NULL AND due_at < %(pada)s THEN 'lewat' ELSE 'berjalan' END,
       count(*)
FROM u GROUP BY 1, 2
"""

# The same counts summed from the per-office, per-day summary (migration 0020), as a person would write them.
SQL_RINGKASAN_KATEGORI_JK = """
SELECT kategori, jenis_kelamin, sum(jumlah)
FROM ringkasan_rekap WHERE tenant_id IN ({ids}) AND hari BETWEEN %(dari)s AND %(sampai)s
GROUP BY 1, 2
"""
SQL_RINGKASAN_UMUR_TEPAT = """
SELECT kelompok_umur, CASE WHEN ketepatan = 'jalan' THEN CASE WHEN batas < %(pada)s THEN 'lewat' ELSE 'berjalan' END
                           ELSE ketepatan END, sum(jumlah)
FROM ringkasan_rekap WHERE tenant_id IN ({ids}) AND hari BETWEEN %(dari)s AND %(sampai)s
GROUP BY 1, 2
"""


def _sebaran(h: dict, dasar: str) -> str:
    r_min, _r, r_max = h["_rasio"][dasar]
    return f"{r_min:.2f}-{r_max:.2f}x"


def _psycopg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _baseline(conn, rahasia: str, sql: str, ids: list[int], periode, pada, lintas: bool):
    def jalan():
        with conn.transaction():
            # Bound as the app binds (a plain set_config binds nothing since migration 0019).
            conn.execute("SELECT dinsos_ikat(%s, %s, %s)", (rahasia, None if lintas else ids[0], "lintas" if lintas else ""))
            teks = sql.replace("{ids}", ", ".join(str(int(i)) for i in ids))  # integers: spliced as a person writing it would
            nilai = {"awal": periode.awal, "akhir": periode.akhir, "dari": periode.dari, "sampai": periode.sampai, "pada": pada}
            return {tuple(r[:-1]): r[-1] for r in conn.execute(teks, nilai)}
    return jalan


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--skala", type=float, default=1.0, help="1.0: 100 offices, 1,000,000 cases; 0.1: 10 offices, 100,000")
    p.add_argument("--bangun-ulang", action="store_true", help="rebuild the data even if a matching database exists")
    a = p.parse_args()
    kantor_n, kasus_n = max(3, round(100 * a.skala)), round(1_000_000 * a.skala)
    data = _db.data_demo(kantor_n, kasus_n, bangun_ulang=a.bangun_ulang)

    import tempfile

    from dinsos import create_app
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant, lintas_tenant
    from dinsos.laporan.lintas import kantor_provinsi, rekap_provinsi
    from dinsos.laporan.periode import baca_periode
    from dinsos.laporan.rekap import rekap_kantor
    from dinsos.tenancy.models import Tenant

    app = create_app({"INSTANCE_PATH": tempfile.mkdtemp(prefix="dinsos-bench-"), "SECRET_KEY": "bench", "REDIS_URL": None,
                      "DATABASE_URL": data["url_app"], "ENCRYPTION_KEYS": data["kunci"]})
    pada = datetime.now(timezone.utc)
    with app.app_context():
        with lintas_tenant("bench: memilih kantor", catat=False):
            per_kantor = dict(db.session.execute(text(
                "SELECT tenant_id, count(*) FROM kasus GROUP BY tenant_id")).all())
            tahun = db.session.execute(text(
                "SELECT extract(year FROM diterima_pada)::int, count(*) FROM kasus GROUP BY 1 ORDER BY 2 DESC LIMIT 1")).first()[0]
            provinsi = db.session.scalars(db.select(Tenant).where(Tenant.tingkat == "provinsi")).all()
            provinsi = max(provinsi, key=lambda t: sum(per_kantor.get(k.id, 0) for k in kantor_provinsi(t)))
            wilayah = [t.id for t in kantor_provinsi(provinsi)]
            kantor = max((t for t in wilayah if t != provinsi.id), key=lambda t: per_kantor.get(t, 0))
        periode = baca_periode({"periode": "tahun", "tahun": str(tahun)}, "Asia/Jakarta", date(tahun, 12, 31))
        with dalam_tenant(kantor):
            n_kantor = db.session.execute(text(
                "SELECT count(*) FROM kasus WHERE tenant_id = :t AND diterima_pada >= :a AND diterima_pada < :b"),
                {"t": kantor, "a": periode.awal, "b": periode.akhir}).scalar()
            db.session.rollback()
        print(f"data: {sum(per_kantor.values()):,} cases over {len(per_kantor)} offices; year {tahun}; "
              f"office {kantor}: {n_kantor:,} cases that year; province {provinsi.nama}: {len(wilayah)} offices, "
              f"{sum(per_kantor.get(t, 0) for t in wilayah):,} cases in all")

        def kantor_rekap(baris, kolom):
            def jalan():
                with dalam_tenant(kantor):
                    t = rekap_kantor(periode, baris, kolom, pada)
                    db.session.rollback()
                    return t
            return jalan

        def provinsi_rekap(baris, kolom):
            def jalan():
                with dalam_tenant(provinsi.id):
                    t = rekap_provinsi(db.session.get(Tenant, provinsi.id), periode, baris, kolom, pada)
                    db.session.rollback()  # the crossing's audit row: a benchmark records nothing
                    return t
            return jalan

        rahasia = app.config["RAHASIA_IKATAN"]
        with psycopg.connect(_psycopg_url(data["url_app"])) as conn:
            kasus_sql = [
                ("office, kategori x jenis kelamin", kantor_rekap("kategori", "jenis_kelamin"), SQL_KATEGORI_JK,
                 SQL_RINGKASAN_KATEGORI_JK, [kantor], False),
                ("office, kelompok umur x ketepatan", kantor_rekap("kelompok_umur", "ketepatan"), SQL_UMUR_TEPAT,
                 SQL_RINGKASAN_UMUR_TEPAT, [kantor], False),
                ("province, kategori x kantor", provinsi_rekap("kategori", "kantor"), SQL_KATEGORI_JK,
                 SQL_RINGKASAN_KATEGORI_JK, wilayah, True),
                ("province, kelompok umur x ketepatan", provinsi_rekap("kelompok_umur", "ketepatan"), SQL_UMUR_TEPAT,
                 SQL_RINGKASAN_UMUR_TEPAT, wilayah, True),
            ]
            print(f"\n{'yearly recap':38} {'platform ms':>11} {'SQL cases':>10} {'ratio':>7} {'SQL summary':>12} {'ratio':>7}   total")
            for nama, fungsi, sql, sql_ringkas, ids, lintas in kasus_sql:
                h = selang({"platform": fungsi, "sql": _baseline(conn, rahasia, sql, ids, periode, pada, lintas),
                            "ringkasan": _baseline(conn, rahasia, sql_ringkas, ids, periode, pada, lintas)}, ulang=ULANG)
                (ms, tabel), (ms_sql, baris), (ms_r, baris_r) = h["platform"], h["sql"], h["ringkasan"]
                # The summary holds exactly the cases' counts, here at scale too.
                assert tabel.total == sum(baris.values()) == sum(baris_r.values()), (nama, tabel.total, sum(baris.values()))
                assert {k: v for k, v in baris.items() if v} == {k: int(v) for k, v in baris_r.items() if v}, nama
                print(f"{nama:38} {ms:11.1f} {ms_sql:10.1f} {ms / ms_sql:6.2f}x {ms_r:12.1f} {ms / ms_r:6.2f}x   {tabel.total:,}"
                      f"   (per round {_sebaran(h, 'sql')}, {_sebaran(h, 'ringkasan')})")
            with conn.transaction():
                conn.execute("SELECT dinsos_ikat(%s, %s, '')", (rahasia, kantor))
                plan = [r[0] for r in conn.execute(
                    "EXPLAIN " + SQL_RINGKASAN_KATEGORI_JK.replace("{ids}", str(int(kantor))),
                    {"dari": periode.dari, "sampai": periode.sampai})]
        print("\nplan of the office's summary statement:")
        print("\n".join("  " + baris for baris in plan))


if __name__ == "__main__":
    main()
