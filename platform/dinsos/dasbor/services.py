"""What the deadline dashboard reads, as set-based queries over the bound office's clocks.

Every figure is one aggregate (``GROUP BY``) or one bounded list query over
``tenggat``: never a loop over cases. The on-time rate counts clocks that
ended done (not stopped, not periodic reviews) in the chosen month; one is on
time when it ended by its ``due_at``. The median actual time of a step is
taken with window functions (the middle row or the mean of the two middle
rows per group), which SQLite and PostgreSQL both run.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select

from dinsos.auth.models import Pengguna
from dinsos.cases.models import Kasus
from dinsos.cases.tenggat import JENIS_KASUS, LANGKAH
from dinsos.catalogue.models import Layanan
from dinsos.catalogue.services import versi_terbaru
from dinsos.core.db import db
from dinsos.core.tenant import tenant_aktif
from dinsos.sla.models import Tenggat
from dinsos.sla.services import status_tenggat, syarat_berisiko, syarat_terlambat
from dinsos.tenancy.models import Tenant

BATAS_DAFTAR = 200
_POLA_BULAN = re.compile(r"^(\d{4})-(\d{2})$")


class BulanTidakValid(ValueError):
    """A month that cannot be read; the message says how to write it."""


@dataclass(frozen=True)
class Bulan:
    """A calendar month in the office's zone, with its bounds as UTC instants."""

    tahun: int
    bulan: int
    awal: datetime
    akhir: datetime

    @property
    def teks(self) -> str:
        return f"{self.tahun:04d}-{self.bulan:02d}"

    def geser(self, n: int) -> str:
        indeks = self.tahun * 12 + self.bulan - 1 + n
        return f"{indeks // 12:04d}-{indeks % 12 + 1:02d}"


def _zona() -> ZoneInfo:
    return ZoneInfo(db.session.get(Tenant, tenant_aktif()).zona_waktu)


