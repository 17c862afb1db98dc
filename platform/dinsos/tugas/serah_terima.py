"""Hand-offs: when a case moves to someone else's turn, tell them, once.

Listens to the case timeline (``cases.perubahan.SAAT_PERISTIWA_KASUS``), in
the transaction that wrote the event, so the notice commits or rolls back
with the change itself:

- ``langkah_mulai``: a step started (the previous one was done, or the file
  became complete): its actors (``pelaksana.giliran``) hear it is their turn;
- ``ditugaskan``: the case was assigned: the new assignee hears it;
- ``langkah_ditugaskan``: the current step was assigned: its new assignee.

A "your turn" notice belongs to a group (``kelompok``): the step (``langkah:<case>:<code>``) or the case's
assignment (``kasus:<case>:pj``). When the step is done (``langkah_selesai``), its standing notices are
superseded, naming who did it; when the step or the case goes to someone, everyone else's earlier notices
of that group are.

Whoever caused the event is not told (they are looking at it). The notice's
key is the timeline event (case id and the event's number) and the
recipient, so the same hand-off never makes two notices, whatever retries.
Notices carry the register number, the service and the step, never the
client's name: they also go out by e-mail and WhatsApp.
"""
import uuid

from sqlalchemy import select

from dinsos.auth.models import Pengguna
from dinsos.core.db import db
from dinsos.tenancy.models import Tenant

from . import pelaksana


def _uuid(nilai):
    if nilai is None:
        return None
    return nilai if isinstance(nilai, uuid.UUID) else uuid.UUID(str(nilai))


def _tentang(kasus, sop: dict | None) -> str:
    layanan = pelaksana.nama_layanan().get(kasus.layanan_id, "")
    nomor = kasus.nomor_register or "belum bernomor"
    return f"Kasus {nomor} · {layanan}"


def _tautan(kasus, jangkar: str = "langkah-kini") -> str:
    slug = db.session.get(Tenant, kasus.tenant_id).slug
    return f"/t/{slug}/kasus/{kasus.id}#{jangkar}"


def penerima_giliran(kasus, langkah, definisi: dict, ke: int | None = None) -> list:
    """Ids of the active staff whose turn this running step is (at link ``ke`` of its disposition chain, if given)."""
    staf = db.session.scalars(select(Pengguna).where(Pengguna.aktif.is_(True)).order_by(Pengguna.nama)).all()
    return [p.id for p in staf if pelaksana.giliran(definisi, langkah, p, kasus.penanggung_jawab_id, ke)]


def _kirim(penerima, judul: str, isi: str, tautan: str, kunci: str, kelompok: str) -> None:
    from dinsos.notify.services import kirim_notifikasi

    kirim_notifikasi(penerima, judul, isi, tautan=tautan, kunci=kunci, kelompok=kelompok)


def kelompok_langkah(kasus, kode: str) -> str:
    return f"langkah:{kasus.id}:{kode}"


def _usangkan(kelompok: str, alasan: str, kecuali=None) -> None:
    from dinsos.notify.services import usangkan

    usangkan(kelompok, alasan, kecuali_penerima=kecuali)


def _nama(pid) -> str:
    nama = pid and db.session.scalar(select(Pengguna.nama).where(Pengguna.id == pid))
    return nama or "petugas lain"


def _langkah_peristiwa(kasus, p) -> tuple:
    """The step run an event is about, its version's SOP summary and the step's definition there (None if gone)."""
    langkah = next((l for l in kasus.langkah if l.urutan == p.rincian.get("urutan")), None)
    sop = pelaksana.sop_versi(kasus.versi_layanan_id)
    return langkah, sop, sop and sop["langkah"].get(p.rincian.get("langkah"))


