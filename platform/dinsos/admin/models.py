"""Staged onboarding drafts: an office's files as a platform admin is editing them, before they are published."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import UtcDateTime, db, sekarang

Json = JSON().with_variant(JSONB(), "postgresql")


class DrafOnboarding(db.Model):
    """One office's files in progress: ``{"tenant.yaml": text, "services/<kode>.yaml": text, ...}``.

    A platform table, not tenant-owned, and keyed by the office's slug rather
    than a tenant id: a new region has no tenant row until its draft is
    published. It lives in the database, not the session, because a whole
    office's YAML does not fit a signed cookie, it must survive a restart and
    be the same on every web worker, and another admin may pick it up.
    ``revisi`` counts saves, so an edit made on a stale page is refused
    instead of silently overwriting someone else's work.
    """

    __tablename__ = "draf_onboarding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    berkas: Mapped[dict] = mapped_column(Json, nullable=False, default=dict)
    revisi: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    dibuat_oleh: Mapped[int | None] = mapped_column(ForeignKey("admin_platform.id", ondelete="SET NULL"))
    dibuat_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
    diubah_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
