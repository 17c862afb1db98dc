"""Issuing letters: every kind renders on the office letterhead, is archived unchanged, and its QR verifies."""
import hashlib
import threading
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlparse

import pytest
import segno
from bantuan_surat import DATA, PADA, gambar_pdf, matriks_gambar, teks_pdf, terbitkan
from sqlalchemy import func, select

from dinsos.audit.models import CatatanAudit
from dinsos.core.db import db
from dinsos.core.tenant import dalam_tenant
from dinsos.documents.models import SuratTerbit
from dinsos.documents.qr import png_data_uri, svg_qr
from dinsos.documents.surat import JENIS_SURAT, DataSuratTidakLengkap, terbitkan_surat
from dinsos_uji.bantuan import buat_tenant

# About 7 s: 24 letters rendered, each test loading the real offices.
pytestmark = pytest.mark.slow

KEPALA_MAGETAN = ("PARMINTO BUDI UTOMO, S.Sos., M.AP.", "Pembina Utama Muda", "NIP. 19721221 199302 1 002")
KLIEN = ("Bagas Pratama", "12 tahun", "Laki-laki", "Terminal Maospati, Magetan")
ISIAN = ("Kondisi fisik", "Sehat, ada luka lecet", "Tas ransel, Sandal", "Bersekolah")

# What each kind must print from the caller's data, besides number, office, date and signatory.
ISI_WAJIB = {
    "berita_acara_serah_terima": ("BERITA ACARA SERAH TERIMA", "Bripka Agus Salim", "Polres Magetan", "Sri Wahyuningsih",
                                  "PIHAK PERTAMA", "PIHAK KEDUA", "460/17/403.107/2026", *KLIEN, *ISIAN),
    "surat_tugas": ("SURAT TUGAS", "MENUGASKAN", "Sri Wahyuningsih", "19800101 200501 2 003", "460/17/403.107/2026",
                    "Pengiriman Anak Jalanan dan Anak Terlantar ke Balai Rehabilitasi", "mengantar klien ke Balai Rehabilitasi Sosial"),
    "form_asesmen": ("FORMULIR ASESMEN", "Hasil Asesmen", *KLIEN, *ISIAN, DATA["catatan"], "Sri Wahyuningsih"),
    "laporan_sosial": ("LAPORAN SOSIAL", *KLIEN, *ISIAN, DATA["catatan"], "Bripka Agus Salim"),
    "form_rujukan": ("FORMULIR RUJUKAN", "Balai Rehabilitasi Sosial Anak Handayani", "Jl. PPA Bambu Apus, Jakarta Timur",
                     *KLIEN, "Surat keterangan kepolisian"),
    "rekomendasi_penanganan": ("REKOMENDASI PENANGANAN", *KLIEN, *ISIAN, "460/17/403.107/2026"),
    "surat_pengantar": ("Yth. Balai Rehabilitasi Sosial Anak Handayani", "di Jl. PPA Bambu Apus, Jakarta Timur",
                        "Perihal : Pengantar Klien", *KLIEN, "mengantar klien ke Balai Rehabilitasi Sosial"),
    "pemberitahuan_kekurangan_berkas": ("belum lengkap", "Surat keterangan hilang identitas (dari kepolisian)",
                                        "Pengiriman Anak Jalanan dan Anak Terlantar ke Balai Rehabilitasi",
                                        "Yth. Bripka Agus Salim", "dihitung sejak berkas dinyatakan lengkap dan benar"),
    "tanda_terima": ("TANDA TERIMA", "Bripka Agus Salim", "Surat keterangan kepolisian", "Buku register", *KLIEN,
                     "Rabu, 25 November 2026"),
    "laporan_perkembangan": ("LAPORAN PERKEMBANGAN", *KLIEN, *ISIAN, DATA["catatan"], "Bripka Agus Salim", "Sri Wahyuningsih"),
    "surat_keputusan_rehabilitasi": ("SURAT KEPUTUSAN AKHIR REHABILITASI", "pada akhir masa rehabilitasi", *KLIEN, *ISIAN,
                                     "Polres Magetan", "Menetapkan,"),
    "lembar_disposisi": ("LEMBAR DISPOSISI", *KLIEN, "460/17/403.107/2026", "Kepala Dinas", "Parminto Budi Utomo",
                         "Rabu, 25 November 2026 pukul 08.15", "Tugaskan Kabid Rehsos", "Kepala Bidang", "Endang Lestari",
                         "pukul 08.40", "Fungsional: asesmen lengkap", "mengantar klien ke Balai Rehabilitasi Sosial"),
    "permintaan_litmas": ("Perihal : Permintaan Penelitian Kemasyarakatan (Litmas)", "Yth. Balai Rehabilitasi Sosial Anak Handayani",
                          "Penelitian Kemasyarakatan (Litmas)", "Sistem Peradilan Pidana Anak", *KLIEN, "Sri Wahyuningsih"),
    "permohonan_biometrik": ("Perihal : Permohonan Pengecekan Data Kependudukan (Biometrik)",
                             "Yth. Balai Rehabilitasi Sosial Anak Handayani", "perekaman biometrik", *KLIEN, "Sri Wahyuningsih"),
    "surat_selesai_layanan": ("Perihal : Keterangan Selesai Layanan", "Yth. Bripka Agus Salim", *KLIEN, "460/17/403.107/2026",
                              "hasil akhir: Diterima Balai Rehabilitasi", "Survei Kepuasan Masyarakat", "token=uji-token"),
}


