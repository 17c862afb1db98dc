"""A complaint (pengaduan) and the follow-up steps it carries from its service's standard."""
import uuid
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dinsos.core.db import MilikTenant, UtcDateTime, db, fk_tenant
from dinsos.core.kripto import Terenkripsi

# The one column type of the complainant's identity (name, contact): encrypted
# at rest like a case's reporter, re-encrypted by ``dinsos keys rotate``.
TeksIdentitas = Terenkripsi

STATUS_PENGADUAN = ("diproses", "menunggu_jawaban", "selesai")


class Pengaduan(MilikTenant, db.Model):
    """A complaint about the office or one of its services, from any channel.

    Its deadline and each running step's are ``dinsos.sla`` clocks
    (``Tenggat`` with ``induk_id`` = this complaint), not columns here.
    """

    __tablename__ = "pengaduan"

    kode_lacak: Mapped[str] = mapped_column(String(10), nullable=False)
    kanal: Mapped[str] = mapped_column(String(20), nullable=False)
    nomor_referensi: Mapped[str | None] = mapped_column(String(60))
    layanan_id: Mapped[uuid.UUID | None] = mapped_column()
    isi: Mapped[str] = mapped_column(Text, nullable=False)
    nama_pelapor: Mapped[str | None] = mapped_column(TeksIdentitas)
    kontak_pelapor: Mapped[str | None] = mapped_column(TeksIdentitas)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="diproses")
    waktu_standar: Mapped[str] = mapped_column(String(60), nullable=False)
    mulai_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    dicatat_oleh: Mapped[uuid.UUID | None] = mapped_column()
    jawaban: Mapped[str | None] = mapped_column(Text)
    ditutup_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ditutup_oleh: Mapped[uuid.UUID | None] = mapped_column()

    langkah: Mapped[list["LangkahPengaduan"]] = relationship(
        order_by="LangkahPengaduan.urutan", back_populates="pengaduan", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("tenant_id", "kode_lacak"),
        fk_tenant("layanan_id", "layanan"),
        fk_tenant("dicatat_oleh", "pengguna"),
        fk_tenant("ditutup_oleh", "pengguna"),
    )

    @property
    def anonim(self) -> bool:
        return not (self.nama_pelapor or self.kontak_pelapor)

    @property
    def langkah_berjalan(self) -> "LangkahPengaduan | None":
        return next((l for l in self.langkah if l.status == "berjalan"), None)


class LangkahPengaduan(MilikTenant, db.Model):
    """One follow-up step of a complaint, copied from the standard when the complaint was made.

    ``status`` goes menunggu -> berjalan -> selesai or dilewati (optional steps only), one step at a time.
    """

    __tablename__ = "langkah_pengaduan"

    pengaduan_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    urutan: Mapped[int] = mapped_column(Integer, nullable=False)
    kode: Mapped[str] = mapped_column(String(80), nullable=False)
    nama: Mapped[str] = mapped_column(String(300), nullable=False)
    opsional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    waktu_standar: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="menunggu")
    mulai_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    selesai_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    catatan: Mapped[str | None] = mapped_column(Text)
    dikerjakan_oleh: Mapped[uuid.UUID | None] = mapped_column()

    pengaduan: Mapped[Pengaduan] = relationship(back_populates="langkah")

    __table_args__ = (
        fk_tenant("pengaduan_id", "pengaduan", ondelete="CASCADE"),
        fk_tenant("dikerjakan_oleh", "pengguna"),
        UniqueConstraint("tenant_id", "pengaduan_id", "urutan"),
    )
