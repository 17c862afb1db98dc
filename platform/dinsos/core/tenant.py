"""The current tenant, bound once per request or task, and the scoping rules.

Reading: every ORM SELECT/UPDATE/DELETE that touches a tenant-owned model is
filtered to the bound tenant; with no tenant bound it is refused (fail
closed). Writing: new rows get the bound ``tenant_id``; a row of another
tenant cannot be flushed. Crossing tenants (referrals, provincial oversight,
platform admin, periodic jobs) is only possible inside ``lintas_tenant``,
which names its reason and is audited.

On PostgreSQL the same binding is copied into the transaction with
``set_config('app.tenant_id', ...)``, which row-level security policies read.
"""
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, text
from sqlalchemy.orm import Session, with_loader_criteria

from .db import MilikTenant
from .jejak import catat as catat_audit

_tenant_id: ContextVar[int | None] = ContextVar("dinsos_tenant_id", default=None)
_lintas: ContextVar[str | None] = ContextVar("dinsos_lintas_tenant", default=None)


class TenantTidakTerikat(RuntimeError):
    """A tenant-owned table was touched with no tenant bound and no declared crossing."""


class PelanggaranTenant(RuntimeError):
    """A write would put or move a row into a tenant other than the bound one."""


def tenant_aktif() -> int | None:
    """The id of the bound tenant, or None."""
    return _tenant_id.get()


def alasan_lintas() -> str | None:
    """The declared reason while crossing tenants, else None."""
    return _lintas.get()


def ikat_tenant(tenant_id: int | None, *, sudah_di_transaksi: bool = False):
    """Bind a tenant for the rest of this context; returns a token for ``lepas_tenant``.

    ``sudah_di_transaksi``: the caller has already copied this binding into the open transaction
    (``tenancy.services.ikat_dari_slug`` does, in its lookup), so it is not sent again.
    """
    token = _tenant_id.set(tenant_id)
    if not sudah_di_transaksi:
        _sinkron_db()
    return token


def lepas_tenant(token) -> None:
    _tenant_id.reset(token)
    _sinkron_db()


@contextmanager
def dalam_tenant(tenant_id: int):
    """Run a block as the given tenant (tasks, CLI, tests)."""
    token = ikat_tenant(tenant_id)
    lintas = _lintas.set(None)
    try:
        yield
    finally:
        _lintas.reset(lintas)
        lepas_tenant(token)


@contextmanager
def lintas_tenant(alasan: str, *, catat: bool = True, **rincian):
    """Declare a cross-tenant block. ``alasan`` names why; it is written to the audit log.

    Background sweeps pass ``catat=False`` and audit each item they act on
    instead, so an idle sweep does not flood the log.
    """
    if not alasan:
        raise ValueError("lintas_tenant needs a reason")
    if catat:
        catat_audit("lintas_tenant", alasan=alasan, **rincian)
    token = _lintas.set(alasan)
    _sinkron_db()
    try:
        yield
    finally:
        _lintas.reset(token)
        _sinkron_db()


def _model_tenant_tersentuh(state) -> bool:
    return any(issubclass(m.class_, MilikTenant) for m in state.all_mappers)


@event.listens_for(Session, "do_orm_execute")
def _saring_per_tenant(state):
    if state.is_column_load or not (state.is_select or state.is_update or state.is_delete):
        return
    if _lintas.get() is not None:
        return
    tid = _tenant_id.get()
    if tid is None:
        if _model_tenant_tersentuh(state):
            raise TenantTidakTerikat("tenant-owned data queried with no tenant bound")
        return
    state.statement = state.statement.options(
        with_loader_criteria(MilikTenant, lambda cls: cls.tenant_id == tid, include_aliases=True)
    )


@event.listens_for(Session, "before_flush")
def _periksa_tulis(session, flush_context, instances):
    if _lintas.get() is not None:
        return
    tid = _tenant_id.get()
    for obj in session.new:
        if isinstance(obj, MilikTenant):
            if tid is None:
                raise TenantTidakTerikat(f"insert of {type(obj).__name__} with no tenant bound")
            if obj.tenant_id is None:
                obj.tenant_id = tid
            elif obj.tenant_id != tid:
                raise PelanggaranTenant(f"insert of {type(obj).__name__} into another tenant")
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, MilikTenant) and obj.tenant_id != tid:
            raise PelanggaranTenant(f"write to {type(obj).__name__} of another tenant")


@event.listens_for(Session, "after_begin")
def _salin_ke_transaksi(session, transaction, connection):
    # Nothing bound means the settings stay unset, which the policies read as "no office" (set_config is
    # transaction-local, so none survives from an earlier transaction): no round trip needed.
    if connection.dialect.name == "postgresql" and (_tenant_id.get() is not None or _lintas.get() is not None):
        _set_config(connection)


def _set_config(connection) -> None:
    tid = _tenant_id.get()
    connection.execute(
        text("SELECT set_config('app.tenant_id', :tid, true), set_config('app.lintas_tenant', :lintas, true)"),
        {"tid": "" if tid is None else str(tid), "lintas": "on" if _lintas.get() else ""},
    )


def _sinkron_db() -> None:
    """Copy a changed binding into the open PostgreSQL transaction, if there is one."""
    from .db import db

    try:
        session = db.session()
    except RuntimeError:  # no application context: nothing open to update
        return
    if session.in_transaction():
        conn = session.connection()
        if conn.dialect.name == "postgresql":
            _set_config(conn)
