"""Who may do what on a case: record a step, see the client's identity, pause or close it.

Plain functions over a case and a user (the logged-in one, or a stored
account seen through ``AkunDiam``). The rules read the case as it is loaded;
the writing workflow (``penerimaan``, ``sop``, ``kelola``) asks them before it changes anything.
"""
from sqlalchemy import select

from dinsos.auth.models import Pengguna
from dinsos.core.db import db
from dinsos.izin import boleh

from . import klien as klien_svc
from .baca import versi_kasus
from .konstanta import NAMA_PERAN, PENANGGUNG_JAWAB, PERAN_PELAKSANA
from .models import Kasus, LangkahKasus


class AkunDiam:
    """A stored account seen as logged in, to ask what it may do outside its own request."""

    is_authenticated = True

    def __init__(self, akun: Pengguna):
        self.id, self.peran = akun.id, akun.peran if akun.aktif else []


def peran_untuk_langkah(definisi: dict) -> frozenset[str]:
    """The roles (and the assignee marker) allowed to record a step, from its actors."""
    peran: set[str] = set()
    for aktor in definisi.get("pelaksana", []):
        peran |= PERAN_PELAKSANA.get(aktor, frozenset())
    return frozenset(peran)


def boleh_kerjakan(pengguna, definisi: dict, kasus: Kasus) -> bool:
    """True when the user may record this step of this case."""
    if pengguna is None or not getattr(pengguna, "is_authenticated", False) or not boleh(pengguna, "kasus.kerjakan"):
        return False
    izin = peran_untuk_langkah(definisi)
    if set(pengguna.peran) & izin:
        return True
    return PENANGGUNG_JAWAB in izin and pengguna.id in {kasus.penanggung_jawab_id, _pj_langkah(kasus)}


def _pj_langkah(kasus: Kasus):
    berjalan = next((l for l in kasus.langkah if l.status == "berjalan"), None)
    return berjalan.penanggung_jawab_id if berjalan else None


def label_pelaksana(definisi: dict) -> str:
    """The roles of a step in words, for messages."""
    nama = [NAMA_PERAN[p] for p in sorted(peran_untuk_langkah(definisi)) if p in NAMA_PERAN]
    if PENANGGUNG_JAWAB in peran_untuk_langkah(definisi):
        nama.append("penanggung jawab kasus")
    return ", ".join(nama)


def penangan(kasus: Kasus) -> set:
    """Ids of the users who handle the case: its intake officer, assignee, step assignees and step doers."""
    ids = {kasus.dibuat_oleh_id, kasus.penanggung_jawab_id}
    for l in kasus.langkah:
        ids |= {l.penanggung_jawab_id, l.dikerjakan_oleh_id}
    ids.discard(None)
    return ids


def penangan_banyak(daftar: list[Kasus]) -> dict:
    """``penangan`` of many cases in one query (for lists): case id -> ids of its handlers."""
    hasil = {k.id: {k.dibuat_oleh_id, k.penanggung_jawab_id} - {None} for k in daftar}
    if hasil:
        for kid, pj, oleh in db.session.execute(
            select(LangkahKasus.kasus_id, LangkahKasus.penanggung_jawab_id, LangkahKasus.dikerjakan_oleh_id)
            .where(LangkahKasus.kasus_id.in_(list(hasil)))
        ):
            hasil[kid] |= {pj, oleh} - {None}
    return hasil


def boleh_lihat_identitas(pengguna, kasus: Kasus, *, di_daftar: bool = False, penangan_kasus: set | None = None) -> bool:
    """Whether the user sees the client's identity (UU 11/2012 art. 19 for children and ABH cases).

    Non-confidential cases: everyone who may see the case. Confidential ones:
    its handlers and holders of ``kasus.lihat_semua_identitas``; on the case
    page (not in lists) also whoever may record its current step, since they
    are about to handle it. ``penangan_kasus``: the handlers when the caller
    already has them (``penangan_banyak``).
    """
    if not kasus.rahasia:
        return True
    if boleh(pengguna, "kasus.lihat_semua_identitas"):
        return True
    if pengguna.id in (penangan(kasus) if penangan_kasus is None else penangan_kasus):
        return True
    if di_daftar or kasus.langkah_kode is None:
        return False
    definisi = _definisi_kini(kasus)
    return definisi is not None and boleh_kerjakan(pengguna, definisi, kasus)


def nama_tampil(pengguna, kasus: Kasus, *, di_daftar: bool = False, penangan_kasus: set | None = None) -> str:
    nama = klien_svc.nama_klien(kasus.klien)
    if kasus.klien.nama and not boleh_lihat_identitas(pengguna, kasus, di_daftar=di_daftar, penangan_kasus=penangan_kasus):
        return klien_svc.samarkan_nama(nama)
    return nama


def boleh_urus(pengguna, kasus: Kasus) -> bool:
    """Handlers, whoever may do the current step, and heads of division/office may pause, resume and close."""
    if boleh(pengguna, "kasus.tugaskan") or pengguna.id in penangan(kasus):
        return True
    definisi = _definisi_kini(kasus) if kasus.langkah_kode else None
    return definisi is not None and boleh_kerjakan(pengguna, definisi, kasus)


def _definisi_kini(kasus: Kasus) -> dict | None:
    """The SOP definition of the case's current step."""
    return versi_kasus(kasus).langkah(kasus.langkah_kode)
