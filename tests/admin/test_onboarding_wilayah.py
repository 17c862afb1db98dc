"""Onboarding from the official region data: choosing a province and kabupaten/kota fills the new-office form.

The chooser is a GET form (no script needed); a kabupaten/kota whose province
is not on the platform is offered its province's draft in the same step.
"""
import html
import re

import yaml
from sqlalchemy import select

from dinsos.admin.models import DrafOnboarding
from dinsos.core.db import db
from dinsos.core.tenant import ruang_platform
from dinsos_uji.bantuan import token_csrf

BARU = "/admin/onboarding/baru"


def teks(r) -> str:
    return html.unescape(r.get_data(as_text=True))


def nilai(halaman: str, nama: str) -> str | None:
    """The value of an input, or the selected option of a select, named ``nama``."""
    m = re.search(rf'<input[^>]*name="{nama}"[^>]*value="([^"]*)"', halaman) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{nama}"', halaman)
    if m:
        return m.group(1)
    pilih = re.search(rf'<select[^>]*name="{nama}".*?</select>', halaman, re.S)
    if pilih:
        for opsi in re.findall(r"<option[^>]*>", pilih.group(0)):
            if re.search(r"\bselected\b", opsi):
                return re.search(r'value="([^"]*)"', opsi).group(1)
        return ""
    return None


def draf(app) -> dict:
    with app.app_context(), ruang_platform():
        return {d.slug: d.berkas for d in db.session.scalars(select(DrafOnboarding))}


def test_memilih_provinsi_lalu_kabupaten_mengisi_formulir(admin, dimuat):
    halaman = teks(admin.get(BARU))
    assert 'name="provinsi"' in halaman and ">Sulawesi Selatan</option>" in halaman
    assert 'name="kabkota"' in halaman and "pilih provinsi dulu" in halaman
    # Step one, without script: the province lists its kabupaten/kota and proposes the province's own office.
    halaman = teks(admin.get(f"{BARU}?provinsi=35"))
    assert ">Kabupaten Magetan</option>" in halaman and ">Kota Surabaya</option>" in halaman
    assert nilai(halaman, "nama") == "Dinas Sosial Provinsi Jawa Timur" and nilai(halaman, "tingkat") == "provinsi"
    # Step two: the kabupaten fills name, slug, level, code and zone; its registered province is the parent.
    halaman = teks(admin.get(f"{BARU}?provinsi=35&kabkota=35.19"))
    assert {n: nilai(halaman, n) for n in ("slug", "nama", "tingkat", "kode_wilayah", "zona_waktu", "provinsi_induk")} == {
        "slug": "kabupaten-madiun", "nama": "Dinas Sosial Kabupaten Madiun", "tingkat": "kabupaten",
        "kode_wilayah": "35.19", "zona_waktu": "Asia/Jakarta", "provinsi_induk": "provinsi-jawa-timur"}
    assert "belum terdaftar di platform" not in halaman
    # A kabupaten of another province than the one chosen is ignored, not mixed in.
    assert nilai(teks(admin.get(f"{BARU}?provinsi=36&kabkota=35.19")), "kode_wilayah") == "36"


def test_zona_waktu_mengikuti_provinsi(admin, dimuat):
    assert nilai(teks(admin.get(f"{BARU}?provinsi=73&kabkota=73.01")), "zona_waktu") == "Asia/Makassar"
    assert nilai(teks(admin.get(f"{BARU}?provinsi=91&kabkota=91.03")), "zona_waktu") == "Asia/Jayapura"
    assert nilai(teks(admin.get(f"{BARU}?provinsi=61&kabkota=61.71")), "zona_waktu") == "Asia/Pontianak"


