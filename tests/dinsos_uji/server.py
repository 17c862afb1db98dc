"""Real local servers for tests: an SMTP server (aiosmtpd), an HTTP webhook (http.server), a TCP proxy that can be cut.

They listen on 127.0.0.1 on a free port; the SMTP server and the webhook
record what they receive and are stopped by their context manager; nothing
leaves the machine. The proxy stands in front of PostgreSQL to play an outage.
"""
import json
import socket
import threading
import time
from contextlib import contextmanager
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Kotak:
    """What an SMTP server received: parsed messages with their envelope recipients."""

    def __init__(self):
        self.surel = []
        self._kunci = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        surel = message_from_bytes(envelope.content, policy=policy.default)
        with self._kunci:
            self.surel.append({"dari": envelope.mail_from, "untuk": list(envelope.rcpt_tos), "surel": surel,
                               "login": getattr(session, "authenticated", False) and session.auth_data})
        return "250 OK"

    def tunggu(self, jumlah: int, batas_detik: float = 20.0) -> list:
        """Wait until ``jumlah`` messages arrived (or the time is up); returns what arrived."""
        akhir = time.monotonic() + batas_detik
        while time.monotonic() < akhir and len(self.surel) < jumlah:
            time.sleep(0.05)
        return list(self.surel)


@contextmanager
def server_smtp(login: tuple[str, str] | None = None):
    """An SMTP server; with ``login`` it requires AUTH with that user and password (no TLS, local only)."""
    kotak = _Kotak()
    lain = {}
    if login:
        def periksa(server, session, envelope, mechanism, data):
            return AuthResult(success=(data.login.decode(), data.password.decode()) == login, handled=False)

        lain = {"authenticator": periksa, "auth_required": True, "auth_require_tls": False}
    port = port_bebas()
    pengendali = Controller(kotak, hostname="127.0.0.1", port=port, **lain)
    pengendali.start()
    try:
        kotak.port = port
        yield kotak
    finally:
        pengendali.stop()


@contextmanager
def server_webhook(status: int = 200):
    """An HTTP server recording every POST (headers and JSON body) and answering ``status``."""
    diterima = []

    class Penangan(BaseHTTPRequestHandler):
        def do_POST(self):
            panjang = int(self.headers.get("Content-Length", 0))
            diterima.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(self.rfile.read(panjang))})
            self.send_response(server.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Penangan)
    server.status = status
    server.diterima = diterima
    server.url = f"http://127.0.0.1:{server.server_address[1]}/kirim?token=rahasia"
    benang = threading.Thread(target=server.serve_forever, daemon=True)
    benang.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class Proksi:
    """A TCP proxy to the database that can be cut (every connection dropped, new ones refused) and restored."""

    def __init__(self, host, port):
        self.tujuan = (host, port)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.hidup = threading.Event()
        self.hidup.set()
        # cleared: bytes are taken and held, not passed on (a black hole: connections stay open, nothing answers)
        self.lancar = threading.Event()
        self.lancar.set()
        self.koneksi, self._kunci = [], threading.Lock()
        threading.Thread(target=self._terima, daemon=True).start()

    def _salur(self, a, b):
        try:
            while data := a.recv(65536):
                while not self.lancar.wait(0.5):
                    pass
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass

    def _terima(self):
        while True:
            try:
                klien, _ = self.server.accept()
            except OSError:
                return
            if not self.hidup.is_set():
                klien.close()
                continue
            hulu = socket.create_connection(self.tujuan)
            with self._kunci:
                self.koneksi += [klien, hulu]
            threading.Thread(target=self._salur, args=(klien, hulu), daemon=True).start()
            threading.Thread(target=self._salur, args=(hulu, klien), daemon=True).start()

    def putus(self):
        self.hidup.clear()
        with self._kunci:
            for s in self.koneksi:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.koneksi.clear()

    def sambung(self):
        self.hidup.set()

    def tahan(self):
        """Hold every byte from now on, both ways, on open and new connections; nothing is refused or closed."""
        self.lancar.clear()

    def lepas(self):
        self.lancar.set()
