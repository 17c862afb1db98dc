"""Referrals between offices: the sender's record, the receiver's record, their history, partners and settings.

A referral lives twice, once in each office, and no row is ever visible to
both: the sending office owns ``Rujukan`` (with its case), the receiving
office owns ``RujukanMasuk`` (with a snapshot of only what was shared, files
copied under its own storage keys). The two are kept in step by outbox
messages whose consumers write into the other office (``pengiriman``); a
reference to the other office is a plain value (tenant id, uuid), never a
foreign key, so the schema keeps every foreign key inside one tenant.
"""
import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import MilikTenant, UtcDateTime, db, fk_tenant, sekarang
from dinsos.core.kripto import Terenkripsi, TerenkripsiJson

from .status import MENUNGGU, STATUS

JENIS_MITRA = ("balai", "panti", "lks", "lainnya")
JENIS_TUJUAN = ("layanan", "mitra")
SISI = ("keluar", "masuk")
# A referral waiting for the receiver's answer (a draft counts: sending it needs no new check of the case).
STATUS_TERBUKA = ("draf", *MENUNGGU)
STATUS_TERBUKA_SQL = "status IN (" + ", ".join(f"'{s}'" for s in STATUS_TERBUKA) + ")"


def _cek_status():
    return db.CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in STATUS) + ")", name="status")


class MitraRujukan(MilikTenant, db.Model):
    """A partner institution outside the platform (Balai, panti, LKS) that an office refers clients to."""

    __tablename__ = "mitra_rujukan"

    nama: Mapped[str] = mapped_column(String(200), nullable=False)
    jenis: Mapped[str] = mapped_column(String(20), nullable=False)
    alamat: Mapped[str | None] = mapped_column(String(500))
    kontak: Mapped[str | None] = mapped_column(String(200))
    aktif: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    __table_args__ = (UniqueConstraint("tenant_id", "nama"),)


class Rujukan(MilikTenant, db.Model):
    """An outgoing referral of one case, owned by the sending office.

    ``dibagikan`` (encrypted) is exactly what the sender chose to share:
    client fields, step answers and a list of files (case attachments,
    letters, uploads made for the referral), each mapped to the receiving
    service's requirement it satisfies. ``berkas_terkirim`` lists the files
    the receiver already holds a copy of. ``urutan_laporan`` is the last
    report of the receiver applied here, so an old report never undoes a
    newer one.
    """

    __tablename__ = "rujukan"

    kasus_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draf")
    jenis_tujuan: Mapped[str] = mapped_column(String(10), nullable=False)
    tujuan_tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id"))
    tujuan_layanan_kode: Mapped[str | None] = mapped_column(String(80))
    tujuan_layanan_nama: Mapped[str | None] = mapped_column(String(300))
    mitra_id: Mapped[uuid.UUID | None] = mapped_column()
    pemulangan: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    alasan: Mapped[str | None] = mapped_column(Terenkripsi)
    dibagikan: Mapped[dict] = mapped_column(TerenkripsiJson, nullable=False)
    berkas_terkirim: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    putaran: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    # Consent of the client or guardian (who, relation, how, when), or a kepala bidang's override.
    persetujuan_nama: Mapped[str | None] = mapped_column(Terenkripsi)
    persetujuan_hubungan: Mapped[str | None] = mapped_column(String(30))
    persetujuan_cara: Mapped[str | None] = mapped_column(String(30))
    persetujuan_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    override_oleh_id: Mapped[uuid.UUID | None] = mapped_column()
    override_alasan: Mapped[str | None] = mapped_column(Terenkripsi)
    override_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)

    dibuat_oleh_id: Mapped[uuid.UUID | None] = mapped_column()
    dikirim_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sampai_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ditanggapi_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    selesai_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    diperbarui_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
    urutan_laporan: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # What the receiver (or, for a partner, the sender by hand) reported: reason, question, completion.
    laporan: Mapped[dict | None] = mapped_column(TerenkripsiJson)
    surat_id: Mapped[uuid.UUID | None] = mapped_column()

    __table_args__ = (
        fk_tenant("kasus_id", "kasus"),
        fk_tenant("mitra_id", "mitra_rujukan"),
        fk_tenant("dibuat_oleh_id", "pengguna"),
        fk_tenant("override_oleh_id", "pengguna"),
        fk_tenant("surat_id", "surat_terbit"),
        Index("ix_rujukan_tenant_id_kasus_id", "tenant_id", "kasus_id"),
        Index("ix_rujukan_tenant_id_dibuat_pada", "tenant_id", "dibuat_pada"),
        # One referral per case waiting for an answer, whoever races to create it (the app's check runs under
        # a lock of the case; this is the wall behind it). Two pending referrals could both be accepted and
        # open two cases for one child.
        Index("uq_rujukan_terbuka", "tenant_id", "kasus_id", unique=True,
              postgresql_where=text(STATUS_TERBUKA_SQL), sqlite_where=text(STATUS_TERBUKA_SQL)),
        _cek_status(),
    )


