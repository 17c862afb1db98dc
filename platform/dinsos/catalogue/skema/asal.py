"""Provenance markers: which values of a file the source document does not contain.

A standard is transcribed from a decree; some values the platform needs are
not in it (a day where the decree gives only the month, a review period, the
letter a step produces). Such a value is named in the file's ``penanda_asal``
list, as data, so that it survives loading, export and the form editor, and
the public page can label or hide it::

    penanda_asal:
      - bagian: sop.langkah.pengiriman.dokumen_keluaran
        asal: platform
        alasan: Seed tidak menyebut dokumen langkah ini.

``bagian`` is a path in the file: keys joined by dots; an item of a list is
named by its ``kode`` (``sop.langkah.pengiriman``) or, for a list without
codes, by its index from 0 (``penyampaian_pelayanan.pengaduan.sarana.4``).
A marker naming nothing in the file is an error, so markers cannot go stale.
"""

from __future__ import annotations

from marshmallow import ValidationError

from .medan import Dasar, Teks, salah_satu

ASAL = ("platform",)


class PenandaAsalSchema(Dasar):
    bagian = Teks(required=True)
    asal = Teks(required=True, validate=salah_satu(ASAL, "Asal"))
    alasan = Teks(required=True)


def _langkah(nilai, ruas: str):
    """The child ``ruas`` of ``nilai``, or ``_TIDAK_ADA``."""
    if isinstance(nilai, dict):
        return nilai.get(ruas, _TIDAK_ADA)
    if isinstance(nilai, list):
        for butir in nilai:
            if isinstance(butir, dict) and butir.get("kode") == ruas:
                return butir
        if ruas.isdigit() and int(ruas) < len(nilai):
            return nilai[int(ruas)]
    return _TIDAK_ADA


_TIDAK_ADA = object()


def ada_bagian(data: dict, bagian: str) -> bool:
    """Whether the path ``bagian`` names a key or item present in ``data``."""
    nilai = data
    for ruas in bagian.split("."):
        nilai = _langkah(nilai, ruas)
        if nilai is _TIDAK_ADA:
            return False
    return True


def cek_penanda(asli: dict) -> None:
    """Raise a located error for each marker whose ``bagian`` is not in the raw file, or is marked twice."""
    penanda = asli.get("penanda_asal")
    if not isinstance(penanda, list):
        return
    kesalahan: dict = {}
    dilihat: dict[str, int] = {}
    for i, p in enumerate(penanda):
        bagian = p.get("bagian") if isinstance(p, dict) else None
        if not isinstance(bagian, str) or not bagian.strip():
            continue
        if bagian.split(".")[0] == "penanda_asal" or not ada_bagian(asli, bagian):
            kesalahan[i] = {"bagian": [f"Bagian '{bagian}' tidak ada di berkas ini; tulis jalur kunci dengan titik, "
                                       "butir daftar dengan kodenya, mis. 'sop.langkah.serah-terima.waktu'."]}
        elif bagian in dilihat:
            kesalahan[i] = {"bagian": [f"Bagian '{bagian}' sudah ditandai di penanda_asal[{dilihat[bagian]}]."]}
        else:
            dilihat[bagian] = i
    if kesalahan:
        raise ValidationError({"penanda_asal": kesalahan})


def peta_asal(data: dict) -> dict[str, dict]:
    """Path -> marker, for the page that shows the values."""
    return {p["bagian"]: p for p in data.get("penanda_asal") or []}
