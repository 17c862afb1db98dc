"""Lists of cases: the office's list (filtered, keyset-paginated, with its cursors) and "Kasus saya".

Read-only, over the bound office; what each row shows is ``tampilan``'s.
"""
import base64
import binascii
import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import defer, lazyload, load_only
from sqlalchemy.orm.attributes import set_committed_value

from dinsos.catalogue.models import Layanan
from dinsos.core.db import db, sekarang
from dinsos.core.kripto import brankas

# Building the loader options below configures the mappers, and a step run refers to its letter's table.
from dinsos.documents import models as _surat  # noqa: F401

from . import tenggat
from .models import Kasus, Klien, LangkahKasus
from .nik import normalkan as normalkan_nik

# A list row does not show the reporter (nor read the encrypted columns for it); its client comes from
# ``_dengan_nama_klien``, not from the relationship's own joined load.
_KOLOM_DAFTAR = (lazyload(Kasus.klien), defer(Kasus.pelapor_nama), defer(Kasus.pelapor_kontak))


def _dengan_nama_klien(daftar: list[Kasus]) -> list[Kasus]:
    """Give each case of a page its client, with the name columns only, read in one query on the page's client ids.

    Joined into the page query, the row-level security filters on both tables make PostgreSQL misjudge
    the join and sort every case of the office (30 ms at 10,000 cases) instead of walking the
    (tenant_id, dibuat_pada, id) index for one page (0.5 ms). Not ``selectinload`` either: on the
    composite key it sends a tuple per row, a statement too long for the driver to keep prepared.
    """
    ids = {k.klien_id for k in daftar}
    if ids:
        q = select(Klien).options(load_only(Klien.nama, Klien.tanpa_identitas)).where(Klien.id.in_(ids))
        klien = {k.id: k for k in db.session.scalars(q)}
        for k in daftar:
            set_committed_value(k, "klien", klien[k.klien_id])
    return daftar


def daftar_kasus(*, layanan: str | None = None, status: str | None = None, langkah: str | None = None,
                 penanggung_jawab=None, nik: str | None = None, lewat_waktu: bool = False,
                 setelah: tuple | None = None, batas: int = 25) -> tuple[list[Kasus], tuple | None]:
    """Cases of the bound office, newest first, keyset-paginated on (dibuat_pada, id).

    ``penanggung_jawab``: a user id, or ``"belum"`` for unassigned cases.
    ``lewat_waktu``: only cases with a step, time limit or law deadline running past its due time.
    ``nik``: the client's NIK, found through its keyed hash (the NIK itself is encrypted).
    Returns (cases, cursor of the next page or None).
    """
    q = select(Kasus).options(*_KOLOM_DAFTAR)
    if nik:
        sidik = brankas().sidik_kandidat(normalkan_nik(nik))
        q = q.where(Kasus.klien_id.in_(select(Klien.id).where(Klien.nik_sidik.in_(sidik))))
    if layanan:
        q = q.join(Layanan, (Layanan.tenant_id == Kasus.tenant_id) & (Layanan.id == Kasus.layanan_id)).where(Layanan.kode == layanan)
    if status:
        q = q.where(Kasus.status == status)
    if langkah:
        q = q.where(Kasus.langkah_kode == langkah)
    if penanggung_jawab == "belum":
        q = q.where(Kasus.penanggung_jawab_id.is_(None))
    elif penanggung_jawab:
        q = q.where(Kasus.penanggung_jawab_id == penanggung_jawab)
    if lewat_waktu:
        q = q.where(tenggat.syarat_lewat_waktu(sekarang()))
    if setelah:
        waktu, kid = setelah
        q = q.where(or_(Kasus.dibuat_pada < waktu, (Kasus.dibuat_pada == waktu) & (Kasus.id < kid)))
    baris = db.session.scalars(q.order_by(Kasus.dibuat_pada.desc(), Kasus.id.desc()).limit(batas + 1)).all()
    lanjut = (baris[batas - 1].dibuat_pada, baris[batas - 1].id) if len(baris) > batas else None
    return _dengan_nama_klien(baris[:batas]), lanjut


def tulis_kursor(nilai: tuple | None) -> str | None:
    """The (dibuat_pada, id) of a page's last case as an opaque URL-safe cursor."""
    return base64.urlsafe_b64encode(f"{nilai[0].isoformat()}|{nilai[1]}".encode()).decode() if nilai else None


def baca_penanggung_jawab(nilai, saya):
    """A list filter's ``penanggung_jawab`` for ``daftar_kasus``: ``"saya"`` is the user's id ``saya``, ``"belum"`` and an
    empty value stay as they are, anything else must be a staff id (``ValueError`` when it is not one)."""
    if nilai == "saya":
        return saya
    if nilai and nilai != "belum":
        return uuid.UUID(nilai)
    return nilai


def baca_kursor(teks: str | None) -> tuple | None:
    """A cursor back to (dibuat_pada, id); None when absent; ValueError when malformed."""
    if not teks:
        return None
    try:
        waktu, kid = base64.urlsafe_b64decode(teks.encode()).decode().split("|")
        waktu = datetime.fromisoformat(waktu)
        if waktu.tzinfo is None:
            raise ValueError
        return waktu, uuid.UUID(kid)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValueError("kursor tidak valid") from None


def kasus_saya(pengguna) -> list[Kasus]:
    """Open cases assigned to the user, or whose running step is assigned to them; newest first."""
    langkah_saya = select(LangkahKasus.kasus_id).where(
        LangkahKasus.status == "berjalan", LangkahKasus.penanggung_jawab_id == pengguna.id
    )
    q = select(Kasus).options(*_KOLOM_DAFTAR).where(
        Kasus.status != "ditutup", or_(Kasus.penanggung_jawab_id == pengguna.id, Kasus.id.in_(langkah_saya))
    ).order_by(Kasus.dibuat_pada.desc(), Kasus.id.desc())
    return _dengan_nama_klien(db.session.scalars(q).all())
