"""Provenance as data: values the seed decrees do not contain are marked, and the marks reach the page.

The transcriptions in tenants/ mark (``penanda_asal``) each value the platform
set; a marker never names a value the seed prints; the markers survive loading
and export; the public page labels the values or hides them as the office
chooses, keeps transcription notes to the office, and shows the SOP's
arithmetic warning to the office only.
"""

import re

import pytest
import yaml
from sqlalchemy import select
from test_seeds import ABH, BANTEN, BULAN, IDS, MAGETAN, PPKS, SEMUA, TENANTS, layanan, norm, teks_seed_mentah, tenant

from dinsos.catalogue.skema.asal import ada_bagian
from dinsos.catalogue.skema.baca import periksa_berkas
from dinsos.catalogue.skema.hitung import periksa_hitungan
from dinsos.catalogue.skema.layanan import LayananSchema
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos.tenancy.ekspor import berkas_kantor
from dinsos.tenancy.models import Tenant
from dinsos.tenancy.muat import muat_akar

LABEL = "ditetapkan platform, tidak tercantum dalam keputusan"

# What each seed leaves out and the transcription had to set (the YAML comments of each file said so).
DIHARAPKAN = {
    "pendampingan-abh": {
        "keputusan.tanggal", "penyampaian_pelayanan.jangka_waktu.aturan.tinjauan_berkala", "sop",
        "sop.langkah.diteruskan-ke-bidang.dokumen_keluaran", "sop.langkah.pendampingan.isian",
    },
    "penanganan-ppks-terlantar": {
        "kategori_ppks", "penyampaian_pelayanan.jangka_waktu.aturan.tinjauan_berkala", "sop",
        "sop.langkah.koordinasi-rujukan-panti.dokumen_keluaran", "sop.langkah.asesmen-penelusuran.isian",
    },
    "rehabilitasi-anak-terlantar-panti": {"sop", "sop.langkah.rehabilitasi", "sop.hasil_akhir"},
    "pengiriman-anjal-at": {
        "sop.tanggal_terbit", "sop.langkah.pengiriman.pelaksana", "sop.langkah.pengiriman.dokumen_keluaran",
        "sop.langkah.penerimaan-balai.dokumen_keluaran",
    },
}


def bagian_ditandai(data: dict) -> set[str]:
    return {p["bagian"] for p in data["penanda_asal"]}


def nilai(data: dict, bagian: str):
    for ruas in bagian.split("."):
        if isinstance(data, list):
            data = next((b for b in data if isinstance(b, dict) and b.get("kode") == ruas), None) or data[int(ruas)]
        else:
            data = data[ruas]
    return data


@pytest.mark.parametrize(("nomor", "slug", "kode"), SEMUA, ids=IDS)
def test_nilai_karangan_setiap_seed_ditandai(nomor, slug, kode):
    data = layanan(slug, kode)
    assert DIHARAPKAN[kode] <= bagian_ditandai(data)
    assert all(p["asal"] == "platform" and p["alasan"].strip() for p in data["penanda_asal"])


@pytest.mark.parametrize(("nomor", "slug", "kode"), SEMUA, ids=IDS)
def test_penanda_tidak_menandai_teks_yang_tercetak_di_seed(nomor, slug, kode):
    """A marked text value (a step's form, a review period) is not the seed's own wording."""
    data = layanan(slug, kode)
    seed = norm(teks_seed_mentah(nomor))
    for bagian in bagian_ditandai(data):
        isi = nilai(data, bagian)
        if isinstance(isi, str) and len(isi) > 12:
            assert norm(isi) not in seed, f"{bagian}: '{isi}' tercetak di seed, bukan nilai platform"


