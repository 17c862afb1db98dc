"""An office's data version, for the case-list cache (dinsos.cases.tembolok)

``tenants.versi_data`` takes a new value from the sequence ``versi_data`` each
time a transaction that wrote a case, a client or a case step commits. The
triggers are deferred constraint triggers: they run at COMMIT, after every
other statement of the transaction, so the office's row is locked last and
only for the commit itself (no lock-order deadlock with the register-number
counter), and they see writes made outside the ORM too (key rotation, jobs,
psql). Values come from one sequence, never reused, so a version seen once
never comes back, not even after TRUNCATE. ``izin_tembolok_daftar`` is the
cache's single statement per request. PostgreSQL only: embedded SQLite gets
the column and no cache.

Revision ID: 0011
Revises: 0004a
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0004a'
branch_labels = None
depends_on = None

# What a case-list row shows, and who may see its client's name, comes from these tables alone.
TABEL = ('kasus', 'klien', 'langkah_kasus')


def upgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('versi_data', sa.BigInteger(), server_default='0', nullable=False))
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("CREATE SEQUENCE versi_data")
    op.execute(
        """
        CREATE FUNCTION naikkan_versi_data() RETURNS trigger AS $$
        DECLARE
          t integer;
        BEGIN
          IF TG_LEVEL = 'STATEMENT' THEN
            UPDATE tenants SET versi_data = nextval('versi_data');
            RETURN NULL;
          END IF;
          t := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
          -- Once per office and transaction: an intake writes a dozen rows, the demo generator thousands.
          IF current_setting('dinsos.versi_data_' || t, true) IS DISTINCT FROM 'naik' THEN
            UPDATE tenants SET versi_data = nextval('versi_data') WHERE id = t;
            PERFORM set_config('dinsos.versi_data_' || t, 'naik', true);
          END IF;
          RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    for tabel in TABEL:
        op.execute(f"CREATE CONSTRAINT TRIGGER versi_data AFTER INSERT OR UPDATE OR DELETE ON {tabel} "
                   "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION naikkan_versi_data()")
        op.execute(f"CREATE TRIGGER versi_data_truncate AFTER TRUNCATE ON {tabel} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION naikkan_versi_data()")
    # The office bound first (row-level security on the token and user tables needs it), then the
    # token's active user, in one round trip; no row for an unknown or inactive office or a dead token.
    op.execute(
        """
        CREATE FUNCTION izin_tembolok_daftar(p_slug text, p_sidik text)
        RETURNS TABLE (pengguna_id uuid, peran text, sesi_versi integer, versi_data bigint,
                       terakhir_dipakai timestamptz) AS $$
        DECLARE
          t_id integer;
          t_versi bigint;
        BEGIN
          SELECT t.id, t.versi_data INTO t_id, t_versi FROM tenants t WHERE t.slug = p_slug AND t.aktif;
          IF NOT FOUND THEN
            RETURN;
          END IF;
          PERFORM set_config('app.tenant_id', t_id::text, true);
          RETURN QUERY
            SELECT p.id, p.peran::text, p.sesi_versi, t_versi, k.terakhir_dipakai
              FROM token_api k
              JOIN pengguna p ON p.tenant_id = k.tenant_id AND p.id = k.pengguna_id
             WHERE k.tenant_id = t_id AND k.sidik = p_sidik AND k.dicabut_pada IS NULL AND p.aktif;
        END;
        $$ LANGUAGE plpgsql
        """
    )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP FUNCTION izin_tembolok_daftar(text, text)")
        for tabel in TABEL:
            op.execute(f"DROP TRIGGER versi_data ON {tabel}")
            op.execute(f"DROP TRIGGER versi_data_truncate ON {tabel}")
        op.execute("DROP FUNCTION naikkan_versi_data()")
        op.execute("DROP SEQUENCE versi_data")
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('versi_data')
