"""What every kind of demo data is given: the office, its services, the reference time, earlier rows.

A kind of data is one function ``buat(konteks) -> {table name: [row dict]}``
(see ``buat.JENIS_DATA``). It reads the office and the rows the kinds before
it made for the same office (``konteks.baris``), draws from its own random
source and returns plain rows; it never touches the database.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dinsos.core.kalender import HARI, JAM_KERJA_BAKU


@dataclass(frozen=True)
class LayananDemo:
    id: object
    kode: str
    nama: str
    versi_id: object
    versi: int
    isi: dict


@dataclass(frozen=True)
class KantorDemo:
    id: int
    slug: str
    nama: str
    tingkat: str
    kode_wilayah: str
    zona_waktu: str
    jam_kerja: dict
    hari_libur_daerah: list
    hari_kerja_tambahan: list
    format_nomor: dict
    kepala_dinas: dict | None
    layanan: tuple[LayananDemo, ...]


@dataclass
class Konteks:
    benih: int
    pada: datetime  # the reference instant (UTC): everything generated lies before it
    kantor: KantorDemo
    jumlah_kasus: int
    semua_kantor: tuple[KantorDemo, ...]
    hash_kata_sandi: str
    baris: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def zona(self) -> ZoneInfo:
        return ZoneInfo(self.kantor.zona_waktu)


class JamKantor:
    """Moves an instant into the office's opening hours (weekdays by its settings; holidays ignored)."""

    def __init__(self, jam_kerja: dict | None, zona: ZoneInfo):
        self.zona = zona
        self._hari = []
        for nama in HARI:
            teks = (jam_kerja or JAM_KERJA_BAKU).get(nama)
            if teks:
                buka, tutup = (int(j) * 60 + int(m) for j, m in (b.split(":") for b in teks.split("-")))
                self._hari.append((buka, tutup))
            else:
                self._hari.append(None)

    def geser(self, t: datetime) -> datetime:
        """``t`` if the office is open then, else a little after the next opening."""
        lokal = t.astimezone(self.zona)
        menit = lokal.hour * 60 + lokal.minute
        jam = self._hari[lokal.weekday()]
        if jam and jam[0] <= menit < jam[1]:
            return t
        hari = lokal.replace(hour=0, minute=0, second=0, microsecond=0)
        if not (jam and menit < jam[0]):
            hari += timedelta(days=1)
        for _ in range(8):
            jam = self._hari[hari.weekday()]
            if jam:
                # A few minutes past opening, varied by the original minute, so not every case starts at 07:30.
                return (hari + timedelta(minutes=jam[0] + (lokal.minute % 6) * 10)).astimezone(t.tzinfo)
            hari += timedelta(days=1)
        return t
