"""Login sessions kept server-side: one row per login, so logging out ends it for every copy of the cookie.

The signed cookie carries the login's random identifier (``u:<office>:<token>`` for staff, ``a:<token>`` for a
platform admin); the database keeps only its SHA-256, beside when the login began, when it was last seen, from
which browser and address, and when and why it ended. A session is valid while its row is not ended, it has
been used within the idle lifetime (``SESSION_IDLE_MINUTES``) and it began within the absolute lifetime
(``SESSION_MAX_HOURS``). Ending the rows is the one way to end sessions: logout ends its own, a password change
ends every other, the sessions page ends the ones its owner picks.

Plain functions with the time passed in; staff rows are tenant-owned (scoped and under row-level security like
any office data), platform admins' rows live in the platform scope.
"""
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from dinsos.core.db import db

from .models import AdminPlatform, Pengguna, SesiAdmin, SesiLogin

# "Last seen" is written at most once a minute: the idle lifetime needs no finer clock, and a read stays a read.
PRESISI_TERAKHIR_DILIHAT = timedelta(minutes=1)


@dataclass(frozen=True)
class Umur:
    """How long a session lives: without a request (``diam``), and at most since login (``maks``)."""

    diam: timedelta
    maks: timedelta

    @classmethod
    def dari_konfigurasi(cls, cfg) -> "Umur":
        return cls(timedelta(minutes=int(cfg["SESSION_IDLE_MINUTES"])), timedelta(hours=int(cfg["SESSION_MAX_HOURS"])))


def _sidik(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _model(akun):
    return SesiAdmin if akun.is_admin_platform else SesiLogin


def _milik(model, akun):
    return (model.admin_id if model is SesiAdmin else model.pengguna_id) == akun.id


def mulai(akun, *, kini: datetime, agen: str | None, alamat_ip: str | None):
    """Open a session row for a login that just succeeded; the account then carries its cookie identifier."""
    token = secrets.token_urlsafe(32)
    rincian = dict(sidik=_sidik(token), dibuat_pada=kini, terakhir_dilihat=kini,
                   agen_pengguna=(agen or "")[:300] or None, alamat_ip=(alamat_ip or "")[:64] or None)
    if akun.is_admin_platform:
        baris, akun.id_sesi = SesiAdmin(admin_id=akun.id, **rincian), f"a:{token}"
    else:
        baris, akun.id_sesi = SesiLogin(tenant_id=akun.tenant_id, pengguna_id=akun.id, **rincian), f"u:{akun.tenant_id}:{token}"
    db.session.add(baris)
    db.session.flush()
    akun.sesi = baris
    return baris


def masih_berlaku(baris, kini: datetime, umur: Umur) -> bool:
    return (baris.berakhir_pada is None and kini - baris.terakhir_dilihat <= umur.diam
            and kini - baris.dibuat_pada <= umur.maks)


def periksa(id_sesi: str, *, tenant_id: int | None, kini: datetime, umur: Umur):
    """The active account a cookie's session identifier belongs to, under this request's office (None: none).

    A staff session is valid only under its own office, an admin's only outside offices. Returns the account
    with ``sesi`` (its row) and ``id_sesi`` set, or None.
    """
    jenis, _, sisa = (id_sesi or "").partition(":")
    if jenis == "u":
        kantor, _, token = sisa.partition(":")
        if not token or tenant_id is None or kantor != str(tenant_id):
            return None
        hasil = db.session.execute(
            select(SesiLogin, Pengguna)
            .join(Pengguna, (Pengguna.tenant_id == SesiLogin.tenant_id) & (Pengguna.id == SesiLogin.pengguna_id))
            .where(SesiLogin.sidik == _sidik(token))
        ).first()
    elif jenis == "a" and sisa and tenant_id is None:
        hasil = db.session.execute(
            select(SesiAdmin, AdminPlatform).join(AdminPlatform, AdminPlatform.id == SesiAdmin.admin_id)
            .where(SesiAdmin.sidik == _sidik(sisa))
        ).first()
    else:
        return None
    if hasil is None:
        return None
    baris, akun = hasil
    if not akun.aktif or not masih_berlaku(baris, kini, umur):
        return None
    akun.sesi, akun.id_sesi = baris, id_sesi
    return akun


def perlu_dicatat_dilihat(baris, kini: datetime) -> bool:
    return kini - baris.terakhir_dilihat > PRESISI_TERAKHIR_DILIHAT


def catat_dilihat(baris, kini: datetime) -> None:
    """Move "last seen" in a transaction of its own, so a request's own work is never committed early by it."""
    model = type(baris)
    with Session(db.engine) as s:  # the binding is copied into this transaction like into any other
        s.execute(update(model).where(model.id == baris.id).values(terakhir_dilihat=kini))
        s.commit()
    set_committed_value(baris, "terakhir_dilihat", kini)  # as stored, not a change for the request to write again


def akhiri(baris, *, kini: datetime, alasan: str) -> None:
    if baris.berakhir_pada is None:
        baris.berakhir_pada, baris.alasan_berakhir = kini, alasan


def akhiri_lainnya(akun, *, kini: datetime, alasan: str, kecuali=None) -> int:
    """End every open session of the account but ``kecuali`` (a row, or None: all of them)."""
    model = _model(akun)
    q = update(model).where(_milik(model, akun), model.berakhir_pada.is_(None))
    if kecuali is not None:
        q = q.where(model.id != kecuali.id)
    return db.session.execute(
        q.values(berakhir_pada=kini, alasan_berakhir=alasan).execution_options(synchronize_session=False)
    ).rowcount


def aktif(akun, *, kini: datetime, umur: Umur) -> list:
    """The account's sessions still valid, most recently seen first."""
    model = _model(akun)
    semua = db.session.scalars(
        select(model).where(_milik(model, akun), model.berakhir_pada.is_(None)).order_by(model.terakhir_dilihat.desc())
    ).all()
    return [b for b in semua if masih_berlaku(b, kini, umur)]


def akhiri_milik(akun, sesi_id: uuid.UUID, *, kini: datetime) -> bool:
    """End one of the account's own sessions by its id; False when it has no such open session."""
    model = _model(akun)
    baris = db.session.scalar(select(model).where(_milik(model, akun), model.id == sesi_id, model.berakhir_pada.is_(None)))
    if baris is None:
        return False
    akhiri(baris, kini=kini, alasan="diakhiri_pemilik")
    return True
