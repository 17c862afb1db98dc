"""Recaps: counts of cases received in a period, by one or two dimensions, with totals.

One aggregate statement per recap (two when offices differ in zone). On PostgreSQL it sums the per-office,
per-day summary (``ringkasan_rekap``, migration 0021_ringkasan_rekap.py),
which triggers keep current in every transaction that writes a case, its
client or its clock, so it is as current as the cases themselves. Offices
whose zone is not the period's, dimensions the summary lacks, and embedded
SQLite are counted from the cases: those of the period (the
``(tenant_id, diterima_pada)`` index) joined to their clients (primary key),
each case given its row and column value in a subquery, counted per pair.
Both ways give the same counts (``tests/laporan/test_ringkasan.py``).

``rekap_kantor`` counts the bound office's cases (tenant scoping and RLS
apply as everywhere). ``rekap_lintas`` counts several offices' cases (a
province's kabupaten/kota, the whole platform); it must be called inside
``lintas_tenant``, returns counts only and hides small cells (``sensor``).
A table is plain data: the same dict feeds the page, the chart and the Excel.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select

from dinsos.cases.models import Kasus, Klien
from dinsos.catalogue.models import Layanan
from dinsos.core.db import db
from dinsos.core.tenant import alasan_lintas, tenant_aktif
from dinsos.sla.models import Tenggat
from dinsos.tenancy.models import Tenant

from . import sensor
from .dimensi import DIMENSI, Dimensi, Konteks, label_nilai, urutan
from .models import RingkasanRekap as R
from .periode import Periode

TANPA_KOLOM = "jumlah"
TANDA_SEMBUNYI = "*"


class RekapTidakValid(ValueError):
    """A recap asked with an unknown dimension; the message says which (Indonesian)."""

    def __init__(self, pesan: str, kolom: str):
        super().__init__(pesan)
        self.kolom = kolom


@dataclass
class Tabel:
    """A recap: rows and columns (codes, in order), their words, every cell and total, and what is hidden."""

    judul_baris: str
    judul_kolom: str | None
    baris: list
    kolom: list
    label_baris: dict
    label_kolom: dict
    sel: dict  # (row, column) -> count; sensor.TOTAL stands for a total
    tersembunyi: set
    periode: Periode

    @property
    def total(self) -> int:
        return self.sel[(sensor.TOTAL, sensor.TOTAL if len(self.kolom) > 1 else self.kolom[0])]

    def nilai(self, b, k):
        """What a cell shows: its count, or the hiding mark."""
        return TANDA_SEMBUNYI if (b, k) in self.tersembunyi else self.sel.get((b, k), 0)

    def kisi(self) -> list[list]:
        """The table as printed, header first and the totals row last: what the page and the Excel both show."""
        dua = len(self.kolom) > 1
        kepala = [self.judul_baris] + ([self.label_kolom[k] for k in self.kolom] + ["Jumlah"] if dua else ["Jumlah"])
        hasil = [kepala]
        for b in self.baris + [sensor.TOTAL]:
            nama = "Jumlah" if b == sensor.TOTAL else self.label_baris[b]
            isi = [self.nilai(b, k) for k in self.kolom] + ([self.nilai(b, sensor.TOTAL)] if dua else [])
            hasil.append([nama] + isi)
        return hasil


def dimensi(kode: str | None, kolom: str, *, lintas: bool, boleh_kosong: bool = False) -> Dimensi | None:
    """The dimension named ``kode`` or a clear refusal."""
    if not kode and boleh_kosong:
        return None
    d = DIMENSI.get(kode or "")
    pilihan = [k for k, v in DIMENSI.items() if lintas or not v.lintas_saja]
    if d is None or (d.lintas_saja and not lintas):
        raise RekapTidakValid(f"Dimensi '{kode or ''}' tidak dikenal. Pilihan: {', '.join(pilihan)}.", kolom)
    return d


def _kelompokkan(q, ada_kolom: bool, jumlah=None) -> dict:
    """Count the subquery's (b[, k]) pairs: rows, or the sum of its ``n`` column."""
    kelompok = [q.c.b] + ([q.c.k] if ada_kolom else [])
    baris = db.session.execute(select(*kelompok, func.count() if jumlah is None else func.sum(q.c.n)).group_by(*kelompok)).all()
    if not ada_kolom:
        return {(r[0], TANPA_KOLOM): int(r[1]) for r in baris}
    return {(r[0], r[1]): int(r[2]) for r in baris}


