"""Browser steps the end-to-end tests share: logging in at an office, the file verification, the disposition chain.

Each takes a Playwright page and acts as a person would (labels and buttons
as the page names them), then checks the page's confirmation, so a test that
calls them fails where the UI changed, not later.
"""
import re

from dinsos_uji.bantuan import KATA_SANDI


def masuk_peramban(page, slug: str, email: str, kata_sandi: str = KATA_SANDI) -> None:
    """Log in at the office ``slug`` and land on the dashboard."""
    page.goto(f"/t/{slug}/masuk")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(kata_sandi)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dasbor"))


def verifikasi_berkas_benar(page, catatan: str = "Berkas lengkap dan benar.") -> None:
    """On a case page whose complete file waits for verification: find it complete and correct (Magetan's butir 2)."""
    bagian = page.locator("#verifikasi")
    bagian.get_by_label("Hasil verifikasi").select_option("benar")
    bagian.get_by_label(re.compile("^Catatan verifikasi")).fill(catatan)
    bagian.get_by_role("button", name="Catat hasil verifikasi").click()
    page.wait_for_load_state()
    assert "Hasil verifikasi berkas dicatat." in page.content(), page.locator("main").inner_text()


def catat_disposisi(page, isi: str) -> None:
    """Record this person's link of the running step's disposition chain (not the last one: that records the step)."""
    bagian = page.locator("#disposisi")
    bagian.get_by_label("Isi disposisi").fill(isi)
    bagian.get_by_role("button", name="Catat disposisi").click()
    page.wait_for_load_state()
    assert "Disposisi dicatat." in page.content(), page.locator("main").inner_text()