def baca_bulan(teks: str | None, pada: datetime) -> Bulan:
    """``YYYY-MM`` (default: the current month in the office's zone) as UTC bounds."""
    zona = _zona()
    if not teks:
        lokal = pada.astimezone(zona)
        tahun, bulan = lokal.year, lokal.month
    else:
        cocok = _POLA_BULAN.match(teks.strip())
        if not cocok or not 1 <= int(cocok[2]) <= 12 or not 2000 <= int(cocok[1]) <= 2100:
            raise BulanTidakValid(f"Bulan '{teks[:20]}' tidak valid: tulis TTTT-BB, misalnya 2026-05.")
        tahun, bulan = int(cocok[1]), int(cocok[2])
    awal = datetime.combine(date(tahun, bulan, 1), time(0), tzinfo=zona)
    akhir = datetime.combine(date(tahun + bulan // 12, bulan % 12 + 1, 1), time(0), tzinfo=zona)
    return Bulan(tahun, bulan, awal.astimezone(timezone.utc), akhir.astimezone(timezone.utc))


def _hari_ini(pada: datetime) -> tuple[datetime, datetime]:
    zona = _zona()
    hari = pada.astimezone(zona).date()
    awal = datetime.combine(hari, time(0), tzinfo=zona)
    return awal.astimezone(timezone.utc), (awal + timedelta(days=1)).astimezone(timezone.utc)


def _berjalan():
    return and_(Tenggat.tenant_id == tenant_aktif(), Tenggat.selesai_pada.is_(None), Tenggat.dijeda_pada.is_(None))


def _syarat_hari_ini(pada: datetime):
    _awal, akhir = _hari_ini(pada)
    return and_(_berjalan(), Tenggat.due_at > pada, Tenggat.due_at < akhir)


# --- counts and lists -------------------------------------------------------------------------


def ringkasan(pada: datetime, penanggung_jawab_id=None) -> dict:
    """Running clocks due later today, overdue and at risk, in one query; optionally one person's only."""
    syarat = [_berjalan()]
    if penanggung_jawab_id is not None:
        syarat.append(Tenggat.penanggung_jawab_id == penanggung_jawab_id)
    baris = db.session.execute(select(
        func.coalesce(func.sum(case((_syarat_hari_ini(pada), 1), else_=0)), 0),
        func.coalesce(func.sum(case((syarat_terlambat(pada), 1), else_=0)), 0),
        func.coalesce(func.sum(case((syarat_berisiko(pada), 1), else_=0)), 0),
    ).select_from(Tenggat).where(*syarat)).one()
    return {"hari_ini": int(baris[0]), "terlambat": int(baris[1]), "berisiko": int(baris[2])}


def ringkasan_saya_dan_kantor(pada: datetime, penanggung_jawab_id, kantor: bool) -> tuple[dict, dict | None]:
    """``ringkasan`` for one person and (``kantor``) for the whole office, both in one query: the dashboard's panel."""
    milik = Tenggat.penanggung_jawab_id == penanggung_jawab_id
    syarat = (_syarat_hari_ini(pada), syarat_terlambat(pada), syarat_berisiko(pada))
    kolom = [func.coalesce(func.sum(case((and_(milik, s), 1), else_=0)), 0) for s in syarat]
    if kantor:
        kolom += [func.coalesce(func.sum(case((s, 1), else_=0)), 0) for s in syarat]
    q = select(*kolom).select_from(Tenggat).where(_berjalan())
    baris = [int(n) for n in db.session.execute(q if kantor else q.where(milik)).one()]
    jadi = [dict(zip(("hari_ini", "terlambat", "berisiko"), baris[i:i + 3], strict=True)) for i in range(0, len(baris), 3)]
    return jadi[0], (jadi[1] if kantor else None)


DAFTAR = {
    "hari_ini": _syarat_hari_ini,
    "terlambat": syarat_terlambat,
    "berisiko": syarat_berisiko,
}


def daftar(jenis: str, pada: datetime, batas: int = BATAS_DAFTAR) -> list[Tenggat]:
    """One list of running clocks (``hari_ini``, ``terlambat``, ``berisiko``), soonest due first."""
    return db.session.scalars(
        select(Tenggat).where(_berjalan(), DAFTAR[jenis](pada)).order_by(Tenggat.due_at, Tenggat.id).limit(batas)
    ).all()


def baris_tenggat(daftar_: list[Tenggat], pada: datetime) -> list[dict]:
    """Clocks as list rows: who is responsible, the status now, and for case clocks the case to reassign."""
    nama = _nama_staf({t.penanggung_jawab_id for t in daftar_})
    return [{
        "t": t, "status": status_tenggat(t, pada), "penanggung_jawab": nama.get(t.penanggung_jawab_id),
        "kasus_id": t.induk_id if t.objek_jenis in JENIS_KASUS else None,
    } for t in daftar_]


def _nama_staf(ids) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(Pengguna.id, Pengguna.nama).where(Pengguna.id.in_(ids))).all())


def beban_kerja(pada: datetime) -> list[dict]:
    """Per assignee: open cases, running steps, overdue and at-risk clocks. Two GROUP BY queries."""
    kasus = dict(db.session.execute(
        select(Kasus.penanggung_jawab_id, func.count()).where(Kasus.status != "ditutup").group_by(Kasus.penanggung_jawab_id)
    ).all())
    jam = {r[0]: r[1:] for r in db.session.execute(
        select(
            Tenggat.penanggung_jawab_id,
            func.sum(case((Tenggat.objek_jenis == LANGKAH, 1), else_=0)),
            func.sum(case((syarat_terlambat(pada), 1), else_=0)),
            func.sum(case((syarat_berisiko(pada), 1), else_=0)),
        ).where(_berjalan(), Tenggat.objek_jenis.in_(JENIS_KASUS)).group_by(Tenggat.penanggung_jawab_id)
    ).all()}
    nama = _nama_staf(set(kasus) | set(jam))
    hasil = []
    for pj in set(kasus) | set(jam):
        langkah, terlambat, berisiko = (int(x or 0) for x in jam.get(pj, (0, 0, 0)))
        hasil.append({"id": pj, "nama": nama.get(pj), "kasus": int(kasus.get(pj, 0)), "langkah": langkah,
                      "terlambat": terlambat, "berisiko": berisiko})
    # The most overdue first; the unassigned row last among equals.
    return sorted(hasil, key=lambda b: (-b["terlambat"], -b["berisiko"], -b["kasus"], b["id"] is None, b["nama"] or ""))


# --- the month's performance ------------------------------------------------------------------


