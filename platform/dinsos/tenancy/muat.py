"""Loading offices from ``tenants/`` folders or an admin's draft: validated whole, written in one transaction.

A bad file anywhere refuses the whole load with the file, the line, the path
inside it and the reason; nothing is written. Loading the same files again
changes nothing (not even the audit log). A changed service becomes a new
version; earlier versions stay as they were, so cases keep theirs.
"""
from pathlib import Path

from sqlalchemy import select

from dinsos.audit.services import catat_peristiwa
from dinsos.catalogue.skema.baca import KesalahanValidasi
from dinsos.catalogue.skema.folder import berkas_folder, folder_kantor, periksa_kumpulan
from dinsos.catalogue.skema.hitung import periksa_hitungan
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant

from .models import Tenant
from .services import simpan_profil


class GagalMuat(Exception):
    """Validation failed; ``kesalahan`` lists every problem found (:class:`KesalahanValidasi`)."""

    def __init__(self, kesalahan):
        super().__init__("\n".join(str(k) for k in kesalahan))
        self.kesalahan = kesalahan


def kantor_terdaftar() -> dict[str, dict]:
    """Offices already on the platform, for checking a parent province: slug -> tingkat, kode_wilayah."""
    baris = db.session.execute(select(Tenant.slug, Tenant.tingkat, Tenant.kode_wilayah)).all()
    return {slug: {"tingkat": tingkat, "kode_wilayah": kode} for slug, tingkat, kode in baris}


def baca_sumber(path) -> tuple[dict[str, dict[str, bytes]], bool]:
    """The offices under ``path`` as files, and whether ``path`` is a root of several.

    ``path`` is either a ``tenants/`` root (every visible subfolder is an
    office) or one office folder (it holds ``tenant.yaml``).
    """
    path = Path(path)
    if (path / "tenant.yaml").is_file():
        return {path.name: berkas_folder(path)}, False
    return {p.name: berkas_folder(p) for p in folder_kantor(path)}, True


def periksa(kantor: dict[str, dict[str, bytes | str]], *, awalan_folder: bool = True) -> list[dict]:
    """Validate offices given as files against each other and the platform; return their data.

    A parent province may be in the same batch or already registered.
    Raises :class:`GagalMuat` with every problem when anything is wrong.
    """
    if not kantor:
        raise GagalMuat([KesalahanValidasi("", "", "Tidak ada folder kantor (berisi tenant.yaml) untuk dimuat.")])
    data, kesalahan = periksa_kumpulan(kantor, kantor_terdaftar(), awalan_folder=awalan_folder)
    if kesalahan:
        raise GagalMuat(kesalahan)
    return data


def tulis(data: list[dict]) -> list[str]:
    """Write validated offices and their services in the caller's transaction; one report line per item.

    Each change is audited; an unchanged item writes nothing.
    """
    from dinsos.catalogue.services import simpan_standar

    # Provinces first, so a kabupaten/kota can name its parent in the same load.
    urut = sorted(data, key=lambda d: (d["tenant"]["tingkat"] != "provinsi", d["tenant"]["slug"]))
    laporan = []
    # Each change is audited below, so the crossing itself is not: an idle reload writes nothing.
    with lintas_tenant("memuat standar pelayanan dari berkas", catat=False):
        for d in urut:
            baru = db.session.scalar(select(Tenant.id).where(Tenant.slug == d["tenant"]["slug"])) is None
            tenant, berubah = simpan_profil(d["tenant"])
            laporan.append(f"{tenant.slug}: {'dibuat' if baru else 'diperbarui' if berubah else 'tidak berubah'}")
            if berubah:
                catat_peristiwa("profil_kantor_dimuat", objek_jenis="tenant", objek_id=tenant.id, tenant_id=tenant.id)
            for isi in d["layanan"]:
                versi, baru = simpan_standar(tenant, isi)
                if baru:
                    catat_peristiwa(
                        "standar_pelayanan_dimuat", objek_jenis="versi_layanan", objek_id=versi.id,
                        tenant_id=tenant.id, kode=isi["kode"], versi=versi.versi,
                    )
                laporan.append(f"  {isi['kode']}: versi {versi.versi} {'disimpan' if baru else 'tidak berubah'}")
                if baru:  # the decree's own arithmetic: loaded as written, the admin is told once
                    laporan += [f"  {isi['kode']}: peringatan: {p}" for p in periksa_hitungan(isi)]
    return laporan


def muat_akar(path) -> list[str]:
    """Validate and load every office under ``path`` (a root, or one office folder). All or nothing.

    Problems are located relative to ``path``. Returns the report lines.
    """
    kantor, akar = baca_sumber(path)
    data = periksa(kantor, awalan_folder=akar)
    try:
        laporan = tulis(data)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return laporan
