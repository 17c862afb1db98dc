"""Test-only outbox processors, imported by a worker under test with ``-I penangan_uji`` (Celery's --include).

The product never imports this module: it lets a test make one delivery
slow enough to kill or stop the worker in the middle of it.
"""
import os
import time

from dinsos.core.outbox import PENGOLAH_OUTBOX
from dinsos.notify.kanal import kirim_email


def lambat_lalu_email(muatan: dict) -> None:
    """Note the attempt in ``penanda``, wait ``detik``, then e-mail the notice like the product's processor."""
    with open(muatan["penanda"], "a") as f:
        f.write(f"{os.getpid()}\n")
    time.sleep(muatan["detik"])
    kirim_email({"notifikasi_id": muatan["notifikasi_id"]})


PENGOLAH_OUTBOX.daftar("uji.lambat_lalu_email", lambat_lalu_email)
