"""The recap summary: cases counted per office, local day and dimension values (migration 0021_ringkasan_rekap.py).

Written only by the database's triggers on PostgreSQL (the migration says how);
read by ``rekap`` in place of the cases where it can. Empty on SQLite.
"""
import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import UtcDateTime, db


class RingkasanRekap(db.Model):
    """How many cases of an office, received on ``hari`` (its zone), have these values."""

    __tablename__ = "ringkasan_rekap"

    tenant_id: Mapped[int] = mapped_column(Integer, ForeignKey("tenants.id", ondelete="RESTRICT"), primary_key=True)
    hari: Mapped[date] = mapped_column(Date, primary_key=True)
    kategori: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: not filled
    layanan_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    wilayah: Mapped[str] = mapped_column(String(20), primary_key=True)  # the address code, else the NIK's; '' none
    jenis_kelamin: Mapped[str] = mapped_column(String(1), primary_key=True)
    kelompok_umur: Mapped[str] = mapped_column(String(6), primary_key=True)
    hasil: Mapped[str] = mapped_column(String(81), primary_key=True)
    # tepat, terlambat, tanpa_batas, berjalan (paused), or jalan: running, past due once ``batas`` has passed.
    ketepatan: Mapped[str] = mapped_column(String(12), primary_key=True)
    batas: Mapped[datetime] = mapped_column(UtcDateTime, primary_key=True)
    jumlah: Mapped[int] = mapped_column(Integer, nullable=False)
