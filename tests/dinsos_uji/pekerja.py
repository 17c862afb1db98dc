"""Real worker, beat and web subprocesses for the service-bound tests (workers, sla, referral and fault tests).

``env_aplikasi`` is the environment that makes a subprocess run the test app's
configuration; ``Proses`` starts and kills the processes of one test. The
fixtures ``broker``, ``smtp``, ``penerbit`` and ``proses_pekerja`` in
``fixtures/layanan.py`` put them together.
"""
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from dinsos_uji import ROOT

BATAS = 25.0  # seconds: the longest any single wait may take


def tunggu(syarat, batas=BATAS, pesan="condition", jeda=0.05):
    """Poll ``syarat`` every ``jeda`` seconds until it is truthy; fail after ``batas`` seconds."""
    akhir = time.monotonic() + batas
    while time.monotonic() < akhir:
        hasil = syarat()
        if hasil:
            return hasil
        time.sleep(jeda)
    raise AssertionError(f"timed out after {batas}s waiting for {pesan}")


def env_aplikasi(app, folder_uji: Path, **lain) -> dict:
    """The environment of a subprocess running this test app's configuration, plus ``lain`` (values made strings).

    It connects as the app's role (on PostgreSQL the non-owner role, so row-level
    security applies in the subprocess too) and imports test-only modules from
    ``folder_uji``. Settings of the outer environment that would override the
    test's (``DINSOS_*``, ``DATABASE_URL``, ``REDIS_URL``, ``UJI_*``) are left out.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DINSOS_", "DATABASE_URL", "REDIS_URL", "UJI_"))}
    env.update(
        PYTHONPATH=os.pathsep.join(str(p) for p in (ROOT / "platform", ROOT / "workers", folder_uji)),
        DATABASE_URL=app.config["DATABASE_URL"], DINSOS_SECRET_KEY="uji-rahasia",
        DINSOS_ENCRYPTION_KEYS=app.config["ENCRYPTION_KEYS"], DINSOS_BASE_URL="http://localhost",
    )
    env.update({k: str(v) for k, v in lain.items()})
    return env


def jalankan_relay(app, terbitkan, **kw) -> int:
    """One run of the outbox relay from the test process (``kw``: the relay's arguments); how many messages it published."""
    from dinsos.core.outbox import relay

    with app.app_context():
        return relay(terbitkan, **kw)


def relay_serentak(app, terbitkan, batas_pertama: int, batas=BATAS) -> list[int]:
    """Two relays started at the same moment, each run twice (``batas_pertama`` messages, then up to 100).

    Returns what each of the four runs published.
    """
    hasil, mulai = [], threading.Barrier(2)

    def jalan():
        mulai.wait()
        hasil.append(jalankan_relay(app, terbitkan, batas=batas_pertama))
        hasil.append(jalankan_relay(app, terbitkan, batas=100))

    benang = [threading.Thread(target=jalan) for _ in range(2)]
    for t in benang:
        t.start()
    for t in benang:
        t.join(batas)
    return hasil


def terbit_ulang(app, worker, pesan, batas=BATAS) -> None:
    """Publish the outbox messages ``pesan`` ``[(tenant_id, message id)]`` once more, as a broker redelivery would,
    and wait until ``worker`` has run each."""
    from dinsos_workers.tugas import proses_outbox

    with app.app_context():
        tugas = [proses_outbox.apply_async(args=(tid, str(pid))).id for tid, pid in pesan]
    tunggu(lambda: all(f"[{t}] succeeded" in worker.log.read_text() for t in tugas), batas, "the duplicate deliveries")


class Proses:
    """Subprocesses of one test, each in its own session so it can be killed whole, each logging to a file in ``folder``.

    ``modul_uji``, when given, is the test-only module a worker imports (``celery -I``),
    found on the PYTHONPATH of ``env``.
    """

    def __init__(self, env: dict, folder: Path, modul_uji: str | None = None, nama: str = "uji"):
        self.env, self.folder, self.modul_uji, self.nama, self.semua = env, folder, modul_uji, nama, []

    def jalankan(self, perintah: list[str], nama: str, env: dict | None = None) -> subprocess.Popen:
        """Start any command; its output goes to ``<nama>-<n>.log`` (the path is the process's ``log``)."""
        log = open(self.folder / f"{nama}-{len(self.semua)}.log", "w")
        p = subprocess.Popen(perintah, env=env or self.env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
        p.log = Path(log.name)
        log.close()
        self.semua.append(p)
        return p

    def mulai(self, perintah: str, *args: str, env: dict | None = None) -> subprocess.Popen:
        """Start ``python -m dinsos_workers <perintah> <args>``."""
        return self.jalankan([sys.executable, "-m", "dinsos_workers", perintah, *args], perintah, env)

    def worker(self, **env_tambahan: str) -> subprocess.Popen:
        """Start a worker (with extra environment, if any) and wait until it is connected (its first heartbeat)."""
        env = {**self.env, **env_tambahan}
        detak = Path(env["DINSOS_WORKER_HEARTBEAT_FILE"])
        detak.unlink(missing_ok=True)
        p = self.mulai("worker", "-c", "2", "--without-gossip", "--without-mingle",
                       *(("-I", self.modul_uji) if self.modul_uji else ()), "-n", f"{self.nama}{len(self.semua)}@%h", env=env)
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
