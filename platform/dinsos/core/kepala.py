"""Response headers every answer gets: security headers, caching, redirects on the configured address.

- ``Content-Security-Policy`` on every page, the API docs included (their
  Swagger UI is served from the packaged files, ``dinsos.web.dokumen_api``);
- ``Cache-Control: private, no-store`` on whatever may carry personal data:
  the API, the platform admin, any page a signed-in person sees, complaint and
  survey pages (tracking codes, tokens), and every non-GET answer. Anonymous
  reads of public pages and static files keep their own caching;
- ``Strict-Transport-Security`` when ``BASE_URL`` is https;
- a redirect whose absolute address was built from the request's ``Host``
  header (Werkzeug's trailing-slash redirect) is rebuilt on ``BASE_URL``: a
  forged Host never chooses where a browser is sent;
- a 405 carries ``Allow`` (the error pages are built anew, so the header
  Werkzeug computed is copied onto them in ``errors``).
"""
from urllib.parse import urlsplit, urlunsplit

from flask import current_app, request
from flask_login import current_user

CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"
TANPA_SIMPAN = "private, no-store"
_ASET = ("/static/", "/api/docs/aset/", "/favicon.ico")
_PRIBADI = ("/api/", "/admin")
_PRIBADI_DI_KANTOR = ("/pengaduan", "/survei/")


def _boleh_disimpan() -> bool:
    """Whether this answer may be kept by a browser or proxy: only public reads by nobody in particular."""
    jalur = request.path
    if jalur.startswith(_ASET):
        return True
    if request.method not in ("GET", "HEAD") or jalur.startswith(_PRIBADI) or any(p in jalur for p in _PRIBADI_DI_KANTOR):
        return False
    return not current_user.is_authenticated


def _lokasi_dari_alamat_dasar(resp) -> None:
    lokasi = resp.headers.get("Location")
    if not lokasi:
        return
    bagian = urlsplit(lokasi)
    if bagian.netloc and bagian.netloc == request.host:
        dasar = urlsplit(current_app.config["BASE_URL"])
        resp.headers["Location"] = urlunsplit((dasar.scheme, dasar.netloc, bagian.path, bagian.query, bagian.fragment))


def pasang_kepala(resp):
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("X-Frame-Options", "DENY")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    resp.headers.setdefault("Content-Security-Policy", CSP)
    if current_app.config["BASE_URL"].startswith("https://"):
        resp.headers.setdefault("Strict-Transport-Security", HSTS)
    if not _boleh_disimpan():
        resp.headers["Cache-Control"] = TANPA_SIMPAN
    _lokasi_dari_alamat_dasar(resp)
    return resp
