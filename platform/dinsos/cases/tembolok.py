"""Tembolok daftar kasus: the case-list API answered from memory while nothing it shows has changed.

The list is what staff and integrations ask for most, and most often it has
not changed since they last asked. Each web process keeps the answers it gave
(``GET /api/t/<slug>/kasus/``, every query string its own entry) and gives one
again only when, at this request, one statement to the database
(``izin_tembolok_daftar``, migration 0011) finds:

- the office active, the token not revoked and its user active: the same
  checks as the app's own, so a revoked token or a deactivated user stops at
  once;
- the same user, with the same roles, as the answer was made for: an entry is never shown to anyone else, so masking stays exactly
  as the app decided it;
- the office's data version unchanged: it moves at the commit of any write to
  the office's cases, clients or case steps, whoever made it, so a renamed
  client or a handler taken off a confidential case (UU 11/2012 art. 19) is
  never answered from memory.

Anything else, an unreadable database included, goes to the app as if the
cache did not exist, and what the app answers 200 is kept, under the version
read *before* the app read the data (so an entry is never older than its
version). PostgreSQL only; off with ``DINSOS_TEMBOLOK_DAFTAR=0``. After
restoring a database backup, restart the web processes: the versions go back
with the data.
"""
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from datetime import datetime, timezone

import psycopg

from dinsos.auth.services import sidik_token, terakhir_dipakai_usang
from dinsos.core.batas_waktu import diawasi

log = logging.getLogger(__name__)

JALUR = re.compile(r"/api/t/([a-z0-9-]{1,80})/kasus/\Z")
# The third argument is the app's secret that binds the office (dinsos.core.rls), sent as a parameter.
KUERI = "SELECT pengguna_id, peran, versi_data, terakhir_dipakai FROM izin_tembolok_daftar(%s, %s, %s)"
BATAS_BYTE = 16 * 1024 * 1024  # per web process; the memory target is 150 MB a worker
BATAS_DETIK = 1.0  # the one statement, network included
REHAT_DETIK = 5.0  # after the database failed us, let the app alone deal with it for a while


