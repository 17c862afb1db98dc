"""Idempotent API writes: a request retried with the same ``Idempotency-Key`` gets the first answer again.

A client that gave up waiting (a stalled database, a dropped connection) does
not know whether its intake was saved. It sends the request again with the
same key, and the platform answers what it answered the first time, writing
nothing again.

How: the key (per office and user) is stored in ``kunci_idempoten`` in the
same transaction as the request's write: a ``before_commit`` hook adds the row
to the first commit of the request that writes anything, so the write and the
key commit together or not at all. After the response is built, its status
and body (encrypted: it may name a client) are stored on that row. A retry
finds the row: the same method, path and body get the stored answer back
(header ``Idempotent-Replayed: true``); anything else under that key is
refused (422). A row without an answer means the first request is still
running, or committed and died before answering: 409, so nothing is written
twice. Two simultaneous requests with one key race on the row's unique key at
commit: one commits, the other is rolled back whole and answered 409.

A request that wrote nothing (refused by validation before any commit) leaves
no row, so its retry simply runs again. Keys are kept ``SIMPAN_JAM`` hours.
"""
import base64
import hashlib
import json
import logging
import uuid
from datetime import datetime, timedelta

from flask import g, has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Index, Integer, String, UniqueConstraint, delete, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import MilikTenant, UtcDateTime, db, fk_tenant, sekarang
from .kripto import Terenkripsi
from .tenant import lintas_tenant, tenant_aktif

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
METODE = ("POST", "PUT", "PATCH", "DELETE")
MAKS_PANJANG = 200
SIMPAN_JAM = 24
# Response headers given back with a replayed answer.
KEPALA_DISIMPAN = ("Location", "Content-Disposition")


class KunciIdempoten(MilikTenant, db.Model):
    """One ``Idempotency-Key`` a user of an office used, what it was for, and the answer it got."""

    __tablename__ = "kunci_idempoten"

    pengguna_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    kunci: Mapped[str] = mapped_column(String(MAKS_PANJANG), nullable=False)
    # sha256 of method, path, query and body: a reused key with another request is refused
    sidik: Mapped[str] = mapped_column(String(64), nullable=False)
    status_kode: Mapped[int | None] = mapped_column(Integer)
    kepala: Mapped[str | None] = mapped_column(Terenkripsi)  # JSON: content type and the headers kept
    isi: Mapped[str | None] = mapped_column(Terenkripsi)  # base64 of the body
    dijawab_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        fk_tenant("pengguna_id", "pengguna", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "pengguna_id", "kunci"),
        Index("ix_kunci_idempoten_dibuat_pada", "dibuat_pada"),
    )


def _sidik() -> str:
    """What the request asks for: method, path, query and body, the body as content (a multipart upload's
    boundary is random per send, so its fields and files are hashed, not its bytes; JSON key order is not)."""
    h = hashlib.sha256(f"{request.method} {request.path}?{request.query_string.decode('latin-1')}\n".encode())
    if request.mimetype == "multipart/form-data":
        for nama, nilai in sorted(request.form.items(multi=True)):
            h.update(json.dumps(["f", nama, nilai]).encode())
        for nama, berkas in sorted(request.files.items(multi=True), key=lambda x: (x[0], x[1].filename or "")):
            isi = berkas.stream.read()
            berkas.stream.seek(0)  # the view reads it again
            h.update(json.dumps(["b", nama, berkas.filename, hashlib.sha256(isi).hexdigest()]).encode())
        return h.hexdigest()
    data = request.get_data(cache=True)  # cached: the view's parser reads it again from memory
    if request.is_json:
        try:
            data = json.dumps(json.loads(data), sort_keys=True, separators=(",", ":")).encode()
        except ValueError:
            pass
    h.update(data)
    return h.hexdigest()