@pytest.mark.parametrize(("nomor", "slug", "kode"), SEMUA, ids=IDS)
def test_tanggal_yang_tidak_tercetak_lengkap_ditandai(nomor, slug, kode):
    """A date whose day the seed does not print (only "Juni 2023") is the platform's, and marked."""
    data = layanan(slug, kode)
    seed = teks_seed_mentah(nomor).casefold()
    for bagian in ("keputusan.tanggal", "sop.tanggal_terbit"):
        tanggal = nilai(data, bagian) if ada_bagian(data, bagian) else None
        if tanggal is None:
            continue
        bulan = [n for n, i in BULAN.items() if i == tanggal.month][0]
        tercetak = re.search(rf"\b0?{tanggal.day}\s+{bulan}\s+{tanggal.year}", seed)
        assert bool(tercetak) != (bagian in bagian_ditandai(data)), bagian


@pytest.mark.parametrize(("nomor", "slug", "kode"), [ABH, PPKS], ids=["abh", "ppks"])
def test_tinjauan_berkala_yang_tidak_ada_di_seed_ditandai(nomor, slug, kode):
    data = layanan(slug, kode)
    tinjauan = data["penyampaian_pelayanan"]["jangka_waktu"]["aturan"]["tinjauan_berkala"]
    assert norm(f"ditinjau {tinjauan}") not in norm(teks_seed_mentah(nomor))
    assert "penyampaian_pelayanan.jangka_waktu.aturan.tinjauan_berkala" in bagian_ditandai(data)


def test_sop_disusun_platform_hanya_bila_seed_tanpa_tabel_sop():
    for nomor, slug, kode in (ABH, PPKS, BANTEN):
        assert "sop" in bagian_ditandai(layanan(slug, kode))
    assert "sop" not in bagian_ditandai(layanan(MAGETAN[1], MAGETAN[2]))


def test_nomor_register_tidak_menyerupai_nomor_keputusan():
    for slug in ("kota-metro", "kabupaten-magetan", "provinsi-banten", "provinsi-jawa-timur", "provinsi-lampung"):
        data = tenant(slug)["tenant"]
        assert "KPTS" not in data["format_nomor"]["register"]
        assert {"format_nomor.register", "format_nomor.surat", "jam_kerja"} <= bagian_ditandai(data)


def test_penanda_yang_menunjuk_bagian_tidak_ada_ditolak_dengan_letaknya():
    teks = (TENANTS / "kabupaten-magetan/services/pengiriman-anjal-at.yaml").read_text()
    teks = teks.replace("bagian: sop.langkah.pengiriman.pelaksana", "bagian: sop.langkah.kirim.pelaksana")
    _data, [k] = periksa_berkas(teks, LayananSchema, "pengiriman-anjal-at.yaml")
    assert k.jalur == "penanda_asal[1].bagian" and "sop.langkah.kirim.pelaksana" in k.pesan and k.baris


def test_hitungan_magetan_melebihi_jangka_waktu_tetapi_dimuat():
    data = layanan(MAGETAN[1], MAGETAN[2])  # loaded: a warning, not an error
    [peringatan] = periksa_hitungan(data)
    assert "4 hari kerja 2 jam 30 menit" in peringatan and "2 hari kerja" in peringatan
    for _n, slug, kode in (ABH, PPKS, BANTEN):
        assert periksa_hitungan(layanan(slug, kode)) == []


def test_hitungan_mengikuti_jalur_terpanjang_bukan_jumlah_semua_cabang():
    data = yaml.safe_load((TENANTS / "kabupaten-magetan/services/pengiriman-anjal-at.yaml").read_text())
    data["penyampaian_pelayanan"]["jangka_waktu"]["aturan"]["maksimal"] = 5
    assert periksa_hitungan(data) == []
    langkah = data["sop"]["langkah"]
    # a branch around the three one-day steps is an alternative, not an addition
    langkah[1]["cabang"] = [{"kondisi": "langsung", "ke": "penerimaan-balai"}]
    assert periksa_hitungan(data) == []
    data["penyampaian_pelayanan"]["jangka_waktu"]["aturan"]["maksimal"] = 4
    assert "4 hari kerja 2 jam 30 menit" in periksa_hitungan(data)[0]


