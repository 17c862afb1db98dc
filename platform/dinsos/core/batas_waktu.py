"""Bounded waits on the database, whatever the network does.

The server bounds its own work (``statement_timeout``, ``lock_timeout``, set at
connect, ``dinsos.core.config``), and libpq bounds connecting
(``connect_timeout``) and unacknowledged packets (``tcp_user_timeout``). None
of these helps when the path to the server takes the bytes and answers
nothing (a stalled proxy or pooler, a frozen host, packets held): the client
would wait for the kernel to give up, many minutes. So every round trip the
dialect makes (statements, COMMIT and ROLLBACK, the pool's ping) runs under a
deadline: a watchdog thread shuts the connection's socket down when it passes,
the waiting call fails at once with a connection error, the pool throws the
connection away and the request answers 503 (``dinsos.core.errors``).

The deadline is ``DB_BATAS_PERMINTAAN_DETIK`` inside a web request (so a dead
database costs a request seconds, not a worker), ``DB_BATAS_LATAR_DETIK``
elsewhere (jobs and commands, whose statements may legitimately run long),
and what ``batas_sementara`` sets for a block (``/readyz``).
"""
import heapq
import itertools
import logging
import os
import socket
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

log = logging.getLogger(__name__)

_sementara: ContextVar[float | None] = ContextVar("dinsos_batas_db", default=None)
DIBUNGKUS = ("do_execute", "do_execute_no_params", "do_executemany", "do_commit", "do_rollback", "do_ping")


@contextmanager
def batas_sementara(detik: float):
    """Every database round trip inside the block gets at most ``detik`` seconds."""
    token = _sementara.set(detik)
    try:
        yield
    finally:
        _sementara.reset(token)


class _Pengawas:
    """One thread for the process: a heap of (deadline, ticket, socket fd) it shuts down when passed."""

    def __init__(self):
        self._mulai()

    def _mulai(self):
        """Fresh state; also in a forked child, where the parent's thread does not exist and its lock may be held."""
        self._heap: list = []
        self._aktif: dict[int, int] = {}
        self._urut = itertools.count()
        self._kunci = threading.Lock()
        self._bangun = threading.Condition(self._kunci)
        self._utas = None

    def awasi(self, fd: int, detik: float) -> int:
        tiket = next(self._urut)
        with self._kunci:
            self._aktif[tiket] = fd
            heapq.heappush(self._heap, (time.monotonic() + detik, tiket))
            if self._utas is None or not self._utas.is_alive():
                self._utas = threading.Thread(target=self._jalan, name="dinsos-batas-db", daemon=True)
                self._utas.start()
            elif self._heap[0][1] == tiket:
                self._bangun.notify()
        return tiket

    def selesai(self, tiket: int) -> None:
        with self._kunci:
            self._aktif.pop(tiket, None)

    def _jalan(self):
        with self._kunci:
            while True:
                while self._heap and self._heap[0][1] not in self._aktif:
                    heapq.heappop(self._heap)  # finished in time
                if not self._heap:
                    self._bangun.wait(5)
                    continue
                tenggat, tiket = self._heap[0]
                sisa = tenggat - time.monotonic()
                if sisa > 0:
                    self._bangun.wait(sisa)
                    continue
                heapq.heappop(self._heap)
                fd = self._aktif.pop(tiket)
                _putuskan(fd)


def _putuskan(fd: int) -> None:
    """Shut the connection's socket down (a duplicate of its fd: the owner closes its own)."""
    try:
        s = socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        return
    try:
        log.warning("database round trip passed its deadline: connection shut down")
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        s.close()


_pengawas = _Pengawas()
os.register_at_fork(after_in_child=_pengawas._mulai)


def _fd(obj) -> int | None:
    """The socket of a psycopg connection, or of a cursor's connection (None for other drivers)."""
    conn = getattr(obj, "dbapi_connection", None) or (obj if hasattr(obj, "pgconn") else getattr(obj, "connection", obj))
    pg = getattr(conn, "pgconn", None)
    try:
        fd = pg.socket if pg is not None else None
    except Exception:  # closed connection
        return None
    return fd if isinstance(fd, int) and fd >= 0 else None


@contextmanager
def diawasi(koneksi, detik: float):
    """A block of round trips on a psycopg connection of one's own, bounded to ``detik`` seconds in all."""
    fd = _fd(koneksi)
    tiket = _pengawas.awasi(fd, detik) if fd is not None else None
    try:
        yield
    finally:
        if tiket is not None:
            _pengawas.selesai(tiket)


def pasang(app, engine) -> None:
    """Put every round trip of ``engine``'s dialect under a deadline (PostgreSQL with psycopg)."""
    if engine.dialect.name != "postgresql" or getattr(engine.dialect, "_dinsos_batas", False):
        return
    from flask import has_request_context

    web = float(app.config["DB_BATAS_PERMINTAAN_DETIK"])
    latar = float(app.config["DB_BATAS_LATAR_DETIK"])

    def bungkus(asli):
        @wraps(asli)
        def dengan_batas(obj, *args, **kwargs):
            fd = _fd(obj)
            if fd is None:
                return asli(obj, *args, **kwargs)
            detik = _sementara.get() or (web if has_request_context() else latar)
            tiket = _pengawas.awasi(fd, detik)
            try:
                return asli(obj, *args, **kwargs)
            finally:
                _pengawas.selesai(tiket)

        return dengan_batas

    for nama in DIBUNGKUS:
        setattr(engine.dialect, nama, bungkus(getattr(engine.dialect, nama)))
    engine.dialect._dinsos_batas = True
