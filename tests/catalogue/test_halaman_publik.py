"""Public Standar Pelayanan pages: every component of every seed standard is on its page, and in its PDF."""
import html
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from dinsos.catalogue import tampilan
from dinsos.catalogue.models import Layanan, VersiLayanan
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos.tenancy.models import Tenant
from dinsos.tenancy.muat import muat_akar

SEED = [
    ("kota-metro", "pendampingan-abh"),
    ("kota-metro", "penanganan-ppks-terlantar"),
    ("kabupaten-magetan", "pengiriman-anjal-at"),
    ("provinsi-banten", "rehabilitasi-anak-terlantar-panti"),
]
IDS = [kode for _s, kode in SEED]


@pytest.fixture
def dimuat(app, akar):
    with app.app_context():
        muat_akar(akar)
    return akar


def isi_tersimpan(app, slug, kode):
    with app.app_context(), lintas_tenant("uji", catat=False):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        layanan = db.session.scalar(select(Layanan).where(Layanan.tenant_id == tenant.id, Layanan.kode == kode))
        versi = db.session.scalar(select(VersiLayanan).where(
            VersiLayanan.layanan_id == layanan.id, VersiLayanan.versi == layanan.versi_terbaru))
        return versi.isi, {"kanal_kontak": tenant.kanal_kontak, "maklumat": tenant.maklumat}


def teks_tampak(halaman: str) -> str:
    """What a reader sees: no tags, entities decoded, spaces collapsed."""
    tanpa_tag = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", halaman, flags=re.S))
    return " ".join(html.unescape(tanpa_tag).split())


def rapat(teks: str) -> str:
    return " ".join(str(teks).split())


def harapan(isi: dict) -> tuple[list[str], list[str]]:
    """Walk a stored standard: (texts the reader must see, anchors the page must carry).

    Texts appear as written; a vocabulary code appears as its Indonesian
    label, a date in long form, the clock rule as one sentence. Identifiers
    (step, document, follow-up and outcome codes, form field names) are the
    page's anchors, which the SOP table's "next step" links point at.
    """
    tampak, jangkar = [], []

    def jalan(nilai, jalur):
        kunci = jalur[-1] if jalur else None
        if "aturan" in jalur:
            return  # the rule is checked as the sentence below
        if jalur[:1] in (("catatan_ocr",), ("penanda_asal",)):
            return  # transcription notes and the reasons of markers are for the office, not the public
        if kunci in ("tindakan", "wajib_semua", "wajib_salah_satu"):
            return  # the office's case acts and outcome conditions (issue 16) are its workflow, not the published standard
        if isinstance(nilai, dict):
            for k, v in nilai.items():
                jalan(v, jalur + (k,))
        elif isinstance(nilai, list):
            for v in nilai:
                jalan(v, jalur + (kunci,))
        elif kunci == "kategori_ppks":
            tampak.append(tampilan.JENIS_PPKS[nilai - 1])
        elif kunci == "gratis" and nilai:
            tampak.append("Gratis")
        elif not isinstance(nilai, str):
            return
        elif kunci in ("tanggal", "tanggal_terbit"):
            tampak.append(tampilan.tanggal_panjang(nilai))
        elif kunci in ("pelaksana", "disposisi"):
            tampak.append(str(tampilan.NAMA_AKTOR[nilai]))
        elif kunci == "dokumen_keluaran":
            tampak.append(str(tampilan.NAMA_DOKUMEN_KELUARAN[nilai]))
        elif kunci == "jenis" and "isian" in jalur:
            tampak.append(str(tampilan.NAMA_JENIS_ISIAN[nilai]))
        elif kunci == "jenis":
            tampak.append(str(tampilan.NAMA_KANAL[nilai]))
        elif kunci in ("pihak", "arah") or (kunci == "nomor_register" and jalur[:-1] == ("sop",)):
            return  # checked by their own sentences below
        elif kunci in ("berikutnya", "ke"):
            jangkar.append(f'href="#langkah-{nilai}"')
        elif kunci == "kode" and jalur[:-1] == ():
            return  # the service code is the page's address
        elif kunci == "kode":
            awalan = {"langkah": "langkah", "dokumen": "dokumen", "tindak_lanjut": "pengaduan", "hasil_akhir": "hasil"}
            jangkar.append(f'id="{awalan[jalur[-2]]}-{nilai}"')
        elif kunci == "nama" and "isian" in jalur:
            return  # checked with its step below
        else:
            tampak.append(nilai)

    jalan(isi, ())
    tampak.append(tampilan.uraian_aturan(isi["penyampaian_pelayanan"]["jangka_waktu"]["aturan"]))
    for langkah in isi["sop"]["langkah"]:
        jangkar += [f'id="isian-{langkah["kode"]}-{i["nama"]}"' for i in langkah["isian"]]
    return tampak, jangkar


