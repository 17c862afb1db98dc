"""In-app notices and each office's notification settings."""
import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import MilikTenant, UtcDateTime, db, fk_tenant
from dinsos.core.kripto import Terenkripsi


class Notifikasi(MilikTenant, db.Model):
    """One notice in a staff member's inbox. ``kunci`` names the event, so the same notice is never created twice."""

    __tablename__ = "notifikasi"

    penerima_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    judul: Mapped[str] = mapped_column(String(300), nullable=False)
    isi: Mapped[str] = mapped_column(Text, nullable=False, default="")
    tautan: Mapped[str | None] = mapped_column(String(500))
    kunci: Mapped[str] = mapped_column(String(200), nullable=False)
    dibaca_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # What the notice asks its reader to act on (e.g. ``langkah:<case>:<step>``): once that is done or handed to
    # someone else, the group's earlier notices are superseded: ``usang_pada``, and why in words.
    kelompok: Mapped[str | None] = mapped_column(String(200))
    usang_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    usang_alasan: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (
        fk_tenant("penerima_id", "pengguna", ondelete="CASCADE"),
        Index("ix_notifikasi_kelompok", "tenant_id", "kelompok",
              postgresql_where=text("usang_pada IS NULL AND kelompok IS NOT NULL"),
              sqlite_where=text("usang_pada IS NULL AND kelompok IS NOT NULL")),
        UniqueConstraint("tenant_id", "kunci"),
        Index("ix_notifikasi_kotak_masuk", "tenant_id", "penerima_id", "dibuat_pada"),
        # The header's unread count reads only this small index.
        Index(
            "ix_notifikasi_belum_dibaca",
            "tenant_id",
            "penerima_id",
            postgresql_where=text("dibaca_pada IS NULL"),
            sqlite_where=text("dibaca_pada IS NULL"),
        ),
    )


class PengaturanNotifikasi(MilikTenant, db.Model):
    """How an office reaches its staff outside the platform (one row per office; absent means defaults)."""

    __tablename__ = "pengaturan_notifikasi"

    nama_pengirim_email: Mapped[str | None] = mapped_column(String(200))
    # Gateways put their access token in the URL: encrypted at rest (the form limits it to 500 characters).
    webhook_whatsapp: Mapped[str | None] = mapped_column(Terenkripsi)

    __table_args__ = (UniqueConstraint("tenant_id"),)
