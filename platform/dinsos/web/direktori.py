"""The public directory of every office and its services (``/layanan``): a platform-wide page, so it lives here.

It reads offices (``tenancy``) and their services (``catalogue``) across
tenants; each office's own pages stay in those capabilities.
"""
from sqlalchemy import select

from dinsos.catalogue.models import Layanan
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos.tenancy.services import daftar_tenant


def direktori(q: str = "") -> list[dict]:
    """Every active office with its active services, for the public directory; ``q`` filters.

    Each word of ``q`` must occur in the office's name or in a service's name
    or code; an office matching on its own name keeps all its services. Items
    are ``{"tenant", "induk", "layanan": [Layanan, ...]}``.
    """
    kata = q.casefold().split()
    # Only public catalogue names are read; auditing every anonymous page view would flood the log.
    with lintas_tenant("direktori publik standar pelayanan", catat=False):
        kantor = daftar_tenant()
        per_kantor: dict[int, list[Layanan]] = {}
        for layanan in db.session.scalars(select(Layanan).where(Layanan.aktif.is_(True)).order_by(Layanan.nama)):
            per_kantor.setdefault(layanan.tenant_id, []).append(layanan)
    hasil = []
    for tenant in kantor:
        layanan = per_kantor.get(tenant.id, [])
        if kata and not all(k in tenant.nama.casefold() for k in kata):
            layanan = [l for l in layanan if all(k in f"{l.nama} {l.kode}".casefold() for k in kata)]
            if not layanan:
                continue
        induk = tenant.provinsi_induk.nama if tenant.provinsi_induk else None
        hasil.append({"tenant": tenant, "induk": induk, "layanan": layanan})
    return hasil
