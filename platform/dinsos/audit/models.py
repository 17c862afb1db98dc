"""Audit log rows. Append-only: an ORM update or delete is refused, and on
PostgreSQL a trigger and the app role's grants refuse it too."""
from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import UtcDateTime, db, sekarang

# ``tenant_id`` of a platform event, which touches no office. Not NULL: the log is distributed by office on Citus
# (migration 0020), which needs a value in every row; not an office either, so no foreign key to ``tenants``.
PLATFORM = 0


class CatatanAudit(db.Model):
    """One audited event. ``tenant_id`` is the tenant whose data was touched (``PLATFORM``: none)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    waktu: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
    tenant_id: Mapped[int] = mapped_column(Integer, nullable=False, default=PLATFORM, server_default=str(PLATFORM))
    aktor: Mapped[str] = mapped_column(String(120), nullable=False)
    aktor_tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id"))
    tindakan: Mapped[str] = mapped_column(String(60), nullable=False)
    objek_jenis: Mapped[str | None] = mapped_column(String(60))
    objek_id: Mapped[str | None] = mapped_column(String(64))
    alamat_ip: Mapped[str | None] = mapped_column(String(64))
    lintas_tenant: Mapped[str | None] = mapped_column(String(200))
    rincian: Mapped[dict] = mapped_column(JSON().with_variant(JSONB(), "postgresql"), nullable=False, default=dict)

    __table_args__ = (
        Index("ix_audit_log_tenant_waktu", "tenant_id", "waktu"),
        Index("ix_audit_log_objek", "objek_jenis", "objek_id"),
        # No INSERT ... RETURNING: PostgreSQL would then check the new row against the reading policy too, and
        # who may append a row (platform events, an office's own) is wider than who may read it back.
        {"implicit_returning": False},
    )


@event.listens_for(CatatanAudit, "before_update")
@event.listens_for(CatatanAudit, "before_delete")
def _tolak_ubah(mapper, connection, target):
    raise PermissionError("catatan audit tidak boleh diubah atau dihapus")