def _langkah_mulai(kasus, p) -> None:
    urutan_run = p.rincian.get("urutan")
    langkah, sop, definisi = _langkah_peristiwa(kasus, p)
    if langkah is None or not definisi:
        return
    if urutan_run == 1 and p.aktor_id is not None:
        # The first step starts at the desk where the file became complete: if that person may do it, it is theirs.
        aktor = db.session.scalar(select(Pengguna).where(Pengguna.id == p.aktor_id))
        if aktor is not None and pelaksana.giliran(definisi, langkah, aktor, kasus.penanggung_jawab_id, ke=0):
            return
    judul = f"Giliran Anda: {definisi['nama']} (langkah {definisi['urutan']} dari {sop['jumlah']})"
    waktu = f" Standar waktu langkah ini: {langkah.waktu}." if langkah.waktu else ""
    isi = f"{_tentang(kasus, sop)}. Langkah sebelumnya sudah selesai; langkah ini menunggu Anda: {definisi['kegiatan']}.{waktu}"
    if urutan_run == 1:
        isi = f"{_tentang(kasus, sop)}. Berkas lengkap; langkah pertama menunggu Anda: {definisi['kegiatan']}.{waktu}"
    for pid in penerima_giliran(kasus, langkah, definisi, ke=0):
        if pid != p.aktor_id:
            _kirim(pid, judul, isi, _tautan(kasus), f"giliran:{kasus.id}:{p.urutan}:{pid}", kelompok_langkah(kasus, langkah.kode))


def _ditugaskan(kasus, p) -> None:
    ke = _uuid(p.rincian.get("ke"))
    if ke is None:
        return
    if p.jenis == "ditugaskan":
        kelompok = f"kasus:{kasus.id}:pj"
        judul = f"Kasus {kasus.nomor_register or ''} ditugaskan kepada Anda".replace("  ", " ")
        isi = f"{_tentang(kasus, None)}. Anda kini penanggung jawab kasus ini."
    else:
        kelompok = kelompok_langkah(kasus, p.rincian.get("langkah"))
        sop = pelaksana.sop_versi(kasus.versi_layanan_id)
        definisi = (sop or {"langkah": {}})["langkah"].get(p.rincian.get("langkah")) or {"nama": p.rincian.get("langkah")}
        judul = f"Langkah ditugaskan kepada Anda: {definisi['nama']}"
        isi = f"{_tentang(kasus, sop)}. Langkah ini kini menunggu Anda."
    _usangkan(kelompok, f"Sudah ditugaskan kepada {_nama(ke)}.", kecuali=ke)
    if ke != p.aktor_id:
        _kirim(ke, judul, isi, _tautan(kasus), f"giliran:{kasus.id}:{p.urutan}:{ke}", kelompok)


def _disposisi(kasus, p) -> None:
    """One link of a disposition chain is recorded: its notices are done, and the next link hears it is their turn."""
    langkah, sop, definisi = _langkah_peristiwa(kasus, p)
    if langkah is None or not definisi or (p.rincian.get("ke") or 0) >= len(definisi["rantai"]):
        return  # the chain's last act is the step itself, recorded (its langkah_selesai supersedes the notices)
    kelompok = kelompok_langkah(kasus, langkah.kode)
    _usangkan(kelompok, f"Disposisi sudah dicatat oleh {_nama(p.aktor_id)}.")
    judul = f"Giliran Anda: {definisi['nama']} (langkah {definisi['urutan']} dari {sop['jumlah']})"
    isi = f"{_tentang(kasus, sop)}. Disposisi ke-{p.rincian.get('ke')} sudah dicatat; bagian berikutnya menunggu Anda: {definisi['kegiatan']}."
    for pid in penerima_giliran(kasus, langkah, definisi, ke=p.rincian.get("ke")):
        if pid != p.aktor_id:
            _kirim(pid, judul, isi, _tautan(kasus), f"giliran:{kasus.id}:{p.urutan}:{pid}", kelompok)


def _langkah_selesai(kasus, p) -> None:
    if p.rincian.get("langkah"):
        _usangkan(kelompok_langkah(kasus, p.rincian["langkah"]), f"Langkah ini sudah diselesaikan oleh {_nama(p.aktor_id)}.")


PENANGAN = {"langkah_mulai": _langkah_mulai, "ditugaskan": _ditugaskan, "langkah_ditugaskan": _ditugaskan,
            "langkah_selesai": _langkah_selesai, "disposisi": _disposisi}


def saat_peristiwa(kasus, p) -> None:
    """The timeline listener: a hand-off event notifies the next actor(s)."""
    fungsi = PENANGAN.get(p.jenis)
    if fungsi is not None:
        fungsi(kasus, p)
