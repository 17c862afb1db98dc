"""Loading offices from ``tenants/`` folders: validated whole, written in one transaction.

A bad file refuses the whole load with the file, the path inside it and the
reason; nothing is written. Loading the same folders again changes nothing.
"""
from pathlib import Path

from dinsos.catalogue.skema import baca_folder_tenant, validasi_akar
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant

from .services import simpan_profil


class GagalMuat(Exception):
    """Validation failed; ``kesalahan`` lists every problem found."""

    def __init__(self, kesalahan):
        super().__init__(f"{len(kesalahan)} kesalahan")
        self.kesalahan = kesalahan


def folder_tenant(path) -> list[Path]:
    """The office folders under ``path`` (or ``path`` itself when it is one)."""
    path = Path(path)
    if (path / "tenant.yaml").exists():
        return [path]
    return sorted(p for p in path.iterdir() if (p / "tenant.yaml").exists())


def muat_akar(path) -> list[str]:
    """Validate and load every office under ``path``; returns a report line per change."""
    kesalahan = validasi_akar(path)
    if kesalahan:
        raise GagalMuat(kesalahan)
    data = [baca_folder_tenant(p) for p in folder_tenant(path)]
    # Provinces first, so a kabupaten/kota can name its parent in the same load.
    data.sort(key=lambda d: d["tenant"]["tingkat"] != "provinsi")
    laporan = []
    try:
        with lintas_tenant("memuat standar pelayanan dari berkas", sumber=str(path)):
            for d in data:
                tenant, berubah = simpan_profil(d["tenant"])
                laporan.append(f"{tenant.slug}: {'diperbarui' if berubah else 'tidak berubah'}")
                laporan.extend(_muat_layanan(tenant, d.get("layanan", [])))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return laporan


def _muat_layanan(tenant, layanan) -> list[str]:
    """Hook for the service catalogue: store each service as a (new) version."""
    from dinsos.catalogue.services import simpan_standar

    return [simpan_standar(tenant, s) for s in layanan]