def test_every_kind_has_a_title_and_a_template(app):
    assert set(ISI_WAJIB) == set(JENIS_SURAT)
    for kode, jenis in JENIS_SURAT.items():
        assert jenis.judul and jenis.perihal
        assert app.jinja_env.get_template(f"dokumen/surat/{kode}.html")


@pytest.mark.parametrize("jenis", sorted(JENIS_SURAT))
def test_each_kind_renders_archives_and_verifies(app, klien, kantor, jenis):
    magetan = kantor["kabupaten-magetan"]
    surat = terbitkan(app, magetan.id, jenis)

    teks = teks_pdf(surat.pdf)
    assert surat.nomor == "400.9/1/403.107/2026"  # Magetan's own format, first letter of its year
    for harus in (surat.nomor, magetan.nama, "PEMERINTAH KABUPATEN MAGETAN", "Magetan, 25 November 2026",
                  "Lampiran", "Perihal", *KEPALA_MAGETAN, *ISI_WAJIB[jenis]):
        assert harus in teks, f"{jenis}: {harus!r} missing from the PDF text"
    assert "{{" not in teks and "None" not in teks

    # Archived unchanged: the stored hash is the hash of the stored bytes.
    assert hashlib.sha256(surat.pdf).hexdigest() == surat.sidik
    with app.app_context(), dalam_tenant(magetan.id):
        baris = db.session.get(SuratTerbit, (magetan.id, uuid.UUID(surat.id)))
        assert (baris.jenis, baris.objek_jenis, baris.objek_id) == (jenis, "uji_kasus", "kasus-1")
        assert baris.diterbitkan_pada == PADA and baris.diterbitkan_oleh == "sistem"

    # The QR in the PDF encodes exactly the verification URL printed beside it.
    assert surat.url == f"http://localhost/t/kabupaten-magetan/verifikasi/{surat.kode}"
    assert surat.url in teks
    qr = [g for g in gambar_pdf(surat.pdf) if g.size[0] == g.size[1]]
    assert len(qr) == 1
    assert matriks_gambar(qr[0]) == [list(b) for b in segno.make(surat.url, error="m").matrix]

    # ... and that URL says genuine, without any personal data.
    r = klien.get(urlparse(surat.url).path)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "ASLI" in html and "TIDAK ASLI" not in html
    for harus in (surat.nomor, JENIS_SURAT[jenis].judul, "25 November 2026", magetan.nama, surat.sidik):
        assert harus in html
    for rahasia in ("Bagas", "Agus Salim", "Wahyuningsih", "Maospati", "kasus-1", "460/17/403.107/2026"):
        assert rahasia not in html


