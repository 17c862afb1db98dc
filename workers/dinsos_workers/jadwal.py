"""The periodic jobs, defined once and run either by Celery beat and workers or by the embedded scheduler.

Each job is a plain function in ``dinsos`` (no Celery inside), named by its
import path, so both runners call exactly the same code. A job that hands
outbox messages on (the relay) is given the runner's publisher
``terbitkan(tenant_id, pesan_id)``: with Redis, a ``dinsos.proses_outbox``
task on the queue (``tugas.terbitkan_ke_antrean``); embedded, the message is
processed in this process once the relay has committed (``jalankan_tertanam``).
"""
import logging
import os
from dataclasses import dataclass
from importlib import import_module

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodik:
    """A job run every ``setiap_detik`` seconds."""

    nama: str
    setiap_detik: float
    path: str  # "module:function"
    menerbitkan: bool = False  # the function takes the runner's publisher as its only argument


def detik_dari_env(nama: str, bawaan: float) -> float:
    """An interval in seconds from environment variable ``nama`` (``bawaan`` when unset); refused if not a positive number."""
    teks = (os.environ.get(nama) or "").strip()
    if not teks:
        return bawaan
    try:
        nilai = float(teks)
    except ValueError:
        raise ValueError(f"{nama}={teks!r} bukan angka detik; tulis misalnya {bawaan:g}") from None
    if not 0 < nilai < float("inf"):
        raise ValueError(f"{nama}={teks!r} harus lebih dari nol detik; tulis misalnya {bawaan:g}")
    return nilai


PERIODIK: list[Periodik] = [
    Periodik("relay_outbox", 5, "dinsos.core.outbox:relay_semua", menerbitkan=True),
    # Notices write outbox rows; the relay above delivers them. Every 30 s in production;
    # DINSOS_SAPU_TENGGAT_DETIK shortens it (the end-to-end tests run it every second).
    Periodik("sapu_tenggat", detik_dari_env("DINSOS_SAPU_TENGGAT_DETIK", 30), "dinsos.sla.services:sapu_tenggat"),
    # Idempotency-Key answers are kept a day (dinsos.core.idempoten)
    Periodik("bersihkan_kunci_idempoten", 3600, "dinsos.core.idempoten:bersihkan"),
]


def fungsi(path: str):
    """Import ``module:function``."""
    modul, nama = path.split(":")
    return getattr(import_module(modul), nama)


def cari(nama: str) -> Periodik:
    """The job called ``nama``."""
    for tugas in PERIODIK:
        if tugas.nama == nama:
            return tugas
    raise KeyError(f"unknown periodic job {nama!r}")


def jalankan(tugas: Periodik, terbitkan):
    """Run one job; ``terbitkan(tenant_id, pesan_id)`` is how this runner hands an outbox message on."""
    f = fungsi(tugas.path)
    return f(terbitkan) if tugas.menerbitkan else f()


def jalankan_tertanam(tugas: Periodik):
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
