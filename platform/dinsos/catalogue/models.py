"""A service (Standar Pelayanan) of an office and its immutable versions.

A version holds the whole validated standard as plain data (``isi``): the 14
components, the decree, the requirement checklist, the SOP steps and the time
limit rule. It never changes once written; a changed standard is a new
version, and a case keeps the version it started under.
"""
import uuid

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import MilikTenant, db, fk_tenant

Json = JSON().with_variant(JSONB(), "postgresql")


class Layanan(MilikTenant, db.Model):
    """A service an office provides, identified by its ``kode`` within the office."""

    __tablename__ = "layanan"

    kode: Mapped[str] = mapped_column(String(80), nullable=False)
    nama: Mapped[str] = mapped_column(String(300), nullable=False)
    versi_terbaru: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    menerima_rujukan: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    aktif: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    __table_args__ = (UniqueConstraint("tenant_id", "kode"),)


class IsiVersi:
    """What a case reads of a version's content (its ``isi`` dict): shared by the ORM row and the per-process copy."""

    def langkah(self, kode: str) -> dict | None:
        """The SOP step with this code, as plain data."""
        return next((l for l in self.isi["sop"]["langkah"] if l["kode"] == kode), None)

    @property
    def langkah_pertama(self) -> dict:
        return self.isi["sop"]["langkah"][0]

    @property
    def saat_nomor_register(self) -> str:
        """``berkas_lengkap`` (the default) or ``langkah`` (the SOP step whose output is the number)."""
        return self.isi["sop"].get("nomor_register") or "berkas_lengkap"

    @property
    def verifikasi_berkas(self) -> dict | None:
        """``{pelaksana: [...]}`` when a verifier must find the file complete and correct before any step; else None."""
        return self.isi["sop"].get("verifikasi_berkas")

    def persyaratan(self, pihak: str = "pemohon") -> list[dict]:
        """The requirement documents of one side: ``pemohon`` brings them, ``kantor`` keeps them (absent = pemohon)."""
        return [d for d in self.isi["penyampaian_pelayanan"]["persyaratan"]["dokumen"] if (d.get("pihak") or "pemohon") == pihak]


class VersiLayanan(IsiVersi, MilikTenant, db.Model):
    """One immutable version of a service's standard."""

    __tablename__ = "versi_layanan"

    layanan_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    versi: Mapped[int] = mapped_column(Integer, nullable=False)
    sidik: Mapped[str] = mapped_column(String(64), nullable=False)
    isi: Mapped[dict] = mapped_column(Json, nullable=False)

    __table_args__ = (
        fk_tenant("layanan_id", "layanan"),
        UniqueConstraint("tenant_id", "layanan_id", "versi"),
    )
