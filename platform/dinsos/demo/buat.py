"""``dinsos demo generate``: a realistic deployment's worth of data, deterministic from a seed.

The offices that hold the cases are the seed offices with services
(Magetan, Metro, Banten), then synthetic kabupaten/kota cloned from them
(``kantor.py``). For each office the kinds of data in ``JENIS_DATA`` run in
order, each one function of ``Konteks`` returning plain rows, and the rows
are written in bulk (``penulis.py``) and committed office by office. A new
kind is one more function added to ``JENIS_DATA``; it sees the rows of the
kinds before it and every office (``konteks.semua_kantor``). Referrals span
two offices, so they are made last, in one pass over the written cases of
every office (``rujukan.py``), after all offices are done.

Same seed, same office and case counts and same reference time give the same
rows; ``Ringkasan.sidik`` is a SHA-256 over them (database ids and the
password hash left out) to check that. Memory follows the cases of one
office: they are numbered together before being written.
"""
import gc
import multiprocessing
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from dinsos.auth.services import hash_kata_sandi
from dinsos.cases.models import Kasus
from dinsos.catalogue.models import Layanan, VersiLayanan
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos.tenancy.models import Tenant
from dinsos.tenancy.muat import baca_sumber, muat_akar, periksa, tulis

from . import kasus, pengaduan, rujukan, staf, survei, tenggat
from .kantor import KANTOR_SEED, rancang_kantor, sebagai_berkas
from .konteks import KantorDemo, Konteks, LayananDemo
from .penulis import Penulis, Sidik

# Each kind of data, in the order they are made for an office; later kinds read earlier rows. Deadline
# clocks follow the cases and complaints whose history they replay.
JENIS_DATA = (
    ("staf", staf.buat),
    ("kasus", kasus.buat),
    ("pengaduan", pengaduan.buat),
    ("tenggat", tenggat.buat),
    ("survei", survei.buat),
)
# Raised whenever the same seed starts giving other data, so kept databases of demo data (the load
# benchmark's) are built again. 2: deadline clocks and their notices. 3: referrals between offices. 4: the standards'
# own rules (issue 16): Magetan's register number at its step, file verification and disposition chain; outcomes the
# record bears out; the Sakti Peksos role; clients in real kecamatan.
VERSI_DATA = 4


class DataDemoSudahAda(RuntimeError):
    """The offices chosen for demo data already hold cases."""


@dataclass
class Ringkasan:
    sidik: str
    kantor: list[str]
    jumlah: dict[str, int] = field(default_factory=dict)
    akun: dict[str, dict[str, str]] = field(default_factory=dict)  # slug -> role -> e-mail of its first account
    detik: float = 0.0


def _kantor_demo(tenant: Tenant) -> KantorDemo:
    layanan = []
    for l in db.session.scalars(select(Layanan).where(Layanan.tenant_id == tenant.id, Layanan.aktif.is_(True)).order_by(Layanan.kode)):
        v = db.session.scalar(select(VersiLayanan).where(VersiLayanan.tenant_id == tenant.id, VersiLayanan.layanan_id == l.id,
                                                         VersiLayanan.versi == l.versi_terbaru))
        layanan.append(LayananDemo(l.id, l.kode, l.nama, v.id, v.versi, v.isi))
    return KantorDemo(
        id=tenant.id, slug=tenant.slug, nama=tenant.nama, tingkat=tenant.tingkat, kode_wilayah=tenant.kode_wilayah,
        zona_waktu=tenant.zona_waktu, jam_kerja=tenant.jam_kerja or {}, hari_libur_daerah=list(tenant.hari_libur_daerah or []),
        hari_kerja_tambahan=list(tenant.hari_kerja_tambahan or []), format_nomor=tenant.format_nomor or {},
        kepala_dinas=tenant.kepala_dinas or None, layanan=tuple(layanan),
    )


def _bagi(jumlah: int, bagian: int) -> list[int]:
    dasar, sisa = divmod(jumlah, bagian)
    return [dasar + (1 if i < sisa else 0) for i in range(bagian)]


