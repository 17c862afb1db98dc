"""Public verification: by the QR's code, or by number plus PDF or SHA-256; no login, no personal data."""
import io
from urllib.parse import urlparse

import pytest
from bantuan_surat import terbitkan

from dinsos_uji.bantuan import token_csrf


@pytest.fixture
def surat(app, kantor):
    return terbitkan(app, kantor["kabupaten-magetan"].id, "berita_acara_serah_terima")


def _kirim(klien, slug, nomor=None, berkas=None, sidik=None, nama_berkas="surat.pdf"):
    halaman = klien.get(f"/t/{slug}/verifikasi")
    data = {"csrf_token": token_csrf(halaman.get_data(as_text=True))}
    if nomor is not None:
        data["nomor"] = nomor
    if berkas is not None:
        data["berkas"] = (io.BytesIO(berkas), nama_berkas)
    if sidik is not None:
        data["sidik"] = sidik
    return klien.post(f"/t/{slug}/verifikasi", data=data, content_type="multipart/form-data")


def _ubah_satu_bait(pdf: bytes) -> bytes:
    tengah = len(pdf) // 2
    return pdf[:tengah] + bytes([pdf[tengah] ^ 0x01]) + pdf[tengah + 1:]


def test_the_form_is_public_and_protected_against_csrf(klien, kantor):
    r = klien.get("/t/kabupaten-magetan/verifikasi")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'name="csrf_token"' in html and 'enctype="multipart/form-data"' in html and "Dinas Sosial Kabupaten Magetan" in html
    tanpa_token = klien.post("/t/kabupaten-magetan/verifikasi", data={"nomor": "1", "sidik": "0" * 64})
    assert tanpa_token.status_code == 400 and "CSRF" in tanpa_token.get_data(as_text=True)


def test_the_genuine_pdf_with_its_number_is_asli(klien, surat):
    r = _kirim(klien, "kabupaten-magetan", nomor=f"  {surat.nomor} ", berkas=surat.pdf)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "ASLI" in html and "TIDAK ASLI" not in html
    assert surat.nomor in html and surat.sidik in html and "Berita Acara Serah Terima" in html
    assert "Bagas" not in html and "Agus Salim" not in html


def test_a_pasted_sha256_works_like_the_file(klien, surat):
    r = _kirim(klien, "kabupaten-magetan", nomor=surat.nomor, sidik=f" {surat.sidik.upper()} ")
    assert r.status_code == 200 and "TIDAK ASLI" not in r.get_data(as_text=True) and "ASLI" in r.get_data(as_text=True)


@pytest.mark.parametrize("ubah", ["bait", "nomor", "nomor_lain_kantor"])
def test_tampered_bytes_or_a_wrong_number_are_tidak_asli(app, klien, kantor, surat, ubah):
    berkas, nomor, slug = surat.pdf, surat.nomor, "kabupaten-magetan"
    if ubah == "bait":
        berkas = _ubah_satu_bait(surat.pdf)
    elif ubah == "nomor":
        nomor = surat.nomor.replace("/1/", "/2/")
    else:  # the genuine letter checked at another office
        slug = "kota-metro"
    r = _kirim(klien, slug, nomor=nomor, berkas=berkas)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "TIDAK ASLI" in html and "Tanggal terbit" not in html  # nothing of the archived letter is shown
    if ubah == "bait":
        assert surat.sidik not in html


@pytest.mark.parametrize(
    "isian, pesan",
    [
        ({"berkas": None, "sidik": None}, "Unggah berkas PDF surat atau isi sidik SHA-256-nya."),
        ({"nomor": None, "sidik": "0" * 64}, "Nomor surat wajib diisi."),
        ({"sidik": "bukan-sidik"}, "Sidik SHA-256 harus 64 karakter"),
        ({"berkas": b"GIF89a bukan pdf"}, "Berkas yang diunggah bukan PDF."),
    ],
)
def test_bad_input_is_400_with_a_clear_message(klien, surat, isian, pesan):
    kirim = {"nomor": surat.nomor, **isian}
    r = _kirim(klien, "kabupaten-magetan", **kirim)
    assert r.status_code == 400
    assert pesan in r.get_data(as_text=True)


def test_oversized_uploads_are_refused_before_reading(klien, surat):
    r = _kirim(klien, "kabupaten-magetan", nomor=surat.nomor, berkas=b"%PDF-" + b"0" * (3 * 1024 * 1024))
    assert r.status_code == 413
    assert "paling besar 2 MB" in r.get_data(as_text=True)


def test_the_form_is_rate_limited_per_address_and_office(klien, surat):
    for _ in range(20):
        assert _kirim(klien, "kabupaten-magetan", nomor=surat.nomor, sidik="0" * 64).status_code == 200
    r = _kirim(klien, "kabupaten-magetan", nomor=surat.nomor, sidik="0" * 64)
    assert r.status_code == 429 and "Terlalu banyak percobaan" in r.get_data(as_text=True)
    assert _kirim(klien, "kota-metro", nomor=surat.nomor, sidik="0" * 64).status_code == 200


def test_an_unknown_code_is_a_clear_404(klien, surat):
    r = klien.get("/t/kabupaten-magetan/verifikasi/" + "x" * 22)
    html = r.get_data(as_text=True)
    assert r.status_code == 404
    assert "TIDAK ASLI" in html and "tidak ditemukan" in html
    assert klien.get("/t/kabupaten-magetan/verifikasi/" + "x" * 300).status_code == 404


def test_another_offices_code_is_404(klien, surat):
    kode = urlparse(surat.url).path.rsplit("/", 1)[1]
    assert klien.get(f"/t/kota-metro/verifikasi/{kode}").status_code == 404
    assert klien.get(f"/t/kabupaten-magetan/verifikasi/{kode}").status_code == 200


def test_the_result_page_speaks_english_on_request(klien, surat):
    html = klien.get(urlparse(surat.url).path + "?lang=en").get_data(as_text=True)
    assert "GENUINE" in html and "Letter number" in html
