"""The intake's region picker: provinsi → kabupaten/kota → kecamatan → desa, stored as one Kemendagri code.

Driven as Sri uses the page, with and without the no-script round trip;
wrong or mismatched choices are refused in Indonesian beside the picker.
"""
import html
import re

import pytest
from sqlalchemy import func, select

from dinsos.cases.models import Kasus, Klien
from dinsos.core.db import db
from dinsos_uji.alat_kasus import SEMUA_MAGETAN, di_kantor, klien_masuk, terima_langsung
from dinsos_uji.bantuan import token_csrf

URL = "/t/kabupaten-magetan/kasus/baru/pengiriman-anjal-at"


def teks(r) -> str:
    return html.unescape(r.get_data(as_text=True))


def formulir(halaman: str, **wilayah) -> dict:
    data = {
        "csrf_token": token_csrf(halaman), "pelapor_jenis": "kepolisian", "pelapor_nama": "Bripka Anton",
        "pelapor_instansi": "Polres Magetan", "tanpa_identitas": "y", "deskripsi": "Anak laki-laki sekitar 12 tahun",
        "umur_perkiraan": "12", "jenis_kelamin": "L", "kategori_ppks": "4",
        "status_0": "dilihat", "status_1": "dilihat", "status_2": "dilihat", "status_3": "dilihat",
    }
    data.update({f"kode_wilayah-{k[-1]}": v for k, v in wilayah.items()})
    return data


def pilihan(halaman: str, tingkat: int) -> list[str]:
    pilih = re.search(rf'<select[^>]*name="kode_wilayah-{tingkat}".*?</select>', halaman, re.S).group(0)
    return [v for v in re.findall(r'value="([^"]*)"', pilih) if v]


def jumlah_kasus(kantor) -> int:
    with di_kantor(kantor):
        return db.session.scalar(select(func.count()).select_from(Kasus))


@pytest.fixture
def sri(seed):
    kantor, staf = seed
    return kantor["kabupaten-magetan"], klien_masuk(staf["kabupaten-magetan"]["petugas_pelayanan"])


def test_pemilih_mulai_dari_wilayah_kantor(sri):
    _kantor, k = sri
    halaman = teks(k.get(URL))
    assert len(pilihan(halaman, 1)) == 38 and "35.20" in pilihan(halaman, 2)  # the province's kabupaten/kota
    assert "35.20.01" in pilihan(halaman, 3) and len(pilihan(halaman, 3)) == 18  # Magetan's kecamatan
    # Every desa of Magetan, grouped by kecamatan, so a local address needs no round trip.
    assert '<optgroup label="Kecamatan Poncol">' in halaman and "35.20.01.2002" in pilihan(halaman, 4)
    assert len(pilihan(halaman, 4)) == 235
    assert 'name="kode_wilayah-perbarui"' in halaman and "pemilih.js" in halaman


def test_desa_terpilih_disimpan_sebagai_kode(app, sri):
    kantor, k = sri
    halaman = teks(k.get(URL))
    r = k.post(URL, data=formulir(halaman, t4="35.20.01.2002"), content_type="multipart/form-data")
    assert r.status_code == 302
    with di_kantor(kantor):
        assert db.session.scalars(select(Klien.kode_wilayah)).all() == ["35.20.01.2002"]
    halaman = teks(k.get(URL))
    r = k.post(URL, data=formulir(halaman, t1="35", t2="35.20", t3="35.20.05"), content_type="multipart/form-data")
    assert r.status_code == 302
    with di_kantor(kantor):
        assert sorted(db.session.scalars(select(Klien.kode_wilayah)).all()) == ["35.20.01.2002", "35.20.05"]


def test_pilihan_yang_tidak_sejalan_ditolak_dalam_bahasa_indonesia(sri):
    kantor, k = sri
    halaman = teks(k.get(URL))
    r = k.post(URL, data=formulir(halaman, t1="35", t2="35.21", t3="35.20.01"), content_type="multipart/form-data")
    assert r.status_code == 422
    assert "Kecamatan Poncol tidak berada di Kabupaten Ngawi; pilih ulang kecamatan atau kosongkan." in teks(r)
    assert 'id="kode_wilayah-galat"' in teks(r)
    r = k.post(URL, data=formulir(halaman, t2="35.20", t4="35.21.03.2001"), content_type="multipart/form-data")
    assert r.status_code == 422 and "tidak berada di Kabupaten Magetan; pilih ulang desa/kelurahan atau kosongkan." in teks(r)
    r = k.post(URL, data=formulir(halaman, t3="35.20.99"), content_type="multipart/form-data")
    assert r.status_code == 422 and "Kecamatan '35.20.99' tidak ada dalam data wilayah Kemendagri; pilih dari daftar." in teks(r)
    r = k.post(URL, data=formulir(halaman, t2="35.20.01"), content_type="multipart/form-data")  # a kecamatan posted as kabupaten
    assert r.status_code == 422 and "Kabupaten/kota '35.20.01' tidak ada dalam data wilayah Kemendagri" in teks(r)
    assert jumlah_kasus(kantor) == 0


def test_tanpa_skrip_tombol_tampilkan_memuat_tingkat_berikutnya_tanpa_menyimpan(sri):
    kantor, k = sri
    halaman = teks(k.get(URL))
    data = formulir(halaman, t1="33")
    r = k.post(URL, data={**data, "kode_wilayah-perbarui": "1"}, content_type="multipart/form-data")
    assert r.status_code == 200 and jumlah_kasus(kantor) == 0
    halaman = teks(r)
    assert "33.01" in pilihan(halaman, 2) and "35.20" not in pilihan(halaman, 2)  # Jawa Tengah's, not the office's
    assert pilihan(halaman, 3) == [] and pilihan(halaman, 4) == []
    r = k.post(URL, data={**formulir(halaman, t1="33", t2="33.01"), "kode_wilayah-perbarui": "1"},
               content_type="multipart/form-data")
    assert r.status_code == 200 and pilihan(teks(r), 3)[0].startswith("33.01.")
    assert '<optgroup label="Kecamatan' in teks(r)  # the villages of the chosen kabupaten, by kecamatan
    assert jumlah_kasus(kantor) == 0


def test_kode_diketik_dan_layanan_memeriksa_data_resmi(seed):
    """Scripts and the API post a plain code: the service refuses one that is not in the official data."""
    from dinsos.cases.penerimaan import KesalahanKasus

    kantor, staf = seed
    with pytest.raises(KesalahanKasus) as e:
        terima_langsung(staf["kabupaten-magetan"]["petugas_pelayanan"], "pengiriman-anjal-at",
                        {"nama": "Budi", "kode_wilayah": "35.20.99"}, SEMUA_MAGETAN)
    assert e.value.kesalahan == {"klien.kode_wilayah": "Kode wilayah '35.20.99' tidak ada dalam data wilayah Kemendagri "
                                                       "(Kepmendagri 300.2.2-2138/2025)."}
    k = klien_masuk(staf["kabupaten-magetan"]["petugas_pelayanan"])
    halaman = teks(k.get(URL))
    data = {key: v for key, v in formulir(halaman).items()}
    r = k.post(URL, data={**data, "kode_wilayah": "35.20.01"}, content_type="multipart/form-data")
    assert r.status_code == 302
    r = k.post(URL, data={**data, "kode_wilayah": "35.20.98"}, content_type="multipart/form-data")
    assert r.status_code == 422 and "Kode wilayah '35.20.98' tidak ada dalam data wilayah Kemendagri" in teks(r)
