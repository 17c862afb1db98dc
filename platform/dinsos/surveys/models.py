"""Survey responses (SKM), the per-case survey tokens, and an office's survey settings."""
import uuid
from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import MilikTenant, UtcDateTime, db, fk_tenant

Json = JSON().with_variant(JSONB(), "postgresql")


class TokenSurvei(MilikTenant, db.Model):
    """A one-time survey token printed (as a QR code) on a case's final letter.

    ``objek_jenis``/``objek_id`` name what it was issued for (e.g. a case);
    ``dipakai_pada`` is set by the one response it admits.
    """

    __tablename__ = "token_survei"

    kode: Mapped[str] = mapped_column(String(43), nullable=False)
    objek_jenis: Mapped[str | None] = mapped_column(String(40))
    objek_id: Mapped[str | None] = mapped_column(String(64))
    dipakai_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "kode"),)


class JawabanSurvei(MilikTenant, db.Model):
    """One respondent's answers about one service.

    ``nilai`` maps element code -> score 1-4 (an element left blank is absent).
    ``tahun``/``semester`` are the office-local period it was given in, kept
    so reports select a period by index, not by time-zone arithmetic.
    """

    __tablename__ = "jawaban_survei"

    layanan_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    token_id: Mapped[uuid.UUID | None] = mapped_column()
    tahun: Mapped[int] = mapped_column(Integer, nullable=False)
    semester: Mapped[int] = mapped_column(Integer, nullable=False)
    nilai: Mapped[dict] = mapped_column(Json, nullable=False)
    kelompok_umur: Mapped[str | None] = mapped_column(String(20))
    jenis_kelamin: Mapped[str | None] = mapped_column(String(20))
    pendidikan: Mapped[str | None] = mapped_column(String(20))
    pekerjaan: Mapped[str | None] = mapped_column(String(20))
    komentar: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        fk_tenant("layanan_id", "layanan"),
        fk_tenant("token_id", "token_survei"),
        UniqueConstraint("tenant_id", "token_id"),
        Index("ix_jawaban_survei_periode", "tenant_id", "tahun", "semester"),
    )


class KonfigurasiSurvei(MilikTenant, db.Model):
    """An office's own survey settings: extra elements and weights (one row per office).

    ``unsur_tambahan``: [{kode, nama, pertanyaan}]. ``bobot``: element code ->
    weight as text ("1/9"), or None for equal weights.
    """

    __tablename__ = "konfigurasi_survei"

    unsur_tambahan: Mapped[list] = mapped_column(Json, nullable=False, default=list)
    bobot: Mapped[dict | None] = mapped_column(Json)

    __table_args__ = (UniqueConstraint("tenant_id"),)
