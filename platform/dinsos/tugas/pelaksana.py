"""Whose turn a running SOP step is: the one rule the work queue and the hand-off notices share.

A step assigned to someone is theirs alone. An unassigned step belongs to
everyone whose role may record it (``cases.konstanta.PERAN_PELAKSANA``), and
to the case's assignee when the step is an outside party's (reporter, client,
partner) that the assignee records for them.

A step with a disposition chain (``disposisi``: Kepala Dinas, then Kepala
Bidang, then the officer who records it) is the turn of one link at a time:
the roles of the link after the ``disposisi_ke`` acts already recorded. Only
the last link, which records the step, can be held by an assignee.

The SOP steps of a service version never change once written, so what each
step's roles are is kept per process by version id and read from the
database only for versions not seen before.
"""
import uuid

from sqlalchemy import select

from dinsos.cases.akses import peran_untuk_langkah
from dinsos.cases.konstanta import PENANGGUNG_JAWAB
from dinsos.cases.pelacak import nama_pendek
from dinsos.catalogue.models import Layanan, VersiLayanan
from dinsos.core.db import db
from dinsos.core.tenant import tenant_aktif

# office id -> the ids of its versions seen by this process (the menu's count asks the database only whether more exist)
_VERSI_KANTOR: dict[uuid.UUID, frozenset] = {}
# version id -> {"layanan_id": ..., "langkah": {code: {"kegiatan", "waktu", "peran", "rantai", "urutan"}}, "jumlah": n}
_SOP: dict[uuid.UUID, dict] = {}


def _ringkas(versi: VersiLayanan) -> dict:
    langkah = versi.isi["sop"]["langkah"]
    return {
        "layanan_id": versi.layanan_id,
        "jumlah": len(langkah),
        "langkah": {
            l["kode"]: {"nama": nama_pendek(l), "kegiatan": l.get("kegiatan") or l["kode"], "waktu": l.get("waktu"), "urutan": i + 1,
                        "peran": peran_untuk_langkah(l),
                        "rantai": tuple(peran_untuk_langkah({"pelaksana": [a]}) for a in l.get("disposisi") or ())}
            for i, l in enumerate(langkah)
        },
    }


def sop_kantor() -> dict[uuid.UUID, dict]:
    """Every service version of the bound office, its steps' roles and words (one small query when all are known)."""
    ids = set(db.session.scalars(select(VersiLayanan.id)))
    baru = ids - _SOP.keys()
    if baru:
        for v in db.session.scalars(select(VersiLayanan).where(VersiLayanan.id.in_(baru))):
            _SOP[v.id] = _ringkas(v)
    _VERSI_KANTOR[tenant_aktif()] = frozenset(ids)
    return {i: _SOP[i] for i in ids}


def sop_kantor_dikenal() -> dict[uuid.UUID, dict]:
    """The office's versions this process has already read (no query; ``sop_kantor`` refreshes it)."""
    return {i: _SOP[i] for i in _VERSI_KANTOR.get(tenant_aktif(), ())}


def sop_versi(versi_id) -> dict | None:
    if versi_id not in _SOP:
        v = db.session.scalar(select(VersiLayanan).where(VersiLayanan.id == versi_id))
        if v is None:
            return None
        _SOP[v.id] = _ringkas(v)
    return _SOP[versi_id]


def nama_layanan() -> dict:
    """The office's service names by id, read once per request (each kind of work in the queue asks)."""
    from flask import g, has_request_context

    kunci = ("nama_layanan", tenant_aktif())  # keyed by office: a task may work for several offices in one context
    if has_request_context() and kunci in g.get("per_kantor", {}):
        return g.per_kantor[kunci]
    nama = dict(db.session.execute(select(Layanan.id, Layanan.nama)).all())
    if has_request_context():
        g.setdefault("per_kantor", {})[kunci] = nama
    return nama


def urutan_giliran(definisi: dict) -> list[tuple[int, frozenset, bool]]:
    """A step's turns as ``(disposisi_ke, roles, last)``: one for a plain step, one per link of a disposition chain."""
    rantai = definisi["rantai"]
    if not rantai:
        return [(0, definisi["peran"], True)]
    return [(i, peran, i == len(rantai) - 1) for i, peran in enumerate(rantai)]


def giliran(definisi: dict, langkah, pengguna, pj_kasus, ke: int | None = None) -> bool:
    """Whether a running step (``langkah``: its assignee and ``disposisi_ke``) is this user's turn.

    ``ke``: the link of the chain to ask about, when not the step's current one (a notice of an earlier event).
    """
    semua = urutan_giliran(definisi)
    _ke, peran, terakhir = semua[min(langkah.disposisi_ke if ke is None else ke, len(semua) - 1)]
    if terakhir and langkah.penanggung_jawab_id is not None:
        return langkah.penanggung_jawab_id == pengguna.id
    if set(pengguna.peran or ()) & peran:
        return True
    return terakhir and PENANGGUNG_JAWAB in peran and pj_kasus == pengguna.id
