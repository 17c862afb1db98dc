"""Storing and reading versioned standards."""
import hashlib
import json

from sqlalchemy import select

from dinsos.core.db import db

from .models import Layanan, VersiLayanan


def sidik_isi(isi: dict) -> str:
    """A stable fingerprint of a standard's content (key order does not matter)."""
    return hashlib.sha256(json.dumps(isi, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def simpan_standar(tenant, isi: dict) -> str:
    """Store a validated service standard for ``tenant``; a changed one becomes a new version.

    Returns a report line. Runs inside the caller's transaction.
    """
    isi = json.loads(json.dumps(isi, ensure_ascii=False, default=str))  # dates become ISO text
    layanan = db.session.scalar(
        select(Layanan).where(Layanan.tenant_id == tenant.id, Layanan.kode == isi["kode"])
    )
    if layanan is None:
        layanan = Layanan(tenant_id=tenant.id, kode=isi["kode"], nama=isi["nama"], versi_terbaru=0)
        db.session.add(layanan)
        db.session.flush()
    sidik = sidik_isi(isi)
    terbaru = versi_terbaru(layanan)
    if terbaru is not None and terbaru.sidik == sidik:
        return f"  {isi['kode']}: versi {terbaru.versi} tidak berubah"
    layanan.versi_terbaru += 1
    layanan.nama = isi["nama"]
    layanan.menerima_rujukan = bool(isi.get("menerima_rujukan"))
    db.session.add(
        VersiLayanan(tenant_id=tenant.id, layanan_id=layanan.id, versi=layanan.versi_terbaru, sidik=sidik, isi=isi)
    )
    db.session.flush()
    return f"  {isi['kode']}: versi {layanan.versi_terbaru} disimpan"


def versi_terbaru(layanan: Layanan) -> VersiLayanan | None:
    return db.session.scalar(
        select(VersiLayanan).where(
            VersiLayanan.tenant_id == layanan.tenant_id,
            VersiLayanan.layanan_id == layanan.id,
            VersiLayanan.versi == layanan.versi_terbaru,
        )
    )


def layanan_dari_kode(kode: str) -> Layanan | None:
    """The bound office's service with this code."""
    return db.session.scalar(select(Layanan).where(Layanan.kode == kode, Layanan.aktif.is_(True)))


def daftar_layanan() -> list[Layanan]:
    """The bound office's active services, by name."""
    return db.session.scalars(select(Layanan).where(Layanan.aktif.is_(True)).order_by(Layanan.nama)).all()