def _tolak(kode: int, pesan: str, **kepala):
    from .errors import tanggapan_kesalahan

    # Named where marshmallow names a header at fault, so a client sees which part of its request to change.
    isi, kode = tanggapan_kesalahan(kode, pesan, {"headers": {HEADER: [pesan]}} if kode == 422 else None)
    for k, v in kepala.items():
        isi.headers[k] = v
    return isi, kode


def _jawaban_tersimpan(baris: KunciIdempoten):
    from flask import Response

    kepala = json.loads(baris.kepala or "{}")
    resp = Response(base64.b64decode(baris.isi or ""), status=baris.status_kode, content_type=kepala.pop("Content-Type", None))
    for k, v in kepala.items():
        resp.headers[k] = v
    resp.headers["Idempotent-Replayed"] = "true"
    return resp


def _periksa():
    """Before the view: answer a retry from what was stored, refuse a reused key, or note the key for the commit."""
    kunci = request.headers.get(HEADER)
    if kunci is None or request.method not in METODE or not request.path.startswith("/api/t/"):
        return None
    if not (0 < len(kunci) <= MAKS_PANJANG and kunci.isascii() and kunci.isprintable()):
        return _tolak(422, _("Header Idempotency-Key harus 1 sampai %(n)s karakter ASCII yang dapat dicetak.", n=MAKS_PANJANG))
    if tenant_aktif() is None or not current_user.is_authenticated:
        return None  # the view refuses the request itself (404, 401)
    sidik = _sidik()
    baris = db.session.scalar(select(KunciIdempoten).where(KunciIdempoten.pengguna_id == current_user.id,
                                                           KunciIdempoten.kunci == kunci))
    if baris is not None and baris.dibuat_pada < sekarang() - timedelta(hours=SIMPAN_JAM):
        db.session.delete(baris)  # expired: the key may be used afresh (and this delete commits with the new row)
        db.session.flush()  # before the new row's INSERT, which the unit of work would otherwise order first
        baris = None
    if baris is not None:
        if baris.sidik != sidik:
            return _tolak(422, _("Idempotency-Key ini sudah dipakai untuk permintaan lain (alamat atau isi berbeda). "
                                 "Gunakan kunci baru untuk permintaan baru."))
        if baris.status_kode is None:
            return _tolak(409, _("Permintaan dengan Idempotency-Key ini sedang diproses atau sudah tersimpan tanpa jawaban. "
                                 "Periksa datanya sebelum mengirim permintaan baru."), **{"Retry-After": "5"})
        resp = _jawaban_tersimpan(baris)
        db.session.rollback()
        return resp
    g.idempoten = {"kunci": kunci, "sidik": sidik, "pengguna_id": current_user.id, "tenant_id": tenant_aktif(),
                   "ditulis": False, "tertunda": False, "tersimpan": False}
    return None


def _info(session):
    if not has_request_context():
        return None
    info = g.get("idempoten")
    return info if info and session is db.session() else None


def _sertakan(session):
    """At a commit of the request that writes something, add the key row to it (once)."""
    info = _info(session)
    if info is None or info["tersimpan"] or info["tertunda"] or session.in_nested_transaction():
        return
    if not (info["ditulis"] or session.new or session.dirty or session.deleted) or tenant_aktif() != info["tenant_id"]:
        return
    session.add(KunciIdempoten(tenant_id=info["tenant_id"], pengguna_id=info["pengguna_id"], kunci=info["kunci"],
                               sidik=info["sidik"]))
    info["tertunda"] = True


def _setelah_flush(session, _konteks):
    info = _info(session)
    if info is not None:
        info["ditulis"] = True


def _setelah_commit(session):
    info = _info(session)
    if info is not None:
        info["tersimpan"] = info["tersimpan"] or info["tertunda"]
        info["tertunda"] = info["ditulis"] = False


def _setelah_rollback(session):
    info = _info(session)
    if info is not None:
        info["tertunda"] = info["ditulis"] = False


