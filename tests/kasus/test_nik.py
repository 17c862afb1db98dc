"""NIK structure checks and decoding: a table of cases."""
from datetime import date

import pytest

from dinsos.cases.nik import NikTidakValid, periksa_nik, samarkan

HARI_INI = date(2026, 11, 25)


@pytest.mark.parametrize("nik, lahir, kelamin, wilayah, provinsi, jenis", [
    ("1872010302100001", date(2010, 2, 3), "L", "18.72", "Lampung", "kota"),
    ("3520014302150002", date(2015, 2, 3), "P", "35.20", "Jawa Timur", "kabupaten"),  # day + 40: a woman
    ("3604017112990003", date(1999, 12, 31), "P", "36.04", "Banten", "kabupaten"),
    ("3520 0101 0126 0004", date(2026, 1, 1), "L", "35.20", "Jawa Timur", "kabupaten"),  # spaces are typed between groups
    ("35.20.01.010126.0005", date(2026, 1, 1), "L", "35.20", "Jawa Timur", "kabupaten"),
    ("9901012902000006", date(2000, 2, 29), "L", "99.01", None, "kabupaten"),  # unknown province: decoded, not refused
    ("1880016505700007", date(1970, 5, 25), "P", "18.80", "Lampung", "kota"),  # a kota code that may postdate a split
    ("1875010101270008", date(1927, 1, 1), "L", "18.75", "Lampung", "kota"),  # 27 is after this year: 1927
])
def test_valid_niks_are_decoded(nik, lahir, kelamin, wilayah, provinsi, jenis):
    info = periksa_nik(nik, hari_ini=HARI_INI)
    assert (info.tanggal_lahir, info.jenis_kelamin, info.kode_kabupaten_kota, info.nama_provinsi, info.jenis_daerah) == (
        lahir, kelamin, wilayah, provinsi, jenis)
    assert len(info.nik) == 16 and info.nik.isdigit()


@pytest.mark.parametrize("nik, kwargs, pesan", [
    ("187201030210001", {}, "harus 16 angka; yang diisi 15"),
    ("18720103021000011", {}, "harus 16 angka; yang diisi 17"),
    ("18720103021000A1", {}, "memuat selain angka"),
    ("", {}, "harus 16 angka"),
    ("1872013202100001", {}, "bukan tanggal yang ada"),  # day 32
    ("1872017202100001", {}, "bukan tanggal yang ada"),  # day 72 (women: 41-71)
    ("1872010313100001", {}, "bukan tanggal yang ada"),  # month 13
    ("1872012902010001", {}, "bukan tanggal yang ada"),  # 29 Feb 2001
    ("1872010000100001", {}, "bukan tanggal yang ada"),
    ("1872010302100000", {}, "tidak boleh 0000"),
    ("0072010302100001", {}, "tidak boleh memuat 00"),
    ("1872000302100001", {}, "tidak boleh memuat 00"),
    ("1872010112260001", {}, "di masa depan"),  # 1 Dec 2026, after "today"
    ("1872014302100001", {"jenis_kelamin": "L"}, "milik perempuan"),
    ("1872010302100001", {"jenis_kelamin": "P"}, "milik laki-laki"),
    ("1872010302100001", {"tanggal_lahir": date(2010, 3, 2)}, "NIK menyebut 03-02-2010, tanggal lahir diisi 02-03-2010"),
])
def test_invalid_niks_are_refused_saying_why(nik, kwargs, pesan):
    with pytest.raises(NikTidakValid, match=pesan):
        periksa_nik(nik, hari_ini=HARI_INI, **kwargs)


def test_agreeing_sex_and_birth_date_pass():
    info = periksa_nik("1872014302100001", jenis_kelamin="P", tanggal_lahir=date(2010, 2, 3), hari_ini=HARI_INI)
    assert info.kode_kecamatan == "18.72.01" and info.nomor_urut == "0001"


def test_masking_keeps_only_the_region():
    assert samarkan("1872014302100001") == "187201**********"
    assert samarkan(None) == ""
