"""Test-only: the first deadline sweep to send a notice pauses inside its transaction, so a test can kill the worker mid-sweep.

Imported by a worker under test with ``-I tenggat_lambat`` (Celery's --include);
the product never imports it. ``UJI_PENANDA_SAPU`` names a file the first
sweep creates (exclusively, so exactly one sweep of all processes waits)
before it waits ``UJI_JEDA_SAPU`` seconds with its rows locked and its notice
records written but not committed. Later sweeps find the file and go on.
"""
import os
import time

from dinsos.sla import services

_kirim_asli = services._kirim


def _kirim_lambat(t, jenis, zona):
    penanda = os.environ.get("UJI_PENANDA_SAPU")
    if penanda:
        try:
            fd = os.open(penanda, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pass
        else:
            os.write(fd, f"{os.getpid()} {jenis}\n".encode())
            os.close(fd)
            time.sleep(float(os.environ.get("UJI_JEDA_SAPU", "60")))
    return _kirim_asli(t, jenis, zona)


services._kirim = _kirim_lambat
