"""The office's letterhead logo and how its public standard shows values the decree does not contain.

A logo is an uploaded image checked by its content, not its name: Pillow must
read it as PNG or JPEG within the size limits, and it is re-encoded as PNG (so
nothing but pixels is kept: no metadata, no trailing bytes) and stored as a
``data:`` URI, the only kind of address a letter may load.
"""
from __future__ import annotations

import base64
import io

from dinsos.catalogue.tampilan import TAMPIL_ASAL

from .models import Tenant

BATAS_BITA_LOGO = 512 * 1024
BATAS_PIKSEL_LOGO = 2000
FORMAT_LOGO = ("PNG", "JPEG")


class KopDitolak(ValueError):
    """The upload or choice is refused; the message names the field and the reason, in Indonesian."""


def periksa_logo(isi: bytes) -> str:
    """The image as a PNG ``data:`` URI, or :class:`KopDitolak` saying why it cannot be a logo."""
    from PIL import Image, UnidentifiedImageError

    if not isi:
        raise KopDitolak("Logo kop: berkas kosong.")
    if len(isi) > BATAS_BITA_LOGO:
        raise KopDitolak(f"Logo kop: berkas {len(isi) // 1024} KB melebihi batas {BATAS_BITA_LOGO // 1024} KB.")
    try:
        with Image.open(io.BytesIO(isi)) as gambar:
            if gambar.format not in FORMAT_LOGO:
                raise KopDitolak(f"Logo kop: isi berkas adalah {gambar.format}, bukan PNG atau JPEG.")
            lebar, tinggi = gambar.size
            if max(lebar, tinggi) > BATAS_PIKSEL_LOGO:
                raise KopDitolak(f"Logo kop: ukuran {lebar}x{tinggi} piksel melebihi {BATAS_PIKSEL_LOGO} piksel per sisi.")
            # A truncated or corrupt file fails here, not in a letter. WeasyPrint sets Pillow to pad truncated
            # images on load, so the check does not rely on load(): PNG checksums, JPEG's end marker.
            if gambar.format == "PNG":
                with Image.open(io.BytesIO(isi)) as periksa:
                    periksa.verify()
            elif b"\xff\xd9" not in isi[-64:]:
                raise KopDitolak("Logo kop: berkas JPEG terpotong atau rusak.")
            gambar.load()
            keluar = io.BytesIO()
            gambar.convert("RGBA").save(keluar, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as galat:
        if isinstance(galat, KopDitolak):
            raise
        raise KopDitolak("Logo kop: isi berkas bukan gambar PNG atau JPEG yang dapat dibaca.") from None
    return "data:image/png;base64," + base64.b64encode(keluar.getvalue()).decode("ascii")


def simpan_kop(tenant: Tenant, *, tampil_asal: str, logo: bytes | None = None, hapus_logo: bool = False) -> list[str]:
    """Change the office's choice for platform-set values and its logo; returns the changed columns.

    The caller audits and commits.
    """
    if tampil_asal not in TAMPIL_ASAL:
        raise KopDitolak(f"Tampilan nilai platform '{tampil_asal}' tidak dikenal; pilih tandai atau sembunyikan.")
    diubah = []
    if tenant.tampil_asal != tampil_asal:
        tenant.tampil_asal = tampil_asal
        diubah.append("tampil_asal")
    if logo:
        baru = periksa_logo(logo)
        if baru != tenant.logo_kop:
            tenant.logo_kop = baru
            diubah.append("logo_kop")
    elif hapus_logo and tenant.logo_kop:
        tenant.logo_kop = None
        diubah.append("logo_kop")
    return diubah