def _selesai_di(bulan: Bulan, *syarat):
    return and_(
        Tenggat.tenant_id == tenant_aktif(), Tenggat.selesai_pada >= bulan.awal, Tenggat.selesai_pada < bulan.akhir,
        Tenggat.dihentikan.is_(False), Tenggat.berulang.is_(False), *syarat,
    )


def _tepat():
    return func.sum(case((Tenggat.selesai_pada <= Tenggat.due_at, 1), else_=0))


def ketepatan_layanan(bulan: Bulan) -> list[dict]:
    """Per service: deadlines of its cases (steps, the time limit, the law's) ended in the month, and how many on time."""
    baris = db.session.execute(
        select(Tenggat.layanan_id, func.count(), _tepat())
        .where(_selesai_di(bulan, Tenggat.objek_jenis.in_(JENIS_KASUS)))
        .group_by(Tenggat.layanan_id)
    ).all()
    nama = _nama_layanan()
    return sorted(
        ({"layanan_id": l, "layanan": nama.get(l, ("", "—"))[1], "jumlah": n, "tepat": int(t or 0), "persen": _persen(t, n)}
         for l, n, t in baris),
        key=lambda b: b["layanan"],
    )


def ketepatan_langkah(bulan: Bulan) -> list[dict]:
    """Per service and SOP step: step runs done in the month, on time, median actual and standard minutes."""
    kelompok = (Tenggat.layanan_id, Tenggat.langkah_kode)
    syarat = _selesai_di(bulan, Tenggat.objek_jenis == LANGKAH)
    baris = db.session.execute(
        select(*kelompok, func.count(), _tepat(), func.max(Tenggat.durasi)).where(syarat).group_by(*kelompok)
    ).all()
    aktual = _median(Tenggat.menit_aktual, kelompok, syarat)
    standar = _median(Tenggat.menit_standar, kelompok, syarat)
    nama, kegiatan = _nama_layanan(), _kegiatan_langkah({l for l, *_ in baris})
    hasil = [{
        "layanan_id": l, "layanan": nama.get(l, ("", "—"))[1], "kode": k, "kegiatan": kegiatan.get((l, k), (999, k))[1],
        "urutan": kegiatan.get((l, k), (999, k))[0], "durasi": d, "jumlah": n, "tepat": int(t or 0), "persen": _persen(t, n),
        "median_aktual": aktual.get((l, k)), "median_standar": standar.get((l, k)),
    } for l, k, n, t, d in baris]
    return sorted(hasil, key=lambda b: (b["layanan"], b["urutan"], b["kode"] or ""))


def _median(kolom, kelompok: tuple, syarat) -> dict:
    """Median of ``kolom`` per group, in SQL: rank rows within each group, keep the middle one or two, average them."""
    urut = select(
        *kelompok, kolom.label("nilai"),
        func.row_number().over(partition_by=kelompok, order_by=kolom).label("ke"),
        func.count().over(partition_by=kelompok).label("n"),
    ).where(syarat, kolom.is_not(None)).subquery()
    tengah = (urut.c.ke == (urut.c.n + 1) // 2) | (urut.c.ke == (urut.c.n + 2) // 2)
    kunci = [urut.c[c.key] for c in kelompok]
    return {tuple(r[:-1]): float(r[-1]) for r in db.session.execute(
        select(*kunci, func.avg(urut.c.nilai)).where(tengah).group_by(*kunci)
    ).all()}


def _persen(tepat, jumlah) -> float | None:
    return round(100 * int(tepat or 0) / jumlah, 1) if jumlah else None


def _nama_layanan() -> dict:
    return {l.id: (l.kode, l.nama) for l in db.session.scalars(select(Layanan))}


def _kegiatan_langkah(layanan_ids: set) -> dict:
    """(service id, step code) -> (position, activity) from each service's current standard (a few services, not cases)."""
    hasil = {}
    for l in db.session.scalars(select(Layanan).where(Layanan.id.in_([i for i in layanan_ids if i]))):
        versi = versi_terbaru(l)
        for i, langkah in enumerate(versi.isi["sop"]["langkah"] if versi else []):
            hasil[(l.id, langkah["kode"])] = (i, langkah["kegiatan"])
    return hasil
