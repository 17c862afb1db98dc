"""The audit log distributable by office on Citus (issue 20)

Citus places a table's rows by its distribution column and refuses a key that
lacks it or a row where it is NULL. The audit log held platform events (no
office) as ``tenant_id`` NULL and had the primary key ``id`` alone. Now a
platform event's ``tenant_id`` is ``PLATFORM`` (0, never an office's id, so the
foreign key to ``tenants`` goes), the column is NOT NULL, and on PostgreSQL
the primary key is ``(tenant_id, id)``. SQLite keeps ``id`` alone as its key,
because there only an ``INTEGER PRIMARY KEY`` numbers rows by itself; the
model names ``id`` the key either way, which is still unique.

The appending policy reads ``tenant_id = 0`` where it read ``tenant_id IS
NULL``.

An office's data version (the case-list cache's, migration 0011) moves from
``tenants.versi_data`` to a table of its own, ``versi_data_kantor``, keyed by
``tenant_id``: on Citus the deferred trigger runs on the shard, on a worker,
where it may reach rows co-located with its own but not a reference table
replicated to every node. The value no longer comes from a sequence (a worker
has none of the coordinator's) but is the larger of the previous value + 1
and the commit's clock in microseconds: still never seen twice, TRUNCATE and
restored backups included. A TRUNCATE moves every office's version from the
table's own firing; on Citus the shards' firings (``kasus_102008``) stand
aside. PostgreSQL only, like the cache; SQLite just loses the unused column.

The recap summary's source view (migration 0021) computes the local day and
the age without FROM-less LATERAL subqueries: Citus refuses to push down a
subquery without FROM that calls non-immutable functions (``timezone``,
``to_char``), so on the cluster its triggers failed. The same expressions,
written inline; the same rows. Its TRUNCATE rebuild stands aside when fired on
a shard (a worker's ``kasus_102008``): the coordinator's firing rebuilds.

``dinsos db distribute`` (dinsos.core.citus) does the distributing.

Revision ID: 0024_citus
Revises: 0023_tindakan_kasus
"""
import sqlalchemy as sa
from alembic import op

from dinsos.core.rls import LINGKUP_LUAS

revision = '0024_citus'
down_revision = '0023_tindakan_kasus'
branch_labels = None
depends_on = None

PLATFORM = 0
TABEL_VERSI = ('kasus', 'klien', 'langkah_kasus')
SEKARANG_US = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"

FUNGSI_VERSI = f"""
CREATE OR REPLACE FUNCTION naikkan_versi_data() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  t integer;
  -- A value, not clock_timestamp() in the statement: Citus refuses volatile functions in its UPDATEs.
  kini bigint := {SEKARANG_US};
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    IF TG_TABLE_NAME = ANY (ARRAY{list(TABEL_VERSI)!r}) THEN
      UPDATE versi_data_kantor SET versi = greatest(versi + 1, kini);
    END IF;
    RETURN NULL;
  END IF;
  t := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  -- Once per office and transaction: an intake writes a dozen rows, the demo generator thousands.
  IF current_setting('dinsos.versi_data_' || t, true) IS DISTINCT FROM 'naik' THEN
    INSERT INTO versi_data_kantor AS v (tenant_id, versi) VALUES (t, kini)
      ON CONFLICT (tenant_id) DO UPDATE SET versi = greatest(v.versi + 1, excluded.versi);
    PERFORM set_config('dinsos.versi_data_' || t, 'naik', true);
  END IF;
  RETURN NULL;
END;
$$
"""

