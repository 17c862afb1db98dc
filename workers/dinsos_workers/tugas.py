"""Celery tasks: thin wrappers over ``dinsos`` functions."""
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolHabis

from dinsos.core.outbox import proses_pesan
from dinsos.core.tenant import dalam_tenant

from . import jadwal
from .celery_app import celery


@celery.task(name="dinsos.periodik")
def periodik(nama: str):
    """Run one periodic job by name (sent by beat); outbox messages go onto the queue."""
    return jadwal.jalankan(jadwal.cari(nama), terbitkan_ke_antrean)


# The database unreachable (restarting, cut, timed out): try again soon, not in the relay's 30 s.
GALAT_BASIS_DATA = (OperationalError, InterfaceError, PoolHabis)
MAKS_ULANG_BASIS_DATA = 8
JEDA_ULANG_MAKS_DETIK = 30


def jeda_ulang(percobaan: int) -> float:
    """Seconds before retry ``percobaan`` (0-based) after a database error: 1, 2, 4, ... at most 30 (short countdowns
    only: the broker's visibility timeout must stay longer)."""
    return float(min(2**percobaan, JEDA_ULANG_MAKS_DETIK))


@celery.task(name="dinsos.proses_outbox", bind=True, max_retries=MAKS_ULANG_BASIS_DATA)
def proses_outbox(self, tenant_id: int, pesan_id: str):
    """Consume one outbox message. Safe to receive more than once: ``proses_pesan`` is idempotent.

    A handler's own error is retried by ``proses_pesan`` with its backoff in the database. An error reaching the
    database itself is retried here with a short backoff; past the last retry (or with the broker down too) the
    relay publishes the message again, as for any lost task.
    """
    try:
        return proses_pesan(tenant_id, pesan_id)
    except GALAT_BASIS_DATA as e:
        raise self.retry(exc=e, countdown=jeda_ulang(self.request.retries)) from None


def terbitkan_ke_antrean(tenant_id: int, pesan_id) -> None:
    """The Celery-mode publisher given to the relay; raises if the broker cannot take the message."""
    proses_outbox.apply_async(args=(tenant_id, str(pesan_id)))


@celery.task(name="dinsos.dalam_tenant")
def dalam_tenant_tugas(tenant_id: int, path: str, *args):
    """Run ``module:function(*args)`` bound to one office."""
    with dalam_tenant(tenant_id):
        return jadwal.fungsi(path)(*args)