def _gabung(d_baris: Dimensi, d_kolom: Dimensi | None) -> frozenset:
    return d_baris.gabung | (d_kolom.gabung if d_kolom else frozenset())


def _lingkup(kolom, tenant_ids: list[int]):
    return kolom == tenant_ids[0] if len(tenant_ids) == 1 else kolom.in_(tenant_ids)


def hitung_kasus(tenant_ids: list[int], periode: Periode, d_baris: Dimensi, d_kolom: Dimensi | None, pada: datetime) -> dict:
    """Counts from the cases themselves: each case joined to its client (and service, clock, office) and grouped."""
    ktx = Konteks(db.session.get_bind().dialect.name, periode.zona, pada)
    gabung = _gabung(d_baris, d_kolom)
    kolom_k = d_kolom.ekspresi(ktx).label("k") if d_kolom else None
    q = select(d_baris.ekspresi(ktx).label("b"), *([kolom_k] if kolom_k is not None else [])).select_from(Kasus).join(
        Klien, and_(Klien.tenant_id == Kasus.tenant_id, Klien.id == Kasus.klien_id))
    if "layanan" in gabung:
        q = q.join(Layanan, and_(Layanan.tenant_id == Kasus.tenant_id, Layanan.id == Kasus.layanan_id))
    if "tenggat" in gabung:
        q = q.outerjoin(Tenggat, and_(Tenggat.tenant_id == Kasus.tenant_id, Tenggat.induk_id == Kasus.id,
                                      Tenggat.objek_jenis == "kasus"))
    if "tenant" in gabung:
        q = q.join(Tenant, Tenant.id == Kasus.tenant_id)
    q = q.where(_lingkup(Kasus.tenant_id, tenant_ids), Kasus.diterima_pada >= periode.awal,
                Kasus.diterima_pada < periode.akhir).subquery()
    return _kelompokkan(q, kolom_k is not None)


def hitung_ringkasan(tenant_ids: list[int], periode: Periode, d_baris: Dimensi, d_kolom: Dimensi | None,
                     pada: datetime) -> dict:
    """The same counts from the per-office, per-day summary (PostgreSQL; offices whose zone is the period's)."""
    ktx = Konteks(db.session.get_bind().dialect.name, periode.zona, pada)
    gabung = _gabung(d_baris, d_kolom)
    kolom_k = d_kolom.ringkas(ktx).label("k") if d_kolom else None
    q = select(d_baris.ringkas(ktx).label("b"), *([kolom_k] if kolom_k is not None else []), R.jumlah.label("n"))
    if "layanan" in gabung:
        q = q.join(Layanan, and_(Layanan.tenant_id == R.tenant_id, Layanan.id == R.layanan_id))
    if "tenant" in gabung:
        q = q.join(Tenant, Tenant.id == R.tenant_id)
    q = q.where(_lingkup(R.tenant_id, tenant_ids), R.hari >= periode.dari, R.hari <= periode.sampai).subquery()
    return _kelompokkan(q, kolom_k is not None, jumlah=q.c.n)


def _hitung(tenant_ids: list[int], periode: Periode, d_baris: Dimensi, d_kolom: Dimensi | None, pada: datetime) -> dict:
    """From the summary where it holds the answer, from the cases otherwise; the two add up."""
    bisa = db.session.get_bind().dialect.name == "postgresql" and d_baris.ringkas is not None and (
        d_kolom is None or d_kolom.ringkas is not None)
    # The summary's days are each office's own; an office in another zone than the period's is counted from its cases.
    zona = dict(db.session.execute(select(Tenant.id, Tenant.zona_waktu).where(Tenant.id.in_(tenant_ids))).all()) if bisa else {}
    ringkas = [t for t in tenant_ids if zona.get(t) == periode.zona]
    kasus = [t for t in tenant_ids if zona.get(t) != periode.zona]
    hasil = hitung_ringkasan(ringkas, periode, d_baris, d_kolom, pada) if ringkas else {}
    for kunci, n in (hitung_kasus(kasus, periode, d_baris, d_kolom, pada) if kasus else {}).items():
        hasil[kunci] = hasil.get(kunci, 0) + n
    return hasil


