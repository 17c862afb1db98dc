"""A platform admin in the browser (issue 18): a seed decree's text pasted, its proposal reviewed, added and published.

The admin opens Magetan's files as a draft, pastes the text of a Standar
Pelayanan decree from ``../shared/seeds`` (the copy in tests/catalogue/seeds),
reads the proposal (each value beside its source line, the lines not placed),
adds it to the draft, checks the draft and publishes; the service is then on
the office's public page. Screenshots land in ``test-artifacts/e2e/``.
"""
import re

import pytest

pytestmark = pytest.mark.slow


def test_admin_mengimpor_teks_keputusan_meninjau_dan_menerbitkan(peramban, app, kantor_seed):
    from dinsos.auth.services import buat_admin_platform
    from dinsos.core.db import db
    from dinsos_uji.bantuan import KATA_SANDI
    from dinsos_uji.teks_keputusan import FOLDER_SEED

    seed = next(FOLDER_SEED.glob("000_*.txt")).read_text(encoding="utf-8")
    with app.app_context():
        buat_admin_platform("sinta@platform.uji", "Sinta", KATA_SANDI)
        db.session.commit()
    page = peramban()
    page.goto("/admin/masuk")
    page.fill('[name="email"]', "sinta@platform.uji")
    page.fill('[name="kata_sandi"]', KATA_SANDI)
    page.locator('form button[type="submit"]').first.click()

    page.goto("/admin/onboarding")
    page.locator('form[action$="/kantor/kabupaten-magetan/ubah"] button').click()
    assert page.url.endswith("/admin/onboarding/draf/kabupaten-magetan")
    page.get_by_role("link", name="Impor dari teks keputusan").click()
    page.fill('[name="teks"]', seed)
    page.get_by_role("button", name="Usulkan").click()

    # The review: every proposed value beside the line it came from, and what could not be placed.
    usulan = page.locator("#usulan")
    assert "keputusan.nomor" in usulan.inner_text() and "/KPTS/D-5/2023" in usulan.inner_text()
    assert "Nomor : /KPTS/D-5/2023" in usulan.inner_text()
    assert "DINAS SOSIAL KOTA METRO" in page.locator("#tak-terpakai").inner_text()
    isi = page.locator('#buat [name="isi"]').input_value()
    assert isi.startswith("# Diimpor otomatis dari teks keputusan") and "keputusan.nomor: baris 14" in isi
    kode = page.locator('#buat [name="kode"]').input_value()
    page.foto("usulan-impor")
    page.get_by_role("button", name="Tambahkan layanan ke draf").click()
    assert page.url.endswith(f"/berkas/services/{kode}.yaml")

    # Nothing is public yet; the draft checks, then publishes.
    assert "Anak Berhadapan dengan Hukum" not in peramban().goto(
        f"{page.url.split('/admin')[0]}/t/kabupaten-magetan/standar-pelayanan").text()
    page.goto("/admin/onboarding/draf/kabupaten-magetan")
    assert page.get_by_text("Semua berkas valid.").is_visible()
    page.foto("draf-valid")
    page.get_by_role("button", name="Terbitkan").click()
    assert "diterbitkan" in page.inner_text("main")
    page.goto("/t/kabupaten-magetan/standar-pelayanan")
    assert re.search("Anak Berhadapan dengan Hukum", page.inner_text("main"), re.I)
    page.foto("halaman-publik")