def _urutan_tabel(nama: set[str]) -> list[str]:
    """Tables in foreign-key order (parents first)."""
    return [t.name for t in db.metadata.sorted_tables if t.name in nama]


def siapkan_kantor(akar: str | Path, jumlah_kantor: int, benih: int, sidik: Sidik) -> list[str]:
    """Load the seed offices under ``akar`` and add the synthetic ones; returns the slugs that will hold cases.

    Synthetic offices already on the platform (an earlier run with the same seed) are left as they are.
    """
    muat_akar(akar)
    sumber, _akar = baca_sumber(akar)
    data = {d["tenant"]["slug"]: d for d in periksa(sumber)}
    seed = [s for s in KANTOR_SEED if s in data][:jumlah_kantor]
    klon = rancang_kantor(data, max(0, jumlah_kantor - len(seed)), benih)
    berkas = {d["tenant"]["slug"]: sebagai_berkas(d) for d in klon}
    for slug in sorted(berkas):
        for nama in sorted(berkas[slug]):
            sidik.teks(f"{slug}/{nama}\n{berkas[slug][nama]}")
    if berkas:
        try:
            tulis(periksa(berkas))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return seed + [d["tenant"]["slug"] for d in klon]


@dataclass(frozen=True)
class _Tugas:
    """What every office's generation shares (set before worker processes fork)."""

    app: object
    semua: tuple
    jumlah: tuple
    benih: int
    pada: datetime
    hash_sandi: str
    label: dict


_TUGAS: _Tugas | None = None


def _setelah_fork():
    """A forked worker must open its own database connections, not share its parent's."""
    _TUGAS.app.app_context().push()
    db.engine.dispose(close=False)


def _buat_kantor(i: int) -> tuple[str, str, dict, dict]:
    """Generate and write the data of office ``i``; returns (slug, fingerprint, row counts, first account per role).

    The cyclic garbage collector is off meanwhile: the rows are plain dicts and lists without cycles, and
    collecting while hundreds of thousands of them are alive took a fifth of the time.
    """
    gc_aktif = gc.isenabled()
    gc.disable()
    try:
        return _buat_kantor_tanpa_gc(i)
    finally:
        if gc_aktif:
            gc.enable()


def _buat_kantor_tanpa_gc(i: int) -> tuple[str, str, dict, dict]:
    t = _TUGAS
    kantor = t.semua[i]
    sidik = Sidik()
    sidik.label.update(t.label)
    konteks = Konteks(benih=t.benih, pada=t.pada, kantor=kantor, jumlah_kasus=t.jumlah[i], semua_kantor=t.semua,
                      hash_kata_sandi=t.hash_sandi)
    for _nama, fungsi in JENIS_DATA:
        konteks.baris.update(fungsi(konteks))
    with lintas_tenant("demo: membuat data demo", catat=False):
        try:
            penulis = Penulis(db.session)
            for tabel in _urutan_tabel(set(konteks.baris)):
                sidik.baris(tabel, konteks.baris[tabel])
                penulis.tulis(tabel, konteks.baris[tabel])
            penulis.selesai()
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    akun = {}
    for b in konteks.baris["pengguna"]:
        akun.setdefault(b["peran"][0], b["email"])
    return kantor.slug, sidik.hexdigest(), {n: len(b) for n, b in konteks.baris.items()}, akun


def _sidik_rujukan(baris: list[dict], slug: dict[int, str]) -> list[dict]:
    """Referral rows with the other office's database id given as its slug, for the fingerprint."""
    hasil = []
    for b in baris:
        b = dict(b)
        for k in ("tujuan_tenant_id", "asal_tenant_id"):
            if k in b:
                b[k] = slug.get(b[k], b[k])
        if "kunci_kirim" in b:
            tid, _, rid = b["kunci_kirim"].partition(":")
            b["kunci_kirim"] = f"{slug.get(int(tid), tid)}:{rid}"
        hasil.append(b)
    return hasil