def test_the_qr_image_would_not_match_another_url(app, kantor):
    surat = terbitkan(app, kantor["kabupaten-magetan"].id, "surat_tugas")
    (qr,) = [g for g in gambar_pdf(surat.pdf) if g.size[0] == g.size[1]]
    lain = surat.url[:-1] + ("A" if surat.url[-1] != "A" else "B")
    assert matriks_gambar(qr) != [list(b) for b in segno.make(lain, error="m").matrix]


def test_issuing_is_audited_against_the_object_and_numbers_follow_on(app, kantor):
    magetan = kantor["kabupaten-magetan"]
    pertama = terbitkan(app, magetan.id, "tanda_terima", objek_id="kasus-9")
    kedua = terbitkan(app, magetan.id, "surat_tugas", objek_id="kasus-9")
    assert (pertama.nomor, kedua.nomor) == ("400.9/1/403.107/2026", "400.9/2/403.107/2026")
    assert pertama.kode != kedua.kode and len(pertama.kode) >= 22
    with app.app_context(), dalam_tenant(magetan.id):  # the office's own audit rows (RLS: none without an office bound)
        catatan = db.session.scalars(
            select(CatatanAudit).where(CatatanAudit.tindakan == "terbitkan_surat").order_by(CatatanAudit.id)
        ).all()
    assert [(c.tenant_id, c.objek_jenis, c.objek_id) for c in catatan] == [(magetan.id, "uji_kasus", "kasus-9")] * 2
    assert [c.rincian["nomor"] for c in catatan] == [pertama.nomor, kedua.nomor]
    assert catatan[0].rincian["surat_id"] == pertama.id and catatan[0].rincian["sidik"] == pertama.sidik


def test_daftar_surat_lists_an_objects_letters_only(app, kantor):
    from dinsos.documents.surat import daftar_surat

    magetan = kantor["kabupaten-magetan"]
    a = terbitkan(app, magetan.id, "tanda_terima", objek_id="kasus-1")
    terbitkan(app, magetan.id, "tanda_terima", objek_id="kasus-2")
    b = terbitkan(app, magetan.id, "surat_tugas", objek_id="kasus-1", pada=datetime(2026, 11, 26, 3, tzinfo=timezone.utc))
    with app.app_context(), dalam_tenant(magetan.id):
        assert [s.nomor for s in daftar_surat("uji_kasus", "kasus-1")] == [a.nomor, b.nomor]


@pytest.mark.parametrize(
    "jenis, data, pesan",
    [
        ("surat_sakti", DATA, "Jenis surat 'surat_sakti' tidak dikenal"),
        ("surat_pengantar", {**DATA, "tujuan": None}, "'tujuan' wajib diisi"),
        ("pemberitahuan_kekurangan_berkas", {**DATA, "daftar_kekurangan": []}, "'daftar_kekurangan' wajib diisi"),
        ("tanda_terima", {"pelapor": "Lurah Hadimulyo"}, "'daftar_diterima' atau 'klien' wajib diisi"),
        # a hand-over names who hands over: the reporter (to the office) or, the office handing over, who receives
        ("berita_acara_serah_terima", {**DATA, "pelapor": None}, "'pelapor' atau 'penerima' wajib diisi"),
    ],
)
def test_unusable_data_is_refused_before_a_number_is_taken(app, kantor, jenis, data, pesan):
    magetan = kantor["kabupaten-magetan"]
    with app.app_context(), dalam_tenant(magetan.id):
        with pytest.raises(DataSuratTidakLengkap, match=pesan):
            terbitkan_surat(jenis, data=data, objek_jenis="uji_kasus", objek_id="x", pada=PADA)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(SuratTerbit)) == 0
    assert terbitkan(app, magetan.id, "surat_tugas").nomor == "400.9/1/403.107/2026"


def test_a_rolled_back_letter_gives_its_number_back(app, kantor):
    magetan = kantor["kabupaten-magetan"]
    with app.app_context(), dalam_tenant(magetan.id):
        terbitkan_surat("surat_tugas", data=DATA, objek_jenis="uji_kasus", objek_id="x", pada=PADA)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(SuratTerbit)) == 0
    assert terbitkan(app, magetan.id, "surat_tugas").nomor == "400.9/1/403.107/2026"


