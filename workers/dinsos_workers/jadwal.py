"""The periodic jobs, defined once and run either by Celery beat or by the embedded scheduler.

Each job is a plain function in ``dinsos`` (no Celery inside), named by its
import path, so both runners call exactly the same code.
"""
from importlib import import_module

# (job name, every N seconds, "module:function")
PERIODIK: list[tuple[str, int, str]] = []


def fungsi(path: str):
    """Import ``module:function``."""
    modul, nama = path.split(":")
    return getattr(import_module(modul), nama)
