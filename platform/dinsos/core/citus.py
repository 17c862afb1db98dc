"""The schema on Citus: every office's rows on one shard, platform tables on every node.

``rencana`` reads an upgraded database on a Citus coordinator and says what
each table becomes: a *reference* table (the offices and the platform tables,
copied to every node), a *distributed* table (every table with ``tenant_id``,
split by it and co-located, so one office's case, client, steps and letters sit
on one shard and join there), or ``alembic_version``, which stays on the
coordinator. It lists what stops a table from being distributed (a key or a
foreign key without ``tenant_id``, a nullable ``tenant_id``, a foreign key from
a platform table to an office table). ``distribusikan`` refuses while that list
is not empty, and otherwise turns the plan into Citus calls; it is idempotent,
so migrations run it after every upgrade of a distributed database (env.py),
and a tenant table added later is distributed by the same rule.

What the application needs of the cluster besides placement, also set here:

- The binding (``dinsos.core.rls``): the policies are enforced on the shards,
  on the workers, so the settings must reach them and the seal must check
  there. ``dinsos_ikat`` writes the settings with ``SET LOCAL``, which Citus
  forwards to every node of the transaction (``citus.propagate_set_commands
  = 'local'``), and the seal binds the transaction's *global* process id and
  distributed transaction number, the same on the coordinator and on every
  worker backend serving it, instead of the local backend and start time.
  The key is copied to every node (never into a table Citus replicates
  through the app role's reach).
- Policies: Citus refuses subqueries in them, so ``(SELECT dinsos_tenant())``
  becomes ``dinsos_tenant()`` (``kebijakan_tanpa_subkueri``; ``aktifkan_rls``
  writes that form itself on a Citus database).
- Triggers on distributed tables (the append-only audit log, the data
  version, the recap summary) need ``citus.enable_unsafe_triggers``, set for
  the database; the views they read on the workers get their grants copied
  there (``hak_tampilan``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import text

from .rls import PERIKSA_IKAT

# Stays a plain table on the coordinator: Alembic's own bookkeeping, read and written by migrations only.
LOKAL = ("alembic_version",)
KOLOM = "tenant_id"


@dataclass
class Rencana:
    """What ``distribusikan`` would do, and what stops it. Plain lists of table names."""

    referensi: list[str] = field(default_factory=list)
    terdistribusi: list[str] = field(default_factory=list)
    lokal: list[str] = field(default_factory=list)
    sudah: dict[str, str] = field(default_factory=dict)  # table -> 'reference' | 'distributed' (already done)
    masalah: list[str] = field(default_factory=list)


def citus_terpasang(conn) -> bool:
    """Whether this database has the Citus extension (a coordinator or a worker)."""
    if conn.dialect.name != "postgresql":
        return False
    return bool(conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'citus'")).scalar())


def sudah_didistribusikan(conn) -> bool:
    """Whether ``distribusikan`` has run here (any table of ours is in Citus's metadata)."""
    return citus_terpasang(conn) and bool(conn.execute(text(
        "SELECT 1 FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' LIMIT 1")).scalar())


def _tabel(conn) -> list[str]:
    return [r[0] for r in conn.execute(text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname"))]


def _kolom_tenant(conn) -> dict[str, bool]:
    """Tables with ``tenant_id`` -> whether it is NOT NULL."""
    return {r[0]: r[1] for r in conn.execute(text(
        "SELECT table_name, is_nullable = 'NO' FROM information_schema.columns "
        "WHERE table_schema = 'public' AND column_name = :k"), {"k": KOLOM})}


def _kunci_unik(conn) -> list[tuple[str, str, list[str]]]:
    """(table, constraint or index, columns) of every primary key, unique constraint and unique index."""
    return [(r[0], r[1], list(r[2] or [])) for r in conn.execute(text(
        """
        SELECT t.relname, i.relname,
               ARRAY(SELECT a.attname FROM unnest(x.indkey) k JOIN pg_attribute a
                       ON a.attrelid = x.indrelid AND a.attnum = k)
          FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = 'public' AND x.indisunique
        """))]


def _kunci_asing(conn) -> list[dict]:
    """Every foreign key in public: from table and columns to table and columns, in order."""
    return [dict(nama=r[0], dari=r[1], kolom=list(r[2]), ke=r[3], kolom_ke=list(r[4])) for r in conn.execute(text(
        """
        SELECT c.conname, f.relname,
               ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i),
               t.relname,
               ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                       JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)
          FROM pg_constraint c JOIN pg_class f ON f.oid = c.conrelid JOIN pg_class t ON t.oid = c.confrelid
          JOIN pg_namespace n ON n.oid = f.relnamespace
         WHERE c.contype = 'f' AND n.nspname = 'public'
        """))]


def _sudah(conn) -> dict[str, str]:
    if not citus_terpasang(conn):
        return {}
    return {r[0]: r[1] for r in conn.execute(text(
        "SELECT c.relname, CASE WHEN p.partmethod = 'h' THEN 'distributed' ELSE 'reference' END "
        "FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND (p.partmethod = 'h' OR p.repmodel = 't')"))}


def rencana(conn) -> Rencana:
    """The plan for this database: reference, distributed and local tables, and the problems in the way."""
    r = Rencana(sudah=_sudah(conn))
    tenant = _kolom_tenant(conn)
    for t in _tabel(conn):
        if t in LOKAL:
            r.lokal.append(t)
        elif t in tenant:
            r.terdistribusi.append(t)
            if not tenant[t]:
                r.masalah.append(f"{t}: {KOLOM} may be NULL (Citus needs it in every row)")
        else:
            r.referensi.append(t)
    dist = set(r.terdistribusi)
    for tabel, nama, kolom in _kunci_unik(conn):
        if tabel in dist and KOLOM not in kolom:
            r.masalah.append(f"{tabel}: unique key {nama} ({', '.join(kolom)}) lacks {KOLOM}")
    for fk in _kunci_asing(conn):
        if fk["ke"] not in dist:
            continue  # to a reference table: allowed from anywhere
        if fk["dari"] not in dist:
            r.masalah.append(f"{fk['dari']}: foreign key {fk['nama']} from a platform table to the office table {fk['ke']}")
        elif (KOLOM not in fk["kolom"] or KOLOM not in fk["kolom_ke"]
              or fk["kolom"].index(KOLOM) != fk["kolom_ke"].index(KOLOM)):
            r.masalah.append(f"{fk['dari']}: foreign key {fk['nama']} to {fk['ke']} does not match on {KOLOM}")
    return r


def _urut_rujukan(tabel: list[str], fks: list[dict]) -> list[str]:
    """Tables ordered so that every table comes after those its foreign keys point to (Citus needs that order)."""
    sisa, hasil = list(tabel), []
    butuh = {t: {f["ke"] for f in fks if f["dari"] == t and f["ke"] != t and f["ke"] in tabel} for t in tabel}
    while sisa:
        siap = [t for t in sisa if butuh[t] <= set(hasil)] or sisa[:1]  # a cycle: Citus will name it
        hasil.extend(siap)
        sisa = [t for t in sisa if t not in siap]
    return hasil


class TidakBisaDidistribusikan(Exception):
    """The database has tables Citus cannot distribute as planned; ``masalah`` names each."""

    def __init__(self, masalah: list[str]):
        super().__init__("cannot distribute:\n  " + "\n  ".join(masalah))
        self.masalah = masalah


def distribusikan(conn) -> dict[str, list[str]]:
    """Make the plan real on a Citus coordinator, as the owner; returns what was done this time.

    Raises ``TidakBisaDidistribusikan`` (nothing changed) while ``rencana`` lists problems.
    """
    if not citus_terpasang(conn):
        raise TidakBisaDidistribusikan(["the Citus extension is not installed in this database"])
    r = rencana(conn)
    if r.masalah:
        raise TidakBisaDidistribusikan(r.masalah)
    db = conn.execute(text("SELECT current_database()")).scalar()
    q = conn.dialect.identifier_preparer.quote
    # Triggers on distributed tables run on the shards: allowed for this database (later sessions) and now.
    conn.execute(text(f"ALTER DATABASE {q(db)} SET citus.enable_unsafe_triggers = on"))
    conn.execute(text(f"ALTER DATABASE {q(db)} SET citus.propagate_set_commands = 'local'"))
    conn.execute(text("SET LOCAL citus.enable_unsafe_triggers = on"))
    # One shard per node and office group is plenty at this size; a copy per worker, none on the coordinator.
    conn.execute(text("SET LOCAL citus.multi_shard_modify_mode = 'sequential'"))
    pasang_segel(conn)
    kebijakan_tanpa_subkueri(conn)
    fks = _kunci_asing(conn)
    # Citus places a table only when every table linked to it by a foreign key is placed already, which no order
    # achieves (a reference table is referenced by tables still local). So the keys of the tables still to place
    # are set aside, the tables placed, and the keys put back as they were (the plan checked Citus accepts them).
    baru = {t for t in r.referensi + r.terdistribusi if t not in r.sudah}
    disisihkan = [(fk["dari"], fk["nama"], conn.execute(text(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = :n AND conrelid = to_regclass(:t)"),
        {"n": fk["nama"], "t": q(fk["dari"])}).scalar()) for fk in fks if fk["dari"] in baru or fk["ke"] in baru]
    for tabel, nama, _ in disisihkan:
        conn.execute(text(f"ALTER TABLE {q(tabel)} DROP CONSTRAINT {q(nama)}"))
    dilakukan = {"reference": [], "distributed": []}
    for t in _urut_rujukan(r.referensi, fks):
        if t not in r.sudah:
            conn.execute(text("SELECT create_reference_table(:t)"), {"t": q(t)})
            dilakukan["reference"].append(t)
    for t in _urut_rujukan(r.terdistribusi, fks):
        if t not in r.sudah:
            _distribusikan_satu(conn, t)
            dilakukan["distributed"].append(t)
    for tabel, nama, definisi in disisihkan:
        conn.execute(text(f"ALTER TABLE {q(tabel)} ADD CONSTRAINT {q(nama)} {definisi}"))
    hak_tampilan(conn)
    return dilakukan


def hak_tampilan(conn) -> int:
    """The grants on our views given again on the coordinator, which Citus forwards to the workers; returns how many.

    Citus creates a view on every worker when it depends on a distributed table, but without the grants it had
    on the coordinator (given before), and a trigger running on a shard (the recap summary's) reads it there as
    the app role. A worker refuses a GRANT of its own on a distributed object.
    """
    q = conn.dialect.identifier_preparer.quote
    hak = conn.execute(text(
        """
        SELECT c.relname, pg_get_userbyid(a.grantee), a.privilege_type
          FROM pg_dist_object o JOIN pg_class c ON c.oid = o.objid AND o.classid = 'pg_class'::regclass
          JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
         WHERE n.nspname = 'public' AND c.relkind = 'v' AND a.grantee NOT IN (0, c.relowner)
        """)).all()
    for tampilan, peran, izin in hak:
        conn.execute(text(f"GRANT {izin} ON public.{q(tampilan)} TO {q(peran)}"))
    return len(hak)


_SUBKUERI = re.compile(r"\( SELECT (dinsos_\w+)\(\) AS \1\)")


def kebijakan_tanpa_subkueri(conn) -> int:
    """Every policy in public with ``(SELECT dinsos_tenant())`` read as ``dinsos_tenant()``; returns how many changed.

    Citus refuses subqueries in the policies of distributed and reference tables. The subquery only made
    PostgreSQL evaluate the (stable) function once per statement instead of once per row; the meaning is the same.
    """
    q = conn.dialect.identifier_preparer.quote
    n = 0
    for tabel, nama, pakai, periksa in conn.execute(text(
            "SELECT tablename, policyname, qual, with_check FROM pg_policies WHERE schemaname = 'public'")).all():
        baru = [_SUBKUERI.sub(r"\1()", x) if x else x for x in (pakai, periksa)]
        if baru == [pakai, periksa]:
            continue
        sql = f"ALTER POLICY {q(nama)} ON {q(tabel)}"
        sql += f" USING ({baru[0]})" if baru[0] else ""
        sql += f" WITH CHECK ({baru[1]})" if baru[1] else ""
        conn.execute(text(sql))
        n += 1
    return n


def _distribusikan_satu(conn, tabel: str) -> None:
    """One office table, split by ``tenant_id`` and co-located with the office tables already distributed."""
    jangkar = conn.execute(text(
        "SELECT p.logicalrelid::regclass::text FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND p.partmethod = 'h' "
        "ORDER BY p.colocationid, c.relname LIMIT 1")).scalar()
    conn.execute(text("SELECT create_distributed_table(:t, :k, colocate_with => :c)"),
                 {"t": conn.dialect.identifier_preparer.quote(tabel), "k": KOLOM, "c": jangkar or "default"})


def siapkan_migrasi(conn) -> None:
    """Before migrations on a distributed database: the settings its DDL needs in this transaction."""
    if sudah_didistribusikan(conn):
        conn.execute(text("SET LOCAL citus.enable_unsafe_triggers = on"))
        conn.execute(text("SET LOCAL citus.multi_shard_modify_mode = 'sequential'"))


def pasang_buat_tabel() -> None:
    """Alembic's ``create_table``, made to follow the rule on a distributed database.

    Citus refuses a foreign key from a plain (coordinator-local) table to a distributed one, so a migration's
    new office table referencing ``kasus`` would fail at CREATE TABLE. Here the table is created without its
    foreign keys, distributed (or made a reference table) at once, and then given them. Elsewhere, unchanged.
    """
    from alembic.operations import Operations, ops, toimpl
    from sqlalchemy import ForeignKeyConstraint
    from sqlalchemy.schema import AddConstraint

    asli = toimpl.create_table

    @Operations.implementation_for(ops.CreateTableOp, replace=True)
    def buat_tabel(operations, operation):
        conn = operations.migration_context.connection
        if conn is None or not sudah_didistribusikan(conn):
            return asli(operations, operation)
        table = operation.to_table(operations.migration_context)
        fks = [c for c in table.constraints if isinstance(c, ForeignKeyConstraint)]
        for fk in fks:
            table.constraints.discard(fk)
        try:
            operations.impl.create_table(table)
        finally:
            table.constraints.update(fks)
        if KOLOM in table.c:
            _distribusikan_satu(conn, table.name)
        else:
            conn.execute(text("SELECT create_reference_table(:t)"), {"t": conn.dialect.identifier_preparer.quote(table.name)})
        for fk in fks:
            operations.impl._exec(AddConstraint(fk))
        return table


# The seal of dinsos.core.rls on Citus. Same names and signatures; what differs is what "this backend, this
# transaction" means: the global pid and distributed transaction of the coordinator's backend, which the worker
# backends serving it share. ``dinsos_ikat`` first makes the transaction a distributed one (a read of a one-row
# reference table does it, on the coordinator's own copy) so that the number exists before the seal is computed.
FUNGSI_SEGEL_CITUS = (
    """
    CREATE OR REPLACE FUNCTION public.dinsos_segel(p_tenant text, p_lingkup text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      SELECT encode(sha256(k.kunci || convert_to(
               p_tenant || '|' || p_lingkup || '|' || pg_catalog.citus_backend_gpid()::text || '|'
               || (SELECT x.transaction_number::text || '@'
                          || coalesce((extract(epoch FROM x.transaction_stamp) * 1000000)::bigint::text, '')
                     FROM pg_catalog.get_current_transaction_id() x), 'UTF8')), 'hex')
        FROM rahasia.kunci_segel k
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION public.dinsos_ikat(p_rahasia text, p_tenant integer, p_lingkup text) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
      segel text;
    BEGIN
{PERIKSA_IKAT}      PERFORM public.dinsos_mulai_transaksi_terdistribusi();
      segel := public.dinsos_segel(coalesce(p_tenant::text, ''), p_lingkup);
      -- SET LOCAL, not set_config: Citus forwards SET LOCAL to every node taking part in the transaction.
      EXECUTE format('SET LOCAL app.tenant_id = %L', coalesce(p_tenant::text, ''));
      EXECUTE format('SET LOCAL app.lingkup = %L', p_lingkup);
      EXECUTE format('SET LOCAL app.segel = %L', segel);
      RETURN p_tenant;
    END;
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION public.dinsos_ikat_pemilik() RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM public.dinsos_mulai_transaksi_terdistribusi();
      EXECUTE 'SET LOCAL app.tenant_id = ''''';
      EXECUTE 'SET LOCAL app.lingkup = ''lintas''';
      EXECUTE format('SET LOCAL app.segel = %L', public.dinsos_segel('', 'lintas'));
    END;
    $$
    """,
)


def pasang_segel(conn) -> None:
    """The seal's Citus form on the coordinator, and the seal's key and functions on every worker. Idempotent."""
    kunci = conn.execute(text("SELECT encode(kunci, 'hex') FROM rahasia.kunci_segel")).scalar()
    # A one-row reference table: reading it makes a transaction distributed (so it has a number to seal over).
    conn.execute(text("CREATE TABLE IF NOT EXISTS rahasia.detak (x integer PRIMARY KEY)"))
    conn.execute(text("INSERT INTO rahasia.detak VALUES (1) ON CONFLICT DO NOTHING"))
    if not conn.execute(text("SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'rahasia.detak'::regclass")).scalar():
        conn.execute(text("SELECT create_reference_table('rahasia.detak')"))
    conn.execute(text(
        """
        CREATE OR REPLACE FUNCTION public.dinsos_mulai_transaksi_terdistribusi() RETURNS void
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
          IF (SELECT transaction_number FROM pg_catalog.get_current_transaction_id()) = 0 THEN
            PERFORM 1 FROM rahasia.detak;
          END IF;
        END;
        $$
        """))
    conn.execute(text("REVOKE ALL ON FUNCTION public.dinsos_mulai_transaksi_terdistribusi() FROM PUBLIC"))
    # The key on every worker: a plain table there, written by the superuser through Citus's node connections.
    for sql in (
        "CREATE SCHEMA IF NOT EXISTS rahasia",
        "REVOKE ALL ON SCHEMA rahasia FROM PUBLIC",
        "CREATE TABLE IF NOT EXISTS rahasia.kunci_segel (kunci bytea NOT NULL)",
        f"DELETE FROM rahasia.kunci_segel; INSERT INTO rahasia.kunci_segel VALUES (decode('{kunci}', 'hex'))",
    ):
        conn.execute(text("SELECT * FROM run_command_on_workers(:s)"), {"s": sql})
    for sql in FUNGSI_SEGEL_CITUS:
        conn.execute(text(sql))
    for fungsi in ("dinsos_segel(text, text)", "dinsos_tenant()", "dinsos_lingkup()"):
        conn.execute(text(f"SELECT create_distributed_function('public.{fungsi}')"))


def buat_basis_data(url_admin: str, nama: str) -> None:
    """A fresh database ``nama`` on every node of the cluster the superuser URL's coordinator runs, ready to upgrade.

    Citus does not propagate CREATE DATABASE: it is made on each node, with the extension, and the coordinator's
    copy is told the nodes (read from the admin database's own node list, as deploy/citus.sh set it up).
    """
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = make_url(url_admin)
    mesin = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with mesin.connect() as c:
            koordinator = c.execute(text("SELECT nodename, nodeport FROM pg_dist_node WHERE groupid = 0")).first()
            pekerja = c.execute(text("SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 "
                                     "AND noderole = 'primary' ORDER BY nodeid")).all()
    finally:
        mesin.dispose()
    if koordinator is None:
        raise RuntimeError(f"{admin.render_as_string()} is no Citus coordinator (run deploy/citus.sh start)")
    for host, port in [tuple(koordinator), *map(tuple, pekerja)]:
        simpul = create_engine(admin.set(host=host, port=port), isolation_level="AUTOCOMMIT")
        try:
            with simpul.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{nama}" WITH (FORCE)'))
                c.execute(text(f'CREATE DATABASE "{nama}"'))
            baru = create_engine(admin.set(host=host, port=port, database=nama), isolation_level="AUTOCOMMIT")
            with baru.connect() as c:
                c.execute(text("CREATE EXTENSION IF NOT EXISTS citus"))
            baru.dispose()
        finally:
            simpul.dispose()
    baru = create_engine(admin.set(database=nama), isolation_level="AUTOCOMMIT")
    try:
        with baru.connect() as c:
            c.execute(text("SELECT citus_set_coordinator_host(:h, :p)"), {"h": koordinator[0], "p": koordinator[1]})
            for host, port in pekerja:
                c.execute(text("SELECT citus_add_node(:h, :p)"), {"h": host, "p": port})
    finally:
        baru.dispose()


_TERDISTRIBUSI: dict[tuple[str, str], bool] = {}


def terdistribusi(sesi, tabel: str) -> bool:
    """Whether ``tabel`` is a distributed table in the session's database (remembered per database URL)."""
    kunci = (str(sesi.get_bind().url), tabel)
    if kunci not in _TERDISTRIBUSI:
        if sesi.get_bind().dialect.name != "postgresql":
            _TERDISTRIBUSI[kunci] = False
        elif sesi.execute(text("SELECT to_regclass('pg_catalog.pg_dist_partition') IS NULL")).scalar():
            _TERDISTRIBUSI[kunci] = False  # no Citus here
        else:
            _TERDISTRIBUSI[kunci] = bool(sesi.execute(text(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition "
                "WHERE logicalrelid = to_regclass(:t) AND partmethod = 'h')"), {"t": tabel}).scalar())
    return _TERDISTRIBUSI[kunci]


def klaim(sesi, kueri, model) -> list:
    """The rows of ``kueri`` (ordered, limited, over several offices) locked ``FOR UPDATE SKIP LOCKED``.

    One statement on PostgreSQL. Citus locks rows only in a statement routed to one shard, so on a distributed
    table: the candidates first, unlocked (one multi-shard read), then per office the same statement among them,
    locked (routed by ``tenant_id``); the statement's own conditions are checked again under the lock, so a row
    another worker took meanwhile drops out. ``kueri`` selects ``model`` entities or its ``tenant_id, id`` first.
    """
    if not terdistribusi(sesi, model.__tablename__):
        return sesi.execute(kueri.with_for_update(skip_locked=True)).all()

    def kunci(baris):
        return (baris[0].tenant_id, baris[0].id) if isinstance(baris[0], model) else (baris[0], baris[1])

    calon = sesi.execute(kueri).all()
    per_kantor: dict[int, list] = {}
    for b in calon:
        t, i = kunci(b)
        per_kantor.setdefault(t, []).append(i)
    didapat = set()
    for t, ids in per_kantor.items():
        q = kueri.where(model.tenant_id == t, model.id.in_(ids)).with_for_update(skip_locked=True)
        didapat.update(kunci(b) for b in sesi.execute(q.execution_options(populate_existing=True)).all())
    return [b for b in calon if kunci(b) in didapat]
