"""Error pages and API errors: a clear Indonesian message, the right status, never a stack trace."""
import logging

from flask import g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolHabis
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

from .db import db

log = logging.getLogger(__name__)


def pesan_status(kode: int) -> str:
    return {
        400: _("Permintaan tidak valid."),
        401: _("Silakan masuk terlebih dahulu."),
        403: _("Anda tidak memiliki izin untuk tindakan ini."),
        404: _("Halaman atau data tidak ditemukan."),
        405: _("Metode tidak diizinkan untuk alamat ini."),
        409: _("Data telah diubah oleh orang lain. Muat ulang halaman lalu coba lagi."),
        413: _("Berkas terlalu besar."),
        422: _("Isian tidak valid."),
        429: _("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi."),
        500: _("Terjadi kesalahan pada sistem. Tim kami telah dicatat; silakan coba lagi."),
        503: _("Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi."),
    }.get(kode, _("Terjadi kesalahan."))


def _ingin_json() -> bool:
    return request.path.startswith("/api/")


def tanggapan_kesalahan(kode: int, pesan: str | None = None, rincian=None):
    pesan = pesan or pesan_status(kode)
    if _ingin_json():
        isi = {"code": kode, "status": pesan, "message": pesan}
        if rincian:
            isi["errors"] = rincian
        return jsonify(isi), kode
    return render_template("kesalahan.html", kode=kode, pesan=pesan, rincian=rincian), kode


def _bersarang(kesalahan: dict) -> dict:
    """{"klien.nik": "..."} -> {"klien": {"nik": ["..."]}}, the shape marshmallow uses."""
    hasil: dict = {}
    for kunci, pesan in kesalahan.items():
        *jalur, akhir = kunci.split(".")
        tempat = hasil
        for bagian in jalur:
            tempat = tempat.setdefault(bagian, {})
        tempat[akhir] = [pesan]
    return hasil


def jawaban_galat(e):
    """An API's answer to a refused service operation (``e.pesan``, ``e.kode``, ``e.kesalahan`` by dotted field).

    Nothing of the change is kept; the body has the shape of the other API errors, with the fields at fault
    under ``errors.json`` as marshmallow reports its own.
    """
    db.session.rollback()
    isi = {"code": e.kode, "status": e.pesan, "message": e.pesan}
    if e.kesalahan:
        isi["errors"] = {"json": _bersarang(e.kesalahan)}
    resp = jsonify(isi)
    resp.status_code = e.kode
    return resp


def _jalur(rincian, awal: str = "") -> list[str]:
    """The dotted paths of the fields in a marshmallow-shaped errors object, e.g. ``json.pelapor.jenis``."""
    if not isinstance(rincian, dict):
        return [awal] if awal else []
    return [j for k, v in rincian.items() for j in _jalur(v, f"{awal}.{k}" if awal else str(k))]


def _galat_isian(e):
    """A request refused by its arguments' schema: the fields at fault, named in the message as well."""
    rincian = (e.data or {}).get("messages") or {}
    jalur = _jalur(rincian)
    pesan = _("Isian tidak valid pada: %(bidang)s.", bidang=", ".join(jalur)) if jalur else None
    hasil = tanggapan_kesalahan(e.code or 422, pesan, rincian or None)
    for nama, nilai in ((e.data or {}).get("headers") or {}).items():
        hasil[0].headers[nama] = nilai
    return hasil


def pasang(app):
    @app.errorhandler(CSRFError)
    def _csrf(e):
        return tanggapan_kesalahan(400, _("Formulir kedaluwarsa atau token keamanan (CSRF) tidak ada. Muat ulang halaman lalu kirim lagi."))

    @app.errorhandler(HTTPException)
    def _http(e):
        if getattr(e, "response", None) is not None:  # already answered in full (a rate limit's on_breach)
            return e.response
        if _ingin_json() and getattr(e, "data", None):
            return _galat_isian(e)  # marshmallow validation errors with field paths
        pesan = getattr(e, "description", None) if getattr(e, "dinsos_pesan", False) else None
        isi, kode = tanggapan_kesalahan(e.code or 500, pesan)
        # Headers the exception carries (a 405's Allow, a 401's WWW-Authenticate) belong on our page too.
        kepala = {k: v for k, v in e.get_headers() if k.lower() != "content-type"} if hasattr(e, "get_headers") else {}
        return isi, kode, kepala

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolHabis)
    def _basis_data_putus(e):
        if sqlstate(e) in SQLSTATE_BENTROK:
            return _bentrok(e)
        return _tidak_tersedia(e)

    @app.errorhandler(IntegrityError)
    def _kunci_ganda(e):
        return _bentrok(e)

    @app.errorhandler(Exception)
    def _tak_terduga(e):
        if isinstance(e, HTTPException):
            return _http(e)
        if isinstance(e, DBAPIError) and e.connection_invalidated:
            return _tidak_tersedia(e)
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return tanggapan_kesalahan(500)

    @app.errorhandler(InternalServerError)
    def _500(e):
        db.session.rollback()
        return tanggapan_kesalahan(500)


