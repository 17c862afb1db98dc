"""Server-side login sessions, and a database binding that plain SQL cannot forge (issue 19, items 3 and 4)

Sessions: one row per login (``sesi_login`` for staff, tenant-owned;
``sesi_admin_platform`` for platform admins), ended at logout, on password
change and from the sessions page; the session version columns go, since
the rows replace them.

Binding: until now a transaction was bound to an office, or allowed to cross
offices, by ``set_config('app.tenant_id'|'app.lintas_tenant', ...)``, which
any SQL the app role runs can call. Now the policies ask ``dinsos_tenant()``
and ``dinsos_lingkup()``, which believe those settings only next to a seal,
``app.segel``: a SHA-256 over a key in the schema ``rahasia`` (which the app
role cannot read) and the binding, the backend and the transaction's start.
Only ``dinsos_ikat(secret, tenant, scope)`` writes a seal, and only for a
caller that shows the application's secret (derived from its SECRET_KEY,
registered by ``dinsos db upgrade``; see ``dinsos.core.rls``). A seal read
inside one transaction is worth nothing in the next. The platform tables
(``tenants``, ``admin_platform``, ``draf_onboarding``, ``audit_log``) get
policies of their own. ``docs/security.md`` argues the design.

Revision ID: 0012_sesi_segel
Revises: 0012_tugas_h15 (0018_tugas.py)
"""
import sqlalchemy as sa
from alembic import op

import dinsos.core.db
from dinsos.core.rls import FUNGSI_SEGEL, LINGKUP_LUAS, aktifkan_rls

revision = '0012_sesi_segel'
down_revision = '0012_tugas_h15'
branch_labels = None
depends_on = None

KEBIJAKAN_LAMA = (
    "(tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"
    " OR current_setting('app.lintas_tenant', true) = 'on')"
)


