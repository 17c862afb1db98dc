"""The report pages on a phone (390 px): nothing pushes the page wider than the screen; wide tables scroll in their box."""
import re

import pytest
from e2e.aksesibilitas import periksa

from dinsos_uji.bantuan import KATA_SANDI

pytestmark = pytest.mark.slow


def _masuk(page, slug, email):
    page.goto(f"/t/{slug}/masuk")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(KATA_SANDI)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dasbor"))


def _muat_di_layar(page) -> None:
    lebar = page.evaluate("() => document.documentElement.scrollWidth")
    assert lebar <= 390, f"{page.url} is {lebar}px wide on a 390px screen"


def test_laporan_di_ponsel(peramban, data):
    page = peramban()
    page.set_viewport_size({"width": 390, "height": 844})
    _masuk(page, "kabupaten-magetan", data["staf"]["kabupaten-magetan"]["kepala_bidang"].email)
    page.goto("/t/kabupaten-magetan/laporan")
    page.get_by_role("link", name="Rekap menurut periode dan dimensi").click()
    page.get_by_label("Bulan (1–12)").fill("5")
    page.get_by_label("Tahun").fill("2026")
    page.get_by_label("Kolom").select_option("jenis_kelamin")
    page.get_by_role("button", name="Tampilkan").click()
    assert "Mei 2026" in page.content() and page.locator("svg[role=img]").count() == 1
    periksa(page)
    _muat_di_layar(page)
    page.foto("rekap")
    page.goto("/t/kabupaten-magetan/laporan/register?tahun=2026")
    periksa(page)
    _muat_di_layar(page)
    page.foto("register")

    prov = peramban()
    prov.set_viewport_size({"width": 390, "height": 844})
    _masuk(prov, "provinsi-jawa-timur", data["staf"]["provinsi-jawa-timur"]["kepala_dinas"].email)
    prov.goto("/t/provinsi-jawa-timur/laporan/provinsi?periode=bulan&tahun=2026&bulan=5")
    periksa(prov)
    _muat_di_layar(prov)
    prov.foto("provinsi")
