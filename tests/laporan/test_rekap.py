"""Recaps of one office against the hand-counted fixture (see conftest), its Excel, its preset and its errors."""
import re
from datetime import date

import pytest

from dinsos_uji.alat_kasus import di_kantor, klien_masuk, wib

MEI = {"periode": "bulan", "tahun": 2026, "bulan": 5}


def _rekap(kantor, baris, kolom=None, arg=MEI):
    from dinsos.laporan.periode import baca_periode
    from dinsos.laporan.rekap import rekap_kantor

    with di_kantor(kantor):
        periode = baca_periode({k: str(v) for k, v in arg.items()}, "Asia/Jakarta", date(2026, 6, 3))
        t = rekap_kantor(periode, baris, kolom, wib(2026, 6, 3, 9))
        return t


def _isi(t) -> dict:
    """Non-zero cells as {(row label, column label): count}."""
    from dinsos.laporan.sensor import TOTAL

    return {(t.label_baris.get(b, "Jumlah"), t.label_kolom.get(k, "Jumlah")): n for (b, k), n in t.sel.items()
            if n and TOTAL not in (b, k)}


def test_rekap_per_kategori_dan_jenis_kelamin_sama_dengan_hitungan_tangan(data):
    t = _rekap(data["kantor"]["kabupaten-magetan"], "kategori", "jenis_kelamin")
    assert _isi(t) == {
        ("2. Anak terlantar", "Perempuan"): 1,
        ("4. Anak jalanan", "Laki-laki"): 1,
        ("8. Lanjut usia terlantar", "Perempuan"): 1,
        ("11. Gelandangan", "Laki-laki"): 1,
    }
    assert t.total == 4
    assert len(t.baris) == 26  # every official category is a row, at zero too
    kisi = t.kisi()
    assert kisi[0] == ["Kategori PPKS", "Laki-laki", "Perempuan", "Jumlah"]
    assert kisi[-1] == ["Jumlah", 2, 2, 4]
    assert not t.tersembunyi  # an office sees its own numbers whole


def test_rekap_per_umur_wilayah_hasil_dan_ketepatan(data):
    mg = data["kantor"]["kabupaten-magetan"]
    umur = _rekap(mg, "kelompok_umur")
    assert _isi(umur) == {("Anak (< 18 tahun)", "Jumlah"): 2, ("Dewasa (18–59 tahun)", "Jumlah"): 1, ("Lansia (≥ 60 tahun)", "Jumlah"): 1}
    # D gave no address code: his kecamatan is read from his NIK (35.20.05). Regions print by their official names.
    assert _isi(_rekap(mg, "kecamatan")) == {("Kecamatan Poncol, Kabupaten Magetan", "Jumlah"): 2,
                                             ("Kecamatan Parang, Kabupaten Magetan", "Jumlah"): 1,
                                             ("Kecamatan Kawedanan, Kabupaten Magetan", "Jumlah"): 1}
    assert _isi(_rekap(mg, "desa")) == {("Desa Poncol, Kecamatan Poncol, Kabupaten Magetan", "Jumlah"): 1,
                                        ("Desa Gonggang, Kecamatan Poncol, Kabupaten Magetan", "Jumlah"): 1,
                                        ("Tidak diketahui", "Jumlah"): 2}
    assert _isi(_rekap(mg, "kabupaten")) == {("Kabupaten Magetan", "Jumlah"): 4}
    hasil = _isi(_rekap(mg, "hasil"))
    assert hasil == {("Belum selesai: Berjalan", "Jumlah"): 3, ("Belum selesai: Berkas belum lengkap", "Jumlah"): 1}
    # B, C, D run their 1-2 working-day limit, unfinished and past due by 3 June; E's file never started it.
    assert _isi(_rekap(mg, "ketepatan")) == {("Berjalan, lewat batas waktu", "Jumlah"): 3, ("Tanpa batas waktu / dihentikan", "Jumlah"): 1}
    assert _isi(_rekap(mg, "layanan")) == {
        ("Pengiriman Anak Jalanan (Anjal) Dan Anak Terlantar (AT) Ke Balai Rehabilitasi", "Jumlah"): 4}
    # April holds case A alone; the year both months; a custom range the first week of May only (B, C, D).
    assert _rekap(mg, "kategori", arg={"periode": "bulan", "tahun": 2026, "bulan": 4}).total == 1
    assert _rekap(mg, "kategori", arg={"periode": "triwulan", "tahun": 2026, "triwulan": 2}).total == 5
    assert _rekap(mg, "kategori", arg={"periode": "semester", "tahun": 2026, "semester": 1}).total == 5
    assert _rekap(mg, "kategori", arg={"periode": "tahun", "tahun": 2026}).total == 5
    assert _rekap(mg, "kategori", arg={"periode": "rentang", "dari": "2026-05-01", "sampai": "2026-05-06"}).total == 3
    assert _rekap(mg, "kategori", arg={"periode": "tahun", "tahun": 2025}).total == 0


def test_kantor_hanya_menghitung_kasusnya_sendiri(data):
    metro = _rekap(data["kantor"]["kota-metro"], "kategori")
    assert metro.total == 1 and _isi(metro) == {("11. Gelandangan", "Jumlah"): 1}
    ngawi = _rekap(data["kantor"]["kabupaten-ngawi"], "kategori")
    assert ngawi.total == 7


