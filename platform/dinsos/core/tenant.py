"""The current tenant, bound once per request or task, and the scoping rules.

Reading: every ORM SELECT/UPDATE/DELETE that touches a tenant-owned model is
filtered to the bound tenant; with no tenant bound it is refused (fail
closed). Writing: new rows get the bound ``tenant_id``; a row of another
tenant cannot be flushed. Crossing tenants (referrals, provincial oversight,
platform admin, periodic jobs) is only possible inside ``lintas_tenant``,
which names its reason and is audited.

On PostgreSQL the same binding is copied into the transaction by
``dinsos_ikat(secret, tenant, scope)``, which seals it for row-level security
(``dinsos.core.rls``): SQL that does not know the app's secret cannot bind an
office or open a crossing. ``ruang_platform`` is the third scope: the platform
tables (admin accounts, onboarding drafts) for a platform admin's work, with
the offices' own rows still closed.
"""
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, text
from sqlalchemy.orm import Session, with_loader_criteria

from .db import MilikTenant
from .jejak import catat as catat_audit

_tenant_id: ContextVar[int | None] = ContextVar("dinsos_tenant_id", default=None)
_lintas: ContextVar[str | None] = ContextVar("dinsos_lintas_tenant", default=None)
_platform: ContextVar[bool] = ContextVar("dinsos_ruang_platform", default=False)


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
    """Run a block as the given tenant (tasks, CLI, tests): only that office, even inside a crossing."""
    lintas, platform = _lintas.set(None), _platform.set(False)
    token = ikat_tenant(tenant_id)  # copies the whole binding, crossing closed, into the open transaction
    try:
        yield
    finally:
        _lintas.reset(lintas)
        _platform.reset(platform)
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


def ikat_platform():
    """Open the platform scope for the rest of this context; returns a token for ``lepas_platform``."""
    token = _platform.set(True)
    _sinkron_db()
    return token


def lepas_platform(token) -> None:
    _platform.reset(token)
    _sinkron_db()


@contextmanager
def ruang_platform():
    """Run a block in the platform scope: platform admins' accounts and sessions, onboarding drafts, any office's
    profile row. Not a crossing: tenant-owned rows stay as closed as before (use ``lintas_tenant`` for those)."""
    token = ikat_platform()
    try:
        yield
    finally:
        lepas_platform(token)


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
    if connection.dialect.name == "postgresql" and (
        _tenant_id.get() is not None or _lintas.get() is not None or _platform.get()
    ):
        _set_config(connection)


def lingkup() -> str:
    """The scope beyond the bound office, as the database knows it: '', 'platform' or 'lintas'."""
    return "lintas" if _lintas.get() is not None else "platform" if _platform.get() else ""


def _set_config(connection) -> None:
    from flask import current_app

    # Bound parameters, never literals: the secret must not show in pg_stat_activity's query text.
    connection.execute(
        text("SELECT dinsos_ikat(:rahasia, :tid, :lingkup)"),
        {"rahasia": current_app.config["RAHASIA_IKATAN"], "tid": _tenant_id.get(), "lingkup": lingkup()},
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
