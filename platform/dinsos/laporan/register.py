"""The Buku Register Kasus of one office and year: every register number in order.

A number is issued when a case's file becomes complete (``cases.services``),
from the office's counter for that year (``documents.penomoran``), which
gives a rolled-back number back, so the issued numbers are 1..n. The book is
built from the counter, not from the cases: every number from 1 to the
counter's last appears, and a number whose case is no longer in the
register (none is deleted today; a case voided by a database repair would
be) reads "Dibatalkan" instead of vanishing. So a gap cannot be printed.

Clients are masked by the same rule as the case list (``cases.akses``:
UU 11/2012 art. 19 for children and ABH cases). The reporter is shown by
kind and agency; a private person's name only where the client's is.
"""
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dinsos.cases import akses
from dinsos.cases.konstanta import JENIS_PELAPOR
from dinsos.cases.models import Kasus
from dinsos.catalogue.models import Layanan, VersiLayanan
from dinsos.core.db import db
from dinsos.core.tenant import tenant_aktif
from dinsos.documents.models import UrutanNomor
from dinsos.izin import boleh
from dinsos.tenancy.models import Tenant

from .dimensi import LABEL_STATUS

DIBATALKAN = "Dibatalkan"
# The book is an official document in Indonesian (like the letters), built outside requests too: plain words.
PELAPOR = {"kepolisian": "Kepolisian", "satpol_pp": "Satpol PP", "kelurahan": "Kelurahan/Desa", "masyarakat": "Masyarakat",
           "dinas_lain": "Dinas/instansi lain", "lainnya": "Lainnya"}
assert set(PELAPOR) == set(JENIS_PELAPOR)


@dataclass(frozen=True)
class BarisRegister:
    urut: int
    nomor: str | None
    tanggal: date | None
    klien: str
    layanan: str
    pelapor: str
    langkah: str
    hasil: str
    batal: bool = False

    def sebagai_daftar(self) -> list:
        """The row as printed (page, PDF and Excel print the same columns)."""
        return [self.urut, self.nomor or "", self.tanggal.strftime("%d-%m-%Y") if self.tanggal else "", self.klien,
                self.layanan, self.pelapor, self.langkah, self.hasil]


KOLOM_REGISTER = ["No. urut", "Nomor register", "Tanggal register", "Klien", "Layanan", "Pelapor", "Langkah kini", "Status/hasil"]


def batas_tahun(tahun: int, zona: str) -> tuple[datetime, datetime]:
    z = ZoneInfo(zona)
    return datetime.combine(date(tahun, 1, 1), time(), z), datetime.combine(date(tahun + 1, 1, 1), time(), z)


def _pelapor(k: Kasus, identitas_terlihat: bool) -> str:
    bagian = [PELAPOR.get(k.pelapor_jenis, k.pelapor_jenis)]
    if k.pelapor_instansi:
        bagian.append(k.pelapor_instansi)
    elif k.pelapor_nama and identitas_terlihat:
        bagian.append(k.pelapor_nama)
    return " — ".join(bagian)


def _langkah_dan_hasil(k: Kasus, versi: dict) -> tuple[str, str]:
    v = versi.get(k.versi_layanan_id)
    if k.status == "ditutup":
        nama = {h["kode"]: h["nama"] for h in (v.isi["sop"].get("hasil_akhir") or [])} if v else {}
        return "-", f"Ditutup: {nama.get(k.hasil_akhir, k.hasil_akhir or '-')}"
    langkah = (v.langkah(k.langkah_kode) if v and k.langkah_kode else None) or {}
    return langkah.get("kegiatan") or k.langkah_kode or "-", str(LABEL_STATUS.get(k.status, k.status))


def buku_register(tahun: int, pengguna) -> list[BarisRegister]:
    """Every register number of the bound office in ``tahun`` (its local year), in order, masked for ``pengguna``."""
    tid = tenant_aktif()
    if tid is None:
        raise RuntimeError("buku_register needs a bound office")
    tenant = db.session.get(Tenant, tid)
    awal, akhir = batas_tahun(tahun, tenant.zona_waktu)
    terakhir = db.session.scalar(select(UrutanNomor.terakhir).where(
        UrutanNomor.tenant_id == tid, UrutanNomor.jenis == "register", UrutanNomor.tahun == tahun)) or 0
    daftar = db.session.scalars(
        select(Kasus).where(Kasus.tenant_id == tid, Kasus.nomor_register_urut.is_not(None),
                            Kasus.berkas_lengkap_pada >= awal, Kasus.berkas_lengkap_pada < akhir)
        .order_by(Kasus.nomor_register_urut)
    ).all()
    versi = {v.id: v for v in db.session.scalars(
        select(VersiLayanan).where(VersiLayanan.id.in_({k.versi_layanan_id for k in daftar} or {None})))}
    nama_layanan = dict(db.session.execute(select(Layanan.id, Layanan.nama)).all())
    lihat_semua = boleh(pengguna, "kasus.lihat_semua_identitas")
    penangan = akses.penangan_banyak([k for k in daftar if k.rahasia]) if not lihat_semua else {}
    zona = ZoneInfo(tenant.zona_waktu)
    per_nomor: dict[int, BarisRegister] = {}
    for k in daftar:
        terlihat = akses.boleh_lihat_identitas(pengguna, k, di_daftar=True, penangan_kasus=penangan.get(k.id, set()))
        langkah, hasil = _langkah_dan_hasil(k, versi)
        per_nomor[k.nomor_register_urut] = BarisRegister(
            urut=k.nomor_register_urut, nomor=k.nomor_register, tanggal=k.berkas_lengkap_pada.astimezone(zona).date(),
            klien=akses.nama_tampil(pengguna, k, di_daftar=True, penangan_kasus=penangan.get(k.id, set())),
            layanan=nama_layanan.get(k.layanan_id, "-"), pelapor=_pelapor(k, terlihat), langkah=langkah, hasil=hasil,
        )
    n = max([terakhir, *per_nomor])
    return [per_nomor.get(i) or BarisRegister(i, None, None, "-", "-", "-", "-", DIBATALKAN, batal=True)
            for i in range(1, n + 1)]


def tahun_tersedia(hari_ini: date) -> list[int]:
    """The years the bound office has register numbers in, and the current one."""
    tahun = set(db.session.scalars(select(UrutanNomor.tahun).where(
        UrutanNomor.tenant_id == tenant_aktif(), UrutanNomor.jenis == "register")))
    return sorted(tahun | {hari_ini.year}, reverse=True)