def _sel_html(html: str) -> list[list[str]]:
    tabel = html[html.index('<table class="tabel-rekap"'):]
    tabel = tabel[:tabel.index("</table>")]
    baris = re.findall(r"<tr[^>]*>(.*?)</tr>", tabel, re.S)
    return [[re.sub(r"<[^>]+>", "", s).strip() for s in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", b, re.S)] for b in baris]


def test_excel_sama_dengan_halaman(data):
    from dinsos.laporan.ekspor import baca_kisi_xlsx

    k = klien_masuk(data["staf"]["kabupaten-magetan"]["kepala_bidang"])
    q = "periode=bulan&tahun=2026&bulan=5&baris=kategori&kolom=jenis_kelamin"
    r = k.get(f"/t/kabupaten-magetan/laporan/rekap?{q}")
    assert r.status_code == 200
    halaman = _sel_html(r.get_data(as_text=True).replace("&lt;", "<").replace("&amp;", "&"))
    x = k.get(f"/t/kabupaten-magetan/laporan/rekap.xlsx?{q}")
    assert x.status_code == 200 and x.mimetype.endswith("spreadsheetml.sheet")
    excel = [[str(v) for v in baris] for baris in baca_kisi_xlsx(x.data)]
    assert halaman == excel
    assert halaman[-1] == ["Jumlah", "2", "2", "4"]
    assert "<svg" in r.get_data(as_text=True)  # the chart, drawn on the server


def test_halaman_dan_excel_per_desa_menyebut_nama_wilayah_bukan_kode(data):
    from dinsos.laporan.ekspor import baca_kisi_xlsx

    k = klien_masuk(data["staf"]["kabupaten-magetan"]["kepala_bidang"])
    q = "periode=bulan&tahun=2026&bulan=5&baris=desa&kolom=jenis_kelamin"
    halaman = k.get(f"/t/kabupaten-magetan/laporan/rekap?{q}").get_data(as_text=True)
    assert "Desa Gonggang, Kecamatan Poncol, Kabupaten Magetan" in halaman and "35.20.01.2002" not in halaman
    excel = [baris[0] for baris in baca_kisi_xlsx(k.get(f"/t/kabupaten-magetan/laporan/rekap.xlsx?{q}").data)]
    assert "Desa Poncol, Kecamatan Poncol, Kabupaten Magetan" in excel


def test_rekap_bulanan_sekali_klik(data, monkeypatch):
    monkeypatch.setattr("dinsos.laporan.views.sekarang", lambda: wib(2026, 6, 3, 9))
    k = klien_masuk(data["staf"]["kabupaten-magetan"]["kepala_dinas"])
    r = k.get("/t/kabupaten-magetan/laporan/rekap?preset=bulanan")
    assert r.status_code == 302
    lokasi = r.headers["Location"]
    for bagian in ("periode=bulan", "tahun=2026", "bulan=5", "baris=kategori", "kolom=jenis_kelamin"):
        assert bagian in lokasi
    assert "Mei 2026" in k.get(lokasi).get_data(as_text=True)


@pytest.mark.parametrize("q,pesan", [
    ("periode=bulan&tahun=2026&bulan=13", "Bulan harus 1–12"),
    ("periode=rentang&dari=2026-05-10&sampai=2026-05-01", "Tanggal akhir tidak boleh sebelum tanggal awal"),
    ("periode=rentang&dari=kemarin&sampai=2026-05-01", "Tanggal awal ditulis TTTT-BB-HH"),
    ("periode=minggu", "Periode harus salah satu dari"),
    ("baris=nama", "Dimensi &#39;nama&#39; tidak dikenal"),
    ("baris=kantor", "Dimensi &#39;kantor&#39; tidak dikenal"),  # an office has no other offices to count
])
def test_masukan_salah_dijawab_400_dengan_pesan(data, q, pesan):
    k = klien_masuk(data["staf"]["kabupaten-magetan"]["kepala_bidang"])
    r = k.get(f"/t/kabupaten-magetan/laporan/rekap?{q}")
    assert r.status_code == 400
    assert pesan in r.get_data(as_text=True)
    assert k.get(f"/t/kabupaten-magetan/laporan/rekap.xlsx?{q}").status_code == 400


def test_hanya_pimpinan_dan_admin_kantor(data):
    s = data["staf"]["kabupaten-magetan"]
    for peran in ("petugas_pelayanan", "pekerja_sosial", "fungsional_peksos"):
        assert klien_masuk(s[peran]).get("/t/kabupaten-magetan/laporan/rekap").status_code == 403
    for peran in ("kepala_bidang", "kepala_dinas", "admin_tenant"):
        assert klien_masuk(s[peran]).get("/t/kabupaten-magetan/laporan/rekap").status_code == 200
    # Kota Metro's head, logged in at Metro, is nobody at Magetan.
    r = klien_masuk(data["staf"]["kota-metro"]["kepala_dinas"]).get("/t/kabupaten-magetan/laporan/rekap")
    assert r.status_code in (302, 401)


def test_halaman_dalam_bahasa_inggris(data):
    k = klien_masuk(data["staf"]["kabupaten-magetan"]["kepala_bidang"])
    teks = k.get("/t/kabupaten-magetan/laporan/rekap?lang=en&periode=bulan&tahun=2026&bulan=5").get_data(as_text=True)
    assert "Download Excel" in teks and "Period" in teks
