"""A member of the public, on her phone: reads a standard, files a complaint without an account, tracks it."""
import re

import pytest
from aksesibilitas import periksa

pytestmark = pytest.mark.slow


def test_member_of_the_public_reads_a_standard_files_a_complaint_and_tracks_it(halaman, kantor_seed):
    page = halaman
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto("/")
    periksa(page)
    page.foto("direktori")
    page.get_by_role("link", name="Standar pelayanan").nth(3).click()  # Kabupaten Magetan
    page.get_by_role("link", name=re.compile("Pengiriman Anak Jalanan")).click()
    isi = page.content()
    assert "Surat Keterangan dari Kepolisian tentang Orang Terlantar" in isi
    assert "Gratis" in isi and "hari kerja" in isi
    periksa(page)
    page.foto("standar-pelayanan")

    page.goto("/t/kabupaten-magetan/pengaduan/")
    periksa(page)
    page.get_by_label("Isi pengaduan").fill("Petugas tidak ada di ruang pelayanan pada jam kerja.")
    page.foto("formulir-pengaduan")
    page.get_by_role("button", name="Kirim pengaduan").click()
    kode = page.locator(".kode-lacak strong").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", kode)
    page.foto("kode-pelacakan")

    page.get_by_role("link", name="Lacak pengaduan").click()
    page.get_by_label(re.compile("Kode pelacakan")).fill(kode)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # keyboard use: submit without the mouse
    assert "diproses" in page.content().lower()
    periksa(page)
    page.foto("status-pengaduan")
