"""Onboarding YAML with odd content answers a located message, never a 500 (issue 19, item 5)."""
import pytest

from test_onboarding import LAYANAN, MAGETAN, draf_magetan, isi_berkas, simpan, teks, unggah, zip_dari  # noqa: F401


def test_integer_over_python_limit_is_a_located_error_and_the_draft_stays_repairable(app, draf_magetan):
    asli = isi_berkas(app, LAYANAN)
    besar = asli.replace("\n", "\nangka_raksasa: " + "9" * 5000 + "\n", 1)
    r = simpan(draf_magetan, LAYANAN, besar)
    assert r.status_code < 500
    # Every view of the draft still answers, naming the file and line.
    halaman = draf_magetan.get(MAGETAN)
    assert halaman.status_code == 200
    assert "Bilangan terlalu panjang" in teks(halaman) and f"{LAYANAN}#baris-2" in teks(halaman)
    assert draf_magetan.get(f"{MAGETAN}/berkas/{LAYANAN}").status_code == 200
    # ... and the file can be repaired from the UI.
    assert simpan(draf_magetan, LAYANAN, asli).status_code == 302
    assert "Bilangan terlalu panjang" not in teks(draf_magetan.get(MAGETAN))


def test_nul_escape_in_yaml_is_a_located_error(app, draf_magetan):
    asli = isi_berkas(app, LAYANAN)
    r = simpan(draf_magetan, LAYANAN, asli.replace("\n", '\ncatatan_nul: "a\\0b"\n', 1))
    assert r.status_code < 500
    halaman = teks(draf_magetan.get(MAGETAN))
    assert "karakter NUL" in halaman and "catatan_nul" in halaman


def test_nul_byte_in_a_zipped_file_is_refused_by_name(app, draf_magetan):
    asli = isi_berkas(app, LAYANAN)
    r = unggah(draf_magetan, zip_dari({"tenant.yaml": isi_berkas(app, "tenant.yaml"), LAYANAN: asli + "\x00\n"}))
    assert r.status_code == 302  # back to the draft, the refusal flashed there
    halaman = teks(draf_magetan.get(MAGETAN))
    assert "memuat karakter NUL di baris" in halaman and "pengiriman-anjal-at.yaml" in halaman
    assert isi_berkas(app, LAYANAN) == asli