def _catat_jawaban(resp):
    """After the view: store the answer on the key row the request committed (not a 5xx: what committed is
    unknown to this code, and a retry is told so rather than given an error that may be false)."""
    info = g.pop("idempoten", None)
    if not info or not info["tersimpan"] or resp.status_code >= 500 or resp.is_streamed:
        return resp
    kepala = {k: resp.headers[k] for k in KEPALA_DISIMPAN if k in resp.headers}
    kepala["Content-Type"] = resp.content_type
    try:
        db.session.rollback()  # nothing of the view is left open; this is its own small transaction
        db.session.execute(
            update(KunciIdempoten)
            .where(KunciIdempoten.pengguna_id == info["pengguna_id"], KunciIdempoten.kunci == info["kunci"])
            .values(status_kode=resp.status_code, kepala=json.dumps(kepala),
                    isi=base64.b64encode(resp.get_data()).decode(), dijawab_pada=sekarang())
        )
        db.session.commit()
    except Exception:  # the answer is given anyway; a retry is then told the request was processed (409)
        log.warning("could not store the answer of idempotency key on %s %s", request.method, request.path, exc_info=True)
        try:
            db.session.rollback()
        except Exception:
            pass
    return resp


def bersihkan(pada: datetime | None = None) -> int:
    """Delete the keys older than ``SIMPAN_JAM`` hours, of every office (a periodic job)."""
    batas = (pada or sekarang()) - timedelta(hours=SIMPAN_JAM)
    with lintas_tenant("hapus Idempotency-Key kedaluwarsa", catat=False):
        n = db.session.execute(delete(KunciIdempoten).where(KunciIdempoten.dibuat_pada < batas)).rowcount
        db.session.commit()
    return n


PARAMETER_OPENAPI = {
    "name": HEADER, "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAKS_PANJANG, "pattern": "^[\\x20-\\x7e]+$"},
    "description": (
        "Kunci unik dari klien (mis. UUID) agar permintaan yang diulang tidak menulis dua kali. Permintaan ulang dengan "
        "kunci, alamat dan isi yang sama mendapat jawaban pertama lagi (status dan isi, header `Idempotent-Replayed: true`) "
        "tanpa menulis apa pun; kunci yang sama dengan permintaan lain ditolak 422; selagi permintaan pertama masih diproses "
        "409. Berlaku per kantor dan pengguna selama 24 jam. / A client-chosen unique key (e.g. a UUID) so that a retried "
        "request never writes twice: the same key, path and body get the first answer again (status and body, header "
        "`Idempotent-Replayed: true`) and write nothing; the key with another request is refused with 422; while the first "
        "is still running, 409. Scoped to the office and user, kept 24 hours."),
}


def dokumentasikan(spec) -> None:
    """Add the header to every writing operation of the OpenAPI document."""
    for jalur in spec._paths.values():  # apispec keeps the paths it was given here; there is no public iterator
        for metode, operasi in jalur.items():
            if metode.upper() in METODE and isinstance(operasi, dict):
                params = operasi.setdefault("parameters", [])
                if not any(p.get("name") == HEADER for p in params if isinstance(p, dict)):
                    params.append(dict(PARAMETER_OPENAPI))


def pasang(app) -> None:
    from .errors import daftar_bentrok

    daftar_bentrok("uq_kunci_idempoten_tenant_id_pengguna_id_kunci", _l(
        "Permintaan lain dengan Idempotency-Key yang sama sedang diproses; permintaan ini tidak disimpan. Coba lagi sebentar lagi."),
        kolom="kunci_idempoten.tenant_id, kunci_idempoten.pengguna_id, kunci_idempoten.kunci")
    app.before_request(_periksa)
    app.after_request(_catat_jawaban)
    if not getattr(pasang, "_terpasang", False):  # session events are global, once per process
        event.listen(Session, "before_commit", _sertakan)
        event.listen(Session, "after_flush", _setelah_flush)
        event.listen(Session, "after_commit", _setelah_commit)
        event.listen(Session, "after_rollback", _setelah_rollback)
        pasang._terpasang = True