def test_provinsi_yang_belum_ada_dibuat_dalam_langkah_yang_sama(app, admin, dimuat):
    halaman = teks(admin.get(f"{BARU}?provinsi=73&kabkota=73.01"))
    assert "Provinsinya, Dinas Sosial Provinsi Sulawesi Selatan, belum terdaftar di platform." in halaman
    assert nilai(halaman, "provinsi_induk") == "" and "checked" in re.search(r'<input[^>]*name="buat_provinsi"[^>]*>', halaman).group(0)
    data = {n: nilai(halaman, n) for n in ("slug", "nama", "tingkat", "kode_wilayah", "zona_waktu", "provinsi_induk")}
    r = admin.post(BARU, data={**data, "buat_provinsi": "y", "csrf_token": token_csrf(halaman)})
    assert r.status_code == 302 and r.headers["Location"].endswith("/admin/onboarding/draf/kabupaten-kepulauan-selayar")
    semua = draf(app)
    assert set(semua) == {"kabupaten-kepulauan-selayar", "provinsi-sulawesi-selatan"}
    assert "provinsi_induk: provinsi-sulawesi-selatan" in semua["kabupaten-kepulauan-selayar"]["tenant.yaml"]
    prov = yaml.safe_load(semua["provinsi-sulawesi-selatan"]["tenant.yaml"])
    assert {k: prov[k] for k in ("nama", "tingkat", "kode_wilayah", "zona_waktu", "provinsi_induk")} == {
        "nama": "Dinas Sosial Provinsi Sulawesi Selatan", "tingkat": "provinsi", "kode_wilayah": "73",
        "zona_waktu": "Asia/Makassar", "provinsi_induk": None}
    tampil = teks(admin.get(r.headers["Location"]))
    assert "Draf kantor provinsi provinsi-sulawesi-selatan juga dibuat" in tampil
    # The next kabupaten of the same province finds that draft as its parent: no second province draft.
    halaman = teks(admin.get(f"{BARU}?provinsi=73&kabkota=73.71"))
    assert nilai(halaman, "provinsi_induk") == "provinsi-sulawesi-selatan"
    assert "Provinsi Sulawesi Selatan (draf, belum diterbitkan)" in halaman
    data = {n: nilai(halaman, n) for n in ("slug", "nama", "tingkat", "kode_wilayah", "zona_waktu", "provinsi_induk")}
    assert admin.post(BARU, data={**data, "csrf_token": token_csrf(halaman)}).status_code == 302
    assert set(draf(app)) == {"kabupaten-kepulauan-selayar", "provinsi-sulawesi-selatan", "kota-makassar"}


def test_gagal_membuat_kabupaten_tidak_meninggalkan_draf_provinsi(app, admin, dimuat):
    """All or nothing: a refused kabupaten draft takes the province draft of the same step with it."""
    halaman = teks(admin.get(f"{BARU}?provinsi=73&kabkota=73.01"))
    data = {n: nilai(halaman, n) for n in ("nama", "tingkat", "kode_wilayah", "zona_waktu")}
    r = admin.post(BARU, data={**data, "slug": "kota-metro", "provinsi_induk": "", "buat_provinsi": "y",
                               "csrf_token": token_csrf(halaman)})
    assert r.status_code == 409 and "sudah terdaftar" in teks(r)
    assert draf(app) == {}


def test_tanpa_centang_provinsi_tetap_wajib_terdaftar(app, admin, dimuat):
    halaman = teks(admin.get(f"{BARU}?provinsi=73&kabkota=73.01"))
    data = {n: nilai(halaman, n) for n in ("slug", "nama", "tingkat", "kode_wilayah", "zona_waktu")}
    r = admin.post(BARU, data={**data, "provinsi_induk": "tidak-ada", "csrf_token": token_csrf(halaman)})
    assert r.status_code == 400 and "Provinsi induk tidak terdaftar" in teks(r)
    assert draf(app) == {}
    r = admin.post(BARU, data={**data, "slug": "kab-x", "kode_wilayah": "99.01", "provinsi_induk": "", "buat_provinsi": "y",
                               "csrf_token": token_csrf(halaman)})
    assert r.status_code == 400 and "tidak berada di provinsi mana pun dalam data wilayah Kemendagri" in teks(r)
    assert draf(app) == {}
