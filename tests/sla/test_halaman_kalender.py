"""The office's working calendar page, and bad calendar and time-standard input refused at the HTTP level."""
import re

import pytest

from dinsos_uji.bantuan import KATA_SANDI, buat_staf, buat_tenant, masuk, token_csrf

URL = "/t/kabupaten-uji/pengaturan/kalender"


def teks(r) -> str:
    """The page with whitespace between tags dropped and runs of spaces collapsed."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", r.get_data(as_text=True).replace("&#39;", "'")))


@pytest.fixture
def kantor(app, hash_murah):
    """An office that adds a regional holiday and keeps one cuti bersama day as a working day."""
    k = buat_tenant(app, "kabupaten-uji", tingkat="kabupaten",
                    hari_libur_daerah=[{"tanggal": "2026-03-02", "keterangan": "Hari Jadi Kabupaten (uji)"}],
                    hari_kerja_tambahan=[{"tanggal": "2026-03-18", "keterangan": "Pelayanan tetap buka"}])
    akun = {peran: buat_staf(k, peran)[1] for peran in ("admin_tenant", "kepala_bidang", "petugas_pelayanan")}
    return k, akun


def _masuk(app, email):
    klien = app.test_client()
    assert masuk(klien, "kabupaten-uji", email).status_code == 302
    return klien


def test_a_year_of_holidays_with_the_offices_own_changes(app, kantor):
    _k, akun = kantor
    halaman = teks(_masuk(app, akun["admin_tenant"]).get(f"{URL}?tahun=2026"))
    assert "17 libur nasional, 8 cuti bersama, 1 libur kantor." in halaman
    assert "Kamis, 19-03-2026</td><td>Hari Suci Nyepi</td><td>Libur nasional</td><td>libur</td>" in halaman
    assert ("Rabu, 18-03-2026</td><td>Cuti Bersama Hari Suci Nyepi</td><td>Cuti bersama</td>"
            "<td><span class=\"lencana status-berisiko\">tetap hari kerja</span>") in halaman
    assert "Senin, 02-03-2026</td><td>Hari Jadi Kabupaten (uji)</td><td>Libur kantor / daerah</td><td>libur</td>" in halaman
    assert ("Minggu, 05-04-2026</td><td>Kebangkitan Yesus Kristus</td><td>Libur nasional</td>"
            "<td><span class=\"samar\">jatuh pada hari tutup") in halaman
    # March: 22 weekdays, less Nyepi, three cuti bersama days and the regional holiday; the 18th is kept working.
    assert "<td>03-2026</td><td>17</td><td>31</td>" in halaman
    assert "Rabu, 18-03-2026 — Pelayanan tetap buka" in halaman
    assert 'href="/t/kabupaten-uji/pengaturan"' in halaman  # the settings form, to change them
    assert "Asia/Jakarta (WIB)" in halaman and "Jumat</td><td>07:30-16:30" in halaman and "Sabtu</td><td>tutup" in halaman


def test_the_year_moves_and_a_head_may_look_but_not_edit(app, kantor):
    _k, akun = kantor
    halaman = teks(_masuk(app, akun["kepala_bidang"]).get(f"{URL}?tahun=2027"))
    assert "Kalender kerja 2027" in halaman and 'href="/t/kabupaten-uji/pengaturan/kalender?tahun=2026"' in halaman
    assert 'href="/t/kabupaten-uji/pengaturan"' not in halaman
    assert _masuk(app, akun["petugas_pelayanan"]).get(URL).status_code == 403


@pytest.mark.parametrize("tahun", ["20x6", "99999", "1850", "-2026"])
def test_an_impossible_year_is_refused_with_how_to_write_it(app, kantor, tahun):
    _k, akun = kantor
    r = _masuk(app, akun["admin_tenant"]).get(f"{URL}?tahun={tahun}")
    assert r.status_code == 400
    assert f"Tahun '{tahun}' tidak valid: tulis tahun empat angka antara 2000 dan 2100, misalnya 2026." in teks(r)


# --- bad time standards and zones, as an admin types them ------------------------------------------------

@pytest.fixture
def draf_magetan(app, klien):
    """Platform admin Andi with a draft of Magetan's standards open."""
    from pathlib import Path

    from dinsos.auth.services import buat_admin_platform
    from dinsos.core.db import db
    from dinsos.tenancy.muat import muat_akar

    with app.app_context():
        muat_akar(Path(__file__).resolve().parents[2] / "tenants")
        buat_admin_platform("andi@platform.uji", "Andi", KATA_SANDI)
        db.session.commit()
    halaman = klien.get("/admin/masuk").get_data(as_text=True)
    klien.post("/admin/masuk", data={"email": "andi@platform.uji", "kata_sandi": KATA_SANDI, "csrf_token": token_csrf(halaman)})
    halaman = klien.get("/admin/onboarding").get_data(as_text=True)
    klien.post("/admin/onboarding/kantor/kabupaten-magetan/ubah", data={"csrf_token": token_csrf(halaman)})
    return klien


def _simpan(klien, nama, ganti: tuple[str, str]) -> str:
    url = f"/admin/onboarding/draf/kabupaten-magetan/berkas/{nama}"
    halaman = klien.get(url).get_data(as_text=True)
    isi = re.search(r"<textarea[^>]*>(.*?)</textarea>", halaman, re.S)[1]
    import html

    isi = html.unescape(isi)
    assert ganti[0] in isi
    revisi = re.search(r'name="revisi" value="(\d+)"', halaman)[1]
    r = klien.post(url, data={"csrf_token": token_csrf(halaman), "revisi": revisi, "isi": isi.replace(ganti[0], ganti[1], 1)})
    assert r.status_code == 302
    return teks(klien.get("/admin/onboarding/draf/kabupaten-magetan"))


@pytest.mark.parametrize(("waktu", "pesan"), [
    ("-1 jam", "Standar waktu '-1 jam' bernilai negatif; waktu harus lebih dari nol"),
    ("0 menit", "Standar waktu '0 menit' bernilai nol; waktu harus lebih dari nol"),
    ("sejam", "Standar waktu 'sejam' tidak dapat dibaca; tulis misalnya '15 menit'"),
])
def test_a_negative_zero_or_unreadable_step_time_is_refused_with_file_line_and_reason(app, draf_magetan, waktu, pesan):
    halaman = _simpan(draf_magetan, "services/pengiriman-anjal-at.yaml", ("waktu: 15 menit", f"waktu: {waktu}"))
    baris = re.search(r"services/pengiriman-anjal-at\.yaml</a></td><td>(\d+)</td><td><code>sop\.langkah\[0\]\.waktu</code></td><td>([^<]*)<",
                      halaman)
    assert baris and int(baris[1]) > 100 and baris[2].startswith(pesan), halaman
    assert "Draf belum dapat diterbitkan" in halaman


def test_an_unknown_time_zone_is_refused_with_the_zones_to_use(app, draf_magetan):
    halaman = _simpan(draf_magetan, "tenant.yaml", ("zona_waktu: Asia/Jakarta", "zona_waktu: Asia/Magetan"))
    assert re.search(r"tenant\.yaml</a></td><td>\d+</td><td><code>zona_waktu</code></td><td>Zona waktu 'Asia/Magetan' tidak dikenal; "
                     r"gunakan nama IANA seperti Asia/Jakarta", halaman), halaman
