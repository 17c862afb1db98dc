"""What every change to a case stands on: its errors, the version lock, the commit, the timeline, the audit
trail, permission checks and stored uploads.

Every change to a case goes through ``kunci_versi`` first: it checks the
version the caller read (optimistic locking), bumps it and flushes at once,
so a stale form or a concurrent change is refused before anything else is
checked or written, and what the checks then read is the state of that
version: every change bumps it. On PostgreSQL the row lock this takes also
queues two simultaneous submits, and the second finds the version moved on.
The caller commits (``simpan``), or rolls back when a ``KesalahanKasus`` is
raised. Each timeline event (``catat_peristiwa_kasus``, also the entry for
other capabilities' events such as a referral's progress) is handed to
``tenggat``, which starts, pauses, resumes, reassigns and ends the
``dinsos.sla`` clocks: the events that move a deadline are the timeline's own,
and then to the listeners other capabilities registered in
``SAAT_PERISTIWA_KASUS`` (the work queue tells whose turn it is), in the same
transaction.
"""
import hashlib
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from dinsos.audit.services import catat_peristiwa
from dinsos.core.db import db
from dinsos.core.penyimpanan import BerkasDitolak, penyimpanan, periksa_berkas
from dinsos.core.registri import Registri
from dinsos.izin import boleh

from . import tenggat
from .models import Kasus, LampiranKasus, LangkahKasus, PeristiwaKasus


class KesalahanKasus(ValueError):
    """A refused case operation. ``kode`` is the HTTP status; ``kesalahan`` maps field names to messages."""

    def __init__(self, pesan: str, kode: int = 422, kesalahan: dict | None = None):
        super().__init__(pesan)
        self.pesan = pesan
        self.kode = kode
        self.kesalahan = kesalahan or {}


class KonflikVersi(KesalahanKasus):
    """The case changed since the caller read it."""

    def __init__(self, versi_form=None, versi_kini=None):
        rincian = f" (formulir versi {versi_form}, kasus kini versi {versi_kini})" if versi_kini is not None else ""
        super().__init__(
            "Kasus ini sudah diubah oleh pengguna lain sejak halaman dibuka" + rincian + ". "
            "Perubahan Anda tidak disimpan. Muat ulang halaman kasus, periksa keadaannya, lalu ulangi bila masih perlu.",
            409,
        )


def wajib_izin(pengguna, izin: str, pesan: str) -> None:
    """Refuse (403, with ``pesan``) a user who lacks the permission ``izin``."""
    if not boleh(pengguna, izin):
        raise KesalahanKasus(pesan, 403)


def _cek_versi(kasus: Kasus, versi) -> None:
    """Refuse a change made from an older reading of the case (checked first, so a stale form gets this message)."""
    try:
        versi = int(versi)
    except (TypeError, ValueError):
        raise KesalahanKasus("Versi kasus tidak ada pada formulir atau permintaan; muat ulang halaman kasus.", 422,
                             {"versi": "Wajib diisi dengan versi kasus yang dibaca."}) from None
    if versi != kasus.versi:
        raise KonflikVersi(versi, kasus.versi)


def kunci_versi(kasus: Kasus, versi, pada: datetime) -> None:
    """Check the version the caller read, then bump it in the database now."""
    _cek_versi(kasus, versi)
    kasus.diperbarui_pada = pada
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise KonflikVersi() from None


