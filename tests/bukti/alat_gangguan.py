"""Breakable pieces for the fault tests: a private Redis, a TCP proxy in front of PostgreSQL, the app under gunicorn.

Each is a real process or socket of the test's own, on a free port, so a
test can stop and start it without touching the machine's Redis or
PostgreSQL. Every wait is bounded.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BATAS = 30.0


def port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tunggu(syarat, batas=BATAS, pesan="condition", jeda=0.1):
    akhir = time.monotonic() + batas
    while time.monotonic() < akhir:
        hasil = syarat()
        if hasil:
            return hasil
        time.sleep(jeda)
    raise AssertionError(f"timed out after {batas}s waiting for {pesan}")


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
        tunggu(lambda: self._hidup(), pesan="redis-server to answer")

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


class Proksi:
    """A TCP proxy to the database that can be cut (every connection dropped, new ones refused) and restored."""

    def __init__(self, host, port):
        self.tujuan = (host, port)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.hidup = threading.Event()
        self.hidup.set()
        self.koneksi, self._kunci = [], threading.Lock()
        threading.Thread(target=self._terima, daemon=True).start()

    def _salur(self, a, b):
        try:
            while data := a.recv(65536):
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


def env_aplikasi(app, **lain) -> dict:
    """The environment of a subprocess running this test app's configuration (the app role on PostgreSQL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DINSOS_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        PYTHONPATH=os.pathsep.join(str(p) for p in (ROOT / "platform", ROOT / "workers", ROOT / "tests" / "workers")),
        DATABASE_URL=app.config["DATABASE_URL"], DINSOS_SECRET_KEY="uji-rahasia",
        DINSOS_ENCRYPTION_KEYS=app.config["ENCRYPTION_KEYS"], DINSOS_BASE_URL="http://localhost",
        DINSOS_LOG_LEVEL="warning",
    )
    env.update({k: str(v) for k, v in lain.items()})
    return env


class Proses:
    """Subprocesses of one test (web, worker, beat), each in its own session so it can be killed whole."""

    def __init__(self, env: dict, folder: Path):
        self.env, self.folder, self.semua = env, folder, []

    def mulai(self, perintah: list[str], nama: str, env: dict | None = None) -> subprocess.Popen:
        log = open(self.folder / f"{nama}-{len(self.semua)}.log", "w")
        p = subprocess.Popen(perintah, env=env or self.env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
        p.log = Path(log.name)
        log.close()
        self.semua.append(p)
        return p

    def web(self, env: dict | None = None) -> "Web":
        port = port_bebas()
        p = self.mulai([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind",
                        f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "dinsos.wsgi:app"], "web", env)
        web = Web(f"http://127.0.0.1:{port}", p)
        tunggu(lambda: web.status("/healthz") == 200 or p.poll() is not None, pesan="gunicorn to answer")
        assert p.poll() is None, p.log.read_text()[-3000:]
        return web

    def worker(self, *lain: str) -> subprocess.Popen:
        """A Celery worker, waited for until it is connected (its first heartbeat)."""
        detak = Path(self.env["DINSOS_WORKER_HEARTBEAT_FILE"])
        detak.unlink(missing_ok=True)
        p = self.mulai([sys.executable, "-m", "dinsos_workers", "worker", "-c", "2", "--without-gossip", "--without-mingle",
                        "-n", f"uji{len(self.semua)}@%h", *lain], "worker")
        tunggu(lambda: detak.exists() or p.poll() is not None, pesan="the worker's first heartbeat")
        assert p.poll() is None, p.log.read_text()[-3000:]
        return p

    def bunuh(self, p):
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(10)

    def bersihkan(self):
        for p in self.semua:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(10)


class Web:
    """HTTP to the app under gunicorn, as one browser: a cookie jar and one User-Agent."""

    def __init__(self, url: str, proses):
        self.url, self.proses = url, proses
        self.toples = CookieJar()
        self.buka = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.toples), _TanpaAlih())
        self.buka.addheaders = [("User-Agent", "uji-gangguan")]

    def minta(self, jalur: str, data: dict | bytes | None = None, kepala: dict | None = None, batas=10):
        """(status, body text, seconds taken)."""
        if isinstance(data, dict):
            data = urllib.parse.urlencode(data).encode()
        permintaan = urllib.request.Request(self.url + jalur, data=data, headers=kepala or {})
        mulai = time.monotonic()
        try:
            with self.buka.open(permintaan, timeout=batas) as r:
                return r.status, r.read().decode(), time.monotonic() - mulai
        except urllib.error.HTTPError as e:
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
