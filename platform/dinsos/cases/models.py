"""Cases, their clients, requirement checklists, step instances, attachments and timeline.

Sensitive fields (names, NIK, addresses, descriptions, free-text notes and
step form answers) are encrypted at rest (``dinsos.core.kripto``); the NIK is
found again through its keyed hash ``nik_sidik``.
"""
import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dinsos.core.db import MilikTenant, UtcDateTime, db, fk_tenant, sekarang
from dinsos.core.kripto import Terenkripsi, TerenkripsiJson

from .konstanta import STATUS_KASUS
from .nik import wilayah_dari_nik


class Klien(MilikTenant, db.Model):
    """A person served (penerima manfaat), possibly without identity papers."""

    __tablename__ = "klien"

    nama: Mapped[str | None] = mapped_column(Terenkripsi)
    tanpa_identitas: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    deskripsi: Mapped[str | None] = mapped_column(Terenkripsi)
    nik: Mapped[str | None] = mapped_column(Terenkripsi)
    nik_sidik: Mapped[str | None] = mapped_column(String(64))
    tanggal_lahir: Mapped[date | None] = mapped_column(Date)
    # An estimated age is kept with the date it was estimated, so the age moves on.
    umur_perkiraan: Mapped[int | None] = mapped_column(Integer)
    umur_perkiraan_pada: Mapped[date | None] = mapped_column(Date)
    jenis_kelamin: Mapped[str | None] = mapped_column(String(1))
    alamat: Mapped[str | None] = mapped_column(Terenkripsi)
    kode_wilayah: Mapped[str | None] = mapped_column(String(20))
    # PP.KK.CC of the NIK (where it was issued), kept in clear beside the encrypted NIK so recaps can count by
    # region in SQL when no address code was given; set whenever ``nik`` is (``_ikuti_nik`` below).
    kode_wilayah_nik: Mapped[str | None] = mapped_column(String(8))
    kategori_ppks: Mapped[int | None] = mapped_column(Integer)
    foto_kunci: Mapped[str | None] = mapped_column(String(120))
    foto_jenis: Mapped[str | None] = mapped_column(String(40))

    keluarga: Mapped[list["AnggotaKeluarga"]] = relationship(
        back_populates="klien", order_by="AnggotaKeluarga.dibuat_pada", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_klien_tenant_id_nik_sidik", "tenant_id", "nik_sidik"),
                      Index("ix_klien_tenant_id_tanggal_lahir", "tenant_id", "tanggal_lahir"))


class AnggotaKeluarga(MilikTenant, db.Model):
    """A family member or guardian of a client."""

    __tablename__ = "anggota_keluarga"

    klien_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    nama: Mapped[str] = mapped_column(Terenkripsi, nullable=False)
    hubungan: Mapped[str] = mapped_column(String(40), nullable=False)
    wali: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    kontak: Mapped[str | None] = mapped_column(Terenkripsi)
    alamat: Mapped[str | None] = mapped_column(Terenkripsi)

    klien: Mapped[Klien] = relationship(back_populates="keluarga")

    __table_args__ = (fk_tenant("klien_id", "klien", ondelete="CASCADE"),
                      Index("ix_anggota_keluarga_tenant_id_klien_id", "tenant_id", "klien_id"))