class RujukanMasuk(MilikTenant, db.Model):
    """An incoming referral as the receiving office holds it: a snapshot of only what was shared.

    ``kunci_kirim`` (the sender's office and referral id) is unique per
    office, so however often a delivery runs, one row exists. ``urutan_status``
    counts changes reported back to the sender. When the referral is declined
    or withdrawn, ``isi`` is emptied and the copied files are deleted
    (``akses_berakhir_pada``); the history and the audit log stay.
    """

    __tablename__ = "rujukan_masuk"

    kunci_kirim: Mapped[str] = mapped_column(String(80), nullable=False)
    asal_tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), nullable=False)
    asal_rujukan_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    layanan_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    pemulangan: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    rahasia: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    isi: Mapped[dict | None] = mapped_column(TerenkripsiJson)
    putaran: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    urutan_status: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    sampai_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    ditanggapi_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ditanggapi_oleh_id: Mapped[uuid.UUID | None] = mapped_column()
    diperbarui_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
    tanggapan: Mapped[dict | None] = mapped_column(TerenkripsiJson)
    kasus_id: Mapped[uuid.UUID | None] = mapped_column()
    akses_berakhir_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "kunci_kirim"),
        fk_tenant("layanan_id", "layanan"),
        fk_tenant("kasus_id", "kasus"),
        fk_tenant("ditanggapi_oleh_id", "pengguna"),
        Index("ix_rujukan_masuk_tenant_id_sampai_pada", "tenant_id", "sampai_pada"),
        Index("ix_rujukan_masuk_status", "tenant_id", "status"),
        _cek_status(),
    )


class RiwayatRujukan(MilikTenant, db.Model):
    """One event in a referral's history as one office saw it. Append-only."""

    __tablename__ = "riwayat_rujukan"

    sisi: Mapped[str] = mapped_column(String(10), nullable=False)
    objek_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    jenis: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[str | None] = mapped_column(String(20))
    waktu: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
    aktor_id: Mapped[uuid.UUID | None] = mapped_column()
    rincian: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    catatan: Mapped[str | None] = mapped_column(Terenkripsi)

    __table_args__ = (
        fk_tenant("aktor_id", "pengguna"),
        Index("ix_riwayat_rujukan_objek", "tenant_id", "objek_id", "waktu"),
    )


class PengaturanRujukan(MilikTenant, db.Model):
    """How long an office gives itself to answer a referral: a default and per-service overrides."""

    __tablename__ = "pengaturan_rujukan"

    batas_tanggapan: Mapped[str | None] = mapped_column(String(60))
    batas_per_layanan: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    __table_args__ = (UniqueConstraint("tenant_id"),)


@event.listens_for(RiwayatRujukan, "before_update")
@event.listens_for(RiwayatRujukan, "before_delete")
def _tolak_ubah(mapper, connection, target):
    raise PermissionError("riwayat rujukan tidak boleh diubah atau dihapus")