IZIN_TEMBOLOK = """
CREATE OR REPLACE FUNCTION izin_tembolok_daftar(p_slug text, p_sidik text, p_rahasia text)
RETURNS TABLE (pengguna_id uuid, peran text, versi_data bigint, terakhir_dipakai timestamptz) AS $$
DECLARE
  t_id integer;
  t_versi bigint;
BEGIN
  SELECT t.id INTO t_id FROM tenants t WHERE t.slug = p_slug AND t.aktif;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  PERFORM dinsos_ikat(p_rahasia, t_id, '');
  t_versi := coalesce((SELECT v.versi FROM versi_data_kantor v WHERE v.tenant_id = t_id), 0);
  RETURN QUERY
    SELECT p.id, p.peran::text, t_versi, k.terakhir_dipakai
      FROM token_api k
      JOIN pengguna p ON p.tenant_id = k.tenant_id AND p.id = k.pengguna_id
     WHERE k.tenant_id = t_id AND k.sidik = p_sidik AND k.dicabut_pada IS NULL AND p.aktif;
END;
$$ LANGUAGE plpgsql
"""


# One case's day in its office's zone as YYYYMMDD, and its client's age on that day (as 0021 computes them).
_HARI = "to_char(timezone(tn.zona_waktu, k.diterima_pada), 'YYYYMMDD')::int"
_UMUR = f"""(CASE
         WHEN kl.tanggal_lahir IS NOT NULL THEN ({_HARI} - to_char(kl.tanggal_lahir, 'YYYYMMDD')::int) / 10000
         WHEN kl.umur_perkiraan IS NOT NULL AND kl.umur_perkiraan_pada IS NOT NULL
           THEN kl.umur_perkiraan + ({_HARI} - to_char(kl.umur_perkiraan_pada, 'YYYYMMDD')::int) / 10000
         ELSE kl.umur_perkiraan END)"""
