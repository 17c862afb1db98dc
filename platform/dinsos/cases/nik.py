"""The NIK (Nomor Induk Kependudukan): structure check and decoding. Pure functions.

16 digits: province (2), kabupaten/kota (2), kecamatan (2), birth date DDMMYY
with 40 added to the day for women, and a 4-digit serial. The region part is
where the number was issued and may predate a region split, so an unknown
region is decoded as far as possible and never rejected.
"""
import re
from dataclasses import dataclass
from datetime import date

# Kemendagri province codes (Permendagri 72/2019 and the 2022 Papua provinces).
PROVINSI = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
    "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah",
    "34": "DI Yogyakarta", "35": "Jawa Timur", "36": "Banten", "51": "Bali", "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur", "61": "Kalimantan Barat", "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan", "64": "Kalimantan Timur", "65": "Kalimantan Utara", "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah", "73": "Sulawesi Selatan", "74": "Sulawesi Tenggara", "75": "Gorontalo",
    "76": "Sulawesi Barat", "81": "Maluku", "82": "Maluku Utara", "91": "Papua", "92": "Papua Barat",
    "93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan", "96": "Papua Barat Daya",
}

_PEMISAH = re.compile(r"[\s.\-]")


class NikTidakValid(ValueError):
    """The NIK is malformed or contradicts the sex or birth date given; the message is for the user."""


@dataclass(frozen=True)
class InfoNik:
    nik: str
    kode_provinsi: str
    nama_provinsi: str | None
    kode_kabupaten_kota: str  # "PP.KK"
    jenis_daerah: str | None  # "kabupaten" (01-69), "kota" (71-99), else None
    kode_kecamatan: str  # "PP.KK.CC"
    tanggal_lahir: date
    jenis_kelamin: str  # "L" or "P"
    nomor_urut: str


def normalkan(nik: str) -> str:
    """The NIK without spaces, dots or dashes people type between groups."""
    return _PEMISAH.sub("", nik or "")


def _jenis_daerah(kode: str) -> str | None:
    n = int(kode)
    if 1 <= n <= 69:
        return "kabupaten"
    if 71 <= n <= 99:
        return "kota"
    return None


def periksa_nik(
    nik: str, *, jenis_kelamin: str | None = None, tanggal_lahir: date | None = None, hari_ini: date | None = None
) -> InfoNik:
    """Check a NIK's structure (and its agreement with sex and birth date, when given) and decode it.

    Raises ``NikTidakValid`` with an Indonesian message that says what is wrong.
    """
    hari_ini = hari_ini or date.today()
    angka = normalkan(nik)
    if not angka.isdigit() or len(angka) != 16:
        selain_angka = "" if angka.isdigit() or not angka else " dan memuat selain angka"
        raise NikTidakValid(f"NIK harus 16 angka; yang diisi {len(angka)} karakter{selain_angka}.")
    pp, kk, cc = angka[0:2], angka[2:4], angka[4:6]
    hh, bb, tt, urut = int(angka[6:8]), int(angka[8:10]), int(angka[10:12]), angka[12:16]
    if pp == "00" or kk == "00" or cc == "00":
        raise NikTidakValid("Kode wilayah pada NIK (6 angka pertama) tidak boleh memuat 00.")
    kelamin = "P" if hh > 40 else "L"
    hari = hh - 40 if hh > 40 else hh
    # Two-digit years: the most recent century that does not put the birth in the future.
    tahun = 2000 + tt if 2000 + tt <= hari_ini.year else 1900 + tt
    try:
        lahir = date(tahun, bb, hari)
    except ValueError:
        raise NikTidakValid(
            f"Tanggal lahir pada NIK (angka 7-12: {angka[6:12]}) bukan tanggal yang ada; "
            "untuk perempuan tanggal ditambah 40."
        ) from None
    if lahir > hari_ini:
        raise NikTidakValid(f"Tanggal lahir pada NIK ({lahir:%d-%m-%Y}) ada di masa depan.")
    if urut == "0000":
        raise NikTidakValid("Nomor urut NIK (4 angka terakhir) tidak boleh 0000.")
    if jenis_kelamin and jenis_kelamin != kelamin:
        raise NikTidakValid(
            "NIK tidak sesuai jenis kelamin: tanggal pada NIK "
            + ("ditambah 40, jadi NIK milik perempuan." if kelamin == "P" else "tidak ditambah 40, jadi NIK milik laki-laki.")
        )
    if tanggal_lahir and tanggal_lahir != lahir:
        raise NikTidakValid(
            f"NIK tidak sesuai tanggal lahir: NIK menyebut {lahir:%d-%m-%Y}, tanggal lahir diisi {tanggal_lahir:%d-%m-%Y}."
        )
    return InfoNik(
        nik=angka,
        kode_provinsi=pp,
        nama_provinsi=PROVINSI.get(pp),
        kode_kabupaten_kota=f"{pp}.{kk}",
        jenis_daerah=_jenis_daerah(kk),
        kode_kecamatan=f"{pp}.{kk}.{cc}",
        tanggal_lahir=lahir,
        jenis_kelamin=kelamin,
        nomor_urut=urut,
    )


def samarkan(nik: str | None) -> str:
    """The NIK with its birth date and serial hidden, for letters and lists."""
    if not nik:
        return ""
    return nik[:6] + "*" * (len(nik) - 6)


def wilayah_dari_nik(nik: str | None) -> str | None:
    """``PP.KK.CC`` of a 16-digit NIK (where it was issued), else None; what ``Klien.kode_wilayah_nik`` keeps."""
    digit = re.sub(r"[\s.\-]", "", nik or "")
    if not re.fullmatch(r"\d{16}", digit):
        return None
    return f"{digit[:2]}.{digit[2:4]}.{digit[4:6]}"