class TembolokDaftar:
    """WSGI middleware in front of the Flask app (see the module docstring)."""

    def __init__(self, wsgi_app, url_db: str, catat_hit, rahasia_ikatan: str):
        self.wsgi_app = wsgi_app
        self.rahasia_ikatan = rahasia_ikatan
        self.url_db = url_db.replace("postgresql+psycopg://", "postgresql://", 1)
        self.catat_hit = catat_hit  # (slug, request id, perf_counter at arrival): the request log and metrics
        self.entri: OrderedDict[tuple, tuple] = OrderedDict()
        self.ukuran = 0
        self._kunci_benang = threading.Lock()
        self._sambungan = None
        self._rehat_sampai = 0.0

    def __call__(self, environ, start_response):
        mulai = time.perf_counter()
        kunci, boleh_dari_memori = self._kunci(environ)
        if kunci is None:
            return self.wsgi_app(environ, start_response)
        with self._kunci_benang:
            entri = self.entri.get(kunci) if boleh_dari_memori else None
            if entri is not None:
                self.entri.move_to_end(kunci)
        if entri is None:
            return self._isi(kunci, environ, start_response)
        status, kepala, isi = entri
        id_permintaan = (environ.get("HTTP_X_REQUEST_ID") or uuid.uuid4().hex)[:64]
        start_response(status, kepala + [("X-Cache", "HIT"), ("X-Request-ID", id_permintaan)])
        self.catat_hit(kunci[0], id_permintaan, mulai)
        return [isi]

    def _kunci(self, environ) -> tuple[tuple | None, bool]:
        """The entry this request's answer is kept under (None: not ours to keep), and whether it may come from memory.

        It may not while the token's "last used" is due to be written: the app writes it, and its answer is kept.
        """
        cocok = JALUR.match(environ.get("PATH_INFO", ""))
        otorisasi = environ.get("HTTP_AUTHORIZATION", "")
        # With a cookie the app may answer for a browser session's user rather than the token's: not ours to key.
        if (environ.get("REQUEST_METHOD") != "GET" or not cocok or not otorisasi.startswith("Bearer ")
                or environ.get("HTTP_COOKIE")):
            return None, False
        baris = self._tanya(cocok[1], sidik_token(otorisasi.removeprefix("Bearer ").strip()))
        if baris is None:
            return None, False
        pengguna_id, peran, versi_data, terakhir_dipakai = baris
        kunci = (cocok[1], pengguna_id, peran, versi_data, environ.get("QUERY_STRING", ""),
                 environ.get("HTTP_ACCEPT_LANGUAGE", ""))
        return kunci, not terakhir_dipakai_usang(terakhir_dipakai, datetime.now(timezone.utc))

    def _tanya(self, slug: str, sidik: str) -> tuple | None:
        """The token's user and the office's data version, in one round trip; None on no such token or no database."""
        if time.monotonic() < self._rehat_sampai:
            return None
        with self._kunci_benang:
            try:
                koneksi = self._sambungan_proses()
                with diawasi(koneksi, BATAS_DETIK):  # a silent network must not hold the request here
                    # In a transaction block: on Citus the binding reaches the workers (SET LOCAL forwarded, the
                    # seal over the distributed transaction) only inside one (dinsos.core.citus).
                    with koneksi.transaction():
                        return koneksi.execute(KUERI, (slug, sidik, self.rahasia_ikatan)).fetchone()
            except psycopg.Error as e:
                log.warning("tembolok daftar kasus: database tidak terbaca (%s); permintaan diteruskan ke aplikasi",
                            type(e).__name__)
                self._tutup()
                self._rehat_sampai = time.monotonic() + REHAT_DETIK
                return None

    def _sambungan_proses(self):
        """This process's own connection, autocommit: one statement, no transaction (gunicorn never preloads the app,
        so each worker builds its own cache and opens its own connection)."""
        if self._sambungan is None or self._sambungan.closed:
            # The statement is a few index look-ups: if it takes seconds the database is in trouble, and the app
            # should be the one to say so (its 503), not a worker stuck here.
            self._sambungan = psycopg.connect(self.url_db, autocommit=True, connect_timeout=2, tcp_user_timeout=2000,
                                              options="-c statement_timeout=1000")
        return self._sambungan

    def _tutup(self):
        if self._sambungan is not None:
            self._sambungan.close()
            self._sambungan = None

    def _isi(self, kunci: tuple, environ, start_response):
        """Let the app answer; keep its answer when it is a plain 200."""
        dijawab = {}

        def mulai_jawab(status, kepala, exc_info=None):
            dijawab.update(status=status, kepala=kepala)
            return start_response(status, kepala + [("X-Cache", "MISS")], exc_info)

        hasil = self.wsgi_app(environ, mulai_jawab)
        try:
            isi = b"".join(hasil)
        finally:
            if hasattr(hasil, "close"):
                hasil.close()
        kepala = [(k, v) for k, v in dijawab.get("kepala", []) if k.lower() != "x-request-id"]
        if (dijawab.get("status", "").startswith("200 ") and len(isi) <= BATAS_BYTE // 8
                and not any(k.lower() == "set-cookie" for k, _ in kepala)):
            self._simpan(kunci, (dijawab["status"], kepala, isi))
        return [isi]

    def _simpan(self, kunci: tuple, entri: tuple):
        with self._kunci_benang:
            lama = self.entri.pop(kunci, None)
            self.ukuran += len(entri[2]) - (len(lama[2]) if lama else 0)
            self.entri[kunci] = entri
            while self.ukuran > BATAS_BYTE:
                _, dibuang = self.entri.popitem(last=False)
                self.ukuran -= len(dibuang[2])


def pasang(app):
    """Put the cache in front of the app: PostgreSQL only (the version comes from its triggers), unless switched off."""
    if not app.config["TEMBOLOK_DAFTAR"] or not app.config["DATABASE_URL"].startswith("postgresql"):
        return
    from dinsos.metrik.catatan import catat_permintaan
    from dinsos.metrik.views import LATENSI

    def catat_hit(slug, id_permintaan, mulai):
        LATENSI.labels("api_kasus.daftar", "GET", "200").observe(time.perf_counter() - mulai)
        catat_permintaan(id_permintaan, slug, "GET", "/api/t/<slug>/kasus/", 200, mulai, tembolok="hit")

    app.wsgi_app = TembolokDaftar(app.wsgi_app, app.config["DATABASE_URL"], catat_hit, app.config["RAHASIA_IKATAN"])
