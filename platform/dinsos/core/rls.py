"""PostgreSQL row-level security: the second wall behind ORM scoping.

Migrations call ``aktifkan_rls`` for each tenant-owned table. The policy fails
closed: with no office bound no row is visible or writable. The app connects
as a role that does not own the tables, so FORCE applies to it and the owner
alone can run migrations. On SQLite these calls do nothing.

The binding a policy believes is sealed (migration 0012): ``dinsos_ikat``
writes ``app.tenant_id``, ``app.lingkup`` and a seal over them, and does so
only for a caller that shows the application's secret, which is derived from
SECRET_KEY and never stored in the database (only its SHA-256 is, in the
schema ``rahasia`` the app role cannot read). ``dinsos_tenant()`` and
``dinsos_lingkup()`` return the binding only while the seal matches this
backend and transaction. So SQL injected anywhere, running as the app role,
can neither bind another office nor open a crossing: it does not know the
secret, and ``set_config`` alone yields no seal. ``docs/security.md`` argues it.
"""
from sqlalchemy import text

from .config import rahasia_ikatan  # noqa: F401  (migrations/env.py registers it from here)

# The scopes beyond one office: ``platform`` reaches the platform tables (admin accounts, onboarding drafts),
# ``lintas`` reaches every office's rows as well (crossing, ``core.tenant.lintas_tenant``).
LINGKUP = ("", "platform", "lintas")

KEBIJAKAN = "(tenant_id = (SELECT dinsos_tenant()) OR (SELECT dinsos_lingkup()) = 'lintas')"
# On Citus, which refuses subqueries in the policies of distributed tables (dinsos.core.citus): the same test.
KEBIJAKAN_CITUS = "(tenant_id = dinsos_tenant() OR dinsos_lingkup() = 'lintas')"
LINGKUP_LUAS = "(SELECT dinsos_lingkup()) IN ('platform', 'lintas')"

# Before migration 0012: what plain set_config could satisfy. Older migrations still create their tables under it
# (0012 then replaces it on every table that has it).
_KEBIJAKAN_0001 = (
    "(tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"
    " OR current_setting('app.lintas_tenant', true) = 'on')"
)

_PEMILIK_SAJA = "SECURITY DEFINER SET search_path = pg_catalog, pg_temp"
# What ``dinsos_ikat`` checks before it binds anything: a known scope, and a caller that shows the app's secret.
# Its Citus form (dinsos.core.citus) checks the same.
PERIKSA_IKAT = """\
      IF p_lingkup IS NULL OR p_lingkup NOT IN ('', 'platform', 'lintas') THEN
        RAISE EXCEPTION 'dinsos_ikat: lingkup tidak dikenal' USING ERRCODE = 'invalid_parameter_value';
      END IF;
      IF NOT EXISTS (SELECT 1 FROM rahasia.aplikasi a WHERE a.sidik = sha256(convert_to(coalesce(p_rahasia, ''), 'UTF8'))) THEN
        RAISE EXCEPTION 'dinsos_ikat: rahasia aplikasi tidak terdaftar (jalankan "dinsos db upgrade" dengan DINSOS_SECRET_KEY aplikasi)'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
"""

