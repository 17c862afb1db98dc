"""The official region data: lookups by code, children, search by name, time zones, office proposals."""
import pytest

from dinsos import wilayah


def test_cari_kode_setiap_tingkat():
    assert wilayah.cari_kode("35") == wilayah.Wilayah("35", "Jawa Timur", 1, "provinsi")
    assert wilayah.cari_kode("35.20").nama == "Kabupaten Magetan"
    assert wilayah.cari_kode("18.72").jenis == "kota"
    kec = wilayah.cari_kode("35.20.01")
    assert (kec.nama, kec.tingkat, kec.jenis, kec.induk) == ("Poncol", 3, "kecamatan", "35.20")
    desa = wilayah.cari_kode("35.20.01.2002")
    assert (desa.nama, desa.jenis, desa.nama_lengkap) == ("Gonggang", "desa", "Desa Gonggang")


@pytest.mark.parametrize("kode", ["", None, "3520", "35.2", "35.20.99", "99", "35.20.01.9999", "35.20.01.2002.1", "ab"])
def test_kode_salah_atau_tidak_ada_memberi_none(kode):
    assert wilayah.cari_kode(kode) is None


def test_anak_dari_sebuah_kode():
    provinsi = wilayah.anak()
    assert len(provinsi) == 38 and provinsi[0].kode == "11" and {p.tingkat for p in provinsi} == {1}
    kecamatan = wilayah.anak("35.20")
    assert len(kecamatan) == 18 and [k.kode for k in kecamatan] == sorted(k.kode for k in kecamatan)
    assert all(k.induk == "35.20" for k in kecamatan)
    assert {d.nama for d in wilayah.anak("35.20.01")} >= {"Poncol", "Gonggang"}
    assert wilayah.anak("35.20.01.2001") == [] and wilayah.anak("99") == []


def test_jalur_dan_nama_untuk_laporan():
    assert [w.kode for w in wilayah.jalur("35.20.01.2001")] == ["35", "35.20", "35.20.01", "35.20.01.2001"]
    assert wilayah.nama_wilayah("35.20.05") == "Kecamatan Kawedanan, Kabupaten Magetan"
    assert wilayah.nama_wilayah("35.20.01.2002") == "Desa Gonggang, Kecamatan Poncol, Kabupaten Magetan"
    assert wilayah.nama_wilayah("35") == "Provinsi Jawa Timur"
    assert wilayah.nama_wilayah("35.20.01.2002", lengkap=False) == "Desa Gonggang"
    assert wilayah.nama_wilayah("35.20.99") is None


def test_cari_nama():
    assert wilayah.cari_nama("magetan")[0].kode == "35.20"  # the kabupaten before its kecamatan of the same name
    assert wilayah.cari_nama("kab. magetan", tingkat=2)[0].kode == "35.20"
    assert [w.kode for w in wilayah.cari_nama("metro", tingkat=2)] == ["18.72"]
    assert wilayah.cari_nama("gonggang", di_dalam="35.20.01")[0].kode == "35.20.01.2002"
    assert all(w.kode.startswith("35.") for w in wilayah.cari_nama("kota", tingkat=2, di_dalam="35"))
    assert wilayah.cari_nama("") == [] and wilayah.cari_nama("magetan", di_dalam="bukan kode") == []


@pytest.mark.parametrize("kode, zona, singkatan", [
    ("35.20", "Asia/Jakarta", "WIB"), ("11", "Asia/Jakarta", "WIB"), ("61.71", "Asia/Pontianak", "WIB"),
    ("62", "Asia/Pontianak", "WIB"), ("51", "Asia/Makassar", "WITA"), ("64.72", "Asia/Makassar", "WITA"),
    ("73.01", "Asia/Makassar", "WITA"), ("81", "Asia/Jayapura", "WIT"), ("96", "Asia/Jayapura", "WIT"),
])
def test_zona_waktu_per_provinsi(kode, zona, singkatan):
    assert wilayah.zona_waktu(kode) == zona and wilayah.SINGKATAN_ZONA[zona] == singkatan


def test_setiap_provinsi_punya_zona_dan_usulan_kantor():
    for p in wilayah.anak():
        usulan = wilayah.usulan_kantor(p.kode)
        assert usulan["tingkat"] == "provinsi" and usulan["zona_waktu"] in wilayah.SINGKATAN_ZONA
        assert usulan["slug"].startswith("provinsi-") and usulan["provinsi"] is None
    assert wilayah.zona_waktu("99") is None


def test_usulan_kantor_sesuai_seed():
    """The proposals match the offices transcribed by hand in tenants/ (slug, name, level, code, zone)."""
    mg = wilayah.usulan_kantor("35.20")
    assert {k: mg[k] for k in ("slug", "nama", "tingkat", "kode_wilayah", "zona_waktu")} == {
        "slug": "kabupaten-magetan", "nama": "Dinas Sosial Kabupaten Magetan", "tingkat": "kabupaten",
        "kode_wilayah": "35.20", "zona_waktu": "Asia/Jakarta"}
    assert mg["provinsi"]["slug"] == "provinsi-jawa-timur" and mg["provinsi"]["nama"] == "Dinas Sosial Provinsi Jawa Timur"
    assert wilayah.usulan_kantor("18.72")["slug"] == "kota-metro" and wilayah.usulan_kantor("18.72")["tingkat"] == "kota"
    assert wilayah.usulan_kantor("36")["slug"] == "provinsi-banten"
    assert wilayah.usulan_kantor("35.20.01") is None and wilayah.usulan_kantor("99") is None


def test_json_untuk_skrip_pemilih(klien):
    r = klien.get("/wilayah/anak.json?kode=35.20.01")
    assert r.status_code == 200 and {"kode": "35.20.01.2002", "nama": "Gonggang", "nama_lengkap": "Desa Gonggang",
                                     "tingkat": 4} in r.json["wilayah"]
    assert len(klien.get("/wilayah/anak.json").json["wilayah"]) == 38
    r = klien.get("/wilayah/anak.json?kode=35.20.99")
    assert r.status_code == 404 and "tidak ada dalam data wilayah Kemendagri" in r.json["galat"]
    assert klien.get("/wilayah/cari.json?q=magetan&tingkat=2").json["wilayah"][0]["kode"] == "35.20"
    assert klien.get("/wilayah/cari.json?q=magetan&tingkat=x").status_code == 200
