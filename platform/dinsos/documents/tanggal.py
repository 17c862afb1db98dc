"""Dates as Indonesian official documents write them: "Rabu, 25 November 2026"."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def ke_tanggal(nilai, zona: str) -> date | None:
    """The calendar date of ``nilai`` in the office's zone.

    Accepts an aware datetime (converted to ``zona``), a date, or an ISO
    ``YYYY-MM-DD`` string; anything else gives None so the caller prints it as written.
    """
    if isinstance(nilai, datetime):
        if nilai.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value")
        return nilai.astimezone(ZoneInfo(zona)).date()
    if isinstance(nilai, date):
        return nilai
    if isinstance(nilai, str):
        try:
            return date.fromisoformat(nilai.strip())
        except ValueError:
            return None
    return None


def tanggal_panjang(tgl: date) -> str:
    """``25 November 2026``."""
    return f"{tgl.day} {BULAN[tgl.month - 1]} {tgl.year}"


def hari_tanggal(tgl: date) -> str:
    """``Rabu, 25 November 2026``."""
    return f"{HARI[tgl.weekday()]}, {tanggal_panjang(tgl)}"