def _susun(hitungan: dict, periode: Periode, d_baris: Dimensi, d_kolom: Dimensi | None, nama_kantor: dict,
           kunci_kantor: list | None) -> Tabel:
    def kunci(d, ada):
        semua = set(ada) | set(d.domain)
        if d.kode in ("kantor", "provinsi") and kunci_kantor is not None:
            semua |= set(kunci_kantor)
        return sorted(semua, key=lambda v: urutan(d, v, nama_kantor))

    baris = kunci(d_baris, {b for b, _k in hitungan})
    kolom = kunci(d_kolom, {k for _b, k in hitungan}) if d_kolom else [TANPA_KOLOM]
    sel = {(b, k): hitungan.get((b, k), 0) for b in baris for k in kolom}
    for b in baris:
        sel[(b, sensor.TOTAL)] = sum(sel[(b, k)] for k in kolom)
    for k in kolom + [sensor.TOTAL]:
        sel[(sensor.TOTAL, k)] = sum(sel[(b, k)] for b in baris)
    if len(kolom) == 1:  # one column: its total is the grand total
        sel.pop((sensor.TOTAL, sensor.TOTAL))
        for b in baris:
            sel.pop((b, sensor.TOTAL))
    return Tabel(
        judul_baris=d_baris.nama, judul_kolom=d_kolom.nama if d_kolom else None, baris=baris, kolom=kolom,
        label_baris={b: label_nilai(d_baris, b, nama_kantor) for b in baris},
        label_kolom={k: (label_nilai(d_kolom, k, nama_kantor) if d_kolom else "Jumlah") for k in kolom},
        sel=sel, tersembunyi=set(), periode=periode,
    )


def rekap_kantor(periode: Periode, baris: str, kolom: str | None, pada: datetime) -> Tabel:
    """The bound office's recap: every count shown (its own staff may see its own numbers)."""
    d_b = dimensi(baris, "baris", lintas=False)
    d_k = dimensi(kolom, "kolom", lintas=False, boleh_kosong=True)
    if d_k is not None and d_k.kode == d_b.kode:
        raise RekapTidakValid("Dimensi baris dan kolom harus berbeda.", "kolom")
    tid = tenant_aktif()
    if tid is None:
        raise RuntimeError("rekap_kantor needs a bound office")
    return _susun(_hitung([tid], periode, d_b, d_k, pada), periode, d_b, d_k, {}, None)


def rekap_lintas(tenant_ids: list[int], periode: Periode, baris: str, kolom: str | None, pada: datetime,
                 nama_kantor: dict) -> Tabel:
    """Counts over several offices, small cells hidden. Only inside ``lintas_tenant`` (checked)."""
    if alasan_lintas() is None:
        raise RuntimeError("rekap_lintas reads several offices: call it inside lintas_tenant(...)")
    d_b = dimensi(baris, "baris", lintas=True)
    d_k = dimensi(kolom, "kolom", lintas=True, boleh_kosong=True)
    if d_k is not None and d_k.kode == d_b.kode:
        raise RekapTidakValid("Dimensi baris dan kolom harus berbeda.", "kolom")
    # Side by side per office: every office of the scope has its column, a quiet one too.
    kunci_kantor = list(tenant_ids) if "kantor" in (d_b.kode, d_k.kode if d_k else None) else None
    hitungan = _hitung(tenant_ids, periode, d_b, d_k, pada) if tenant_ids else {}
    tabel = _susun(hitungan, periode, d_b, d_k, nama_kantor, kunci_kantor)
    tabel.tersembunyi = sensor.sembunyikan(tabel.sel, tabel.baris, tabel.kolom)
    return tabel
