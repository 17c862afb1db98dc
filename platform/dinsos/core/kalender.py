"""A tenant's working calendar and the deadline arithmetic built on it.

Pure functions over plain data: no database, no Flask. Every datetime going in
must be timezone-aware; every datetime coming out is in UTC. Arithmetic happens
in the tenant's own zone, because office hours and holidays are local.

Working time ("menit", "jam", "hari kerja") counts only office hours on working
days: not weekends, not national holidays, not cuti bersama (both from the
`holidays` package), not the office's own extra holidays, while days the office
declares working again count. Calendar time ("x 24 jam", "hari kalender",
"minggu", "bulan", "tahun") ignores the calendar: the law's deadlines run on
the clock.

It sits in core, below every capability, because three of them read it: the
Standar Pelayanan validator (a time standard must be one duration this module
can count), an office's settings (its hours must make a valid calendar) and
the deadline engine in ``dinsos.sla``, which builds each office's calendar
from it.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

HARI = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")

# Regional government hours (DOMAIN.md); a tenant setting overrides all of them.
JAM_KERJA_BAKU = {
    "senin": "07:30-16:00",
    "selasa": "07:30-16:00",
    "rabu": "07:30-16:00",
    "kamis": "07:30-16:00",
    "jumat": "07:30-16:30",
}

SATUAN_KERJA = frozenset({"menit", "jam", "hari_kerja"})
SATUAN_KALENDER = frozenset({"jam_kalender", "hari", "minggu", "bulan", "tahun"})
SATUAN = SATUAN_KERJA | SATUAN_KALENDER

# Every walk over days stops here, so a bad input cannot spin for ever.
BATAS_HARI = 5 * 366
BATAS_TEKS = "5 tahun"

UTC = timezone.utc


class KalenderTidakValid(ValueError):
    """The calendar settings of a tenant are impossible or malformed."""


class DurasiTidakValid(ValueError):
    """A time standard is unparseable, zero, negative or not one duration."""


@dataclass(frozen=True)
class Durasi:
    """A time standard: an amount and its unit (one of SATUAN)."""

    jumlah: int
    satuan: str

    def __post_init__(self) -> None:
        if self.satuan not in SATUAN:
            raise DurasiTidakValid(
                f"satuan waktu '{self.satuan}' tidak dikenal; "
                f"gunakan salah satu dari: {', '.join(sorted(SATUAN))}"
            )
        if isinstance(self.jumlah, bool) or not isinstance(self.jumlah, int):
            raise DurasiTidakValid(f"jumlah waktu harus bilangan bulat, bukan {self.jumlah!r}")
        if self.jumlah <= 0:
            raise DurasiTidakValid(f"jumlah waktu harus lebih dari nol, bukan {self.jumlah}")

    @property
    def waktu_kalender(self) -> bool:
        """True when the duration runs on the clock, not on office hours."""
        return self.satuan in SATUAN_KALENDER


# --- parse_waktu ---------------------------------------------------------

_ANGKA_KATA = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
    "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
}
_SATUAN_TEKS = {
    "menit": "menit",
    "jam": "jam",
    "jam kalender": "jam_kalender",
    # In an SOP a bare "hari" is a working day; calendar days are said so.
    "hari": "hari_kerja",
    "hari kerja": "hari_kerja",
    "hari kalender": "hari",
    "minggu": "minggu",
    "pekan": "minggu",
    "bulan": "bulan",
    "tahun": "tahun",
}
_POLA_TUNGGAL = re.compile(
    r"^(?P<angka>\d+)\s*(?:\((?P<kata>[a-z ]+)\))?\s*(?P<satuan>" + "|".join(
        sorted((re.escape(k) for k in _SATUAN_TEKS), key=len, reverse=True)
    ) + r")$"
)
_POLA_KALI_JAM = re.compile(r"^(?P<a>\d+)\s*[x×]\s*(?P<b>\d+)\s*jam$")
_POLA_RENTANG = re.compile(r"\bsampai\b|\bhingga\b|\bs\.?/?d\.?\b|\d\s*[-–]\s*\d")


def _terbilang(kata: str) -> int | None:
    """The value of an Indonesian number written in words (1-999), or None."""
    kata = kata.replace("sebelas", "satu belas").replace("sepuluh", "satu puluh")
    kata = kata.replace("seratus", "satu ratus")
    total = 0
    sekarang = 0
    for k in kata.split():
        if k in _ANGKA_KATA and sekarang == 0:
            sekarang = _ANGKA_KATA[k]
        elif k == "belas" and 0 < sekarang < 10 and total % 100 == 0:
            total += 10 + sekarang
            sekarang = 0
        elif k == "puluh" and 0 < sekarang < 10 and total % 100 == 0:
            total += sekarang * 10
            sekarang = 0
        elif k == "ratus" and 0 < sekarang < 10 and total == 0:
            total = sekarang * 100
            sekarang = 0
        else:
            return None
    return total + sekarang or None


def parse_waktu(teks: str) -> Durasi:
    """Read one time standard as written in an SOP or a Standar Pelayanan.

    "15 menit", "1 jam", "1 hari" (= a working day), "2 hari kerja",
    "7 hari kalender", "3x24 jam" (72 calendar hours), "1 (satu) tahun".
    A range such as "1 (satu) sampai dengan 2 (dua) hari kerja" is refused:
    the caller splits it and decides which bound it needs.
    """
    if not isinstance(teks, str):
        raise DurasiTidakValid(f"waktu harus berupa teks, bukan {teks!r}")
    bersih = " ".join(teks.lower().split())
    if not bersih:
        raise DurasiTidakValid("waktu kosong; tulis misalnya '15 menit' atau '2 hari kerja'")
    if bersih.startswith("-"):
        raise DurasiTidakValid(f"waktu '{teks}' bernilai negatif; waktu harus lebih dari nol")
    if _POLA_RENTANG.search(bersih):
        raise DurasiTidakValid(
            f"waktu '{teks}' adalah rentang, bukan satu durasi; "
            "pisahkan batas bawah dan batas atasnya"
        )
    cocok = _POLA_KALI_JAM.match(bersih)
    if cocok:
        jumlah = int(cocok["a"]) * int(cocok["b"])
        if jumlah == 0:
            raise DurasiTidakValid(f"waktu '{teks}' bernilai nol; waktu harus lebih dari nol")
        return Durasi(jumlah, "jam_kalender")
    cocok = _POLA_TUNGGAL.match(bersih)
    if not cocok:
        raise DurasiTidakValid(
            f"waktu '{teks}' tidak dapat dibaca; tulis misalnya '15 menit', '1 jam', "
            "'2 hari kerja', '7 hari kalender', '3x24 jam', '1 bulan' atau '1 (satu) tahun'"
        )
    jumlah = int(cocok["angka"])
    if jumlah == 0:
        raise DurasiTidakValid(f"waktu '{teks}' bernilai nol; waktu harus lebih dari nol")
    if cocok["kata"] is not None:
        # The words in brackets guard against OCR damage to the digits.
        terbaca = _terbilang(cocok["kata"].strip())
        if terbaca != jumlah:
            raise DurasiTidakValid(
                f"waktu '{teks}': angka {jumlah} tidak sama dengan tulisan ({cocok['kata'].strip()})"
            )
    return Durasi(jumlah, _SATUAN_TEKS[cocok["satuan"]])


# --- holidays from the package -----------------------------------------

@lru_cache(maxsize=128)
def _libur_nasional(tahun: int) -> tuple[tuple[date, str, str], ...]:
    """National holidays and cuti bersama of a year: (date, name, source)."""
    hasil = []
    for kategori, sumber in ((holidays.PUBLIC, "nasional"), (holidays.GOVERNMENT, "cuti_bersama")):
        daftar = holidays.country_holidays("ID", years=tahun, categories=(kategori,), language="id")
        hasil.extend((tanggal, nama, sumber) for tanggal, nama in daftar.items())
    return tuple(sorted(hasil))


# --- validation helpers -------------------------------------------------

_POLA_JAM = re.compile(r"^(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})$")
_POLA_TANGGAL = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _zona(nama: object) -> ZoneInfo:
    saran = "gunakan nama IANA seperti Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)"
    if not isinstance(nama, str) or not nama.strip():
        raise KalenderTidakValid(f"zona_waktu kosong atau bukan teks; {saran}")
    try:
        return ZoneInfo(nama)
    except (ZoneInfoNotFoundError, ValueError):
        raise KalenderTidakValid(f"zona_waktu '{nama}' tidak dikenal; {saran}") from None


def _rentang_jam(hari: str, teks: object) -> tuple[time, time]:
    contoh = "tulis seperti '07:30-16:00'"
    cocok = _POLA_JAM.match(teks.strip()) if isinstance(teks, str) else None
    if not cocok:
        raise KalenderTidakValid(f"jam_kerja.{hari}: '{teks}' tidak dapat dibaca; {contoh}")
    j1, m1, j2, m2 = (int(x) for x in cocok.groups())
    if j1 > 23 or j2 > 23 or m1 > 59 or m2 > 59:
        raise KalenderTidakValid(f"jam_kerja.{hari}: '{teks}' memuat jam yang tidak ada; {contoh}")
    buka, tutup = time(j1, m1), time(j2, m2)
    if buka >= tutup:
        raise KalenderTidakValid(
            f"jam_kerja.{hari}: '{teks}' tidak valid, jam buka harus lebih awal dari jam tutup"
        )
    return buka, tutup


def _jadwal(jam_kerja: object) -> tuple[tuple[time, time] | None, ...]:
    if not isinstance(jam_kerja, Mapping):
        raise KalenderTidakValid("jam_kerja harus berupa pemetaan nama hari -> 'HH:MM-HH:MM'")
    asing = [h for h in jam_kerja if h not in HARI]
    if asing:
        raise KalenderTidakValid(
            f"jam_kerja: hari '{asing[0]}' tidak dikenal; gunakan {', '.join(HARI)}"
        )
    jadwal = tuple(
        None if jam_kerja.get(h) is None else _rentang_jam(h, jam_kerja[h]) for h in HARI
    )
    if not any(jadwal):
        raise KalenderTidakValid("jam_kerja tidak memuat satu pun hari kerja")
    return jadwal


def _tanggal(nilai: object, tempat: str) -> date:
    if isinstance(nilai, datetime):
        raise KalenderTidakValid(f"{tempat}: '{nilai}' harus tanggal saja (YYYY-MM-DD), tanpa jam")
    if isinstance(nilai, date):
        return nilai
    if not isinstance(nilai, str) or not _POLA_TANGGAL.match(nilai.strip()):
        raise KalenderTidakValid(f"{tempat}: '{nilai}' bukan tanggal; tulis seperti '2026-08-31'")
    try:
        return date.fromisoformat(nilai.strip())
    except ValueError:
        raise KalenderTidakValid(f"{tempat}: tanggal '{nilai}' tidak ada di kalender") from None


def _aware(nilai: datetime, nama: str) -> datetime:
    if type(nilai) is datetime and nilai.tzinfo is UTC:
        return nilai  # the usual case (stored timestamps are UTC): nothing to convert
    if not isinstance(nilai, datetime) or nilai.tzinfo is None or nilai.utcoffset() is None:
        raise ValueError(f"{nama} harus waktu lengkap dengan zona waktu, bukan {nilai!r}")
    return nilai.astimezone(UTC)


def _terlalu_jauh(nama: str) -> ValueError:
    return ValueError(f"{nama} melebihi batas {BATAS_TEKS}; periksa waktu dan standar waktunya")


# --- the calendar -------------------------------------------------------

@dataclass(frozen=True, eq=False)
class KalenderKerja:
    """The working calendar of one tenant, built from plain settings.

    `jam_kerja` maps senin..minggu to "HH:MM-HH:MM"; a day left out is not a
    working day, and a given mapping replaces the default as a whole.
    `libur_tambahan` holds the office's own holidays (a mapping date -> name, or
    just dates); `hari_kerja_tambahan` the holidays it cancels. Dates may be
    `date` objects or "YYYY-MM-DD" strings.
    """

    zona_waktu: str = "Asia/Jakarta"
    jam_kerja: Mapping[str, str | None] = field(default_factory=lambda: dict(JAM_KERJA_BAKU))
    libur_tambahan: Mapping[date, str] | Iterable[date] = field(default_factory=dict)
    hari_kerja_tambahan: Iterable[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        tz = _zona(self.zona_waktu)
        jadwal = _jadwal(self.jam_kerja)
        if isinstance(self.libur_tambahan, Mapping):
            pasangan = self.libur_tambahan.items()
        elif isinstance(self.libur_tambahan, (str, bytes)):
            raise KalenderTidakValid("libur_tambahan harus daftar tanggal, bukan satu teks")
        else:
            pasangan = ((t, None) for t in self.libur_tambahan)
        libur = {}
        for t, nama in pasangan:
            tanggal = _tanggal(t, "libur_tambahan")
            libur[tanggal] = str(nama).strip() if nama else "Libur daerah"
        if isinstance(self.hari_kerja_tambahan, (str, bytes)):
            raise KalenderTidakValid("hari_kerja_tambahan harus daftar tanggal, bukan satu teks")
        kerja = frozenset(_tanggal(t, "hari_kerja_tambahan") for t in self.hari_kerja_tambahan)
        for tanggal in sorted(kerja):
            if tanggal in libur:
                raise KalenderTidakValid(
                    f"tanggal {tanggal.isoformat()} ada di libur_tambahan dan di hari_kerja_tambahan sekaligus"
                )
            if jadwal[tanggal.weekday()] is None:
                raise KalenderTidakValid(
                    f"hari_kerja_tambahan: {tanggal.isoformat()} jatuh pada hari "
                    f"{HARI[tanggal.weekday()]} yang tidak punya jam_kerja; "
                    "hari_kerja_tambahan hanya membatalkan hari libur"
                )
        # Normalised copies, so later edits to the caller's dicts change nothing.
        object.__setattr__(self, "jam_kerja", {
            h: f"{j[0]:%H:%M}-{j[1]:%H:%M}" for h, j in zip(HARI, jadwal) if j
        })
        object.__setattr__(self, "libur_tambahan", libur)
        object.__setattr__(self, "hari_kerja_tambahan", kerja)
        object.__setattr__(self, "_tz", tz)
        object.__setattr__(self, "_jadwal", jadwal)
        object.__setattr__(self, "_libur_per_tahun", {})
        # Opening and closing instants per local date: deadline walks visit the same days again and again.
        object.__setattr__(self, "_buka_per_tanggal", {})
        # The last span measured: a deadline's warn point, second escalation and standard minutes all measure
        # the same start-to-deadline span, one after the other.
        object.__setattr__(self, "_rentang_terakhir", (None, None, None))

    # -- days ------------------------------------------------------------

    def _tanggal_libur(self, tahun: int) -> frozenset[date]:
        libur = self._libur_per_tahun.get(tahun)
        if libur is None:
            nasional = {t for t, _, _ in _libur_nasional(tahun)} - self.hari_kerja_tambahan
            daerah = {t for t in self.libur_tambahan if t.year == tahun}
            libur = frozenset(nasional | daerah)
            self._libur_per_tahun[tahun] = libur
        return libur

    def adalah_hari_kerja(self, tanggal: date) -> bool:
        """True when the office works on that (local) date."""
        if isinstance(tanggal, datetime) or not isinstance(tanggal, date):
            raise ValueError(f"tanggal harus berupa date, bukan {tanggal!r}")
        return (
            self._jadwal[tanggal.weekday()] is not None
            and tanggal not in self._tanggal_libur(tanggal.year)
        )

    def daftar_hari_libur(self, tahun: int) -> list[dict]:
        """Every holiday of a year for the admin calendar page, by date.

        Each item: tanggal, nama, sumber (nasional | cuti_bersama | daerah) and
        dibatalkan (the office declared that day working).
        """
        hasil = [
            {"tanggal": t, "nama": nama, "sumber": sumber, "dibatalkan": t in self.hari_kerja_tambahan}
            for t, nama, sumber in _libur_nasional(tahun)
        ]
        hasil += [
            {"tanggal": t, "nama": nama, "sumber": "daerah", "dibatalkan": False}
            for t, nama in self.libur_tambahan.items()
            if t.year == tahun
        ]
        return sorted(hasil, key=lambda item: item["tanggal"])

    def _jam_buka(self, tanggal: date) -> tuple[time, time] | None:
        return self._jadwal[tanggal.weekday()] if self.adalah_hari_kerja(tanggal) else None

    def _buka_utc(self, tanggal: date) -> tuple[datetime, datetime] | None:
        """The UTC opening and closing instants of a local date, None when the office is shut (cached)."""
        try:
            return self._buka_per_tanggal[tanggal]
        except KeyError:
            jam = self._jam_buka(tanggal)
            hasil = (self._utc(tanggal, jam[0]), self._utc(tanggal, jam[1])) if jam else None
            self._buka_per_tanggal[tanggal] = hasil
            return hasil

    def _hari_kerja_berikut(self, tanggal: date, batas: date) -> date:
        tanggal += timedelta(days=1)
        while self._buka_utc(tanggal) is None:
            if tanggal > batas:
                raise _terlalu_jauh("pencarian hari kerja berikutnya")
            tanggal += timedelta(days=1)
        return tanggal

    def _utc(self, tanggal: date, jam: time) -> datetime:
        return datetime.combine(tanggal, jam, tzinfo=self._tz).astimezone(UTC)

    def _lokal(self, saat: datetime) -> datetime:
        return saat.astimezone(self._tz)

    # -- working time ------------------------------------------------------

    def _waktu_kerja_antara(self, a: datetime, b: datetime) -> timedelta:
        """Office time between two UTC instants, a <= b."""
        terakhir = self._rentang_terakhir
        if terakhir[0] == a and terakhir[1] == b:
            return terakhir[2]
        hari_a, hari_b = self._lokal(a).date(), self._lokal(b).date()
        if (hari_b - hari_a).days > BATAS_HARI:
            raise _terlalu_jauh("rentang waktu")
        total = timedelta(0)
        tanggal = hari_a
        while tanggal <= hari_b:
            buka = self._buka_utc(tanggal)
            if buka:
                awal = max(a, buka[0])
                akhir = min(b, buka[1])
                if akhir > awal:
                    total += akhir - awal
            tanggal += timedelta(days=1)
        object.__setattr__(self, "_rentang_terakhir", (a, b, total))
        return total

    def _tambah_waktu_kerja(self, mulai: datetime, lama: timedelta) -> datetime:
        """The UTC instant `lama` of office time after `mulai` (UTC)."""
        if lama <= timedelta(0):
            return mulai
        tanggal = self._lokal(mulai).date()
        batas = tanggal + timedelta(days=BATAS_HARI)
        kursor = mulai
        while tanggal <= batas:
            buka = self._buka_utc(tanggal)
            if buka:
                awal = max(kursor, buka[0])
                tutup = buka[1]
                if awal < tutup:
                    if lama <= tutup - awal:
                        return awal + lama
                    lama -= tutup - awal
            tanggal += timedelta(days=1)
        raise _terlalu_jauh("jatuh tempo")

    def menit_kerja_antara(self, a: datetime, b: datetime) -> int:
        """Whole working minutes from a to b; negative when b is before a."""
        a, b = _aware(a, "a"), _aware(b, "b")
        if b < a:
            return -self.menit_kerja_antara(b, a)
        return int(self._waktu_kerja_antara(a, b).total_seconds() // 60)

    def tambah_menit_kerja(self, mulai: datetime, menit: int) -> datetime:
        """The instant `menit` working minutes after `mulai`, in UTC.

        A start outside office hours counts from the next opening; a deadline
        that uses up a day exactly ends at that day's closing time.
        """
        if isinstance(menit, bool) or not isinstance(menit, int) or menit < 0:
            raise ValueError(f"jumlah menit kerja harus bilangan bulat nol atau lebih, bukan {menit!r}")
        return self._tambah_waktu_kerja(_aware(mulai, "mulai"), timedelta(minutes=menit))

    def kurangi_menit_kerja(self, sampai: datetime, menit: int) -> datetime:
        """The latest instant from which `menit` working minutes run until `sampai`, in UTC.

        The inverse of ``tambah_menit_kerja`` looking back: for a positive
        `menit` the instant lies in office hours (an opening, at the earliest).
        """
        if isinstance(menit, bool) or not isinstance(menit, int) or menit < 0:
            raise ValueError(f"jumlah menit kerja harus bilangan bulat nol atau lebih, bukan {menit!r}")
        sampai = _aware(sampai, "sampai")
        lama = timedelta(minutes=menit)
        if not lama:
            return sampai
        tanggal = self._lokal(sampai).date()
        batas = tanggal - timedelta(days=BATAS_HARI)
        while tanggal >= batas:
            buka = self._buka_utc(tanggal)
            if buka:
                akhir = min(sampai, buka[1])
                if akhir > buka[0]:
                    if lama <= akhir - buka[0]:
                        return akhir - lama
                    lama -= akhir - buka[0]
            tanggal -= timedelta(days=1)
        raise _terlalu_jauh("mundur menit kerja")

    def _tambah_hari_kerja(self, mulai: datetime, jumlah: int) -> datetime:
        lokal = self._lokal(mulai)
        tanggal, jam = lokal.date(), lokal.time()
        batas = tanggal + timedelta(days=BATAS_HARI)
        buka_tutup = self._jam_buka(tanggal)
        # Closing time itself still belongs to the day: its work is done.
        if buka_tutup is None or jam > buka_tutup[1]:
            tanggal = self._hari_kerja_berikut(tanggal, batas)
            jam = self._jadwal[tanggal.weekday()][0]
        elif jam < buka_tutup[0]:
            jam = buka_tutup[0]
        for _ in range(jumlah):
            tanggal = self._hari_kerja_berikut(tanggal, batas)
        buka, tutup = self._jadwal[tanggal.weekday()]
        return self._utc(tanggal, min(max(jam, buka), tutup))

    def _tambah_kalender(self, mulai: datetime, durasi: Durasi) -> datetime:
        n, satuan = durasi.jumlah, durasi.satuan
        if satuan in ("bulan", "tahun"):
            bulan = n * (12 if satuan == "tahun" else 1)
            if bulan > 12 * 5:
                raise _terlalu_jauh(f"durasi {n} {satuan}")
            lokal = self._lokal(mulai).replace(tzinfo=None)
            indeks = lokal.month - 1 + bulan
            tahun, bulan_baru = lokal.year + indeks // 12, indeks % 12 + 1
            hari = min(lokal.day, calendar.monthrange(tahun, bulan_baru)[1])
            lokal = lokal.replace(year=tahun, month=bulan_baru, day=hari)
            return lokal.replace(tzinfo=self._tz).astimezone(UTC)
        jam = n * {"jam_kalender": 1, "hari": 24, "minggu": 24 * 7}[satuan]
        if jam > BATAS_HARI * 24:
            raise _terlalu_jauh(f"durasi {n} {satuan}")
        if satuan == "jam_kalender":
            # "3x24 jam" is elapsed time, whatever the wall clock does.
            return mulai + timedelta(hours=jam)
        lokal = self._lokal(mulai).replace(tzinfo=None) + timedelta(hours=jam)
        return lokal.replace(tzinfo=self._tz).astimezone(UTC)

    def tambah(self, mulai: datetime, durasi: Durasi) -> datetime:
        """The deadline of `durasi` started at `mulai`, in UTC.

        menit/jam: working minutes. hari_kerja: that many working days later at
        the same office time (a start outside office hours first moves to the
        next opening; a time past a shorter day's closing is clamped to it).
        jam_kalender/hari/minggu/bulan/tahun: calendar arithmetic in the
        tenant's zone, a month end clamped (31 Jan + 1 bulan = 28 Feb).
        """
        if not isinstance(durasi, Durasi):
            raise ValueError(f"durasi harus berupa Durasi, bukan {durasi!r}")
        mulai = _aware(mulai, "mulai")
        if durasi.satuan == "menit":
            return self._tambah_waktu_kerja(mulai, timedelta(minutes=durasi.jumlah))
        if durasi.satuan == "jam":
            return self._tambah_waktu_kerja(mulai, timedelta(hours=durasi.jumlah))
        if durasi.satuan == "hari_kerja":
            return self._tambah_hari_kerja(mulai, durasi.jumlah)
        return self._tambah_kalender(mulai, durasi)

    # -- warnings and pauses -------------------------------------------------

    def titik_peringatan(
        self, mulai: datetime, jatuh_tempo: datetime, fraksi: float = 0.75, *, waktu_kalender: bool = False
    ) -> datetime:
        """The warn point: `fraksi` of the working (or calendar) time to the deadline."""
        if isinstance(fraksi, bool) or not isinstance(fraksi, (int, float)) or not 0 < fraksi <= 1:
            raise ValueError(f"fraksi peringatan harus di antara 0 dan 1, bukan {fraksi!r}")
        mulai, jatuh_tempo = _aware(mulai, "mulai"), _aware(jatuh_tempo, "jatuh_tempo")
        if jatuh_tempo < mulai:
            raise ValueError("jatuh_tempo tidak boleh lebih awal dari mulai")
        if waktu_kalender:
            return mulai + (jatuh_tempo - mulai) * fraksi
        return self._tambah_waktu_kerja(mulai, self._waktu_kerja_antara(mulai, jatuh_tempo) * fraksi)

    def sisa_setelah_jeda(
        self, mulai_atau_lanjut: datetime, jatuh_tempo: datetime, dijeda_pada: datetime,
        *, waktu_kalender: bool = False,
    ) -> int:
        """Minutes left when a step is paused, to store until it resumes.

        Rounded up, so a pause never shortens the time a worker has; zero when
        paused at or after the deadline. A pause before the clock started keeps
        the whole span.
        """
        mulai = _aware(mulai_atau_lanjut, "mulai_atau_lanjut")
        jatuh_tempo = _aware(jatuh_tempo, "jatuh_tempo")
        dari = max(mulai, _aware(dijeda_pada, "dijeda_pada"))
        if jatuh_tempo <= dari:
            return 0
        if waktu_kalender:
            sisa = jatuh_tempo - dari
        else:
            sisa = self._waktu_kerja_antara(dari, jatuh_tempo)
        return math.ceil(sisa.total_seconds() / 60)

    def jatuh_tempo_setelah_lanjut(
        self, dilanjutkan_pada: datetime, sisa_menit: int, *, waktu_kalender: bool = False
    ) -> datetime:
        """The new deadline when a paused step resumes with `sisa_menit` left."""
        if waktu_kalender:
            if isinstance(sisa_menit, bool) or not isinstance(sisa_menit, int) or sisa_menit < 0:
                raise ValueError(f"sisa menit harus bilangan bulat nol atau lebih, bukan {sisa_menit!r}")
            return _aware(dilanjutkan_pada, "dilanjutkan_pada") + timedelta(minutes=sisa_menit)
        return self.tambah_menit_kerja(dilanjutkan_pada, sisa_menit)
