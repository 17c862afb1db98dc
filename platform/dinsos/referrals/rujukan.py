"""The sending office's referral record and what every part of the capability shares about referrals.

The refusal every referral operation raises (``KesalahanRujukan``), the
number people read out, loading a referral (or, through ``muat_satu``, the
receiver's copy), a referral's history on either side, its events on the
case's timeline, and the sender's lists. Plain functions over the bound office.
"""
import uuid
from datetime import datetime

from sqlalchemy import select

from dinsos.cases import akses as kasus_akses
from dinsos.cases.models import Kasus
from dinsos.cases.perubahan import catat_peristiwa_kasus
from dinsos.core.db import db
from dinsos.izin import boleh

from .models import RiwayatRujukan, Rujukan


class KesalahanRujukan(ValueError):
    """A refused referral operation. ``kode`` is the HTTP status; ``kesalahan`` maps fields to messages."""

    def __init__(self, pesan: str, kode: int = 422, kesalahan: dict | None = None):
        super().__init__(pesan)
        self.pesan = pesan
        self.kode = kode
        self.kesalahan = kesalahan or {}


def sebagai_uuid(nilai) -> uuid.UUID | None:
    """``nilai`` as a UUID, or None when it is not one (ids come from URLs and forms)."""
    try:
        return nilai if isinstance(nilai, uuid.UUID) else uuid.UUID(str(nilai))
    except (TypeError, ValueError):
        return None


def pastikan_boleh(pengguna, izin: str, pesan: str) -> None:
    """Refuse (403, ``pesan``) a user without the permission ``izin``."""
    if not boleh(pengguna, izin):
        raise KesalahanRujukan(pesan, 403)


def nomor_tampil(rujukan_id) -> str:
    """A short reference people can read out on the phone: RJK- and the first 8 hex digits."""
    return "RJK-" + str(rujukan_id).replace("-", "")[:8].upper()


def catat_riwayat(sisi: str, objek_id, jenis: str, *, status: str | None, pada: datetime, aktor=None,
                  catatan: str | None = None, **rincian) -> RiwayatRujukan:
    """Append one event to a referral's history in the bound office."""
    r = RiwayatRujukan(sisi=sisi, objek_id=objek_id, jenis=jenis, status=status, waktu=pada,
                       aktor_id=getattr(aktor, "id", None), catatan=catatan,
                       rincian={k: v for k, v in rincian.items() if v is not None})
    db.session.add(r)
    return r


def riwayat(sisi: str, objek_id) -> list[RiwayatRujukan]:
    return db.session.scalars(
        select(RiwayatRujukan).where(RiwayatRujukan.sisi == sisi, RiwayatRujukan.objek_id == objek_id)
        .order_by(RiwayatRujukan.waktu, RiwayatRujukan.dibuat_pada)
    ).all()


def muat_satu(model, objek_id, *, kunci: bool = False):
    """The bound office's row of ``model`` (a referral, or the receiver's copy) with this id, or None.

    Locked for update when ``kunci``.
    """
    oid = sebagai_uuid(objek_id)
    if oid is None:
        return None
    q = select(model).where(model.id == oid)
    # populate_existing: a locked re-read must see the committed row, not an earlier copy in the session
    return db.session.scalar(q.with_for_update().execution_options(populate_existing=True) if kunci else q)


def muat_rujukan(rujukan_id, *, kunci: bool = False) -> Rujukan | None:
    """The bound office's referral with this id (locked for update when ``kunci``), or None."""
    return muat_satu(Rujukan, rujukan_id, kunci=kunci)


def rujukan_kasus(kasus_id) -> list[Rujukan]:
    return db.session.scalars(select(Rujukan).where(Rujukan.kasus_id == kasus_id).order_by(Rujukan.dibuat_pada.desc())).all()


def kasus_rujukan(r: Rujukan) -> Kasus:
    return db.session.scalar(select(Kasus).where(Kasus.id == r.kasus_id))


def catat_di_kasus(kasus: Kasus, r: Rujukan, pada: datetime, aktor=None, catatan: str | None = None, **rincian) -> None:
    """Put the referral's change on the case's timeline (event kind ``rujukan_<status>``)."""
    catat_peristiwa_kasus(kasus, f"rujukan_{r.status}", pada, aktor, catatan=catatan, rujukan=str(r.id),
                                    nomor_rujukan=nomor_tampil(r.id), **rincian)


# --- the sender's lists -----------------------------------------------------------------------------------


def daftar_keluar(status: str | None = None, batas: int = 200) -> list[Rujukan]:
    """The bound office's outgoing referrals, newest first."""
    q = select(Rujukan)
    if status:
        q = q.where(Rujukan.status == status)
    return db.session.scalars(q.order_by(Rujukan.dibuat_pada.desc()).limit(batas)).all()


def kasus_dari(ids) -> dict:
    """The bound office's cases with these ids, by id, in one query."""
    ids = set(ids)
    return {k.id: k for k in db.session.scalars(select(Kasus).where(Kasus.id.in_(ids)))} if ids else {}


def nama_tujuan(r: Rujukan) -> str:
    return (r.dibagikan or {}).get("tujuan_nama") or "-"


def label_klien(kasus: Kasus, pengguna) -> str:
    return kasus_akses.nama_tampil(pengguna, kasus, di_daftar=True)
