"""Number sequences per office, kind and year; issued letters and their archived PDFs."""
from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import MilikTenant, UtcDateTime, db


class UrutanNomor(MilikTenant, db.Model):
    """The last number issued for one kind (``register``, ``surat``...) in one year of one office.

    ``id`` is unused beyond the tenant key rule; the row is found by (tenant, jenis, tahun).
    """

    __tablename__ = "urutan_nomor"

    jenis: Mapped[str] = mapped_column(String(40), nullable=False)
    tahun: Mapped[int] = mapped_column(Integer, nullable=False)
    terakhir: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    __table_args__ = (db.UniqueConstraint("tenant_id", "jenis", "tahun"),)


class SuratTerbit(MilikTenant, db.Model):
    """An issued letter, archived as the exact PDF bytes that were handed out.

    The PDF is never regenerated: downloads serve ``pdf`` as stored and
    ``sidik`` (SHA-256 of those bytes) is what the public verification compares.
    Bytes live in this row because the platform has no storage interface yet;
    letters are small (tens of kilobytes). ``pdf`` is deferred so listing
    letters never loads them.
    """

    __tablename__ = "surat_terbit"

    jenis: Mapped[str] = mapped_column(String(40), nullable=False)
    nomor: Mapped[str] = mapped_column(String(120), nullable=False)
    kode: Mapped[str] = mapped_column(String(64), nullable=False)
    sidik: Mapped[str] = mapped_column(String(64), nullable=False)
    url_verifikasi: Mapped[str] = mapped_column(String(400), nullable=False)
    objek_jenis: Mapped[str] = mapped_column(String(40), nullable=False)
    objek_id: Mapped[str] = mapped_column(String(64), nullable=False)
    diterbitkan_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    diterbitkan_oleh: Mapped[str] = mapped_column(String(120), nullable=False)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, deferred=True)

    __table_args__ = (
        db.UniqueConstraint("tenant_id", "kode"),
        db.Index("ix_surat_terbit_tenant_nomor", "tenant_id", "nomor"),
        db.Index("ix_surat_terbit_tenant_objek", "tenant_id", "objek_jenis", "objek_id"),
    )
