"""Reporting periods: a month, quarter, semester, year or custom range of local dates, as UTC bounds.

Offices report by calendar periods of their own time zone; the database
stores UTC instants, so a period is carried as ``[awal, akhir)`` in UTC.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

JENIS_PERIODE = ("bulan", "triwulan", "semester", "tahun", "rentang")
NAMA_BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember")
# A custom range longer than this is refused: five years is beyond any report the offices make.
MAKS_HARI_RENTANG = 5 * 366


class PeriodeTidakValid(ValueError):
    """A period that cannot be read; the message says which field and how to write it (Indonesian)."""

    def __init__(self, pesan: str, kolom: str):
        super().__init__(pesan)
        self.kolom = kolom


@dataclass(frozen=True)
class Periode:
    jenis: str
    dari: date  # first local day
    sampai: date  # last local day (inclusive)
    zona: str
    teks: str  # the period in words, e.g. "Triwulan II 2026"

    @property
    def awal(self) -> datetime:
        return datetime.combine(self.dari, time(), ZoneInfo(self.zona))

    @property
    def akhir(self) -> datetime:
        return datetime.combine(self.sampai + timedelta(days=1), time(), ZoneInfo(self.zona))

    def parameter(self) -> dict:
        """The query-string that names this period again (links, the Excel download)."""
        p = {"periode": self.jenis, "tahun": self.dari.year}
        if self.jenis == "bulan":
            p["bulan"] = self.dari.month
        elif self.jenis == "triwulan":
            p["triwulan"] = (self.dari.month - 1) // 3 + 1
        elif self.jenis == "semester":
            p["semester"] = (self.dari.month - 1) // 6 + 1
        elif self.jenis == "rentang":
            p = {"periode": "rentang", "dari": self.dari.isoformat(), "sampai": self.sampai.isoformat()}
        return p


def _bulat(nilai, kolom: str, rendah: int, tinggi: int, nama: str) -> int:
    try:
        n = int(str(nilai).strip())
    except (TypeError, ValueError):
        raise PeriodeTidakValid(f"{nama} harus angka {rendah}–{tinggi}, bukan '{nilai}'.", kolom) from None
    if not rendah <= n <= tinggi:
        raise PeriodeTidakValid(f"{nama} harus {rendah}–{tinggi}, bukan {n}.", kolom)
    return n


def _tanggal(nilai, kolom: str, nama: str) -> date:
    try:
        return date.fromisoformat(str(nilai or "").strip())
    except ValueError:
        raise PeriodeTidakValid(f"{nama} ditulis TTTT-BB-HH, mis. 2026-01-31, bukan '{nilai or ''}'.", kolom) from None


def _akhir_bulan(tahun: int, bulan: int) -> date:
    return (date(tahun + (bulan == 12), bulan % 12 + 1, 1)) - timedelta(days=1)


def baca_periode(arg: dict, zona: str, hari_ini: date) -> Periode:
    """Read a period from query arguments (``periode`` plus ``tahun``/``bulan``/``triwulan``/``semester`` or ``dari``/``sampai``).

    Missing parts default to the current month, quarter, semester or year of ``hari_ini``.
    """
    jenis = (arg.get("periode") or "bulan").strip()
    if jenis not in JENIS_PERIODE:
        raise PeriodeTidakValid(f"Periode harus salah satu dari {', '.join(JENIS_PERIODE)}, bukan '{jenis}'.", "periode")
    if jenis == "rentang":
        dari = _tanggal(arg.get("dari"), "dari", "Tanggal awal")
        sampai = _tanggal(arg.get("sampai"), "sampai", "Tanggal akhir")
        if sampai < dari:
            raise PeriodeTidakValid("Tanggal akhir tidak boleh sebelum tanggal awal.", "sampai")
        if (sampai - dari).days > MAKS_HARI_RENTANG:
            raise PeriodeTidakValid("Rentang paling panjang lima tahun.", "sampai")
        return Periode(jenis, dari, sampai, zona, f"{dari:%d-%m-%Y} s.d. {sampai:%d-%m-%Y}")
    tahun = _bulat(arg.get("tahun") or hari_ini.year, "tahun", 2000, 2100, "Tahun")
    if jenis == "tahun":
        return Periode(jenis, date(tahun, 1, 1), date(tahun, 12, 31), zona, f"Tahun {tahun}")
    if jenis == "bulan":
        b = _bulat(arg.get("bulan") or hari_ini.month, "bulan", 1, 12, "Bulan")
        return Periode(jenis, date(tahun, b, 1), _akhir_bulan(tahun, b), zona, f"{NAMA_BULAN[b - 1]} {tahun}")
    if jenis == "triwulan":
        t = _bulat(arg.get("triwulan") or (hari_ini.month - 1) // 3 + 1, "triwulan", 1, 4, "Triwulan")
        return Periode(jenis, date(tahun, 3 * t - 2, 1), _akhir_bulan(tahun, 3 * t), zona, f"Triwulan {'I II III IV'.split()[t - 1]} {tahun}")
    s = _bulat(arg.get("semester") or (hari_ini.month - 1) // 6 + 1, "semester", 1, 2, "Semester")
    return Periode(jenis, date(tahun, 6 * s - 5, 1), _akhir_bulan(tahun, 6 * s), zona, f"Semester {'I' * s} {tahun}")


def bulan_lalu(hari_ini: date) -> dict:
    """The usual monthly report is made for the month just ended: its query arguments."""
    awal = hari_ini.replace(day=1) - timedelta(days=1)
    return {"periode": "bulan", "tahun": awal.year, "bulan": awal.month}