SUMBER_TANPA_LATERAL = f"""
CREATE OR REPLACE VIEW ringkasan_rekap_sumber WITH (security_invoker = true) AS
SELECT k.tenant_id, k.id AS kasus_id, (timezone(tn.zona_waktu, k.diterima_pada))::date AS hari,
       coalesce(kl.kategori_ppks, 0) AS kategori,
       k.layanan_id,
       coalesce(kl.kode_wilayah, kl.kode_wilayah_nik, '')::varchar(20) AS wilayah,
       coalesce(kl.jenis_kelamin, '~')::varchar(1) AS jenis_kelamin,
       (CASE WHEN {_UMUR} IS NULL THEN '~' WHEN {_UMUR} < 18 THEN 'anak' WHEN {_UMUR} < 60 THEN 'dewasa'
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
"""
_KUNCI = "tenant_id, hari, kategori, layanan_id, wilayah, jenis_kelamin, kelompok_umur, hasil, ketepatan, batas"
# Row by row instead of one INSERT ... SELECT ... RETURNING: on a worker, inside the shard's trigger, Citus
# plans that as a distributed statement of its own, which a backend serving the coordinator's transaction
# cannot start; a read routed to the office's shard and single-row writes stay on that node.
UBAH = f"""
CREATE OR REPLACE FUNCTION ringkasan_rekap_ubah(p_tanda integer, p_tenant integer, p_kasus uuid[]) RETURNS void AS $$
DECLARE
  b record;
  n integer;
BEGIN
  FOR b IN
    SELECT {_KUNCI}, count(*) * p_tanda AS jumlah FROM ringkasan_rekap_sumber
     WHERE tenant_id = p_tenant AND kasus_id = ANY (p_kasus)
     GROUP BY {_KUNCI}
  LOOP
    INSERT INTO ringkasan_rekap AS r ({_KUNCI}, jumlah)
    VALUES ({", ".join("b." + k for k in _KUNCI.split(", "))}, b.jumlah)
    ON CONFLICT ({_KUNCI}) DO UPDATE SET jumlah = r.jumlah + EXCLUDED.jumlah
    RETURNING r.jumlah INTO n;
    IF n = 0 THEN
      DELETE FROM ringkasan_rekap r WHERE {" AND ".join(f"r.{k} = b.{k}" for k in _KUNCI.split(", "))};
    END IF;
  END LOOP;
END;
$$ LANGUAGE plpgsql
"""
# The offices' table is a reference table on Citus: each node's copy of the row fires; the coordinator's rebuilds
# (a worker serving the coordinator's transaction cannot start distributed statements). Plain PostgreSQL: as 0021.
ZONA = """
CREATE OR REPLACE FUNCTION ringkasan_rekap_zona() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET citus.allow_nested_distributed_execution = on AS $$
DECLARE
  t text := current_setting('app.tenant_id', true);
  l text := current_setting('app.lingkup', true);
  s text := current_setting('app.segel', true);
  koordinator boolean := true;
BEGIN
  IF to_regproc('pg_catalog.citus_is_coordinator') IS NOT NULL THEN
    EXECUTE 'SELECT pg_catalog.citus_is_coordinator()' INTO koordinator;
  END IF;
  IF NOT koordinator THEN
    RETURN NULL;
  END IF;
  PERFORM dinsos_ikat_pemilik();
  PERFORM ringkasan_rekap_bangun(NEW.id);
  PERFORM set_config('app.tenant_id', coalesce(t, ''), true), set_config('app.lingkup', coalesce(l, ''), true),
          set_config('app.segel', coalesce(s, ''), true);
  RETURN NULL;
END;
$$
"""
KOSONGKAN = """
CREATE OR REPLACE FUNCTION ringkasan_rekap_kosongkan() RETURNS trigger AS $$
BEGIN
  -- On Citus the shards fire too (kasus_102008, on a worker); the table's own firing rebuilds once.
  IF TG_TABLE_NAME = ANY (ARRAY['kasus', 'klien', 'tenggat']) THEN
    PERFORM ringkasan_rekap_bangun(NULL);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def _migrasi_0021():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("_m0021", Path(__file__).with_name("0021_ringkasan_rekap.py"))
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    return modul


def _pg() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def _tanpa_penjaga(sql: str) -> None:
    # The log is append-only for everyone, its owner included (trigger, FORCE'd policies with no UPDATE policy):
    # the one rewrite of its history this migration makes happens with both lifted inside its transaction.
    op.execute("ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_append_only")
    op.execute(sql)
    op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_append_only")
    op.execute("ALTER TABLE audit_log FORCE ROW LEVEL SECURITY")


def upgrade():
    if _pg():
        _tanpa_penjaga(f"UPDATE audit_log SET tenant_id = {PLATFORM} WHERE tenant_id IS NULL")
        op.execute("ALTER TABLE audit_log DROP CONSTRAINT fk_audit_log_tenant_id_tenants")
        op.execute(f"ALTER TABLE audit_log ALTER COLUMN tenant_id SET DEFAULT {PLATFORM}")
        op.execute("ALTER TABLE audit_log ALTER COLUMN tenant_id SET NOT NULL")
        op.execute("ALTER TABLE audit_log DROP CONSTRAINT pk_audit_log")
        op.execute("ALTER TABLE audit_log ADD CONSTRAINT pk_audit_log PRIMARY KEY (tenant_id, id)")
        op.execute("DROP POLICY tambah ON audit_log")
        op.execute(f"CREATE POLICY tambah ON audit_log FOR INSERT WITH CHECK "
                   f"(tenant_id = {PLATFORM} OR tenant_id = (SELECT dinsos_tenant()) OR {LINGKUP_LUAS})")
        _versi_ke_tabel()
        op.execute(SUMBER_TANPA_LATERAL)
        op.execute(KOSONGKAN)
        op.execute(UBAH)
        op.execute(ZONA)
        return
    op.execute(f"UPDATE audit_log SET tenant_id = {PLATFORM} WHERE tenant_id IS NULL")
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('versi_data')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint('fk_audit_log_tenant_id_tenants', type_='foreignkey')
        batch_op.alter_column('tenant_id', existing_type=sa.Integer(), nullable=False, server_default=str(PLATFORM))


def _versi_ke_tabel():
    op.create_table(
        'versi_data_kantor',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('versi', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name='fk_versi_data_kantor_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', name='pk_versi_data_kantor'),
    )
    op.execute("INSERT INTO versi_data_kantor (tenant_id, versi) SELECT id, versi_data FROM tenants")
    # The app role reads its own office's version (the cache's statement, bound); the owner's trigger writes.
    # ENABLE without FORCE, as on tenants: the trigger must not depend on what the transaction left bound.
    op.execute("ALTER TABLE versi_data_kantor ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY baca ON versi_data_kantor FOR SELECT USING "
               "(tenant_id = (SELECT dinsos_tenant()) OR (SELECT dinsos_lingkup()) = 'lintas')")
    op.execute(FUNGSI_VERSI)
    op.execute("DROP FUNCTION izin_tembolok_daftar(text, text, text)")
    op.execute(IZIN_TEMBOLOK)
    op.execute("ALTER TABLE tenants DROP COLUMN versi_data")
    op.execute("DROP SEQUENCE versi_data")


def _versi_ke_tenants():
    op.execute("CREATE SEQUENCE versi_data")
    op.execute("ALTER TABLE tenants ADD COLUMN versi_data bigint NOT NULL DEFAULT 0")
    op.execute("UPDATE tenants t SET versi_data = v.versi FROM versi_data_kantor v WHERE v.tenant_id = t.id")
    op.execute("SELECT setval('versi_data', greatest(1, (SELECT max(versi_data) FROM tenants)))")
    op.execute(
        """
        CREATE OR REPLACE FUNCTION naikkan_versi_data() RETURNS trigger AS $$
        DECLARE
          t integer;
        BEGIN
          IF TG_LEVEL = 'STATEMENT' THEN
            UPDATE tenants SET versi_data = nextval('versi_data');
            RETURN NULL;
          END IF;
          t := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
          IF current_setting('dinsos.versi_data_' || t, true) IS DISTINCT FROM 'naik' THEN
            UPDATE tenants SET versi_data = nextval('versi_data') WHERE id = t;
            PERFORM set_config('dinsos.versi_data_' || t, 'naik', true);
          END IF;
          RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute("ALTER FUNCTION naikkan_versi_data() SECURITY DEFINER SET search_path = public, pg_temp")
    op.execute(IZIN_TEMBOLOK.replace(
        "t_versi := coalesce((SELECT v.versi FROM versi_data_kantor v WHERE v.tenant_id = t_id), 0);",
        "t_versi := (SELECT t.versi_data FROM tenants t WHERE t.id = t_id);"))
    op.execute("DROP TABLE versi_data_kantor")


