"""Storing and reading versioned standards."""
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select

from dinsos.core.db import db
from dinsos.core.tenant import tenant_aktif

from .models import IsiVersi, Layanan, VersiLayanan


def data_json(data):
    """The same data as JSON would store it: dates become ISO text, tuples lists.

    Stored standards and profiles go through this first, so a fingerprint or a
    comparison never differs only because one side still holds ``date`` objects.
    """
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def sidik_isi(isi: dict) -> str:
    """A stable fingerprint of a standard's content (key order does not matter)."""
    return hashlib.sha256(json.dumps(isi, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def simpan_standar(tenant, isi: dict) -> tuple[VersiLayanan, bool]:
    """Store a validated service standard for ``tenant``; a changed one becomes a new version.

    Returns the service's current version and whether it was just written.
    Earlier versions are never touched: cases keep pointing at the version
    they started under. Runs inside the caller's transaction.
    """
    isi = data_json(isi)
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
        return terbaru, False
    layanan.versi_terbaru += 1
    layanan.nama = isi["nama"]
    layanan.menerima_rujukan = bool(isi.get("menerima_rujukan"))
    versi = VersiLayanan(tenant_id=tenant.id, layanan_id=layanan.id, versi=layanan.versi_terbaru, sidik=sidik, isi=isi)
    db.session.add(versi)
    db.session.flush()
    # Not cached while its transaction may still roll back (see ``_tetap``).
    db.session.info.setdefault("versi_belum_tetap", set()).add(versi.id)
    return versi, True


def versi_terbaru(layanan: Layanan) -> "VersiTetap | None":
    return versi_ke(layanan, layanan.versi_terbaru)


def versi_ke(layanan: Layanan, nomor: int) -> "VersiTetap | None":
    """Version ``nomor`` of a service, or None; read once per process (a number, once written, names one content)."""
    kunci = (layanan.tenant_id, layanan.id, nomor)
    tetap = _VERSI_NOMOR.get(kunci)
    if tetap is None:
        v = db.session.scalar(
            select(VersiLayanan).where(
                VersiLayanan.tenant_id == layanan.tenant_id,
                VersiLayanan.layanan_id == layanan.id,
                VersiLayanan.versi == nomor,
            )
        )
        if v is None:
            return None
        tetap = _tetap(v)
        if _boleh_disimpan(v):
            if len(_VERSI_NOMOR) >= _BATAS_VERSI:
                _VERSI_NOMOR.clear()
            _VERSI_NOMOR[kunci] = tetap
    return tetap


@dataclass(frozen=True, slots=True)
class VersiTetap(IsiVersi):
    """A service version as plain, read-only data: what a case reads of its standard, kept per process.

    The same helpers as ``VersiLayanan`` (both are ``IsiVersi``); it is not an ORM object, so reading it
    never sends a statement. ``isi`` is shared by every request of the process: read it, never change it.
    """

    id: uuid.UUID
    tenant_id: int
    layanan_id: uuid.UUID
    versi: int
    sidik: str
    isi: dict


# (tenant_id, version id) -> VersiTetap. A version never changes once written (a changed standard is a new
# one), so an entry never goes stale; keyed on the office so one office's entry never answers another's
# lookup (the read itself runs under the office's row-level security). Bounded: the whole platform holds a
# few hundred versions, so the bound only guards against a runaway.
_VERSI: dict[tuple[int, uuid.UUID], VersiTetap] = {}
_VERSI_NOMOR: dict[tuple[int, uuid.UUID, int], VersiTetap] = {}  # (tenant_id, service id, number)
_BATAS_VERSI = 2_000


def _tetap(v: VersiLayanan) -> VersiTetap:
    return VersiTetap(v.id, v.tenant_id, v.layanan_id, v.versi, v.sidik, v.isi)


def _boleh_disimpan(v: VersiLayanan) -> bool:
    """A version written by this session is kept out of the cache: its transaction may yet roll back,
    and a retry would write the same number under another id."""
    return v.id not in db.session.info.get("versi_belum_tetap", ())


def versi_dari_id(versi_id) -> VersiTetap | None:
    """The bound office's service version with this id, read from the database once per process."""
    kunci = (tenant_aktif(), versi_id)
    tetap = _VERSI.get(kunci)
    if tetap is None:
        v = db.session.scalar(select(VersiLayanan).where(VersiLayanan.id == versi_id))
        if v is None:
            return None
        tetap = _tetap(v)
        if _boleh_disimpan(v):
            if len(_VERSI) >= _BATAS_VERSI:
                _VERSI.clear()
            _VERSI[kunci] = tetap
    return tetap


class IdentitasVersi(NamedTuple):
    """What a list row shows of a case's standard: fixed for good once the version is written."""

    kode: str
    nama: str
    versi: int


# (tenant_id, version id) -> IdentitasVersi. Versions are immutable, so an entry never goes stale and
# needs no invalidation; keying on the tenant keeps one office's entry from answering another's lookup.
_IDENTITAS_VERSI: dict[tuple[int, uuid.UUID], IdentitasVersi] = {}
_BATAS_CACHE_VERSI = 20_000


def identitas_versi(ids) -> dict[uuid.UUID, IdentitasVersi]:
    """Code, name and number of these versions of the bound office's standards, read once per process."""
    tid = tenant_aktif()
    hasil = {i: _IDENTITAS_VERSI[(tid, i)] for i in ids if (tid, i) in _IDENTITAS_VERSI}
    kurang = set(ids) - hasil.keys()
    if kurang:
        baris = db.session.execute(
            select(VersiLayanan.id, VersiLayanan.isi["kode"].as_string(), VersiLayanan.isi["nama"].as_string(),
                   VersiLayanan.versi).where(VersiLayanan.id.in_(kurang))
        ).all()
        if len(_IDENTITAS_VERSI) > _BATAS_CACHE_VERSI:
            _IDENTITAS_VERSI.clear()
        for vid, kode, nama, nomor in baris:
            hasil[vid] = _IDENTITAS_VERSI[(tid, vid)] = IdentitasVersi(kode, nama, nomor)
    return hasil


def daftar_versi(layanan: Layanan) -> list[int]:
    """The version numbers of a service, newest first."""
    return db.session.scalars(
        select(VersiLayanan.versi)
        .where(VersiLayanan.tenant_id == layanan.tenant_id, VersiLayanan.layanan_id == layanan.id)
        .order_by(VersiLayanan.versi.desc())
    ).all()


def layanan_dari_kode(kode: str) -> Layanan | None:
    """The bound office's service with this code."""
    return db.session.scalar(select(Layanan).where(Layanan.kode == kode, Layanan.aktif.is_(True)))


def daftar_layanan() -> list[Layanan]:
    """The bound office's active services, by name."""
    return db.session.scalars(select(Layanan).where(Layanan.aktif.is_(True)).order_by(Layanan.nama)).all()
