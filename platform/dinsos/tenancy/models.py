"""The Tenant: one Dinas Sosial office on the platform."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dinsos.core.db import UtcDateTime, db, sekarang

Json = JSON().with_variant(JSONB(), "postgresql")

TINGKAT = ("provinsi", "kabupaten", "kota")


class Tenant(db.Model):
    """A Dinas Sosial office (provinsi, kabupaten or kota): the unit of isolation."""

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    nama: Mapped[str] = mapped_column(String(200), nullable=False)
    tingkat: Mapped[str] = mapped_column(String(20), nullable=False)
    provinsi_induk_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id"), index=True)
    kode_wilayah: Mapped[str] = mapped_column(String(20), nullable=False)
    zona_waktu: Mapped[str] = mapped_column(String(64), nullable=False, default="Asia/Jakarta")
    alamat: Mapped[str | None] = mapped_column(Text)
    kanal_kontak: Mapped[list] = mapped_column(Json, nullable=False, default=list)
    kepala_dinas: Mapped[dict] = mapped_column(Json, nullable=False, default=dict)
    kop_surat: Mapped[dict] = mapped_column(Json, nullable=False, default=dict)
    format_nomor: Mapped[dict] = mapped_column(Json, nullable=False, default=dict)
    jam_kerja: Mapped[dict] = mapped_column(Json, nullable=False, default=dict)
    hari_libur_daerah: Mapped[list] = mapped_column(Json, nullable=False, default=list)
    hari_kerja_tambahan: Mapped[list] = mapped_column(Json, nullable=False, default=list)
    maklumat: Mapped[str | None] = mapped_column(Text)
    # values of tenant.yaml the decree does not contain (dinsos.catalogue.skema.asal)
    penanda_asal: Mapped[list] = mapped_column(Json, nullable=False, default=list, server_default="[]")
    # the office's choice for platform-set values on its public standard: "tandai" (labelled) or "sembunyikan"
    tampil_asal: Mapped[str] = mapped_column(String(20), nullable=False, default="tandai", server_default="tandai")
    # letterhead logo: an uploaded image re-encoded as PNG, as a data: URI (letters fetch nothing else)
    logo_kop: Mapped[str | None] = mapped_column(Text)
    aktif: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    dibuat_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
    # Not here: an office's data version (table ``versi_data_kantor``, migrations 0011 and 0020) is written and read
    # by the database alone. It moves at the commit of any write to the office's cases, clients or case steps, and the
    # case-list cache (``dinsos.cases.tembolok``) answers only while it is unchanged. Autogenerate leaves it alone
    # (dinsos/migrations/env.py).

    provinsi_induk: Mapped["Tenant | None"] = relationship(remote_side=[id])

    def __repr__(self):
        return f"<Tenant {self.slug}>"