class Kasus(MilikTenant, db.Model):
    """One case: a client served under one version of one service, through its SOP.

    ``versi`` is the optimistic lock: every change to a case bumps it, and a
    change made from a form or request that read an older ``versi`` is refused.
    """

    __tablename__ = "kasus"

    layanan_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    versi_layanan_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    klien_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    status: Mapped[str] = mapped_column(String(30), nullable=False)
    langkah_kode: Mapped[str | None] = mapped_column(String(80))
    nomor_register: Mapped[str | None] = mapped_column(String(120))
    nomor_register_urut: Mapped[int | None] = mapped_column(Integer)
    rahasia: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    pelapor_jenis: Mapped[str] = mapped_column(String(30), nullable=False)
    pelapor_nama: Mapped[str | None] = mapped_column(Terenkripsi)
    pelapor_instansi: Mapped[str | None] = mapped_column(String(200))
    pelapor_kontak: Mapped[str | None] = mapped_column(Terenkripsi)
    surat_nomor: Mapped[str | None] = mapped_column(String(120))
    surat_tanggal: Mapped[date | None] = mapped_column(Date)

    dibuat_oleh_id: Mapped[uuid.UUID | None] = mapped_column()
    penanggung_jawab_id: Mapped[uuid.UUID | None] = mapped_column()
    diterima_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
    berkas_lengkap_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    jam_mulai_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    hasil_akhir: Mapped[str | None] = mapped_column(String(80))
    ditutup_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    diperbarui_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
    versi: Mapped[int] = mapped_column(Integer, nullable=False)

    klien: Mapped[Klien] = relationship(lazy="joined", innerjoin=True)
    persyaratan: Mapped[list["PersyaratanKasus"]] = relationship(order_by="PersyaratanKasus.urutan")
    langkah: Mapped[list["LangkahKasus"]] = relationship(order_by="LangkahKasus.urutan")
    jeda: Mapped[list["JedaKasus"]] = relationship(order_by="JedaKasus.mulai")
    tindakan: Mapped[list["TindakanKasus"]] = relationship(order_by="TindakanKasus.dibuka_pada")

    __mapper_args__ = {"version_id_col": versi}
    __table_args__ = (
        fk_tenant("layanan_id", "layanan"),
        fk_tenant("versi_layanan_id", "versi_layanan"),
        fk_tenant("klien_id", "klien"),
        fk_tenant("dibuat_oleh_id", "pengguna"),
        fk_tenant("penanggung_jawab_id", "pengguna"),
        UniqueConstraint("tenant_id", "nomor_register"),
        # Keyset pagination of the case list runs on (dibuat_pada, id).
        Index("ix_kasus_tenant_id_dibuat_pada_id", "tenant_id", "dibuat_pada", "id"),
        Index("ix_kasus_tenant_id_penanggung_jawab_id", "tenant_id", "penanggung_jawab_id"),
        # Recaps count the cases received in a period; the register book reads one year of registered cases.
        Index("ix_kasus_tenant_id_diterima_pada", "tenant_id", "diterima_pada"),
        Index("ix_kasus_tenant_id_berkas_lengkap_pada", "tenant_id", "berkas_lengkap_pada"),
        # A client's cases, for the recap summary's trigger when the client changes (migration 0020).
        Index("ix_kasus_tenant_id_klien_id", "tenant_id", "klien_id"),
        db.CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in STATUS_KASUS) + ")", name="status"),
    )


class PersyaratanKasus(MilikTenant, db.Model):
    """One requirement document of the case's service version and how it was received."""

    __tablename__ = "persyaratan_kasus"

    kasus_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    urutan: Mapped[int] = mapped_column(Integer, nullable=False)
    kode: Mapped[str] = mapped_column(String(80), nullable=False)
    nama: Mapped[str] = mapped_column(String(500), nullable=False)
    wajib: Mapped[bool] = mapped_column(Boolean, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="belum")
    lampiran_id: Mapped[uuid.UUID | None] = mapped_column()
    diubah_oleh_id: Mapped[uuid.UUID | None] = mapped_column()
    diubah_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        fk_tenant("kasus_id", "kasus"),
        fk_tenant("lampiran_id", "lampiran_kasus"),
        fk_tenant("diubah_oleh_id", "pengguna"),
        UniqueConstraint("tenant_id", "kasus_id", "kode"),
    )


class LangkahKasus(MilikTenant, db.Model):
    """One run of one SOP step in a case (a step may run again after a branch back or a reopening)."""

    __tablename__ = "langkah_kasus"

    kasus_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    urutan: Mapped[int] = mapped_column(Integer, nullable=False)
    kode: Mapped[str] = mapped_column(String(80), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="berjalan")
    mulai_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    selesai_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The step's time standard as the SOP words it (e.g. "15 menit"), for the SLA engine.
    waktu: Mapped[str | None] = mapped_column(String(80))
    penanggung_jawab_id: Mapped[uuid.UUID | None] = mapped_column()
    dikerjakan_oleh_id: Mapped[uuid.UUID | None] = mapped_column()
    isian: Mapped[dict | None] = mapped_column(TerenkripsiJson)
    catatan: Mapped[str | None] = mapped_column(Terenkripsi)
    cabang_ke: Mapped[str | None] = mapped_column(String(80))
    # The letter this step owes (the SOP's dokumen_keluaran), and the one it issued when completed.
    dokumen_keluaran: Mapped[str | None] = mapped_column(String(60))
    surat_id: Mapped[uuid.UUID | None] = mapped_column()
    # How many acts of the step's disposition chain (sop langkah ``disposisi``) are recorded on this run: whose
    # turn the step is, for the work queue and its counts (the acts themselves are timeline events).
    disposisi_ke: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")

    __table_args__ = (
        fk_tenant("kasus_id", "kasus"),
        fk_tenant("penanggung_jawab_id", "pengguna"),
        fk_tenant("dikerjakan_oleh_id", "pengguna"),
        fk_tenant("surat_id", "surat_terbit"),
        UniqueConstraint("tenant_id", "kasus_id", "urutan"),
        Index("ix_langkah_kasus_tenant_id_penanggung_jawab_id", "tenant_id", "penanggung_jawab_id"),
        # The work queue's running steps by code: only running steps are indexed (a case has one at a time).
        Index("ix_langkah_kasus_berjalan", "tenant_id", "kode",
              postgresql_where=text("status = 'berjalan'"), sqlite_where=text("status = 'berjalan'")),
    )


