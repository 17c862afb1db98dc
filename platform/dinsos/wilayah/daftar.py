"""The region list itself: lookups by code and name, and the time zone of a province (see the package docstring)."""
import re
from dataclasses import dataclass

from lokal import wilayah as _data

SUMBER = "Kepmendagri 300.2.2-2138/2025"

TINGKAT = {1: "provinsi", 2: "kabupaten/kota", 3: "kecamatan", 4: "desa/kelurahan"}
_POLA = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")

# Keppres 41/1987. Kalimantan Barat and Tengah keep WIB under their own IANA zone (Asia/Pontianak).
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}
_PONTIANAK = {"61", "62"}
SINGKATAN_ZONA = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@dataclass(frozen=True)
class Wilayah:
    """One region: its dotted code, its official name, its level (1 provinsi … 4 desa/kelurahan) and kind."""

    kode: str
    nama: str
    tingkat: int
    jenis: str  # provinsi, kabupaten, kota, kecamatan, distrik, kelurahan, desa, desa_adat

    @property
    def induk(self) -> str | None:
        """The parent's code, None for a province."""
        return self.kode.rsplit(".", 1)[0] if "." in self.kode else None

    @property
    def nama_lengkap(self) -> str:
        """The name as an official text writes it: "Provinsi Jawa Timur", "Kecamatan Poncol", "Desa Poncol"."""
        awalan = {"provinsi": "Provinsi", "kecamatan": "Kecamatan", "distrik": "Distrik", "kelurahan": "Kelurahan",
                  "desa": "Desa", "desa_adat": "Kampung"}.get(self.jenis)
        return f"{awalan} {self.nama}" if awalan else self.nama  # kabupaten and kota names carry their own word


def sah_bentuknya(kode: str | None) -> bool:
    """Whether a code has the dotted Kemendagri shape (PP, PP.KK, PP.KK.CC, PP.KK.CC.DDDD); says nothing of existence."""
    return bool(kode) and bool(_POLA.match(kode))


def _rekam(w) -> Wilayah:
    return Wilayah(kode=w.code, nama=w.name, tingkat=w.level, jenis=w.type)


def cari_kode(kode: str | None) -> Wilayah | None:
    """The region with this dotted code, or None (unknown code or wrong shape)."""
    kode = (kode or "").strip()
    if not sah_bentuknya(kode):
        return None
    w = _data.get_wilayah(kode)
    return _rekam(w) if w else None


def anak(kode: str | None = None) -> list[Wilayah]:
    """The direct children of a region in code order; without a code, the 38 provinces."""
    if kode and cari_kode(kode) is None:
        return []
    return sorted((_rekam(w) for w in _data.list_wilayah(kode or None)), key=lambda w: w.kode)


def jalur(kode: str) -> list[Wilayah]:
    """The region and its parents, province first; empty when the code is unknown."""
    bagian = (kode or "").split(".")
    hasil = [cari_kode(".".join(bagian[:i])) for i in range(1, len(bagian) + 1)]
    return [] if None in hasil else hasil


def cari_nama(teks: str, *, tingkat: int | None = None, di_dalam: str | None = None, batas: int = 10) -> list[Wilayah]:
    """Regions whose name matches ``teks`` ("magetan", "kab. bogor"), best first.

    Villages are searched only with ``tingkat=4`` or ``di_dalam`` a kecamatan,
    as many villages share a name. ``di_dalam`` keeps results inside a region.
    """
    if di_dalam and not sah_bentuknya(di_dalam):
        return []
    return [_rekam(w) for w in _data.search_wilayah(teks or "", level=tingkat, within=di_dalam, limit=batas)]


def zona_waktu(kode: str) -> str | None:
    """The IANA time zone of a region by its province (WIB Asia/Jakarta or Asia/Pontianak, WITA, WIT); None if unknown."""
    provinsi = (kode or "")[:2]
    if cari_kode(provinsi) is None:
        return None
    if provinsi in _WIT:
        return "Asia/Jayapura"
    if provinsi in _WITA:
        return "Asia/Makassar"
    return "Asia/Pontianak" if provinsi in _PONTIANAK else "Asia/Jakarta"


def nama_wilayah(kode: str | None, *, lengkap: bool = True) -> str | None:
    """A region's name with its parents up to the kabupaten/kota, for reports and lists; None if unknown.

    "Kecamatan Poncol, Kabupaten Magetan"; "Desa Poncol, Kecamatan Poncol, Kabupaten Magetan".
    """
    bagian = jalur(kode or "")
    if not bagian:
        return None
    if not lengkap:
        return bagian[-1].nama_lengkap
    return ", ".join(w.nama_lengkap for w in reversed(bagian[1:] or bagian))


def usulan_kantor(kode: str) -> dict | None:
    """What an office for a province or kabupaten/kota would be called and set to; None unless the code is one.

    ``{"slug", "nama", "tingkat", "kode_wilayah", "zona_waktu", "provinsi"}``, where ``provinsi`` is the
    province's own proposal for a kabupaten/kota (for creating a missing parent) and None for a province.
    """
    w = cari_kode(kode)
    if w is None or w.tingkat > 2:
        return None
    nama = w.nama_lengkap if w.tingkat == 1 else w.nama
    return {
        "slug": re.sub(r"[^a-z0-9]+", "-", nama.lower()).strip("-"),
        "nama": f"Dinas Sosial {nama}",
        "tingkat": "provinsi" if w.tingkat == 1 else w.jenis,
        "kode_wilayah": w.kode,
        "zona_waktu": zona_waktu(w.kode),
        "provinsi": usulan_kantor(w.induk) if w.induk else None,
    }