def _kolom_sesi():
    return [
        sa.Column('sidik', sa.String(length=64), nullable=False),
        sa.Column('terakhir_dilihat', dinsos.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('agen_pengguna', sa.String(length=300), nullable=True),
        sa.Column('alamat_ip', sa.String(length=64), nullable=True),
        sa.Column('berakhir_pada', dinsos.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column('alasan_berakhir', sa.String(length=30), nullable=True),
    ]


def upgrade():
    op.create_table('sesi_login',
    sa.Column('pengguna_id', sa.Uuid(), nullable=False),
    *_kolom_sesi(),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('dibuat_pada', dinsos.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'pengguna_id'], ['pengguna.tenant_id', 'pengguna.id'], name=op.f('fk_sesi_login_tenant_id_pengguna'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sesi_login_tenant_id_tenants'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sesi_login')),
    sa.UniqueConstraint('tenant_id', 'sidik', name=op.f('uq_sesi_login_tenant_id_sidik'))
    )
    with op.batch_alter_table('sesi_login', schema=None) as batch_op:
        batch_op.create_index('ix_sesi_login_pengguna', ['tenant_id', 'pengguna_id'], unique=False)
    op.create_table('sesi_admin_platform',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('admin_id', sa.Integer(), nullable=False),
    sa.Column('dibuat_pada', dinsos.core.db.UtcDateTime(timezone=True), nullable=False),
    *_kolom_sesi(),
    sa.ForeignKeyConstraint(['admin_id'], ['admin_platform.id'], name=op.f('fk_sesi_admin_platform_admin_id_admin_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sesi_admin_platform')),
    sa.UniqueConstraint('sidik', name=op.f('uq_sesi_admin_platform_sidik'))
    )
    with op.batch_alter_table('sesi_admin_platform', schema=None) as batch_op:
        batch_op.create_index('ix_sesi_admin_platform_admin', ['admin_id'], unique=False)
    for tabel in ('pengguna', 'admin_platform'):
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.drop_column('sesi_versi')

    if op.get_bind().dialect.name != 'postgresql':
        return
    # The keys: a schema the app role is given no USAGE on (its grants cover the schema public only).
    op.execute("CREATE SCHEMA rahasia")
    op.execute("REVOKE ALL ON SCHEMA rahasia FROM PUBLIC")
    op.execute("CREATE TABLE rahasia.kunci_segel (kunci bytea NOT NULL)")
    op.execute("INSERT INTO rahasia.kunci_segel VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'))")
    op.execute("CREATE TABLE rahasia.aplikasi (sidik bytea PRIMARY KEY, didaftarkan_pada timestamptz NOT NULL DEFAULT now())")
    for sql in FUNGSI_SEGEL:
        op.execute(sql)

    # Every tenant-owned table: the sealed policy instead of the one plain set_config could satisfy.
    baris = op.get_bind().execute(sa.text("SELECT tablename FROM pg_policies WHERE policyname = 'isolasi_tenant'")).all()
    for (tabel,) in baris:
        aktifkan_rls(op, tabel)
    aktifkan_rls(op, 'sesi_login')

    # Platform tables. The office list is public; an office may write its own row (settings, data version),
    # only a platform or crossing scope any other. ENABLE without FORCE: the owner's SECURITY DEFINER trigger
    # moving an office's data version at commit must not depend on what the transaction left bound.
    op.execute("ALTER TABLE tenants ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY baca ON tenants FOR SELECT USING (true)")
    op.execute(f"CREATE POLICY tambah ON tenants FOR INSERT WITH CHECK ({LINGKUP_LUAS})")
    op.execute(f"CREATE POLICY ubah ON tenants FOR UPDATE USING (id = (SELECT dinsos_tenant()) OR {LINGKUP_LUAS})"
               f" WITH CHECK (id = (SELECT dinsos_tenant()) OR {LINGKUP_LUAS})")
    op.execute(f"CREATE POLICY hapus ON tenants FOR DELETE USING ({LINGKUP_LUAS})")
    # What an office may not change about itself, even in its own row: who it is and who oversees it.
    op.execute(
        f"""
        CREATE FUNCTION jaga_identitas_tenant() RETURNS trigger AS $$
        BEGIN
          IF (NEW.id, NEW.slug, NEW.tingkat, NEW.provinsi_induk_id, NEW.kode_wilayah, NEW.aktif)
             IS DISTINCT FROM (OLD.id, OLD.slug, OLD.tingkat, OLD.provinsi_induk_id, OLD.kode_wilayah, OLD.aktif)
             AND NOT {LINGKUP_LUAS} AND current_user <> (SELECT tableowner FROM pg_tables
                                                            WHERE schemaname = 'public' AND tablename = 'tenants') THEN
            RAISE EXCEPTION 'identitas kantor hanya dapat diubah oleh admin platform' USING ERRCODE = 'insufficient_privilege';
          END IF;
          RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute("CREATE TRIGGER jaga_identitas BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION jaga_identitas_tenant()")
    op.execute("ALTER FUNCTION naikkan_versi_data() SECURITY DEFINER SET search_path = public, pg_temp")

    for tabel in ('admin_platform', 'draf_onboarding', 'sesi_admin_platform'):
        op.execute(f'ALTER TABLE "{tabel}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{tabel}" FORCE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY lingkup_platform ON "{tabel}" USING ({LINGKUP_LUAS}) WITH CHECK ({LINGKUP_LUAS})')

    # The audit log: an office reads its own rows; platform rows (no office) and other offices' rows only when
    # crossing. Appending is open to an office's own rows and to platform rows, so an event is never lost for
    # want of a scope; the log being append-only, a forged row adds noise and hides nothing.
    op.execute("ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE audit_log FORCE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY baca ON audit_log FOR SELECT USING "
               "(tenant_id = (SELECT dinsos_tenant()) OR (SELECT dinsos_lingkup()) = 'lintas')")
    op.execute(f"CREATE POLICY tambah ON audit_log FOR INSERT WITH CHECK "
               f"(tenant_id IS NULL OR tenant_id = (SELECT dinsos_tenant()) OR {LINGKUP_LUAS})")

    # The case-list cache's statement binds through the seal too, so it takes the application's secret.
    op.execute("DROP FUNCTION izin_tembolok_daftar(text, text)")
    op.execute(
        """
        CREATE FUNCTION izin_tembolok_daftar(p_slug text, p_sidik text, p_rahasia text)
        RETURNS TABLE (pengguna_id uuid, peran text, versi_data bigint, terakhir_dipakai timestamptz) AS $$
        DECLARE
          t_id integer;
          t_versi bigint;
        BEGIN
          SELECT t.id, t.versi_data INTO t_id, t_versi FROM tenants t WHERE t.slug = p_slug AND t.aktif;
          IF NOT FOUND THEN
            RETURN;
          END IF;
          PERFORM dinsos_ikat(p_rahasia, t_id, '');
          RETURN QUERY
            SELECT p.id, p.peran::text, t_versi, k.terakhir_dipakai
              FROM token_api k
              JOIN pengguna p ON p.tenant_id = k.tenant_id AND p.id = k.pengguna_id
             WHERE k.tenant_id = t_id AND k.sidik = p_sidik AND k.dicabut_pada IS NULL AND p.aktif;
        END;
        $$ LANGUAGE plpgsql
        """
    )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP FUNCTION izin_tembolok_daftar(text, text, text)")
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
                SELECT p.id, p.peran::text, 1, t_versi, k.terakhir_dipakai
                  FROM token_api k
                  JOIN pengguna p ON p.tenant_id = k.tenant_id AND p.id = k.pengguna_id
                 WHERE k.tenant_id = t_id AND k.sidik = p_sidik AND k.dicabut_pada IS NULL AND p.aktif;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        for tabel in ('audit_log', 'admin_platform', 'draf_onboarding', 'tenants'):
            for (nama,) in op.get_bind().execute(sa.text("SELECT policyname FROM pg_policies WHERE tablename = :t"), {"t": tabel}).all():
                op.execute(f'DROP POLICY "{nama}" ON "{tabel}"')
            op.execute(f'ALTER TABLE "{tabel}" NO FORCE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE "{tabel}" DISABLE ROW LEVEL SECURITY')
        op.execute("DROP TRIGGER jaga_identitas ON tenants")
        op.execute("DROP FUNCTION jaga_identitas_tenant()")
        op.execute("ALTER FUNCTION naikkan_versi_data() SECURITY INVOKER RESET search_path")
        baris = op.get_bind().execute(sa.text("SELECT tablename FROM pg_policies WHERE policyname = 'isolasi_tenant'")).all()
        for (tabel,) in baris:
            if tabel == 'sesi_login':
                continue
            op.execute(f'DROP POLICY isolasi_tenant ON "{tabel}"')
            op.execute(f'CREATE POLICY isolasi_tenant ON "{tabel}" USING {KEBIJAKAN_LAMA} WITH CHECK {KEBIJAKAN_LAMA}')
    for tabel in ('pengguna', 'admin_platform'):
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.add_column(sa.Column('sesi_versi', sa.Integer(), server_default='1', nullable=False))
    op.drop_table('sesi_admin_platform')
    op.drop_table('sesi_login')
    if op.get_bind().dialect.name == 'postgresql':
        for sql in (
            "DROP FUNCTION dinsos_lingkup()", "DROP FUNCTION dinsos_tenant()", "DROP FUNCTION dinsos_ikat(text, integer, text)",
            "DROP FUNCTION dinsos_ikat_pemilik()", "DROP FUNCTION dinsos_segel(text, text)", "DROP SCHEMA rahasia CASCADE",
        ):
            op.execute(sql)
