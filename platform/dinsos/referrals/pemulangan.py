"""Repatriation (pemulangan): a client whose family was found is referred to the office of the family's region."""
import re

from sqlalchemy import select

from dinsos.cases.baca import versi_kasus
from dinsos.cases.models import Kasus, LangkahKasus
from dinsos.core.db import db
from dinsos.core.tenant import tenant_aktif
from dinsos.tenancy.models import Tenant

from .rujukan import KesalahanRujukan
from .tujuan import layanan_tujuan

_KODE_WILAYAH = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def langkah_pemulangan(kasus: Kasus) -> LangkahKasus | None:
    """The step of a "family found" branch the case took: a branch target that owes a cover letter (surat pengantar).

    Kota Metro's PPKS SOP branches after the address check to
    ``surat-pengantar``; a cover letter reached in the normal order (Magetan's
    delivery to the Balai) is not a repatriation.
    """
    v = versi_kasus(kasus)
    cabang = {c["ke"] for l in v.isi["sop"]["langkah"] for c in l.get("cabang") or []}
    for l in kasus.langkah:
        definisi = v.langkah(l.kode) or {}
        if l.kode in cabang and definisi.get("dokumen_keluaran") == "surat_pengantar" and l.status in ("berjalan", "selesai"):
            return l
    return None


def kantor_daerah(kode_wilayah: str) -> Tenant | None:
    """The office whose region holds this kode wilayah: the most specific match (kabupaten/kota before province)."""
    kode = (kode_wilayah or "").strip()
    if not _KODE_WILAYAH.match(kode):
        raise KesalahanRujukan(f"Kode wilayah '{kode}' tidak sesuai pola Kemendagri PP.KK.CC.DDDD (mis. 35.20.01.2001).",
                               422, {"kode_wilayah": "Pola tidak sesuai."})
    cocok = [t for t in db.session.scalars(select(Tenant).where(Tenant.aktif.is_(True)))
             if kode == t.kode_wilayah or kode.startswith(t.kode_wilayah + ".")]
    return max(cocok, key=lambda t: len(t.kode_wilayah), default=None)


def tujuan_pemulangan(kasus: Kasus, kode_wilayah: str) -> tuple[Tenant, list[dict]]:
    """The office of the family's region and its services that accept referrals; refused when there is none to send to."""
    if langkah_pemulangan(kasus) is None:
        raise KesalahanRujukan("Pemulangan dirujuk dari langkah surat pengantar (keluarga ditemukan); kasus ini belum sampai "
                               "di langkah itu.", 409)
    kantor = kantor_daerah(kode_wilayah)
    if kantor is None:
        raise KesalahanRujukan(f"Belum ada kantor dinas sosial di platform untuk wilayah {kode_wilayah}; kirim surat pengantar "
                               "lewat rujukan ke mitra.", 404, {"kode_wilayah": "Tidak ada kantor untuk wilayah ini."})
    if kantor.id == tenant_aktif():
        raise KesalahanRujukan(f"Wilayah {kode_wilayah} adalah wilayah kantor ini sendiri; pemulangan dalam wilayah sendiri "
                               "tidak memerlukan rujukan.", 422, {"kode_wilayah": "Wilayah kantor sendiri."})
    layanan = [l for l in layanan_tujuan() if l["tenant_id"] == kantor.id]
    if not layanan:
        raise KesalahanRujukan(f"{kantor.nama} belum memiliki layanan yang menerima rujukan di platform; kirim surat pengantar "
                               "lewat rujukan ke mitra.", 404)
    return kantor, layanan
