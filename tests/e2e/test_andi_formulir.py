"""Andi in the browser (issue 18): a new kabupaten with a five-step service, through the form editor only.

No YAML is typed: the office's file is filled in its form, the service is
built from an empty one by adding rows, typing values and picking actors,
durations, letter types and next steps, then published. Screenshots of the
form at 1366 px and 390 px land in ``test-artifacts/e2e/``.
"""
import re

import pytest

pytestmark = pytest.mark.slow

P, M = "penyampaian_pelayanan", "pengelolaan_pelayanan"
LANGKAH = [
    ("serah-terima", "Menerima klien dan berkasnya", ["petugas_pelayanan"], "berita_acara_serah_terima", "1", "jam"),
    ("register", "Mencatat klien di buku register", ["petugas_pelayanan"], "nomor_register", "15", "menit"),
    ("asesmen", "Asesmen kebutuhan klien", ["pekerja_sosial"], "form_asesmen", "2", "hari_kerja"),
    ("laporan-sosial", "Menyusun laporan sosial", ["pekerja_sosial", "kepala_bidang"], "laporan_sosial", "1", "hari_kerja"),
    ("pengiriman", "Mengirim klien ke balai", ["kepala_dinas"], "surat_pengantar", "72", "jam_kalender"),
]
DAFTAR = ([f"{P}.persyaratan.dokumen", f"{P}.prosedur", f"{P}.pengaduan.sarana", f"{P}.pengaduan.tindak_lanjut",
           "sop.hasil_akhir"]
          + [f"{M}.{k}" for k in ("dasar_hukum", "sarana_prasarana", "kompetensi_pelaksana", "pengawasan_internal",
                                  "jaminan_pelayanan", "jaminan_keamanan_keselamatan", "evaluasi_kinerja")])
TEKS = {
    "nama": "Pengiriman Anak Jalanan ke Balai Rehabilitasi", "keputusan.ditetapkan_di": "Ngawi",
    f"{P}.persyaratan.dokumen.0.kode": "surat-kepolisian", f"{P}.persyaratan.dokumen.0.nama": "Surat keterangan kepolisian",
    f"{P}.persyaratan.dokumen.0.penerbit": "Kepolisian", f"{P}.prosedur.0": "Pemohon datang ke ruang pelayanan",
    f"{P}.jangka_waktu.uraian": "2 hari kerja sejak berkas lengkap", f"{P}.jangka_waktu.aturan.minimal": "1",
    f"{P}.jangka_waktu.aturan.maksimal": "2", f"{P}.biaya.uraian": "Tidak dipungut biaya",
    f"{P}.produk.uraian": "Anak terkirim ke balai rehabilitasi", f"{P}.pengaduan.sarana.0.nilai": "Kotak saran",
    f"{P}.pengaduan.tindak_lanjut.0.kode": "jawab", f"{P}.pengaduan.tindak_lanjut.0.nama": "Pengaduan dijawab",
    f"{M}.jumlah_pelaksana.uraian": "3 orang", f"{M}.jumlah_pelaksana.jumlah": "3",
    "sop.nama": "SOP Pengiriman Anjal", "sop.hasil_akhir.0.kode": "terkirim", "sop.hasil_akhir.0.nama": "Terkirim ke balai",
    **{f"{M}.{k}.0": f"Butir {k.replace('_', ' ')}" for k in ("dasar_hukum", "sarana_prasarana", "kompetensi_pelaksana",
                                                              "pengawasan_internal", "jaminan_pelayanan",
                                                              "jaminan_keamanan_keselamatan", "evaluasi_kinerja")},
}
PILIH = {f"{P}.persyaratan.dokumen.0.wajib": "true", f"{P}.jangka_waktu.aturan.mulai": "berkas_lengkap",
         f"{P}.biaya.gratis": "true", f"{P}.pengaduan.sarana.0.jenis": "kotak_saran"}


def _isi(page, nama, nilai):
    page.locator(f'[name="{nama}"]').fill(nilai)


