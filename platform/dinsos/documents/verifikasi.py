"""Public verification of letters: by the code in the QR, or by number and file.

Answers carry only what is printed for everyone anyway (number, kind, date,
office) and the file's SHA-256: never the client, the object or who issued it.
"""
import re
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dinsos.core.db import db
from dinsos.tenancy.models import Tenant

from .models import SuratTerbit
from .surat import JENIS_SURAT
from .tanggal import tanggal_panjang

POLA_SIDIK = re.compile(r"^[0-9a-f]{64}$")


def cari_kode(kode: str) -> SuratTerbit | None:
    """The bound office's letter with this verification code, or None."""
    return db.session.scalar(select(SuratTerbit).where(SuratTerbit.kode == kode))


def cocokkan(nomor: str, sidik: str) -> SuratTerbit | None:
    """The bound office's letter with this number whose archived PDF has this SHA-256, or None.

    Both must match: a genuine number on altered bytes is not genuine.
    """
    sidik = (sidik or "").strip().lower()
    if not POLA_SIDIK.match(sidik):
        return None
    return db.session.scalar(
        select(SuratTerbit).where(SuratTerbit.nomor == (nomor or "").strip(), SuratTerbit.sidik == sidik)
    )


def ringkasan_publik(surat: SuratTerbit, tenant: Tenant) -> dict:
    """What the public page may show about a genuine letter."""
    tanggal = surat.diterbitkan_pada.astimezone(ZoneInfo(tenant.zona_waktu)).date()
    return {
        "nomor": surat.nomor,
        "jenis": JENIS_SURAT[surat.jenis].judul if surat.jenis in JENIS_SURAT else surat.jenis,
        "tanggal": tanggal_panjang(tanggal),
        "kantor": tenant.nama,
        "sidik": surat.sidik,
    }