class TindakanKasus(MilikTenant, db.Model):
    """One case act (the SOP's ``tindakan``) recorded on an open case, beside its steps.

    A deliverable with a clock is opened (``terbuka``) when its clock starts
    (at intake, or when the act it follows is recorded) and becomes ``selesai``
    when recorded; an act without a clock is written ``selesai`` at once.
    ``dihentikan``: the case closed before it was done.
    """

    __tablename__ = "tindakan_kasus"

    kasus_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    kode: Mapped[str] = mapped_column(String(80), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    dibuka_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    # The clock as the SOP words it (e.g. "7 hari kalender"), when the act has one.
    tenggat: Mapped[str | None] = mapped_column(String(80))
    selesai_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    dikerjakan_oleh_id: Mapped[uuid.UUID | None] = mapped_column()
    isian: Mapped[dict | None] = mapped_column(TerenkripsiJson)
    catatan: Mapped[str | None] = mapped_column(Terenkripsi)
    dokumen_keluaran: Mapped[str | None] = mapped_column(String(60))
    surat_id: Mapped[uuid.UUID | None] = mapped_column()

    __table_args__ = (
        fk_tenant("kasus_id", "kasus"),
        fk_tenant("dikerjakan_oleh_id", "pengguna"),
        fk_tenant("surat_id", "surat_terbit"),
        Index("ix_tindakan_kasus_tenant_id_kasus_id", "tenant_id", "kasus_id"),
        db.CheckConstraint("status IN ('terbuka', 'selesai', 'dihentikan')", name="status"),
    )


class JedaKasus(MilikTenant, db.Model):
    """An interval during which the case waited (on the applicant or another agency)."""

    __tablename__ = "jeda_kasus"

    kasus_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    jenis: Mapped[str] = mapped_column(String(30), nullable=False)
    alasan: Mapped[str] = mapped_column(Terenkripsi, nullable=False)
    mulai: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    selesai: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (fk_tenant("kasus_id", "kasus"), Index("ix_jeda_kasus_tenant_id_kasus_id", "tenant_id", "kasus_id"))


class LampiranKasus(MilikTenant, db.Model):
    """An uploaded file (scan of a requirement, step attachment) kept in the storage under a random key."""

    __tablename__ = "lampiran_kasus"

    kasus_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    langkah_kasus_id: Mapped[uuid.UUID | None] = mapped_column()
    persyaratan_kode: Mapped[str | None] = mapped_column(String(80))
    kunci: Mapped[str] = mapped_column(String(120), nullable=False)
    nama_berkas: Mapped[str] = mapped_column(Terenkripsi, nullable=False)
    jenis_mime: Mapped[str] = mapped_column(String(60), nullable=False)
    ukuran: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    diunggah_oleh_id: Mapped[uuid.UUID | None] = mapped_column()

    __table_args__ = (
        fk_tenant("kasus_id", "kasus"),
        fk_tenant("langkah_kasus_id", "langkah_kasus"),
        fk_tenant("diunggah_oleh_id", "pengguna"),
        UniqueConstraint("tenant_id", "kunci"),
        Index("ix_lampiran_kasus_tenant_id_kasus_id", "tenant_id", "kasus_id"),
    )


class PeristiwaKasus(MilikTenant, db.Model):
    """One event of a case's timeline. Append-only: never updated or deleted."""

    __tablename__ = "peristiwa_kasus"

    kasus_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    urutan: Mapped[int] = mapped_column(Integer, nullable=False)
    jenis: Mapped[str] = mapped_column(String(40), nullable=False)
    waktu: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
    aktor_id: Mapped[uuid.UUID | None] = mapped_column()
    # Plain facts only (step codes, durations, statuses); free text goes to ``catatan``.
    rincian: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    catatan: Mapped[str | None] = mapped_column(Terenkripsi)

    __table_args__ = (
        fk_tenant("kasus_id", "kasus"),
        fk_tenant("aktor_id", "pengguna"),
        UniqueConstraint("tenant_id", "kasus_id", "urutan"),
    )


@event.listens_for(PeristiwaKasus, "before_update")
@event.listens_for(PeristiwaKasus, "before_delete")
def _tolak_ubah(mapper, connection, target):
    raise PermissionError("peristiwa kasus tidak boleh diubah atau dihapus")


@event.listens_for(Klien.nik, "set", propagate=True)
def _ikuti_nik(target, nilai, _lama, _pemicu):
    """The NIK's region follows the NIK in the same transaction, wherever it is written (recaps by region, issue 17)."""
    target.kode_wilayah_nik = wilayah_dari_nik(nilai)
