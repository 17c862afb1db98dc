"""Writing audit events. Plain functions; the request, if any, supplies who and from where."""
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import insert

from dinsos.core.db import db, sekarang
from dinsos.core.tenant import alasan_lintas, tenant_aktif

from .models import PLATFORM, CatatanAudit


def aktor_sekarang() -> tuple[str, int | None]:
    """(actor label, actor's tenant id) for the current request, or the system."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.label_audit, getattr(current_user, "tenant_id", None)
    return "sistem", None


def catat_peristiwa(
    tindakan: str,
    *,
    objek_jenis: str | None = None,
    objek_id=None,
    tenant_id: int | None = None,
    aktor: str | None = None,
    alasan: str | None = None,
    **rincian,
) -> None:
    """Write an audit row in the current transaction; it commits (or rolls back) with the caller's work.

    ``tenant_id`` defaults to the bound tenant (``PLATFORM`` when none is); a cross-tenant block records
    its declared reason.
    """
    label, aktor_tenant = aktor_sekarang()
    # Written now, in the caller's transaction, not at its next flush: on PostgreSQL the audit log's policy
    # checks the binding at INSERT, and by the next flush a crossing that wrote the row may have closed or
    # another office may be bound (a referral delivered by a worker: the sender's event, then the receiver's work).
    db.session.execute(insert(CatatanAudit.__table__).values(
        waktu=sekarang(),
        tindakan=tindakan,
        objek_jenis=objek_jenis,
        objek_id=None if objek_id is None else str(objek_id),
        tenant_id=(tenant_aktif() or PLATFORM) if tenant_id is None else tenant_id,
        aktor=aktor or label,
        aktor_tenant_id=aktor_tenant,
        alamat_ip=request.remote_addr if has_request_context() else None,
        lintas_tenant=alasan or alasan_lintas(),
        rincian={k: v for k, v in rincian.items() if v is not None},
    ))