@pytest.mark.parametrize(("slug", "kode"), SEED, ids=IDS)
def test_halaman_layanan_memuat_setiap_komponen_seed(app, klien, dimuat, slug, kode):
    r = klien.get(f"/t/{slug}/standar-pelayanan/{kode}")
    assert r.status_code == 200
    halaman = r.get_data(as_text=True)
    terlihat = teks_tampak(halaman)
    isi, kantor = isi_tersimpan(app, slug, kode)
    with app.test_request_context():
        tampak, jangkar = harapan(isi)
    assert len(tampak) > 50
    hilang = [t for t in tampak if rapat(t) not in terlihat]
    assert hilang == []
    assert [j for j in jangkar if j not in halaman] == []
    for kanal in kantor["kanal_kontak"]:  # the office's own contact channels
        assert rapat(kanal["nilai"] or kanal["label"]) in terlihat
    assert rapat(kantor["maklumat"] or "Kantor ini belum mencantumkan maklumat pelayanan.") in terlihat
    assert "<script" not in halaman  # works without JavaScript


def test_enam_komponen_penyampaian_tampil_sebelum_delapan_komponen_pengelolaan(klien, dimuat):
    terlihat = teks_tampak(klien.get("/t/kabupaten-magetan/standar-pelayanan/pengiriman-anjal-at").get_data(as_text=True))
    label = [f"{i}. {l}" for i, l in enumerate(tampilan.KOMPONEN_PENYAMPAIAN.values(), 1)]
    label += [f"{i}. {l}" for i, l in enumerate(tampilan.KOMPONEN_PENGELOLAAN.values(), 1)]
    label += ["Keputusan penetapan standar", "Standar Operasional Prosedur", "Kontak", "Maklumat pelayanan"]
    posisi = [terlihat.index(l) for l in label]
    assert posisi == sorted(posisi)


def test_halaman_ramah_cetak(klien, dimuat):
    halaman = klien.get("/t/provinsi-banten/standar-pelayanan/rehabilitasi-anak-terlantar-panti").get_data(as_text=True)
    [css] = re.findall(r'href="(/static/katalog/katalog\.css)"', halaman)
    gaya = klien.get(css).get_data(as_text=True)
    assert "@media print" in gaya


