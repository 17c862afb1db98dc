"""Bu Ratna's morning: what is due today, overdue, at risk; who carries what; last month's time standards.

The pages read the time from ``sekarang()``; the tests fix it at Wednesday
6 May 2026 10:02 WIB and build the cases at known times before it.
"""
import re

import pytest

from dinsos.cases.kelola import tugaskan_kasus
from dinsos.cases.penerimaan import terima_kasus
from dinsos.cases.perubahan import simpan
from dinsos.cases.sop import selesaikan_langkah
from dinsos_uji.alat_kasus import SEMUA_MAGETAN, akun, di_kantor, klien_masuk, staf_kantor, verifikasi_bila_perlu, wib
from dinsos_uji.alat_kasus import kasus as muat

PADA = wib(2026, 5, 6, 10, 2)
ANAK = {"tanpa_identitas": True, "deskripsi": "Anak, sekitar 12 tahun", "umur_perkiraan": 12, "jenis_kelamin": "L"}
POLISI = {"jenis": "kepolisian", "instansi": "Polres Magetan", "surat_nomor": "B/1/2026"}


@pytest.fixture
def pagi(kantor_seed, hash_murah, monkeypatch):
    """Magetan with three cases at known times, and the clock of every page fixed at PADA."""
    for modul in ("dinsos.dasbor.views", "dinsos.cases.penerimaan", "dinsos.cases.sop", "dinsos.cases.kelola",
                  "dinsos.cases.daftar", "dinsos.cases.tenggat", "dinsos.cases.views", "dinsos.sla.views"):
        monkeypatch.setattr(f"{modul}.sekarang", lambda: PADA)
    mg = kantor_seed["kabupaten-magetan"]
    s = staf_kantor(mg)

    def terima(pada):
        with di_kantor(mg):
            k = terima_kasus("pengiriman-anjal-at", pelapor=POLISI, klien=ANAK, persyaratan=SEMUA_MAGETAN,
                                 pengguna=akun(s["petugas_pelayanan"]), pada=pada).kasus
            verifikasi_bila_perlu(k, akun(s["petugas_pelayanan"]), pada)
            simpan()
            return k.id

    def ubah(kid, fungsi, staf, **kw):
        with di_kantor(mg):
            k = muat(kid)
            fungsi(k, versi=k.versi, pengguna=akun(staf), **kw)
            simpan()

    def langkah(kid, pada):
        with di_kantor(mg):
            k = muat(kid)
            selesaikan_langkah(k, versi=k.versi, kode_langkah=k.langkah_kode, pengguna=akun(s["petugas_pelayanan"]), pada=pada)
            simpan()

    # Budi's case: handover on time (10 of 15 minutes), then registration (1 working day) left overdue since Tuesday.
    budi = terima(wib(2026, 5, 4, 9))
    langkah(budi, wib(2026, 5, 4, 9, 10))
    ubah(budi, tugaskan_kasus, s["kepala_bidang"], penanggung_jawab_id=s["fungsional_peksos"].id, pada=wib(2026, 5, 4, 9, 11))
    # A handover done late (30 of 15 minutes).
    lambat = terima(wib(2026, 5, 4, 10))
    langkah(lambat, wib(2026, 5, 4, 10, 30))
    # This morning's boy: the 15-minute handover started 09:50 is past its warn point (10:01:15), due 10:05.
    baru = terima(wib(2026, 5, 6, 9, 50))
    return mg, s, {"budi": budi, "lambat": lambat, "baru": baru}


def teks(r) -> str:
    return r.get_data(as_text=True).replace("&#39;", "'")


def bagian(halaman: str, id_: str) -> str:
    """The HTML of one <section> of the page, by its heading id."""
    awal = halaman.index(f'aria-labelledby="judul-{id_}"')
    return halaman[awal:halaman.index("</section>", awal)]


def test_overdue_at_risk_and_due_today_with_links_to_reassign(pagi):
    mg, s, kasus = pagi
    halaman = teks(klien_masuk(s["kepala_bidang"]).get("/t/kabupaten-magetan/dasbor/tenggat"))
    terlambat, berisiko, hari_ini = bagian(halaman, "terlambat"), bagian(halaman, "berisiko"), bagian(halaman, "hari-ini")
    # Budi's registration step and the case's 2-working-day limit (due Wednesday 09:00); the late case's registration too.
    assert terlambat.count(f"/kasus/{kasus['budi']}#tugaskan") == 2 and terlambat.count(f"/kasus/{kasus['lambat']}#tugaskan") == 2
    assert "Fungsional Pekerja Sosial menerima laporan" in terlambat and "Staf fungsional_peksos" in terlambat
    assert f"/kasus/{kasus['baru']}" not in terlambat
    assert f"/kasus/{kasus['baru']}#tugaskan" in berisiko and "berisiko" in berisiko
    assert f"/kasus/{kasus['baru']}#tugaskan" in hari_ini and f"/kasus/{kasus['budi']}" not in hari_ini
    assert "1 jatuh tempo hari ini, 1 berisiko (lewat titik peringatan), 4 terlambat." in re.sub(r"\s+", " ", halaman)


