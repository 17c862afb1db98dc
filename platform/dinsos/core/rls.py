"""PostgreSQL row-level security: the second wall behind ORM scoping.

Migrations call ``aktifkan_rls`` for each tenant-owned table. The policy fails
closed: with ``app.tenant_id`` unset no row is visible or writable. The app
connects as a role that does not own the tables, so FORCE applies to it and
the owner alone can run migrations. On SQLite these calls do nothing.
"""
from sqlalchemy import text

KEBIJAKAN = (
    "(tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"
    " OR current_setting('app.lintas_tenant', true) = 'on')"
)


def _pg(bind) -> bool:
    return bind.dialect.name == "postgresql"


def aktifkan_rls(op, tabel: str) -> None:
    """Enable and force row-level security on a tenant-owned table."""
    if not _pg(op.get_bind()):
        return
    op.execute(f'ALTER TABLE "{tabel}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{tabel}" FORCE ROW LEVEL SECURITY')
    op.execute(f'DROP POLICY IF EXISTS isolasi_tenant ON "{tabel}"')
    op.execute(f'CREATE POLICY isolasi_tenant ON "{tabel}" USING {KEBIJAKAN} WITH CHECK {KEBIJAKAN}')


def buat_audit_append_only(op, tabel: str) -> None:
    """Refuse UPDATE and DELETE on the audit log, even by the owner."""
    if not _pg(op.get_bind()):
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION tolak_ubah_audit() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'catatan audit tidak boleh diubah atau dihapus'; END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        f'CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON "{tabel}" '
        "FOR EACH ROW EXECUTE FUNCTION tolak_ubah_audit()"
    )


def beri_hak_peran_aplikasi(connection, peran: str) -> bool:
    """Grant the app role what it needs, and no more. Returns False if the role does not exist.

    Run after every upgrade so tables added later are covered.
    """
    if not _pg(connection):
        return False
    ada = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": peran}).scalar()
    if not ada:
        return False
    q = connection.dialect.identifier_preparer.quote(peran)
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {q}"))
    connection.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {q}"))
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q}"))
    # Before the first upgrade (``db create-app-role`` on an empty database) these tables do not
    # exist yet; the upgrade grants again when it has made them.
    if connection.execute(text("SELECT to_regclass('audit_log')")).scalar() is not None:
        connection.execute(text(f"REVOKE UPDATE, DELETE ON audit_log FROM {q}"))
    if connection.execute(text("SELECT to_regclass('alembic_version')")).scalar() is not None:
        connection.execute(text(f"REVOKE ALL ON alembic_version FROM {q}"))
        connection.execute(text(f"GRANT SELECT ON alembic_version TO {q}"))
    return True


def tabel_dengan_rls(connection) -> set[str]:
    """Names of tables with row-level security both enabled and forced."""
    rows = connection.execute(
        text("SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity AND relkind = 'r'")
    )
    return {r[0] for r in rows}
