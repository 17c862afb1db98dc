"""The region pickers in a browser, with script: lists load as a level is chosen, no round trip, no button needed."""
import re

import pytest
from e2e.aksesibilitas import periksa

from dinsos_uji.bantuan import KATA_SANDI

pytestmark = pytest.mark.slow


def _opsi(page, nama) -> list[str]:
    return page.eval_on_selector(f'select[name="{nama}"]', "s => Array.from(s.options).map(o => o.value).filter(Boolean)")


def test_pemilih_penerimaan_memuat_tingkat_berikutnya(peramban, seed):
    _kantor, staf = seed
    page = peramban()
    page.goto("/t/kabupaten-magetan/masuk")
    page.get_by_label("Email").fill(staf["kabupaten-magetan"]["petugas_pelayanan"].email)
    page.get_by_label("Kata sandi").fill(KATA_SANDI)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dasbor"))
    page.goto("/t/kabupaten-magetan/kasus/baru/pengiriman-anjal-at")
    assert not page.locator('[name="kode_wilayah-perbarui"]').is_visible()  # the script does the round trip's work
    assert "35.20.01.2002" in _opsi(page, "kode_wilayah-4")  # the office's villages before anything is chosen
    page.select_option('[name="kode_wilayah-1"]', "33")
    page.wait_for_function("() => document.querySelector('[name=\"kode_wilayah-2\"]').options.length > 30")
    assert "33.01" in _opsi(page, "kode_wilayah-2") and _opsi(page, "kode_wilayah-3") == [] and _opsi(page, "kode_wilayah-4") == []
    page.select_option('[name="kode_wilayah-2"]', "33.01")
    page.wait_for_function("() => document.querySelector('[name=\"kode_wilayah-3\"]').options.length > 1")
    kecamatan = _opsi(page, "kode_wilayah-3")[0]
    page.select_option('[name="kode_wilayah-3"]', kecamatan)
    page.wait_for_function("() => document.querySelector('[name=\"kode_wilayah-4\"]').options.length > 1")
    assert all(d.startswith(kecamatan + ".") for d in _opsi(page, "kode_wilayah-4"))
    periksa(page)
    page.foto("pemilih-wilayah")


def test_onboarding_memilih_wilayah_mengisi_formulir(peramban, app, kantor_seed):
    from dinsos.auth.services import buat_admin_platform
    from dinsos.core.db import db

    with app.app_context():
        buat_admin_platform("andi@platform.uji", "Andi", KATA_SANDI)
        db.session.commit()
    page = peramban()
    page.goto("/admin/masuk")
    page.fill('[name="email"]', "andi@platform.uji")
    page.fill('[name="kata_sandi"]', KATA_SANDI)
    page.locator('form button[type="submit"]').first.click()
    page.goto("/admin/onboarding/baru")
    assert not page.get_by_role("button", name="Isi formulir dari data wilayah").is_visible()
    page.select_option('[name="provinsi"]', "73")
    page.wait_for_url(re.compile(r"provinsi=73"))
    page.select_option('[name="kabkota"]', "73.01")
    page.wait_for_url(re.compile(r"kabkota=73\.01"))
    assert page.input_value('[name="nama"]') == "Dinas Sosial Kabupaten Kepulauan Selayar"
    assert page.input_value('[name="kode_wilayah"]') == "73.01" and page.input_value('[name="zona_waktu"]') == "Asia/Makassar"
    assert page.is_checked('[name="buat_provinsi"]')
    periksa(page)
    page.foto("onboarding-wilayah")
    page.get_by_role("button", name="Buat draf").click()
    page.wait_for_url(re.compile(r"/draf/kabupaten-kepulauan-selayar"))
    assert "provinsi-sulawesi-selatan juga dibuat" in page.inner_text("main")
