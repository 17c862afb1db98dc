"""Periodic jobs: capabilities register plain functions here; ``dinsos_workers`` runs them.

A job is a function of ``dinsos`` (no Celery inside) registered by name in
``TUGAS_BERKALA`` during its capability's set-up. Both runners, Celery beat
and workers or the embedded scheduler of ``dinsos serve``, read this one
registry (``dinsos_workers.jadwal``), so they call exactly the same code.
"""
import os
from dataclasses import dataclass
from typing import Callable

from .registri import Registri


@dataclass(frozen=True)
class Berkala:
    """A job run every ``setiap_detik`` seconds."""

    nama: str
    fungsi: Callable
    detik_bawaan: float
    # An environment variable that may set the interval instead. Read when a runner starts, not
    # when the app is built, so a bad value stops the worker, beat or embedded scheduler with a
    # clear message and never the web processes, which run no jobs.
    env_detik: str | None = None
    # The function takes the runner's publisher ``terbitkan(tenant_id, pesan_id)`` as its only
    # argument: how this runner hands outbox messages on (the relay).
    menerbitkan: bool = False

    @property
    def setiap_detik(self) -> float:
        return detik_dari_env(self.env_detik, self.detik_bawaan) if self.env_detik else float(self.detik_bawaan)


# name -> Berkala
TUGAS_BERKALA: Registri[Berkala] = Registri("tugas berkala")


def daftar_berkala(nama: str, fungsi: Callable, setiap_detik: float, *, env_detik: str | None = None,
                   menerbitkan: bool = False) -> Berkala:
    """Register the job ``nama``: ``fungsi()`` (or ``fungsi(terbitkan)``) every ``setiap_detik`` seconds."""
    return TUGAS_BERKALA.daftar(nama, Berkala(nama, fungsi, setiap_detik, env_detik, menerbitkan))


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
