"""Recap summary: cases counted per office, local day and every recap dimension, kept current by triggers

``ringkasan_rekap`` holds, per office and day of receipt (in the office's
zone), how many cases have each combination of the recap's dimensions
(``dinsos.laporan.dimensi``): PPKS category, service, the client's region
code, sex, age group, outcome, and the state of the case's time-limit clock.
A recap then sums a few rows per office-day instead of joining every case of
the period to its client and clock and computing ages (issue 17, item 5).

What a case contributes is computed in one place, the view
``ringkasan_rekap_sumber`` (one row per case). Row triggers on ``kasus``,
``klien`` and ``tenggat`` (a case's own clock) keep the table current in the
writing transaction: a BEFORE trigger takes the affected cases' rows out as
they are, an AFTER trigger puts them back as they became, so any change made
anyhow (ORM, bulk COPY, psql) moves the counts with it, and deleting a row
twice (a cascade) takes nothing out twice. Whether a running clock is past
its due time depends on when the recap is read, so for an unpaused running
clock the row keeps ``batas`` (the due instant) and the reader decides.
Changing an office's zone rebuilds its rows (as the owner: the platform's
scope may edit an office's row without seeing its cases). TRUNCATE of a source table
rebuilds what the binding sees.

PostgreSQL only: on embedded SQLite the table exists, stays empty, and
recaps count the base tables as before (there is no time-zone database in
SQLite to place a case on its office's day).

Revision ID: 0021_ringkasan_rekap
Revises: 0020_kop_asal (0020_kop_asal.py)
"""
import sqlalchemy as sa
from alembic import op

import dinsos.core.db
from dinsos.core.rls import aktifkan_rls, lintas_migrasi

revision = '0021_ringkasan_rekap'
down_revision = '0020_kop_asal'
branch_labels = None
depends_on = None

KUNCI = "tenant_id, hari, kategori, layanan_id, wilayah, jenis_kelamin, kelompok_umur, hasil, ketepatan, batas"
KUNCI_SAMA = " AND ".join(f"r.{k} = b.{k}" for k in KUNCI.split(", "))

# The columns each source table's triggers care about: anything else changes no count.
KOLOM_KASUS = ("tenant_id", "klien_id", "layanan_id", "diterima_pada", "status", "hasil_akhir")
KOLOM_KLIEN = ("kategori_ppks", "kode_wilayah", "kode_wilayah_nik", "jenis_kelamin", "tanggal_lahir", "umur_perkiraan",
               "umur_perkiraan_pada")
KOLOM_TENGGAT = ("objek_jenis", "induk_id", "dihentikan", "selesai_pada", "due_at", "dijeda_pada")


def _berubah(kolom) -> str:
    return " OR ".join(f"OLD.{k} IS DISTINCT FROM NEW.{k}" for k in kolom)


# One row per case: the dimensions as dinsos.laporan.dimensi computes them, in the office's own zone.
SUMBER = """
CREATE VIEW ringkasan_rekap_sumber WITH (security_invoker = true) AS
SELECT k.tenant_id, k.id AS kasus_id, (timezone(tn.zona_waktu, k.diterima_pada))::date AS hari,
       coalesce(kl.kategori_ppks, 0) AS kategori,
       k.layanan_id,
       coalesce(kl.kode_wilayah, kl.kode_wilayah_nik, '')::varchar(20) AS wilayah,
       coalesce(kl.jenis_kelamin, '~')::varchar(1) AS jenis_kelamin,
       (CASE WHEN u.umur IS NULL THEN '~' WHEN u.umur < 18 THEN 'anak' WHEN u.umur < 60 THEN 'dewasa'
             ELSE 'lansia' END)::varchar(6) AS kelompok_umur,
       (CASE WHEN k.status = 'ditutup' THEN coalesce(k.hasil_akhir, 'ditutup') ELSE '~' || k.status END)::varchar(81) AS hasil,
       (CASE WHEN t.id IS NULL OR t.dihentikan THEN 'tanpa_batas'
             WHEN t.selesai_pada IS NOT NULL THEN CASE WHEN t.selesai_pada <= t.due_at THEN 'tepat' ELSE 'terlambat' END
             WHEN t.dijeda_pada IS NULL THEN 'jalan'
             ELSE 'berjalan' END)::varchar(12) AS ketepatan,
       CASE WHEN t.id IS NOT NULL AND NOT t.dihentikan AND t.selesai_pada IS NULL AND t.dijeda_pada IS NULL THEN t.due_at
            ELSE timestamptz '1970-01-01 00:00:00+00' END AS batas
  FROM kasus k
  JOIN tenants tn ON tn.id = k.tenant_id
  JOIN klien kl ON kl.tenant_id = k.tenant_id AND kl.id = k.klien_id
  LEFT JOIN tenggat t ON t.tenant_id = k.tenant_id AND t.induk_id = k.id AND t.objek_jenis = 'kasus'
  CROSS JOIN LATERAL (SELECT to_char(timezone(tn.zona_waktu, k.diterima_pada), 'YYYYMMDD')::int AS h) d
  CROSS JOIN LATERAL (SELECT CASE
         WHEN kl.tanggal_lahir IS NOT NULL THEN (d.h - to_char(kl.tanggal_lahir, 'YYYYMMDD')::int) / 10000
         WHEN kl.umur_perkiraan IS NOT NULL AND kl.umur_perkiraan_pada IS NOT NULL
           THEN kl.umur_perkiraan + (d.h - to_char(kl.umur_perkiraan_pada, 'YYYYMMDD')::int) / 10000
         ELSE kl.umur_perkiraan END AS umur) u
"""

