"""Hand-counted fixtures for the register and recap tests.

Magetan (Jawa Timur) takes in five clients, all through its real Anjal/AT
standard, at known times (WIB):

| # | received        | client                                   | PPKS | file      | kode wilayah        |
|---|-----------------|------------------------------------------|------|-----------|---------------------|
| A | 20 Apr 2026     | boy, about 10, no papers                 | 4    | complete  | 35.20.01.2001       |
| B | 4 May 2026 09:00| boy, about 12, no papers                 | 4    | complete  | 35.20.01.2001       |
| C | 5 May 2026 09:00| girl "Sari Wulan", born 1 Mar 2014       | 2    | complete  | 35.20.02            |
| D | 6 May 2026 09:00| man "Budi Santoso", born 1 Jan 1990, NIK | 11   | complete  | none (NIK 35.20.05) |
| E | 7 May 2026 09:00| woman "Siti Aminah", born 1 Jun 1950     | 8    | incomplete| 35.20.01.2002       |

So register 2026 = A, B, C, D as numbers 1-4 (E has no number); May 2026
holds B, C, D, E: PPKS 2 P 1, 4 L 1, 8 P 1, 11 L 1; anak 2, dewasa 1,
lansia 1; kecamatan 35.20.01 x2, 35.20.02, 35.20.05.

A second kabupaten of Jawa Timur, "Ngawi" (a copy of Magetan's folder),
takes in six boys in May (PPKS 4) and one girl (PPKS 2), so the province
sees 35.20 and 35.21 side by side with small cells to hide. Kota Metro
(Lampung) takes in one client in May: no Jawa Timur page may count it.
"""
import shutil
from pathlib import Path

import pytest
from alat_laporan import terima

from dinsos_uji.alat_kasus import akun, di_kantor, muat_seed, staf_kantor, wib

WARGA = {"jenis": "masyarakat", "nama": "Pak Warga Pelapor"}


def _salin_magetan(tujuan: Path, slug: str, nama: str, kode: str) -> Path:
    akar = Path(__file__).resolve().parents[2] / "tenants"
    folder = tujuan / slug
    shutil.copytree(akar / "kabupaten-magetan", folder)
    yaml = folder / "tenant.yaml"
    teks = yaml.read_text(encoding="utf-8")
    teks = teks.replace("slug: kabupaten-magetan", f"slug: {slug}").replace(
        "nama: Dinas Sosial Kabupaten Magetan", f"nama: {nama}").replace('kode_wilayah: "35.20"', f'kode_wilayah: "{kode}"')
    yaml.write_text(teks, encoding="utf-8")
    return tujuan


@pytest.fixture
def data(app, hash_murah, tmp_path):
    from dinsos.tenancy.muat import muat_akar

    kantor = muat_seed(app)
    with app.app_context():
        muat_akar(_salin_magetan(tmp_path / "tambahan", "kabupaten-ngawi", "Dinas Sosial Kabupaten Ngawi", "35.21"))
    from sqlalchemy import select

    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant
    from dinsos.tenancy.models import Tenant
    from dinsos_uji.bantuan import Kantor

    with app.app_context(), lintas_tenant("uji", catat=False):
        t = db.session.scalar(select(Tenant).where(Tenant.slug == "kabupaten-ngawi"))
        kantor["kabupaten-ngawi"] = Kantor(t.id, t.slug, t.nama, app)
    mg, ngawi, metro, jatim = (kantor[s] for s in ("kabupaten-magetan", "kabupaten-ngawi", "kota-metro", "provinsi-jawa-timur"))
    staf = {s: staf_kantor(kantor[s]) for s in ("kabupaten-magetan", "kabupaten-ngawi", "kota-metro", "provinsi-jawa-timur",
                                                "provinsi-banten")}
    fo = staf["kabupaten-magetan"]["petugas_pelayanan"]
    kasus = {
        "A": terima(mg, fo, {"tanpa_identitas": True, "deskripsi": "Anak laki-laki", "umur_perkiraan": 10, "jenis_kelamin": "L",
                             "kategori_ppks": 4, "kode_wilayah": "35.20.01.2001"}, wib(2026, 4, 20, 9)),
        "B": terima(mg, fo, {"tanpa_identitas": True, "deskripsi": "Anak laki-laki", "umur_perkiraan": 12, "jenis_kelamin": "L",
                             "kategori_ppks": 4, "kode_wilayah": "35.20.01.2001"}, wib(2026, 5, 4, 9)),
        "C": terima(mg, fo, {"nama": "Sari Wulan", "tanggal_lahir": "2014-03-01", "jenis_kelamin": "P", "kategori_ppks": 2,
                             "kode_wilayah": "35.20.02"}, wib(2026, 5, 5, 9), pelapor=WARGA),
        "D": terima(mg, fo, {"nama": "Budi Santoso", "tanggal_lahir": "1990-01-01", "jenis_kelamin": "L", "kategori_ppks": 11,
                             "nik": "3520050101900001"}, wib(2026, 5, 6, 9)),
        "E": terima(mg, fo, {"nama": "Siti Aminah", "tanggal_lahir": "1950-06-01", "jenis_kelamin": "P", "kategori_ppks": 8,
                             "kode_wilayah": "35.20.01.2002"}, wib(2026, 5, 7, 9), lengkap=False),
    }
    fo_ngawi = staf["kabupaten-ngawi"]["petugas_pelayanan"]
    for i in range(6):
        terima(ngawi, fo_ngawi, {"tanpa_identitas": True, "deskripsi": "Anak laki-laki", "umur_perkiraan": 11, "jenis_kelamin": "L",
                                 "kategori_ppks": 4, "kode_wilayah": "35.21.03"}, wib(2026, 5, 10 + i, 9))
    terima(ngawi, fo_ngawi, {"nama": "Rina Ngawi", "tanggal_lahir": "2012-02-02", "jenis_kelamin": "P", "kategori_ppks": 2,
                             "kode_wilayah": "35.21.03"}, wib(2026, 5, 20, 9))
    metro_fo = staf["kota-metro"]["petugas_pelayanan"]
    kasus["metro"] = _terima_metro(metro, metro_fo)
    return {"kantor": kantor, "staf": staf, "kasus": kasus}


def _terima_metro(metro, fo):
    """One client of Kota Metro in May 2026, through its PPKS service with every requirement seen."""
    from sqlalchemy import select

    from dinsos.cases.penerimaan import terima_kasus
    from dinsos.cases.perubahan import simpan
    from dinsos.catalogue.models import Layanan, VersiLayanan
    from dinsos.core.db import db

    with di_kantor(metro):
        layanan = db.session.scalar(select(Layanan).where(Layanan.kode == "penanganan-ppks-terlantar"))
        versi = db.session.scalar(select(VersiLayanan).where(VersiLayanan.layanan_id == layanan.id))
        syarat = {p["kode"]: "dilihat" for p in versi.isi.get("persyaratan", []) if isinstance(p, dict) and p.get("kode")}
        k = terima_kasus("penanganan-ppks-terlantar", pelapor={"jenis": "satpol_pp", "instansi": "Satpol PP Metro"},
                         klien={"nama": "Orang Metro Rahasia", "tanggal_lahir": "1960-01-01", "jenis_kelamin": "L",
                                "kategori_ppks": 11, "kode_wilayah": "18.72.01"},
                         persyaratan=syarat, pengguna=akun(fo), pada=wib(2026, 5, 8, 9)).kasus
        simpan()
        return k.id