def downgrade():
    if _pg():
        asal = _migrasi_0021()
        op.execute(asal.SUMBER.replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1))
        for nama in ("ringkasan_rekap_kosongkan()", "ringkasan_rekap_ubah(", "ringkasan_rekap_zona()"):
            op.execute(next(f for f in asal.FUNGSI if nama in f).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
        _versi_ke_tenants()
        op.execute("DROP POLICY tambah ON audit_log")
        op.execute(f"CREATE POLICY tambah ON audit_log FOR INSERT WITH CHECK "
                   f"(tenant_id IS NULL OR tenant_id = (SELECT dinsos_tenant()) OR {LINGKUP_LUAS})")
        op.execute("ALTER TABLE audit_log DROP CONSTRAINT pk_audit_log")
        op.execute("ALTER TABLE audit_log ADD CONSTRAINT pk_audit_log PRIMARY KEY (id)")
        op.execute("ALTER TABLE audit_log ALTER COLUMN tenant_id DROP NOT NULL")
        op.execute("ALTER TABLE audit_log ALTER COLUMN tenant_id DROP DEFAULT")
        _tanpa_penjaga(f"UPDATE audit_log SET tenant_id = NULL WHERE tenant_id = {PLATFORM}")
        op.execute("ALTER TABLE audit_log ADD CONSTRAINT fk_audit_log_tenant_id_tenants "
                   "FOREIGN KEY (tenant_id) REFERENCES tenants (id)")
        return
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('versi_data', sa.BigInteger(), server_default='0', nullable=False))
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.alter_column('tenant_id', existing_type=sa.Integer(), nullable=True, server_default=None)
    op.execute(f"UPDATE audit_log SET tenant_id = NULL WHERE tenant_id = {PLATFORM}")
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_audit_log_tenant_id_tenants', 'tenants', ['tenant_id'], ['id'])