FUNGSI = [
    # Add (+1) or take out (-1) what the given cases contribute now; rows that reach zero go.
    f"""
    CREATE FUNCTION ringkasan_rekap_ubah(p_tanda integer, p_tenant integer, p_kasus uuid[]) RETURNS void AS $$
    DECLARE
      b record;
    BEGIN
      FOR b IN
        INSERT INTO ringkasan_rekap AS r ({KUNCI}, jumlah)
        SELECT {KUNCI}, count(*) * p_tanda FROM ringkasan_rekap_sumber
         WHERE tenant_id = p_tenant AND kasus_id = ANY (p_kasus)
         GROUP BY {KUNCI}
        ON CONFLICT ({KUNCI}) DO UPDATE SET jumlah = r.jumlah + EXCLUDED.jumlah
        RETURNING {KUNCI}, jumlah
      LOOP
        IF b.jumlah = 0 THEN
          DELETE FROM ringkasan_rekap r WHERE {KUNCI_SAMA};
        END IF;
      END LOOP;
    END;
    $$ LANGUAGE plpgsql
    """,
    # Rebuild an office's rows (NULL: every office the binding sees), e.g. after its zone changed.
    f"""
    CREATE FUNCTION ringkasan_rekap_bangun(p_tenant integer) RETURNS void AS $$
    BEGIN
      DELETE FROM ringkasan_rekap WHERE p_tenant IS NULL OR tenant_id = p_tenant;
      INSERT INTO ringkasan_rekap ({KUNCI}, jumlah)
      SELECT {KUNCI}, count(*) FROM ringkasan_rekap_sumber WHERE p_tenant IS NULL OR tenant_id = p_tenant
       GROUP BY {KUNCI};
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE FUNCTION ringkasan_rekap_kasus() RETURNS trigger AS $$
    BEGIN
      IF TG_WHEN = 'BEFORE' THEN
        PERFORM ringkasan_rekap_ubah(-1, OLD.tenant_id, ARRAY[OLD.id]);
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END IF;
      PERFORM ringkasan_rekap_ubah(1, NEW.tenant_id, ARRAY[NEW.id]);
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE FUNCTION ringkasan_rekap_klien() RETURNS trigger AS $$
    BEGIN
      IF TG_WHEN = 'BEFORE' THEN
        PERFORM ringkasan_rekap_ubah(-1, OLD.tenant_id,
          ARRAY(SELECT k.id FROM kasus k WHERE k.tenant_id = OLD.tenant_id AND k.klien_id = OLD.id));
      ELSE
        PERFORM ringkasan_rekap_ubah(1, NEW.tenant_id,
          ARRAY(SELECT k.id FROM kasus k WHERE k.tenant_id = NEW.tenant_id AND k.klien_id = NEW.id));
      END IF;
      RETURN CASE WHEN TG_WHEN = 'AFTER' THEN NULL WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END;
    $$ LANGUAGE plpgsql
    """,
    # A case's clock: INSERT and DELETE too take the case out before and put it back after.
    """
    CREATE FUNCTION ringkasan_rekap_tenggat() RETURNS trigger AS $$
    DECLARE
      tanda integer := CASE WHEN TG_WHEN = 'BEFORE' THEN -1 ELSE 1 END;
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.objek_jenis = 'kasus' AND OLD.induk_id IS NOT NULL THEN
        PERFORM ringkasan_rekap_ubah(tanda, OLD.tenant_id, ARRAY[OLD.induk_id]);
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.objek_jenis = 'kasus' AND NEW.induk_id IS NOT NULL
         AND (TG_OP = 'INSERT' OR (OLD.tenant_id, OLD.induk_id, OLD.objek_jenis)
                                  IS DISTINCT FROM (NEW.tenant_id, NEW.induk_id, NEW.objek_jenis)) THEN
        PERFORM ringkasan_rekap_ubah(tanda, NEW.tenant_id, ARRAY[NEW.induk_id]);
      END IF;
      RETURN CASE WHEN TG_WHEN = 'AFTER' THEN NULL WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END;
    $$ LANGUAGE plpgsql
    """,
    # The office's day moves with its zone. Whoever may edit the office's row (the platform's scope too, which
    # sees none of its cases) rebuilds its summary: as the owner, crossing for this call only, then the caller's
    # binding back as it was. It writes derived counts and returns nothing.
    """
    CREATE FUNCTION ringkasan_rekap_zona() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
      t text := current_setting('app.tenant_id', true);
      l text := current_setting('app.lingkup', true);
      s text := current_setting('app.segel', true);
    BEGIN
      PERFORM dinsos_ikat_pemilik();
      PERFORM ringkasan_rekap_bangun(NEW.id);
      PERFORM set_config('app.tenant_id', coalesce(t, ''), true), set_config('app.lingkup', coalesce(l, ''), true),
              set_config('app.segel', coalesce(s, ''), true);
      RETURN NULL;
    END;
    $$
    """,
    """
    CREATE FUNCTION ringkasan_rekap_kosongkan() RETURNS trigger AS $$
    BEGIN
      PERFORM ringkasan_rekap_bangun(NULL);
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
]

PEMICU = [
    "CREATE TRIGGER ringkasan_rekap_tambah AFTER INSERT ON kasus FOR EACH ROW EXECUTE FUNCTION ringkasan_rekap_kasus()",
    f"CREATE TRIGGER ringkasan_rekap_keluar BEFORE UPDATE ON kasus FOR EACH ROW WHEN ({_berubah(KOLOM_KASUS)}) "
    "EXECUTE FUNCTION ringkasan_rekap_kasus()",
    f"CREATE TRIGGER ringkasan_rekap_masuk AFTER UPDATE ON kasus FOR EACH ROW WHEN ({_berubah(KOLOM_KASUS)}) "
    "EXECUTE FUNCTION ringkasan_rekap_kasus()",
    "CREATE TRIGGER ringkasan_rekap_hapus BEFORE DELETE ON kasus FOR EACH ROW EXECUTE FUNCTION ringkasan_rekap_kasus()",
    f"CREATE TRIGGER ringkasan_rekap_keluar BEFORE UPDATE ON klien FOR EACH ROW WHEN ({_berubah(KOLOM_KLIEN)}) "
    "EXECUTE FUNCTION ringkasan_rekap_klien()",
    f"CREATE TRIGGER ringkasan_rekap_masuk AFTER UPDATE ON klien FOR EACH ROW WHEN ({_berubah(KOLOM_KLIEN)}) "
    "EXECUTE FUNCTION ringkasan_rekap_klien()",
    "CREATE TRIGGER ringkasan_rekap_hapus BEFORE DELETE ON klien FOR EACH ROW EXECUTE FUNCTION ringkasan_rekap_klien()",
    "CREATE TRIGGER ringkasan_rekap_tambah_keluar BEFORE INSERT ON tenggat FOR EACH ROW WHEN (NEW.objek_jenis = 'kasus') "
    "EXECUTE FUNCTION ringkasan_rekap_tenggat()",
    "CREATE TRIGGER ringkasan_rekap_tambah_masuk AFTER INSERT ON tenggat FOR EACH ROW WHEN (NEW.objek_jenis = 'kasus') "
    "EXECUTE FUNCTION ringkasan_rekap_tenggat()",
    "CREATE TRIGGER ringkasan_rekap_hapus_keluar BEFORE DELETE ON tenggat FOR EACH ROW WHEN (OLD.objek_jenis = 'kasus') "
    "EXECUTE FUNCTION ringkasan_rekap_tenggat()",
    "CREATE TRIGGER ringkasan_rekap_hapus_masuk AFTER DELETE ON tenggat FOR EACH ROW WHEN (OLD.objek_jenis = 'kasus') "
    "EXECUTE FUNCTION ringkasan_rekap_tenggat()",
    f"CREATE TRIGGER ringkasan_rekap_ubah_keluar BEFORE UPDATE ON tenggat FOR EACH ROW "
    f"WHEN ((OLD.objek_jenis = 'kasus' OR NEW.objek_jenis = 'kasus') AND ({_berubah(KOLOM_TENGGAT)})) "
    "EXECUTE FUNCTION ringkasan_rekap_tenggat()",
    f"CREATE TRIGGER ringkasan_rekap_ubah_masuk AFTER UPDATE ON tenggat FOR EACH ROW "
    f"WHEN ((OLD.objek_jenis = 'kasus' OR NEW.objek_jenis = 'kasus') AND ({_berubah(KOLOM_TENGGAT)})) "
    "EXECUTE FUNCTION ringkasan_rekap_tenggat()",
    "CREATE TRIGGER ringkasan_rekap_zona AFTER UPDATE ON tenants FOR EACH ROW "
    "WHEN (OLD.zona_waktu IS DISTINCT FROM NEW.zona_waktu) EXECUTE FUNCTION ringkasan_rekap_zona()",
]
SUMBER_TRUNCATE = ("kasus", "klien", "tenggat")


def upgrade():
    op.create_table('ringkasan_rekap',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('hari', sa.Date(), nullable=False),
    sa.Column('kategori', sa.Integer(), nullable=False),
    sa.Column('layanan_id', sa.Uuid(), nullable=False),
    sa.Column('wilayah', sa.String(length=20), nullable=False),
    sa.Column('jenis_kelamin', sa.String(length=1), nullable=False),
    sa.Column('kelompok_umur', sa.String(length=6), nullable=False),
    sa.Column('hasil', sa.String(length=81), nullable=False),
    sa.Column('ketepatan', sa.String(length=12), nullable=False),
    sa.Column('batas', dinsos.core.db.UtcDateTime(), nullable=False),
    sa.Column('jumlah', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ringkasan_rekap_tenant_id_tenants'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('tenant_id', 'hari', 'kategori', 'layanan_id', 'wilayah', 'jenis_kelamin', 'kelompok_umur',
                            'hasil', 'ketepatan', 'batas', name=op.f('pk_ringkasan_rekap'))
    )
    aktifkan_rls(op, 'ringkasan_rekap')
    with op.batch_alter_table('kasus', schema=None) as batch_op:
        batch_op.create_index('ix_kasus_tenant_id_klien_id', ['tenant_id', 'klien_id'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    op.execute(SUMBER)
    for sql in FUNGSI + PEMICU:
        op.execute(sql)
    for tabel in SUMBER_TRUNCATE:
        op.execute(f"CREATE TRIGGER ringkasan_rekap_truncate AFTER TRUNCATE ON {tabel} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION ringkasan_rekap_kosongkan()")
    lintas_migrasi(bind)  # the backfill counts every office's cases
    op.execute("SELECT ringkasan_rekap_bangun(NULL)")
    op.execute("ANALYZE ringkasan_rekap")  # planned from its real size from the first recap on


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for tabel in SUMBER_TRUNCATE:
            op.execute(f"DROP TRIGGER ringkasan_rekap_truncate ON {tabel}")
        for sql in PEMICU:
            nama, tabel = sql.split()[2], sql.split(" ON ")[1].split()[0]
            op.execute(f"DROP TRIGGER IF EXISTS {nama} ON {tabel}")
        for fungsi in ("ringkasan_rekap_kosongkan()", "ringkasan_rekap_zona()", "ringkasan_rekap_tenggat()",
                       "ringkasan_rekap_klien()", "ringkasan_rekap_kasus()", "ringkasan_rekap_bangun(integer)",
                       "ringkasan_rekap_ubah(integer, integer, uuid[])"):
            op.execute(f"DROP FUNCTION {fungsi}")
        op.execute("DROP VIEW ringkasan_rekap_sumber")
    with op.batch_alter_table('kasus', schema=None) as batch_op:
        batch_op.drop_index('ix_kasus_tenant_id_klien_id')
    op.drop_table('ringkasan_rekap')
