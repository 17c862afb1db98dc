"""Real worker and beat subprocesses for the service-bound tests (shared by workers, sla and referral tests)."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BATAS = 25.0  # seconds: the longest any single wait may take


def tunggu(syarat, batas=BATAS, pesan="condition"):
    """Poll ``syarat`` until it is truthy; fail after ``batas`` seconds."""
    akhir = time.monotonic() + batas
    while time.monotonic() < akhir:
        hasil = syarat()
        if hasil:
            return hasil
        time.sleep(0.05)
    raise AssertionError(f"timed out after {batas}s waiting for {pesan}")


class Proses:
    """Worker and beat subprocesses of one test, each in its own session so it can be killed whole.

    ``modul_uji`` is the test-only module a worker imports (``celery -I``), found
    on the PYTHONPATH the test puts in ``env``.
    """

    def __init__(self, env: dict, folder: Path, modul_uji: str, nama: str = "uji"):
        self.env, self.folder, self.modul_uji, self.nama, self.semua = env, folder, modul_uji, nama, []

    def mulai(self, perintah: str, *args: str, env: dict | None = None) -> subprocess.Popen:
        log = open(self.folder / f"{perintah}-{len(self.semua)}.log", "w")
        p = subprocess.Popen([sys.executable, "-m", "dinsos_workers", perintah, *args], env=env or self.env, cwd=self.folder,
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        p.log = Path(log.name)
        log.close()
        self.semua.append(p)
        return p

    def worker(self, **env_tambahan: str) -> subprocess.Popen:
        """Start a worker (with extra environment, if any) and wait until it is connected (its first heartbeat)."""
        env = {**self.env, **env_tambahan}
        detak = Path(env["DINSOS_WORKER_HEARTBEAT_FILE"])
        detak.unlink(missing_ok=True)
        p = self.mulai("worker", "-c", "2", "--without-gossip", "--without-mingle", "-I", self.modul_uji,
                       "-n", f"{self.nama}{len(self.semua)}@%h", env=env)
        tunggu(lambda: detak.exists() or p.poll() is not None, pesan="the worker's first heartbeat")
        assert p.poll() is None, p.log.read_text()[-3000:]
        return p

    def beat(self) -> subprocess.Popen:
        return self.mulai("beat", "-s", str(self.folder / f"jadwal-beat-{len(self.semua)}"))

    def bunuh(self, p: subprocess.Popen) -> None:
        """SIGKILL the process and its pool children: a node dying under it."""
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(10)

    def bersihkan(self):
        for p in self.semua:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(10)