def _buat_rujukan(semua: tuple, benih: int, pada: datetime, sidik: Sidik, label: dict) -> dict[str, int]:
    """Generate and write the referrals between the offices, once every office's cases are written."""
    baris = rujukan.buat(semua, benih, pada)
    slug = {k.id: k.slug for k in semua}
    sidik_rujukan = Sidik()
    sidik_rujukan.label.update(label)  # services are named, not given by their database ids
    with lintas_tenant("demo: menulis rujukan antarkantor", catat=False):
        try:
            penulis = Penulis(db.session)
            for tabel in _urutan_tabel(set(baris)):
                sidik_rujukan.baris(tabel, _sidik_rujukan(baris[tabel], slug))
                penulis.tulis(tabel, baris[tabel])
            penulis.selesai()
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    sidik.teks(f"rujukan:{sidik_rujukan.hexdigest()}")
    return {n: len(b) for n, b in baris.items()}


def buat_data_demo(*, jumlah_kantor: int, jumlah_kasus: int, benih: int, pada: datetime, kata_sandi: str,
                   akar: str | Path, proses: int = 1, laporan=lambda teks: None) -> Ringkasan:
    """Generate and write the demo data; see the module docstring. Commits office by office.

    ``proses`` > 1 generates offices in that many forked processes (PostgreSQL only: SQLite takes one
    writer); the result, fingerprint included, is the same.
    """
    global _TUGAS
    if pada.tzinfo is None:
        raise ValueError("pada harus bertanda zona waktu")
    mulai = time.monotonic()
    sidik = Sidik()
    slug = siapkan_kantor(akar, jumlah_kantor, benih, sidik)
    with lintas_tenant("demo: membuat data demo", jumlah_kantor=len(slug), jumlah_kasus=jumlah_kasus):
        tenant = {t.slug: t for t in db.session.scalars(select(Tenant).where(Tenant.slug.in_(slug)))}
        ada = db.session.scalar(select(func.count()).select_from(Kasus).where(Kasus.tenant_id.in_([t.id for t in tenant.values()])))
        if ada:
            db.session.rollback()
            raise DataDemoSudahAda(f"Kantor tujuan sudah memiliki {ada} kasus; buat data demo pada basis data baru.")
        semua = tuple(_kantor_demo(tenant[s]) for s in slug)
        db.session.commit()
    label = {}
    for k in semua:
        for l in k.layanan:
            label[l.id] = f"{k.slug}/{l.kode}"
            label[l.versi_id] = f"{k.slug}/{l.kode}@{l.versi}"
    from flask import current_app

    _TUGAS = _Tugas(current_app._get_current_object(), semua, tuple(_bagi(jumlah_kasus, len(semua))), benih, pada,
                    hash_kata_sandi(kata_sandi), label)
    ringkasan = Ringkasan(sidik="", kantor=list(slug))
    hasil = {}
    try:
        if proses > 1 and db.engine.dialect.name == "postgresql":
            db.session.remove()
            db.engine.dispose()
            with multiprocessing.get_context("fork").Pool(proses, initializer=_setelah_fork) as kolam:
                for r in kolam.imap_unordered(_buat_kantor, range(len(semua))):
                    hasil[r[0]] = r
                    laporan(f"{r[0]}: {r[2].get('kasus', 0)} kasus ({time.monotonic() - mulai:.0f} d)")
        else:
            for i in range(len(semua)):
                r = _buat_kantor(i)
                hasil[r[0]] = r
                laporan(f"{r[0]}: {r[2].get('kasus', 0)} kasus ({time.monotonic() - mulai:.0f} d)")
    finally:
        _TUGAS = None
    for s in slug:
        _slug, sidik_kantor, jumlah, akun = hasil[s]
        sidik.teks(f"{s}:{sidik_kantor}")
        for n, v in jumlah.items():
            ringkasan.jumlah[n] = ringkasan.jumlah.get(n, 0) + v
        ringkasan.akun[s] = akun
    for n, v in _buat_rujukan(semua, benih, pada, sidik, label).items():
        ringkasan.jumlah[n] = ringkasan.jumlah.get(n, 0) + v
    laporan(f"rujukan antarkantor: {ringkasan.jumlah.get('rujukan', 0)} ({time.monotonic() - mulai:.0f} d)")
    ringkasan.sidik = sidik.hexdigest()
    ringkasan.detik = time.monotonic() - mulai
    return ringkasan