JEDA_COBA_LAGI_DETIK = 5

# Two transactions that collided (a deadlock, a serialization failure): the loser is rolled back whole and may
# simply try again, so it is a conflict (409), not an outage.
SQLSTATE_BENTROK = {"40P01", "40001"}
# Messages for unique keys whose violation means "someone did this first", by constraint or index name.
_PESAN_BENTROK: dict[str, object] = {}


_KOLOM_SQLITE: dict[str, str] = {}


def daftar_bentrok(nama: str, pesan, *, kolom: str | None = None) -> None:
    """Say what a violation of the unique key ``nama`` means to the user (``pesan``, a lazy translation).

    ``kolom``: how SQLite names it in its message ("tabel.kolom, tabel.kolom"), as it gives no constraint name.
    """
    _PESAN_BENTROK[nama] = pesan
    if kolom:
        _KOLOM_SQLITE["UNIQUE constraint failed: " + kolom] = nama


def sqlstate(e) -> str | None:
    return getattr(getattr(e, "orig", None), "sqlstate", None)


def _nama_batasan(e) -> str | None:
    diag = getattr(getattr(e, "orig", None), "diag", None)
    nama = getattr(diag, "constraint_name", None)
    if nama:
        return nama
    teks = str(getattr(e, "orig", e))  # SQLite names the index or the columns in its message
    return next((n for n in _PESAN_BENTROK if n in teks), None) or _KOLOM_SQLITE.get(teks.strip())


def _bentrok(e):
    """A race lost to a simultaneous request (two saves of one thing, the same unique value twice): the
    transaction is rolled back whole and the answer is a 409 saying so, never a 500. The last resort behind
    the locks and checks that normally refuse such a request with a more precise message."""
    try:
        db.session.rollback()
    except Exception:  # the connection went away meanwhile; the pool replaces it
        pass
    nama = _nama_batasan(e)
    log.warning("conflict on %s %s: %s (%s: %s)", request.method, request.path, nama or sqlstate(e), type(e).__name__,
                str(getattr(e, "orig", e))[:200])
    pesan = _PESAN_BENTROK.get(nama) if nama else None
    return tanggapan_kesalahan(409, str(pesan) if pesan else _(
        "Permintaan ini bertabrakan dengan perubahan lain yang terjadi bersamaan. Muat ulang data lalu coba lagi."))


def _tidak_tersedia(e):
    """The database is unreachable (restarting, network cut): a clear 503 at once, and the next request tries again.

    Nothing here may touch the database: the session is closed without
    reloading anything (a rollback would expire the objects the after-request
    hooks still read), the user is treated as anonymous instead of being
    loaded, and the page is a standalone template, not ``base.html`` (which
    reads the office and the user's unread notices).
    """
    from .extensions import login_manager

    log.warning("database unavailable on %s %s: %s", request.method, request.path, type(e).__name__)
    try:
        db.session.close()
    except Exception:  # the connection is already gone; the pool replaces it on the next checkout
        pass
    g._login_user = login_manager.anonymous_user()
    pesan = pesan_status(503)
    if _ingin_json():
        hasil = jsonify({"code": 503, "status": pesan, "message": pesan})
    else:
        hasil = render_template("tidak_tersedia.html", pesan=pesan, detik=JEDA_COBA_LAGI_DETIK)
    return hasil, 503, {"Retry-After": str(JEDA_COBA_LAGI_DETIK)}


def jawaban_tolak(kode: int, pesan: str):
    """What ``tolak`` would answer, as a response object, for callbacks that must return one.

    Flask-Limiter's ``on_breach`` is such a callback: an exception raised there
    is taken for a failing rate-limit store (and, with the in-memory fallback,
    lets the request through).
    """
    return make_response(*tanggapan_kesalahan(kode, pesan))


def tolak(kode: int, pesan: str):
    """Abort with a user-facing message (Indonesian), shown as it is."""
    e = default_exceptions[kode](description=pesan)
    e.dinsos_pesan = True
    raise e
