"""The periodic jobs, run either by Celery beat and workers or by the embedded scheduler.

The jobs themselves are plain functions of ``dinsos`` (no Celery inside) that
capabilities register in ``dinsos.core.berkala.TUGAS_BERKALA`` while the app
is set up; both runners read that one registry, so they call exactly the same
code. A job that hands outbox messages on (the relay) is given the runner's
publisher ``terbitkan(tenant_id, pesan_id)``: with Redis, a
``dinsos.proses_outbox`` task on the queue (``tugas.terbitkan_ke_antrean``);
embedded, the message is processed in this process once the relay has
committed (``jalankan_tertanam``).
"""
import logging
from importlib import import_module

from dinsos.core.berkala import TUGAS_BERKALA, Berkala

log = logging.getLogger(__name__)


def periodik() -> list[Berkala]:
    """Every registered job (the app must have been built: capabilities register during set-up)."""
    if not TUGAS_BERKALA:
        raise RuntimeError("no periodic jobs registered: build the app (dinsos.create_app) first")
    return list(TUGAS_BERKALA.values())


def fungsi(path: str):
    """Import ``module:function`` (the ``dinsos.dalam_tenant`` task names its function so)."""
    modul, nama = path.split(":")
    return getattr(import_module(modul), nama)


def cari(nama: str) -> Berkala:
    """The job called ``nama``."""
    tugas = TUGAS_BERKALA.get(nama)
    if tugas is None:
        raise KeyError(f"unknown periodic job {nama!r}")
    return tugas


def jalankan(tugas: Berkala, terbitkan):
    """Run one job; ``terbitkan(tenant_id, pesan_id)`` is how this runner hands an outbox message on."""
    return tugas.fungsi(terbitkan) if tugas.menerbitkan else tugas.fungsi()


def jalankan_tertanam(tugas: Berkala):
    """Run one job in embedded mode: outbox messages it publishes are processed right here.

    They are processed after the job returns, because the relay holds its
    rows locked until it commits; a message whose processing fails is
    retried by the outbox itself.
    """
    from dinsos.core.outbox import proses_pesan

    antrean: list[tuple] = []
    hasil = jalankan(tugas, lambda tenant_id, pesan_id: antrean.append((tenant_id, pesan_id)))
    for tenant_id, pesan_id in antrean:
        try:
            proses_pesan(tenant_id, pesan_id)
        except Exception:  # e.g. the database went away: the row stays published and is republished later
            log.exception("embedded processing of outbox message %s failed", pesan_id)
    return hasil
