"""Breakable pieces for the fault tests: a private Redis and the app under gunicorn (the database proxy is in dinsos_uji.server).

Each is a real process of the test's own, on a free port, so a test can stop
and start it without touching the machine's Redis or PostgreSQL. Every wait
is bounded.
"""
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from dinsos_uji.pekerja import Proses, env_aplikasi, tunggu
from dinsos_uji.server import port_bebas

ROOT = Path(__file__).resolve().parents[2]
BATAS = 30.0


class RedisPribadi:
    """A redis-server of the test's own (no persistence), stopped and started again on the same port."""

    def __init__(self, folder: Path):
        if not shutil.which("redis-server"):
            raise RuntimeError("redis-server is not installed")
        self.port, self.folder, self.proses = port_bebas(), folder, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def mulai(self):
        self.proses = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        tunggu(lambda: self._hidup(), batas=BATAS, pesan="redis-server to answer")

    def _hidup(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def henti(self):
        if self.proses and self.proses.poll() is None:
            self.proses.terminate()
            self.proses.wait(10)


def env_gangguan(app, **lain) -> dict:
    """This test app's configuration for the fault tests' processes: the workers' test handlers on the path, quiet logs."""
    return env_aplikasi(app, ROOT / "tests" / "workers", DINSOS_LOG_LEVEL="warning", **lain)


class ProsesWeb(Proses):
    """The test's subprocesses, and the app under gunicorn as in production."""

    def web(self, env: dict | None = None) -> "Web":
        port = port_bebas()
        p = self.jalankan([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind",
                           f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "dinsos.wsgi:app"], "web", env)
        web = Web(f"http://127.0.0.1:{port}", p)
        tunggu(lambda: web.status("/healthz") == 200 or p.poll() is not None, batas=BATAS, pesan="gunicorn to answer")
        assert p.poll() is None, p.log.read_text()[-3000:]
        return web


class Web:
    """HTTP to the app under gunicorn, as one browser: a cookie jar and one User-Agent."""

    def __init__(self, url: str, proses):
        self.url, self.proses = url, proses
        self.toples = CookieJar()
        self.buka = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.toples), _TanpaAlih())
        self.buka.addheaders = [("User-Agent", "uji-gangguan")]
        self.kepala_terakhir = None  # the last answer's headers

    def minta(self, jalur: str, data: dict | bytes | None = None, kepala: dict | None = None, batas=10):
        """(status, body text, seconds taken)."""
        if isinstance(data, dict):
            data = urllib.parse.urlencode(data).encode()
        permintaan = urllib.request.Request(self.url + jalur, data=data, headers=kepala or {})
        mulai = time.monotonic()
        try:
            with self.buka.open(permintaan, timeout=batas) as r:
                self.kepala_terakhir = r.headers
                return r.status, r.read().decode(), time.monotonic() - mulai
        except urllib.error.HTTPError as e:
            self.kepala_terakhir = e.headers
            return e.code, e.read().decode(), time.monotonic() - mulai

    def status(self, jalur: str) -> int | None:
        try:
            return self.minta(jalur, batas=3)[0]
        except OSError:
            return None

    def masuk(self, slug: str, email: str, sandi: str) -> int:
        _s, teks, _d = self.minta(f"/t/{slug}/masuk")
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', teks)[1]
        return self.minta(f"/t/{slug}/masuk", {"email": email, "kata_sandi": sandi, "csrf_token": csrf})[0]


class _TanpaAlih(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to check (a login gives 302), not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None