def test_an_office_without_a_recorded_head_prints_blanks_to_sign_by_hand(app, kantor):
    banten = kantor["provinsi-banten"]
    teks = teks_pdf(terbitkan(app, banten.id, "surat_pengantar").pdf)
    assert "KEPALA DINAS SOSIAL PROVINSI BANTEN," in teks
    assert "(.................................................)" in teks and "NIP. ......" in teks
    assert "Banten, 25 November 2026" in teks and "400.9/1/DINSOS/XI/2026" in teks


def test_the_caller_can_name_another_signatory(app, kantor):
    magetan = kantor["kabupaten-magetan"]
    kabid = {"nama": "Drs. HARTONO", "pangkat": "Pembina / IVa", "nip": "19700202 199503 1 004",
             "jabatan": "Kepala Bidang Rehabilitasi Sosial"}
    teks = teks_pdf(terbitkan(app, magetan.id, "rekomendasi_penanganan", penandatangan=kabid).pdf)
    assert "KEPALA BIDANG REHABILITASI SOSIAL," in teks and "Drs. HARTONO" in teks and "NIP. 19700202 199503 1 004" in teks
    assert "PARMINTO" not in teks


def test_date_place_and_numbers_use_the_offices_own_zone(app):
    jayapura = buat_tenant(app, "kota-jayapura", zona="Asia/Jayapura", kop_surat={"baris": ["PEMERINTAH KOTA JAYAPURA"]},
                           format_nomor={"surat": "{n}/DS/{mm}/{yyyy}"})
    # 31 Dec 2026 16:00 UTC is already 1 Jan 2027 in Jayapura (WIT, UTC+9).
    surat = terbitkan(app, jayapura.id, "surat_tugas", pada=datetime(2026, 12, 31, 16, tzinfo=timezone.utc))
    teks = teks_pdf(surat.pdf)
    assert surat.nomor == "1/DS/01/2027"
    assert "Jayapura, 1 Januari 2027" in teks and "PEMERINTAH KOTA JAYAPURA" in teks


def test_the_place_can_be_set_on_the_letterhead(app):
    serang = buat_tenant(app, "provinsi-uji", tingkat="provinsi", kop_surat={"baris": ["PEMERINTAH PROVINSI UJI"], "tempat": "Serang"})
    assert "Serang, 25 November 2026" in teks_pdf(terbitkan(app, serang.id, "surat_tugas").pdf)


class _Penghitung(BaseHTTPRequestHandler):
    kunjungan = 0

    def do_GET(self):
        type(self).kunjungan += 1
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(b"")

    def log_message(self, *args):
        pass


def test_rendering_fetches_nothing_from_the_network_and_embeds_a_data_logo(app):
    server = HTTPServer(("127.0.0.1", 0), _Penghitung)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        jarak_jauh = buat_tenant(app, "kota-jauh", kop_surat={"baris": ["KOP"], "logo": f"http://127.0.0.1:{server.server_port}/logo.png"})
        surat = terbitkan(app, jarak_jauh.id, "surat_tugas")
    finally:
        server.shutdown()
    assert _Penghitung.kunjungan == 0
    assert len(gambar_pdf(surat.pdf)) == 1  # only the QR code

    logo = png_data_uri("logo")  # any PNG will do as a logo
    berlogo = buat_tenant(app, "kota-logo", kop_surat={"baris": ["KOP"], "logo": logo})
    assert len(gambar_pdf(terbitkan(app, berlogo.id, "surat_tugas").pdf)) == 2


def test_svg_qr_is_a_standalone_inline_svg_per_url():
    import xml.etree.ElementTree as ET

    a, b = svg_qr("https://contoh.go.id/survei/1"), svg_qr("https://contoh.go.id/survei/2")
    akar = ET.fromstring(a)
    assert akar.tag.endswith("svg") and akar.get("width") == akar.get("height")
    assert a != b and "href" not in a and "<?xml" not in a
