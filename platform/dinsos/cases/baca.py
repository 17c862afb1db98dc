"""Reading a case: the case, its standard's version and service, the running step and pause, timeline,
attachments, the requirement file's state, and the office's local date.

Plain queries with no side effects; every other case module reads through
these, so a case is looked up one way (always within the bound office).
"""
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dinsos.catalogue.models import Layanan
from dinsos.catalogue.services import VersiTetap, versi_dari_id
from dinsos.core.db import db
from dinsos.core.tenant import tenant_aktif
from dinsos.tenancy.models import Tenant

from .konstanta import PERSYARATAN_DITERIMA
from .models import JedaKasus, Kasus, LampiranKasus, LangkahKasus, PeristiwaKasus, PersyaratanKasus


def muat_kasus(kasus_id) -> Kasus | None:
    """The bound office's case with this id, or None (also for malformed ids)."""
    try:
        kid = kasus_id if isinstance(kasus_id, uuid.UUID) else uuid.UUID(str(kasus_id))
    except ValueError:
        return None
    return db.session.scalar(select(Kasus).where(Kasus.id == kid))


def versi_kasus(kasus: Kasus) -> VersiTetap:
    """The case's standard version (read once per process: versions never change)."""
    return versi_dari_id(kasus.versi_layanan_id)


def layanan_kasus(kasus: Kasus) -> Layanan:
    return db.session.scalar(select(Layanan).where(Layanan.id == kasus.layanan_id))


def langkah_berjalan(kasus: Kasus) -> LangkahKasus | None:
    """The open step run of the case, if any."""
    return next((l for l in kasus.langkah if l.status == "berjalan"), None)


def jeda_berjalan(kasus: Kasus) -> JedaKasus | None:
    return next((j for j in kasus.jeda if j.selesai is None), None)


def peristiwa(kasus: Kasus) -> list[PeristiwaKasus]:
    """The case's timeline, oldest first."""
    return db.session.scalars(
        select(PeristiwaKasus).where(PeristiwaKasus.kasus_id == kasus.id).order_by(PeristiwaKasus.urutan)
    ).all()


def lampiran(kasus: Kasus) -> list[LampiranKasus]:
    return db.session.scalars(
        select(LampiranKasus).where(LampiranKasus.kasus_id == kasus.id).order_by(LampiranKasus.dibuat_pada)
    ).all()


def muat_lampiran(kasus: Kasus, lampiran_id) -> LampiranKasus | None:
    try:
        lid = uuid.UUID(str(lampiran_id))
    except ValueError:
        return None
    return db.session.scalar(select(LampiranKasus).where(LampiranKasus.id == lid, LampiranKasus.kasus_id == kasus.id))


def berkas_lengkap(kasus: Kasus) -> bool:
    return all(p.status in PERSYARATAN_DITERIMA for p in kasus.persyaratan if p.wajib)


def persyaratan_kurang(kasus: Kasus) -> list[PersyaratanKasus]:
    return [p for p in kasus.persyaratan if p.wajib and p.status not in PERSYARATAN_DITERIMA]


def semua_staf() -> list:
    """Every account of the bound office, by name; read once per request (names for pages, pickers for forms)."""
    from flask import g, has_request_context

    from dinsos.auth.models import Pengguna

    if has_request_context() and "_staf_kantor" in g:
        return g._staf_kantor
    semua = db.session.scalars(select(Pengguna).order_by(Pengguna.nama)).all()
    if has_request_context():
        g._staf_kantor = semua
    return semua


def tanggal_lokal(pada: datetime) -> date:
    """The office's calendar date at that moment (ages and letter dates are local)."""
    tenant = db.session.get(Tenant, tenant_aktif())
    return pada.astimezone(ZoneInfo(tenant.zona_waktu)).date()