def test_workload_per_assignee_links_to_their_cases(pagi):
    mg, s, kasus = pagi
    halaman = teks(klien_masuk(s["kepala_bidang"]).get("/t/kabupaten-magetan/dasbor/tenggat"))
    beban = re.sub(r"\s+", " ", bagian(halaman, "beban"))
    budi = s["fungsional_peksos"].id
    # Budi: 1 open case, 1 running step, nothing at risk, 2 overdue (the step and the case's limit).
    assert re.search(rf'penanggung_jawab={budi}">Staf fungsional_peksos</a></td> <td>1</td> <td>1</td> <td>0</td> '
                     rf'<td><a class="status-terlambat" href="[^"]*penanggung_jawab={budi}&amp;lewat_waktu=1">2</a>', beban), beban
    # Unassigned: the late case and this morning's, 2 steps; 1 at risk, 2 overdue.
    assert re.search(r'penanggung_jawab=belum">Belum ditugaskan</a></td> <td>2</td> <td>2</td> '
                     r'<td><span class="status-berisiko">1</span></td>', beban), beban


def test_on_time_rate_and_median_against_the_standard_for_the_month(pagi):
    mg, s, kasus = pagi
    klien = klien_masuk(s["kepala_bidang"])
    halaman = re.sub(r"\s+", " ", teks(klien.get("/t/kabupaten-magetan/dasbor/tenggat")))
    kinerja = bagian(halaman, "kinerja")
    # Two handovers done in May, one within its 15 minutes: 50%; median actual (10, 30) = 20 minutes.
    assert "<td>Pengiriman Anak Jalanan" in kinerja
    assert re.search(r"Pelapor menyerahkan[^<]*</td><td>15 menit</td><td>2</td><td>1</td> <td><span class=\"status-terlambat\">50.0%</span></td> "
                     r"<td>20 menit / 15 menit</td>", kinerja), kinerja
    assert "<svg" in kinerja and "Median waktu nyata dan standar waktu per langkah SOP, 2026-05" in kinerja
    assert 'fill="#a4000f"' in kinerja  # the median is over the standard: a red bar
    # Another month has nothing yet; a malformed month is refused with how to write it.
    april = teks(klien.get("/t/kabupaten-magetan/dasbor/tenggat?bulan=2026-04"))
    assert "Belum ada tenggat yang selesai pada bulan ini." in april and "<svg" not in april
    r = klien.get("/t/kabupaten-magetan/dasbor/tenggat?bulan=2026-13")
    assert r.status_code == 400 and "Bulan '2026-13' tidak valid: tulis TTTT-BB, misalnya 2026-05." in teks(r)


def test_only_heads_see_the_page_and_everyone_their_own_panel(pagi):
    mg, s, kasus = pagi
    assert klien_masuk(s["pekerja_sosial"]).get("/t/kabupaten-magetan/dasbor/tenggat").status_code == 403
    panel = re.sub(r"\s+", " ", teks(klien_masuk(s["fungsional_peksos"]).get("/t/kabupaten-magetan/dasbor")))
    assert "Tenggat saya" in panel and "lewat_waktu=1\">Terlambat: 2</a>" in panel and "Seluruh kantor" not in panel
    panel = re.sub(r"\s+", " ", teks(klien_masuk(s["kepala_dinas"]).get("/t/kabupaten-magetan/dasbor")))
    assert "Seluruh kantor: 1 jatuh tempo hari ini, 1 berisiko, 4 terlambat." in panel


def test_case_list_filters_overdue_and_shows_a_badge_per_case_and_clock(pagi):
    mg, s, kasus = pagi
    klien = klien_masuk(s["kepala_bidang"])
    semua = teks(klien.get("/t/kabupaten-magetan/kasus/"))
    baris = {k: re.search(rf'/kasus/{kid}".*?</tr>', semua, re.S)[0] for k, kid in kasus.items()}
    assert "terlambat" in baris["budi"] and "berisiko" in baris["baru"] and "terlambat" not in baris["baru"]
    lewat = teks(klien.get("/t/kabupaten-magetan/kasus/?lewat_waktu=1"))
    assert f"/kasus/{kasus['budi']}" in lewat and f"/kasus/{kasus['lambat']}" in lewat and f"/kasus/{kasus['baru']}" not in lewat
    assert 'name="lewat_waktu" value="1" checked' in lewat
    halaman = re.sub(r"\s+", " ", teks(klien.get(f"/t/kabupaten-magetan/kasus/{kasus['budi']}")))
    tenggat = bagian(halaman, "tenggat")
    assert "selesai tepat waktu" in tenggat and tenggat.count("status-terlambat") == 2 and "2 hari kerja" in tenggat
    assert 'id="tugaskan"' in halaman


def test_the_panels_one_query_gives_what_the_page_counts_for_each_person_and_the_office(pagi):
    from dinsos.dasbor import services as svc

    mg, s, _kasus = pagi
    with di_kantor(mg):
        kantor = svc.ringkasan(PADA)
        assert kantor["terlambat"] == 4  # the figures below compare something
        for peran in ("fungsional_peksos", "kepala_dinas", "pekerja_sosial", "petugas_pelayanan"):
            pid = s[peran].id
            assert svc.ringkasan_saya_dan_kantor(PADA, pid, True) == (svc.ringkasan(PADA, pid), kantor)
            assert svc.ringkasan_saya_dan_kantor(PADA, pid, False) == (svc.ringkasan(PADA, pid), None)
