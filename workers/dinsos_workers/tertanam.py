"""The embedded scheduler: periodic jobs in a thread of ``dinsos serve`` when no Redis is configured.

Why a thread and not Celery: embedded mode must need nothing installed, and a
Celery worker and beat need a broker. Because every job's state lives in the
database (due-times, outbox rows, unique notice keys), running the same
functions from a thread gives the same results, just without a separate
process; with Redis configured, ``dinsos worker`` and ``dinsos beat`` take
over and this thread is not started. Outbox messages are processed by this
same thread (``jadwal.jalankan_tertanam``), so on SQLite there is exactly one
consumer and no row locks are needed.
"""
import logging
import threading
import time

from . import jadwal

log = logging.getLogger(__name__)


class PenjadwalTertanam(threading.Thread):
    """Runs each registered periodic job (``jadwal.periodik()``) every N seconds until stopped."""

    def __init__(self, app, tugas=None, detak: float = 1.0):
        super().__init__(name="dinsos-penjadwal", daemon=True)
        self.app = app
        self.tugas = list(jadwal.periodik() if tugas is None else tugas)
        # Read now, so a bad interval in the environment stops `dinsos serve` at its start.
        self._selang = {t.nama: t.setiap_detik for t in self.tugas}
        self.detak = detak
        self.berhenti = threading.Event()
        self._berikutnya = {t.nama: 0.0 for t in self.tugas}

    def jalankan_sekali(self, sekarang: float) -> list[str]:
        """Run every job that is due at ``sekarang``; returns the names run."""
        dijalankan = []
        for tugas in self.tugas:
            if sekarang < self._berikutnya[tugas.nama]:
                continue
            self._berikutnya[tugas.nama] = sekarang + self._selang[tugas.nama]
            try:
                with self.app.app_context():
                    jadwal.jalankan_tertanam(tugas)
                dijalankan.append(tugas.nama)
            except Exception:  # a failing job must not stop the others; it runs again next time
                log.exception("embedded job %s failed", tugas.nama)
        return dijalankan

    def run(self):
        while not self.berhenti.is_set():
            self.jalankan_sekali(time.monotonic())
            self.berhenti.wait(self.detak)
