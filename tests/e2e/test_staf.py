"""Staff journeys in the browser: Sri takes in a child with an incomplete file at Magetan and completes it;
the kepala bidang sees the deadline state on her dashboard."""
import re

import pytest

from aksesibilitas import periksa
from bantuan import KATA_SANDI, buat_staf

pytestmark = pytest.mark.slow

PDF_KECIL = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _masuk(page, slug, email):
    page.goto(f"/t/{slug}/masuk")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(KATA_SANDI)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dasbor"))


def test_sri_takes_in_a_child_with_an_incomplete_file_then_completes_it(halaman, kantor_seed):
    magetan = kantor_seed["kabupaten-magetan"]
    buat_staf(magetan, "petugas_pelayanan", "sri@magetan.uji")
    buat_staf(magetan, "kepala_bidang", "ratna@magetan.uji")
    page = halaman
    _masuk(page, "kabupaten-magetan", "sri@magetan.uji")
    page.get_by_role("link", name="Penerimaan baru").first.click()
    page.get_by_role("link", name=re.compile("Pengiriman Anak Jalanan")).click()
    periksa(page)

    page.get_by_label("Jenis pelapor/pemohon").select_option("kepolisian")
    page.get_by_label("Nama pelapor/petugas").fill("Bripka Santoso")
    page.get_by_label("Instansi").fill("Polres Magetan")
    page.get_by_label("Nomor surat").fill("B/123/XI/2026/Reskrim")
    baris = page.locator(".bidang", has_text="Surat Keterangan dari Kepolisian")
    baris.get_by_label("Status").select_option("dilihat")
    for nama in ("Buku Register", "List kendali"):
        page.locator(".bidang", has_text=nama).get_by_label("Status").select_option("dilihat")
    page.get_by_label("Tanpa identitas").check()
    page.get_by_label(re.compile("Deskripsi")).fill("Anak laki-laki, tidur di terminal bus Maospati, tanpa KTP.")
    page.get_by_label("Jenis kelamin").select_option("L")
    page.get_by_label(re.compile("Perkiraan umur")).fill("12")
    page.foto("penerimaan")
    page.get_by_role("button", name="Simpan penerimaan").click()

    page.wait_for_url(re.compile(r"/kasus/[0-9a-f-]{36}$"))
    assert "Berkas belum lengkap" in page.content()
    assert "Surat Keterangan Kehilangan" in page.locator("#judul-kurang + *").inner_text() or "Kehilangan" in page.content()
    periksa(page)
    page.foto("berkas-belum-lengkap")

    baris = page.locator("tr", has_text="Surat Keterangan Kehilangan")
    baris.locator("input[type=file]").set_input_files({"name": "kehilangan.pdf", "mimeType": "application/pdf", "buffer": PDF_KECIL})
    baris.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    isi = page.content()
    assert "Berkas belum lengkap" not in isi
    nomor = re.search(r"460/\d+/403\.107/\d{4}", isi)
    assert nomor, "the register number is issued once the file is complete"
    page.foto("berkas-lengkap-nomor-register")

    page.get_by_role("button", name="Catat langkah selesai").click()
    page.wait_for_load_state()
    isi = page.content()
    assert "Berita Acara Serah Terima" in isi
    assert "register-kasus" in isi or "register kasus" in isi.lower()
    periksa(page)
    page.foto("serah-terima-selesai")

    page.get_by_role("button", name="Keluar").click()
    _masuk(page, "kabupaten-magetan", "ratna@magetan.uji")
    page.goto("/t/kabupaten-magetan/dasbor/tenggat")
    page.foto("dasbor-tenggat-kabid")
    periksa(page)
    beban = page.locator("table", has_text="Kasus terbuka").inner_text()
    assert "Belum ditugaskan" in beban  # the new case waits for her to assign it
    per_langkah = page.locator("table", has_text="Median").inner_text()
    assert "Pelapor menyerahkan" in per_langkah and "100.0%" in per_langkah
