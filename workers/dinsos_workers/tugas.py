"""Celery tasks: thin wrappers over ``dinsos`` functions."""
from dinsos.core.outbox import proses_pesan
from dinsos.core.tenant import dalam_tenant

from . import jadwal
from .celery_app import celery


@celery.task(name="dinsos.periodik")
def periodik(nama: str):
    """Run one periodic job by name (sent by beat); outbox messages go onto the queue."""
    return jadwal.jalankan(jadwal.cari(nama), terbitkan_ke_antrean)


@celery.task(name="dinsos.proses_outbox")
def proses_outbox(tenant_id: int, pesan_id: str):
    """Consume one outbox message. Safe to receive more than once: ``proses_pesan`` is idempotent."""
    return proses_pesan(tenant_id, pesan_id)


def terbitkan_ke_antrean(tenant_id: int, pesan_id) -> None:
    """The Celery-mode publisher given to the relay; raises if the broker cannot take the message."""
    proses_outbox.apply_async(args=(tenant_id, str(pesan_id)))


@celery.task(name="dinsos.dalam_tenant")
def dalam_tenant_tugas(tenant_id: int, path: str, *args):
    """Run ``module:function(*args)`` bound to one office."""
    with dalam_tenant(tenant_id):
        return jadwal.fungsi(path)(*args)
