"""Celery tasks: thin wrappers over ``dinsos`` functions."""
from dinsos.core.tenant import dalam_tenant

from . import jadwal
from .celery_app import celery

_PERIODIK = {nama: path for nama, _detik, path in jadwal.PERIODIK}


@celery.task(name="dinsos.periodik")
def periodik(nama: str):
    """Run one periodic job by name (sent by beat)."""
    return jadwal.fungsi(_PERIODIK[nama])()


@celery.task(name="dinsos.dalam_tenant")
def dalam_tenant_tugas(tenant_id: int, path: str, *args):
    """Run ``module:function(*args)`` bound to one office."""
    with dalam_tenant(tenant_id):
        return jadwal.fungsi(path)(*args)