# --- stored, exported, shown ---------------------------------------------------


@pytest.fixture
def dimuat(app, akar):
    with app.app_context():
        muat_akar(akar)
    return akar


def test_penanda_bertahan_saat_dimuat_dan_diekspor(app, dimuat):
    with app.app_context():
        metro = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-metro"))
        berkas = berkas_kantor(metro)
    ekspor = yaml.safe_load(berkas["services/penanganan-ppks-terlantar.yaml"])
    assert ekspor["penanda_asal"] == layanan("kota-metro", "penanganan-ppks-terlantar")["penanda_asal"]
    assert yaml.safe_load(berkas["tenant.yaml"])["penanda_asal"] == tenant("kota-metro")["tenant"]["penanda_asal"]


def test_halaman_publik_memberi_label_lalu_menyembunyikan_sesuai_pilihan_kantor(app, klien, dimuat):
    url = "/t/kabupaten-magetan/standar-pelayanan/pengiriman-anjal-at"
    halaman = klien.get(url).get_data(as_text=True)
    baris = re.search(r'<tr id="langkah-pengiriman">.*?</tr>', halaman, re.S)[0]
    assert LABEL in baris and "Surat pengantar" in baris
    assert 'id="catatan"' not in halaman and "eskternal" not in halaman  # OCR notes are not public
    assert "Peringatan: hitungan waktu" not in halaman  # the arithmetic warning is the office's
    assert "Kolom output menulis" not in halaman  # a marker's reason is the office's too
    with app.app_context(), lintas_tenant("uji", catat=False):
        db.session.scalar(select(Tenant).where(Tenant.slug == "kabupaten-magetan")).tampil_asal = "sembunyikan"
        db.session.commit()
    halaman = klien.get(url).get_data(as_text=True)
    baris = re.search(r'<tr id="langkah-pengiriman">.*?</tr>', halaman, re.S)[0]
    assert LABEL not in halaman and "Surat pengantar" not in baris
    assert "Pendampingan/pengiriman Anjal dan Antar ke Balai Rehabilitasi" in baris  # the decree's own text stays


def test_sop_buatan_platform_diberi_label_atau_disembunyikan(app, klien, dimuat):
    url = "/t/provinsi-banten/standar-pelayanan/rehabilitasi-anak-terlantar-panti"
    halaman = klien.get(url).get_data(as_text=True)
    assert 'id="sop"' in halaman and "SOP ini disusun platform" in halaman
    with app.app_context(), lintas_tenant("uji", catat=False):
        db.session.scalar(select(Tenant).where(Tenant.slug == "provinsi-banten")).tampil_asal = "sembunyikan"
        db.session.commit()
    assert 'id="sop"' not in klien.get(url).get_data(as_text=True)


def test_komponen_null_dimuat_dan_tampil_tidak_tercantum(app, klien, dimuat):
    berkas = dimuat / "kabupaten-magetan/services/pengiriman-anjal-at.yaml"
    teks = berkas.read_text()
    teks = teks.replace("  produk:\n    uraian: Berupa layanan pengiriman ke panti rehabilitasi\n", "  produk: null\n")
    teks = re.sub(r"  kompetensi_pelaksana:\n(    - .*\n)+", "  kompetensi_pelaksana: null\n", teks)
    berkas.write_text(teks)
    with app.app_context():
        muat_akar(dimuat)
    halaman = klien.get("/t/kabupaten-magetan/standar-pelayanan/pengiriman-anjal-at").get_data(as_text=True)
    produk = re.search(r'<section id="produk".*?</section>', halaman, re.S)[0]
    assert "tidak tercantum dalam keputusan" in produk and "Berupa layanan pengiriman" not in halaman
    kompetensi = re.search(r'<dt id="kompetensi-pelaksana">.*?</dd>', halaman, re.S)[0]
    assert "tidak tercantum dalam keputusan" in kompetensi