@pytest.mark.parametrize(("slug", "kode"), SEED, ids=IDS)
def test_pdf_terbuka_dan_memuat_nama_layanan(app, klien, dimuat, slug, kode):
    r = klien.get(f"/t/{slug}/standar-pelayanan/{kode}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    teks = " ".join(halaman.extract_text() for halaman in PdfReader(io.BytesIO(r.data)).pages)
    isi, _kanal = isi_tersimpan(app, slug, kode)
    assert rapat(isi["nama"]) in rapat(teks)
    with app.app_context():
        kop = db.session.scalar(select(Tenant.kop_surat).where(Tenant.slug == slug))["baris"]
    assert rapat(kop[0]) in rapat(teks)  # the office letterhead
    langkah_terakhir = isi["sop"]["langkah"][-1]["kegiatan"]
    assert rapat(langkah_terakhir) in rapat(teks)


@pytest.mark.parametrize("url", [
    "/t/kabupaten-magetan/standar-pelayanan/tidak-ada",
    "/t/kabupaten-magetan/standar-pelayanan/tidak-ada.pdf",
    "/t/kantor-tidak-ada/standar-pelayanan",
    "/t/kantor-tidak-ada/standar-pelayanan/pengiriman-anjal-at",
    "/t/kota-metro/standar-pelayanan/pengiriman-anjal-at",  # another office's service
    "/t/kabupaten-magetan/standar-pelayanan/pengiriman-anjal-at?versi=2",
    "/t/kabupaten-magetan/standar-pelayanan/pengiriman-anjal-at?versi=satu",
    "/t/kabupaten-magetan/standar-pelayanan/pengiriman-anjal-at?versi=99999999999999999999",
    "/t/kabupaten-magetan/standar-pelayanan/pengiriman-anjal-at.pdf?versi=0",
])
def test_404_untuk_kantor_layanan_atau_versi_yang_tidak_ada(klien, dimuat, url):
    r = klien.get(url)
    assert r.status_code == 404
    assert "tidak ditemukan" in r.get_data(as_text=True)


def test_daftar_layanan_kantor(klien, dimuat):
    terlihat = teks_tampak(klien.get("/t/kota-metro/standar-pelayanan").get_data(as_text=True))
    assert "Pendampingan Anak Berhadapan dengan Hukum" in terlihat
    assert "Penanganan PPKS Terlantar" in terlihat
    kosong = teks_tampak(klien.get("/t/provinsi-lampung/standar-pelayanan").get_data(as_text=True))
    assert "belum menerbitkan standar pelayanan" in kosong


def test_versi_lama_tetap_dapat_dibaca(app, klien, dimuat):
    berkas = dimuat / "kabupaten-magetan/services/pengiriman-anjal-at.yaml"
    lama_teks = "Pendamping Rehsos untuk melakukan assesment dan pendampingan terhadap klien"
    baru_teks = "Pendamping Rehsos melakukan asesmen dan pendampingan klien (revisi)"
    berkas.write_text(berkas.read_text().replace(lama_teks, baru_teks))
    with app.app_context():
        muat_akar(dimuat)
    url = "/t/kabupaten-magetan/standar-pelayanan/pengiriman-anjal-at"
    sekarang, lama = (teks_tampak(klien.get(u).get_data(as_text=True)) for u in (url, url + "?versi=1"))
    assert baru_teks in sekarang and lama_teks not in sekarang
    assert lama_teks in lama and baru_teks not in lama
    assert "Anda membaca versi 1, bukan versi yang berlaku." in lama
    assert 'href="/t/kabupaten-magetan/standar-pelayanan/pengiriman-anjal-at?versi=1"' in klien.get(url).get_data(as_text=True)
    pdf_lama = klien.get(url + ".pdf?versi=1")
    teks = " ".join(h.extract_text() for h in PdfReader(io.BytesIO(pdf_lama.data)).pages)
    assert lama_teks in rapat(teks) and "Versi 1" in teks


def test_direktori_seluruh_platform_dan_pencariannya(klien, dimuat):
    semua = teks_tampak(klien.get("/layanan").get_data(as_text=True))
    for nama in ("Dinas Sosial Kota Metro", "Dinas Sosial Kabupaten Magetan", "Dinas Sosial Provinsi Banten",
                 "Dinas Sosial Provinsi Lampung", "Dinas Sosial Provinsi Jawa Timur", "Pendampingan Anak Berhadapan",
                 "Rehabilitasi Sosial Dasar Anak Terlantar Dalam Panti"):
        assert nama in semua
    cari = teks_tampak(klien.get("/layanan?q=ppks+terlantar").get_data(as_text=True))
    assert "Penanganan PPKS Terlantar" in cari
    assert "Pendampingan Anak Berhadapan" not in cari and "Dinas Sosial Kabupaten Magetan" not in cari
    kantor = teks_tampak(klien.get("/layanan?q=magetan").get_data(as_text=True))
    assert "Pengiriman Anak Jalanan" in kantor and "Kota Metro" not in kantor
    nihil = teks_tampak(klien.get("/layanan?q=zzz").get_data(as_text=True))
    assert "Tidak ada kantor atau layanan yang cocok." in nihil


def test_beranda_menautkan_standar_pelayanan(klien, dimuat):
    assert 'href="/t/kota-metro/standar-pelayanan"' in klien.get("/").get_data(as_text=True)


def test_halaman_dalam_bahasa_inggris(klien, dimuat):
    terlihat = teks_tampak(klien.get("/t/kota-metro/standar-pelayanan/pendampingan-abh?lang=en").get_data(as_text=True))
    assert "Service delivery components" in terlihat and "Free of charge" in terlihat
    assert "No fixed limit: until kasus ABH selesai; progress reviewed every 1 bulan" in terlihat


def test_pdf_dibatasi_per_alamat(app, klien, dimuat, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_RATE_LIMIT", "2 per minute")
    url = "/t/kota-metro/standar-pelayanan/pendampingan-abh.pdf"
    kode = [klien.get(url, environ_overrides={"REMOTE_ADDR": "10.9.9.9"}).status_code for _i in range(3)]
    assert kode == [200, 200, 429]
    assert klien.get(url, environ_overrides={"REMOTE_ADDR": "10.9.9.8"}).status_code == 200


def test_checklist_shows_only_the_applicants_side_and_when_the_register_number_is_given(klien, dimuat):
    """Magetan: Buku Register and List kendali are the office's records, not documents to bring (issue 16)."""
    halaman = klien.get("/t/kabupaten-magetan/standar-pelayanan/pengiriman-anjal-at").get_data(as_text=True)
    [ceklis] = re.findall(r'<ul class="ceklis">(.*?)</ul>', halaman, flags=re.S)
    assert re.findall(r'id="cek-([a-z-]+)"', ceklis) == ["surat-keterangan-kepolisian", "surat-keterangan-kehilangan"]
    [kantor] = re.findall(r'id="catatan-kantor">(.*?)</ul>', halaman, flags=re.S)
    assert "Buku Register" in kantor and "List kendali/Verifikasi" in kantor and "cek-" not in kantor
    assert ("Nomor register diberikan pada langkah 2 (Fungsional Pekerja Sosial menerima laporan dan melakukan "
            "register kasus)") in teks_tampak(halaman)
    # An office without the rule keeps today's page: no such sentence.
    metro = klien.get("/t/kota-metro/standar-pelayanan/pendampingan-abh").get_data(as_text=True)
    assert 'id="saat-nomor-register"' not in metro and 'id="catatan-kantor"' not in metro