def simpan() -> None:
    """Commit the case change; a concurrent change that won first turns into a 409."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise KonflikVersi() from None


def kunci_baris_kasus(kasus: Kasus) -> None:
    """Hold the case's row lock until this transaction ends (once per transaction; PostgreSQL).

    Whatever reads a case's rows and inserts from what it read (the timeline's
    next number, the "already referred" check) runs under it, so simultaneous
    requests on one case queue instead of colliding on a unique key. A change
    through ``kunci_versi`` holds it already (its UPDATE locks the row); a referral
    or a report from another office takes it here. SQLite serializes writers
    on its own.
    """
    sesi = db.session()
    tx = sesi.get_transaction()
    terkunci = sesi.info.get("kasus_terkunci")
    if terkunci is None or terkunci[0] is not tx:
        terkunci = sesi.info["kasus_terkunci"] = (tx, set())
    if kasus.id in terkunci[1]:
        return
    if sesi.get_bind().dialect.name == "postgresql":
        sesi.execute(select(Kasus.id).where(Kasus.id == kasus.id).with_for_update())
    terkunci[1].add(kasus.id)


# name -> f(kasus, peristiwa): run after each timeline event is written, before the caller commits (``tugas``
# tells whose turn it is). Capabilities register in their ``pasang(app)``.
SAAT_PERISTIWA_KASUS: Registri = Registri("saat peristiwa kasus")


def _urutan_berikutnya(kasus: Kasus) -> int:
    """The next position on the case's timeline: read once per transaction, then counted here.

    The case's row is locked for the transaction (``kunci_baris_kasus``), so no other writer adds events to
    it meanwhile; an intake writes four events and read the highest position four times before.
    """
    sesi = db.session()
    tx = sesi.get_transaction()
    terakhir = sesi.info.get("urutan_peristiwa")
    if terakhir is None or terakhir[0] is not tx:
        terakhir = sesi.info["urutan_peristiwa"] = (tx, {})
    if kasus.id not in terakhir[1]:
        terakhir[1][kasus.id] = db.session.scalar(
            select(func.max(PeristiwaKasus.urutan)).where(PeristiwaKasus.kasus_id == kasus.id)) or 0
    terakhir[1][kasus.id] += 1
    return terakhir[1][kasus.id]


def catat_peristiwa_kasus(kasus: Kasus, jenis: str, pada: datetime, aktor=None, catatan: str | None = None,
                          **rincian) -> PeristiwaKasus:
    """Put an event on the case's timeline (this module's callers, and other capabilities such as a referral's
    progress); the caller commits. ``rincian`` values that are None are left out."""
    kunci_baris_kasus(kasus)
    urutan = _urutan_berikutnya(kasus)
    p = PeristiwaKasus(
        kasus_id=kasus.id, urutan=urutan, jenis=jenis, waktu=pada, aktor_id=aktor.id if aktor else None,
        rincian={k: v for k, v in rincian.items() if v is not None}, catatan=catatan,
    )
    db.session.add(p)
    db.session.flush()
    tenggat.ikuti(kasus, p)  # the events that move a deadline are the timeline's own
    for fungsi in SAAT_PERISTIWA_KASUS.values():
        fungsi(kasus, p)
    return p


def audit_kasus(tindakan: str, kasus: Kasus, pengguna, **rincian) -> None:
    """Write a case action to the audit log, the user named as its actor."""
    catat_peristiwa(tindakan, objek_jenis="kasus", objek_id=kasus.id,
                    aktor=pengguna.label_audit if pengguna else None, **rincian)


def simpan_lampiran(kasus: Kasus, isi: bytes, nama_berkas: str, pengguna, pada: datetime, *,
                    langkah: LangkahKasus | None = None, persyaratan_kode: str | None = None) -> LampiranKasus:
    """Store an (already checked) upload and record it as the case's attachment, of a step or a requirement."""
    mime = periksa_berkas(isi, batas_unggah())
    kunci = penyimpanan().simpan(isi, "lampiran")
    lamp = LampiranKasus(
        kasus_id=kasus.id, langkah_kasus_id=langkah.id if langkah else None, persyaratan_kode=persyaratan_kode,
        kunci=kunci, nama_berkas=(nama_berkas or "berkas").strip()[:200] or "berkas", jenis_mime=mime,
        ukuran=len(isi), sha256=hashlib.sha256(isi).hexdigest(), diunggah_oleh_id=pengguna.id if pengguna else None,
        dibuat_pada=pada,
    )
    db.session.add(lamp)
    db.session.flush()
    return lamp


def batas_unggah() -> int:
    """The largest upload accepted, in bytes (``MAX_UPLOAD_BYTES``)."""
    from flask import current_app

    return current_app.config["MAX_UPLOAD_BYTES"]


def periksa_unggahan(unggahan) -> None:
    """Refuse a bad upload before anything is stored or written."""
    for label, (isi, nama) in unggahan:
        try:
            periksa_berkas(isi, batas_unggah())
        except BerkasDitolak as e:
            raise KesalahanKasus(f"{label} ({nama}): {e}", e.kode, {label: str(e)}) from None


def periksa_foto(foto: tuple) -> None:
    periksa_unggahan([("klien.foto", foto)])
    if periksa_berkas(foto[0], batas_unggah()) not in ("image/jpeg", "image/png"):
        raise KesalahanKasus("Foto klien harus berupa gambar JPEG atau PNG.", 415, {"klien.foto": "Harus JPEG atau PNG."})
