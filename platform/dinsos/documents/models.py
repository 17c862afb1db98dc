"""Number sequences per office, kind and year."""
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import MilikTenant, db


class UrutanNomor(MilikTenant, db.Model):
    """The last number issued for one kind (``register``, ``surat``...) in one year of one office.

    ``id`` is unused beyond the tenant key rule; the row is found by (tenant, jenis, tahun).
    """

    __tablename__ = "urutan_nomor"

    jenis: Mapped[str] = mapped_column(String(40), nullable=False)
    tahun: Mapped[int] = mapped_column(Integer, nullable=False)
    terakhir: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    __table_args__ = (db.UniqueConstraint("tenant_id", "jenis", "tahun"),)