def test_andi_mendaftarkan_kabupaten_dengan_formulir_saja(peramban, app, kantor_seed):
    from dinsos.auth.services import buat_admin_platform
    from dinsos.core.db import db
    from dinsos_uji.bantuan import KATA_SANDI

    with app.app_context():
        buat_admin_platform("andi@platform.uji", "Andi", KATA_SANDI)
        db.session.commit()
    page = peramban()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/admin/masuk")
    page.fill('[name="email"]', "andi@platform.uji")
    page.fill('[name="kata_sandi"]', KATA_SANDI)
    page.locator('form button[type="submit"]').first.click()

    page.goto("/admin/onboarding/baru")
    assert "/t/<slug>/" in page.inner_text("main")
    page.fill('[name="slug"]', "kabupaten-ngawi")
    page.fill('[name="nama"]', "Dinas Sosial Kabupaten Ngawi")
    page.select_option('[name="tingkat"]', "kabupaten")
    page.select_option('[name="provinsi_induk"]', "provinsi-jawa-timur")
    page.fill('[name="kode_wilayah"]', "35.21")
    page.select_option('[name="zona_waktu"]', "Asia/Jakarta")
    page.get_by_role("button", name="Buat draf").click()

    # the office's own file, in its form
    page.get_by_role("link", name="Ubah dengan formulir").first.click()
    _isi(page, "alamat", "Jalan Teuku Umar 1, Ngawi")
    page.get_by_role("button", name="Simpan dan periksa").last.click()
    assert page.locator('[name="alamat"]').input_value() == "Jalan Teuku Umar 1, Ngawi"
    page.foto("formulir-kantor")
    page.get_by_role("link", name=re.compile("Kembali ke draf")).click()

    # a new, empty service, opened in the form editor
    page.fill('#layanan-baru [name="kode"]', "pengiriman-anjal")
    page.get_by_role("button", name="Tambahkan").click()
    assert "/formulir/services/pengiriman-anjal.yaml" in page.url
    for kunci in DAFTAR:
        page.locator(f'button[value="tambah:{kunci}"]').click()
    for _ in LANGKAH:
        page.locator('button[value="tambah:sop.langkah"]').click()
    for nama, nilai in TEKS.items():
        _isi(page, nama, nilai)
    for nama, nilai in PILIH.items():
        page.select_option(f'[name="{nama}"]', nilai)
    page.check('[name="kategori_ppks"][value="2"]')
    page.check('[name="kategori_ppks"][value="4"]')
    for i, (kode, kegiatan, pelaksana, dokumen, jumlah, satuan) in enumerate(LANGKAH):
        _isi(page, f"sop.langkah.{i}.kode", kode)
        _isi(page, f"sop.langkah.{i}.kegiatan", kegiatan)
        _isi(page, f"sop.langkah.{i}.kelengkapan", "Berkas klien")
        _isi(page, f"sop.langkah.{i}.output", kegiatan)
        for aktor in pelaksana:
            page.check(f'[name="sop.langkah.{i}.pelaksana"][value="{aktor}"]')
        page.select_option(f'[name="sop.langkah.{i}.dokumen_keluaran"]', dokumen)
        _isi(page, f"sop.langkah.{i}.waktu.__jumlah", jumlah)
        page.select_option(f'[name="sop.langkah.{i}.waktu.__satuan"]', satuan)
    page.get_by_role("button", name="Simpan dan periksa").last.click()
    for i in range(len(LANGKAH) - 1):  # now the steps exist, each one's next step is picked from them
        page.select_option(f'[name="sop.langkah.{i}.berikutnya"]', LANGKAH[i + 1][0])
    page.get_by_role("button", name="Simpan dan periksa").last.click()
    assert page.get_by_text("Versi tersimpan berkas ini valid.").is_visible()
    page.foto("formulir-layanan-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    page.foto("formulir-layanan-390")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("link", name=re.compile("Kembali ke draf")).click()
    assert page.get_by_text("Semua berkas valid.").is_visible()
    page.get_by_role("button", name="Terbitkan").click()
    assert "diterbitkan" in page.inner_text("main")
    page.goto("/t/kabupaten-ngawi/standar-pelayanan")
    assert "Pengiriman Anak Jalanan ke Balai Rehabilitasi" in page.inner_text("main")
    page.foto("halaman-publik")