FUNGSI_SEGEL = (
    # The seal: over the key no app SQL can read, the binding, this backend and this transaction's start.
    f"""
    CREATE FUNCTION public.dinsos_segel(p_tenant text, p_lingkup text) RETURNS text
    LANGUAGE sql STABLE {_PEMILIK_SAJA} AS $$
      SELECT encode(sha256(k.kunci || convert_to(
               p_tenant || '|' || p_lingkup || '|' || pg_backend_pid()::text || '|'
               || extract(epoch FROM transaction_timestamp())::text, 'UTF8')), 'hex')
        FROM rahasia.kunci_segel k
    $$
    """,
    "REVOKE ALL ON FUNCTION public.dinsos_segel(text, text) FROM PUBLIC",
    f"""
    CREATE FUNCTION public.dinsos_ikat(p_rahasia text, p_tenant integer, p_lingkup text) RETURNS integer
    LANGUAGE plpgsql VOLATILE {_PEMILIK_SAJA} AS $$
    BEGIN
{PERIKSA_IKAT}      PERFORM set_config('app.tenant_id', coalesce(p_tenant::text, ''), true),
              set_config('app.lingkup', p_lingkup, true),
              set_config('app.segel', public.dinsos_segel(coalesce(p_tenant::text, ''), p_lingkup), true);
      RETURN p_tenant;
    END;
    $$
    """,
    f"""
    CREATE FUNCTION public.dinsos_tenant() RETURNS integer
    LANGUAGE sql STABLE {_PEMILIK_SAJA} AS $$
      SELECT CASE WHEN current_setting('app.segel', true) = public.dinsos_segel(
                         coalesce(current_setting('app.tenant_id', true), ''), coalesce(current_setting('app.lingkup', true), ''))
                  THEN NULLIF(current_setting('app.tenant_id', true), '')::integer END
    $$
    """,
    f"""
    CREATE FUNCTION public.dinsos_lingkup() RETURNS text
    LANGUAGE sql STABLE {_PEMILIK_SAJA} AS $$
      SELECT CASE WHEN current_setting('app.segel', true) = public.dinsos_segel(
                         coalesce(current_setting('app.tenant_id', true), ''), coalesce(current_setting('app.lingkup', true), ''))
                  THEN current_setting('app.lingkup', true) ELSE '' END
    $$
    """,
    # For the owner alone (a later migration moving data across offices as a non-superuser owner).
    """
    CREATE FUNCTION public.dinsos_ikat_pemilik() RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM set_config('app.tenant_id', '', true), set_config('app.lingkup', 'lintas', true),
              set_config('app.segel', public.dinsos_segel('', 'lintas'), true);
    END;
    $$
    """,
    "REVOKE ALL ON FUNCTION public.dinsos_ikat_pemilik() FROM PUBLIC",
)


def _pg(bind) -> bool:
    return bind.dialect.name == "postgresql"


def aktifkan_rls(op, tabel: str) -> None:
    """Enable and force row-level security on a tenant-owned table."""
    bind = op.get_bind()
    if not _pg(bind):
        return
    tersegel = bind.execute(text("SELECT to_regprocedure('public.dinsos_tenant()') IS NOT NULL")).scalar()
    citus = bind.execute(text("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')")).scalar()
    kebijakan = (KEBIJAKAN_CITUS if citus else KEBIJAKAN) if tersegel else _KEBIJAKAN_0001
    op.execute(f'ALTER TABLE "{tabel}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{tabel}" FORCE ROW LEVEL SECURITY')
    op.execute(f'DROP POLICY IF EXISTS isolasi_tenant ON "{tabel}"')
    op.execute(f'CREATE POLICY isolasi_tenant ON "{tabel}" USING {kebijakan} WITH CHECK {kebijakan}')


def lintas_migrasi(bind) -> None:
    """Let the rest of a migration's transaction, run by the owner, cross offices (FORCE applies to the owner too)."""
    if _pg(bind):
        bind.execute(text("SELECT dinsos_ikat_pemilik()"))


def daftarkan_rahasia(connection, rahasia: str) -> bool:
    """Register the app's secret (its SHA-256) as the owner; run after every upgrade. False when it cannot.

    Secrets registered earlier stay valid, so processes still on the previous SECRET_KEY keep working through a
    rolling restart; ``lupakan_rahasia_lain`` drops them.
    """
    if not _pg(connection):
        return False
    # None before migration 0012; False when this is not the owner (e.g. `dinsos db check` run as the app role).
    boleh = connection.execute(text("SELECT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = 'rahasia'"))
    if not boleh.scalar():
        return False
    connection.execute(
        text("INSERT INTO rahasia.aplikasi (sidik) VALUES (sha256(convert_to(:r, 'UTF8'))) ON CONFLICT DO NOTHING"),
        {"r": rahasia},
    )
    return True


def lupakan_rahasia_lain(connection, rahasia: str) -> int:
    """Forget every registered secret but this one (after a SECRET_KEY rotation has reached every process)."""
    return connection.execute(
        text("DELETE FROM rahasia.aplikasi WHERE sidik <> sha256(convert_to(:r, 'UTF8'))"), {"r": rahasia}
    ).rowcount


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
