"""The dimensions a recap can count by, each as one SQL expression over a case and its client.

Every value is computed by the database from plain columns (no decryption),
so a recap is one ``GROUP BY`` whatever the number of cases. Values are
codes; ``label`` turns them into words and ``urut`` orders them.

- region: the client's Kemendagri code (``kode_wilayah``), else the region
  of its NIK (``kode_wilayah_nik``, see ``wilayah``); kecamatan is PP.KK.CC,
  desa/kelurahan PP.KK.CC.DDDD (only an address code has the village);
  labelled with the official names (``dinsos.wilayah``).
- age group, at the day the case was received in the office's zone: anak
  under 18 (UU 35/2014), lansia 60 and over (UU 13/1998), dewasa between;
  from the birth date, else the estimated age moved on from the day it was
  estimated. Ages are whole years by the YYYYMMDD subtraction, which both
  SQLite and PostgreSQL compute exactly.
- on time: the case's own time-limit clock (``tenggat`` of kind ``kasus``):
  ended by its due time, ended after it, running past it, running (or
  waiting) within it, or none (open-ended service, or stopped early).

Each dimension also says how to read it from the per-office, per-day summary
(``ringkas``, over ``RingkasanRekap``: same values, already computed by the
database's triggers); one without it is always counted from the cases.
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, cast, func, literal

from dinsos.cases.konstanta import KATEGORI_PPKS, STATUS_KASUS, UMUR_DEWASA
from dinsos.cases.models import Kasus, Klien
from dinsos.catalogue.models import Layanan
from dinsos.sla.models import Tenggat
from dinsos.tenancy.models import Tenant
from dinsos.wilayah import nama_wilayah

from .models import RingkasanRekap as R

# A report's words are Indonesian whatever the viewer's language (it is an official document, like the letters),
# and services run outside requests: plain text, not the interface's lazy translations.
JENIS_KELAMIN = {"L": "Laki-laki", "P": "Perempuan"}
LABEL_STATUS = {"berkas_belum_lengkap": "Berkas belum lengkap", "berjalan": "Berjalan", "dijeda": "Dijeda", "ditutup": "Ditutup"}
assert set(LABEL_STATUS) == set(STATUS_KASUS)
UMUR_LANSIA = 60  # UU 13/1998: lanjut usia is 60 years and over
TIDAK_DIKETAHUI = "~"

KELOMPOK_UMUR = {"anak": "Anak (< 18 tahun)", "dewasa": "Dewasa (18–59 tahun)", "lansia": "Lansia (≥ 60 tahun)"}
KETEPATAN = {
    "tepat": "Selesai tepat waktu",
    "terlambat": "Selesai terlambat",
    "lewat": "Berjalan, lewat batas waktu",
    "berjalan": "Berjalan dalam batas waktu",
    "tanpa_batas": "Tanpa batas waktu / dihentikan",
}


@dataclass(frozen=True)
class Konteks:
    """What an expression needs besides the tables: the dialect, the zone of local dates, now."""

    dialek: str
    zona: str
    pada: datetime


@dataclass(frozen=True)
class Dimensi:
    kode: str
    nama: str
    ekspresi: Callable[[Konteks], object]
    gabung: frozenset = frozenset()  # extra tables to join: "layanan", "tenggat", "tenant"
    domain: tuple = ()  # values always shown, even at zero (fixed vocabularies)
    label: Callable[[object], str] = field(default=lambda v: str(v))
    lintas_saja: bool = False  # only where several offices are counted
    ringkas: Callable[[Konteks], object] | None = None  # the same value over the summary (RingkasanRekap)


def _yyyymmdd(kolom, ktx: Konteks, zona: str | None = None):
    """A date or instant as the integer YYYYMMDD of its local day."""
    if ktx.dialek == "postgresql":
        nilai = func.timezone(zona, kolom) if zona else kolom
        return cast(func.to_char(nilai, "YYYYMMDD"), Integer)
    if zona:
        jam = int(datetime.now(ZoneInfo(zona)).utcoffset().total_seconds() // 3600)  # Indonesia keeps no DST
        return cast(func.strftime("%Y%m%d", kolom, f"{jam:+d} hours"), Integer)
    return cast(func.strftime("%Y%m%d", kolom), Integer)


def _umur(ktx: Konteks):
    hari = _yyyymmdd(Kasus.diterima_pada, ktx, ktx.zona)
    return case(
        (Klien.tanggal_lahir.is_not(None), (hari - _yyyymmdd(Klien.tanggal_lahir, ktx)) / 10000),
        (and_(Klien.umur_perkiraan.is_not(None), Klien.umur_perkiraan_pada.is_not(None)),
         Klien.umur_perkiraan + (hari - _yyyymmdd(Klien.umur_perkiraan_pada, ktx)) / 10000),
        (Klien.umur_perkiraan.is_not(None), Klien.umur_perkiraan),
        else_=None,
    )


def _kelompok_umur(ktx: Konteks):
    umur = _umur(ktx)
    return case((umur.is_(None), TIDAK_DIKETAHUI), (umur < UMUR_DEWASA, "anak"), (umur < UMUR_LANSIA, "dewasa"), else_="lansia")


def _wilayah(panjang: int):
    def ekspresi(_ktx):
        kode = func.coalesce(Klien.kode_wilayah, Klien.kode_wilayah_nik) if panjang <= 8 else Klien.kode_wilayah
        return case((func.length(kode) >= panjang, func.substr(kode, 1, panjang)), else_=TIDAK_DIKETAHUI)
    return ekspresi


def _ketepatan(ktx: Konteks):
    return case(
        (Tenggat.id.is_(None), "tanpa_batas"),
        (Tenggat.dihentikan.is_(True), "tanpa_batas"),
        (Tenggat.selesai_pada.is_not(None), case((Tenggat.selesai_pada <= Tenggat.due_at, "tepat"), else_="terlambat")),
        (and_(Tenggat.dijeda_pada.is_(None), Tenggat.due_at < ktx.pada), "lewat"),
        else_="berjalan",
    )


def _wilayah_ringkas(panjang: int):
    # The summary keeps coalesce(address code, NIK code): the NIK's is PP.KK.CC (8), so a village is the address's.
    return lambda _ktx: case((func.length(R.wilayah) >= panjang, func.substr(R.wilayah, 1, panjang)), else_=TIDAK_DIKETAHUI)


def _ketepatan_ringkas(ktx: Konteks):
    # Running and not paused: past due or not depends on when the recap is read, so the row keeps the due time.
    return case((R.ketepatan == "jalan", case((R.batas < ktx.pada, "lewat"), else_="berjalan")), else_=R.ketepatan)


def _hasil(_ktx):
    return case((Kasus.status == "ditutup", func.coalesce(Kasus.hasil_akhir, "ditutup")), else_=literal("~").concat(Kasus.status))


def _label_hasil(v) -> str:
    if v.startswith("~"):
        return f"Belum selesai: {LABEL_STATUS.get(v[1:], v[1:])}"
    return "Ditutup" if v == "ditutup" else v.replace("_", " ").replace("-", " ").capitalize()


def _label_wilayah(v) -> str:
    """A region code as its official name with its parents up to the kabupaten/kota; a code not in the data stays a code."""
    return nama_wilayah(v) or str(v)


def _label_ppks(v) -> str:
    return f"{v}. {KATEGORI_PPKS[v]}" if v in KATEGORI_PPKS else "Tidak diisi"


DIMENSI: dict[str, Dimensi] = {d.kode: d for d in (
    Dimensi("kategori", "Kategori PPKS", lambda k: func.coalesce(Klien.kategori_ppks, 0), domain=tuple(KATEGORI_PPKS),
            label=_label_ppks, ringkas=lambda k: R.kategori),
    Dimensi("layanan", "Layanan", lambda k: Layanan.nama, gabung=frozenset({"layanan"}), ringkas=lambda k: Layanan.nama),
    Dimensi("kabupaten", "Kabupaten/kota asal", _wilayah(5), label=_label_wilayah, ringkas=_wilayah_ringkas(5)),
    Dimensi("kecamatan", "Kecamatan asal", _wilayah(8), label=_label_wilayah, ringkas=_wilayah_ringkas(8)),
    Dimensi("desa", "Desa/kelurahan asal", _wilayah(13), label=_label_wilayah, ringkas=_wilayah_ringkas(13)),
    Dimensi("jenis_kelamin", "Jenis kelamin", lambda k: func.coalesce(Klien.jenis_kelamin, TIDAK_DIKETAHUI),
            domain=tuple(JENIS_KELAMIN), label=lambda v: str(JENIS_KELAMIN.get(v, v)), ringkas=lambda k: R.jenis_kelamin),
    Dimensi("kelompok_umur", "Kelompok umur", _kelompok_umur, domain=tuple(KELOMPOK_UMUR), label=lambda v: KELOMPOK_UMUR.get(v, v),
            ringkas=lambda k: R.kelompok_umur),
    Dimensi("hasil", "Hasil akhir", _hasil, label=_label_hasil, ringkas=lambda k: R.hasil),
    Dimensi("ketepatan", "Ketepatan waktu", _ketepatan, gabung=frozenset({"tenggat"}), domain=tuple(KETEPATAN),
            label=lambda v: KETEPATAN.get(v, v), ringkas=_ketepatan_ringkas),
    Dimensi("kantor", "Kantor", lambda k: Kasus.tenant_id, lintas_saja=True, ringkas=lambda k: R.tenant_id),
    Dimensi("provinsi", "Provinsi", lambda k: func.coalesce(Tenant.provinsi_induk_id, Tenant.id), gabung=frozenset({"tenant"}),
            lintas_saja=True, ringkas=lambda k: func.coalesce(Tenant.provinsi_induk_id, Tenant.id)),
)}


def label_nilai(dimensi: Dimensi, nilai, nama_kantor: dict | None = None) -> str:
    """A value in words; unknown values read "Tidak diketahui"."""
    if nilai == TIDAK_DIKETAHUI or nilai is None:
        return "Tidak diketahui"
    if dimensi.kode in ("kantor", "provinsi"):
        return (nama_kantor or {}).get(nilai, str(nilai))
    return str(dimensi.label(nilai))


def urutan(dimensi: Dimensi, nilai, nama_kantor: dict | None = None):
    """Sort key: a fixed vocabulary in its own order, the rest by words; unknown last."""
    if nilai == TIDAK_DIKETAHUI or nilai is None or nilai == 0:
        return (2, "")
    if dimensi.domain and nilai in dimensi.domain:
        return (0, f"{dimensi.domain.index(nilai):04d}")
    return (1, label_nilai(dimensi, nilai, nama_kantor).lower())
