"""Running deadlines and the notices sent about them.

A ``Tenggat`` is one clock on one thing (a case step, a whole case, a
complaint step, a referral awaiting an answer). Its thresholds are computed
when it starts, pauses or resumes and stored as timestamps; the sweep only
reads rows whose ``aksi_berikutnya_pada`` has passed, so its cost follows the
number of due items, not the number of open ones.

``induk_id`` (the case or complaint a clock belongs to), ``layanan_id`` and
``langkah_kode`` let lists and the dashboard group clocks in SQL;
``menit_standar`` and ``menit_aktual`` (working minutes for working-time
clocks, clock minutes for calendar ones, pauses left out) are fixed when the
clock starts and ends, so the time-standard report is one aggregate query.
"""
import uuid
from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import MilikTenant, UtcDateTime, db, fk_tenant

JENIS_PEMBERITAHUAN = ("peringatan", "terlambat", "eskalasi_kabid", "eskalasi_kadis", "tinjauan")


_BERJALAN = "selesai_pada IS NULL AND dijeda_pada IS NULL"  # a stopped clock is finished too


class Tenggat(MilikTenant, db.Model):
    """A deadline on one object, with its warn, due and second-escalation points."""

    __tablename__ = "tenggat"

    objek_jenis: Mapped[str] = mapped_column(String(40), nullable=False)
    objek_id: Mapped[str] = mapped_column(String(64), nullable=False)
    judul: Mapped[str] = mapped_column(String(300), nullable=False)
    tautan: Mapped[str | None] = mapped_column(String(300))
    penanggung_jawab_id: Mapped[uuid.UUID | None] = mapped_column()
    durasi: Mapped[str] = mapped_column(String(60), nullable=False)
    waktu_kalender: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    berulang: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    putaran: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    mulai_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    warn_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    eskalasi_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    aksi_berikutnya_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    dijeda_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sisa_menit: Mapped[int | None] = mapped_column(Integer)
    sisa_menit_peringatan: Mapped[int | None] = mapped_column(Integer)
    selesai_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Ended without being done (a case closed early, an optional step skipped): left out of on-time rates.
    dihentikan: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    induk_id: Mapped[uuid.UUID | None] = mapped_column()
    layanan_id: Mapped[uuid.UUID | None] = mapped_column()
    langkah_kode: Mapped[str | None] = mapped_column(String(80))
    menit_standar: Mapped[int | None] = mapped_column(Integer)
    menit_aktual: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("tenant_id", "objek_jenis", "objek_id"),
        fk_tenant("penanggung_jawab_id", "pengguna"),
        fk_tenant("layanan_id", "layanan"),
        # Only live clocks with a pending action are indexed: the sweep's working set.
        Index(
            "ix_tenggat_aksi_berikutnya",
            "aksi_berikutnya_pada",
            postgresql_where=text("aksi_berikutnya_pada IS NOT NULL"),
            sqlite_where=text("aksi_berikutnya_pada IS NOT NULL"),
        ),
        Index("ix_tenggat_due_terbuka", "tenant_id", "due_at"),
        Index("ix_tenggat_induk", "tenant_id", "induk_id"),
        # A case's own time-limit clock, one per case: what recaps join to count cases on time (dinsos.laporan).
        Index("ix_tenggat_kasus_induk", "tenant_id", "induk_id",
              postgresql_where=text("objek_jenis = 'kasus'"), sqlite_where=text("objek_jenis = 'kasus'")),
        Index("ix_tenggat_selesai", "tenant_id", "selesai_pada"),
        # Running clocks of one kind by due time: how many are overdue, for the menu's counts (dinsos.tugas).
        Index("ix_tenggat_berjalan", "tenant_id", "objek_jenis", "due_at", postgresql_where=text(_BERJALAN),
              sqlite_where=text(_BERJALAN)),
    )


class PemberitahuanTenggat(MilikTenant, db.Model):
    """That one notice of one kind was sent for one deadline (round). The unique key makes it once only."""

    __tablename__ = "pemberitahuan_tenggat"

    tenggat_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    jenis: Mapped[str] = mapped_column(String(30), nullable=False)
    putaran: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    dikirim_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)

    __table_args__ = (
        fk_tenant("tenggat_id", "tenggat", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "tenggat_id", "jenis", "putaran"),
    )
