"""The public SKM form, tokens, flood protection, the IKM pages, the Excel export and office settings."""
import re
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dinsos.catalogue.models import Layanan
from dinsos.core.db import db
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos.surveys.ikm import UNSUR_BAKU
from dinsos.surveys.models import JawabanSurvei, KonfigurasiSurvei, TokenSurvei
from dinsos.surveys.services import buat_token_survei, periode, simpan_jawaban, tautan_survei
from dinsos_uji.bantuan import buat_staf, masuk, token_csrf

KODE = [u.kode for u in UNSUR_BAKU]
PPKS, ABH = "penanganan-ppks-terlantar", "pendampingan-abh"


def utc(*a):
    return datetime(*a, tzinfo=timezone.utc)


def _jumlah(app, model):
    with app.app_context(), lintas_tenant("uji", catat=False):
        return db.session.scalar(select(func.count()).select_from(model))


def _kirim(klien, slug, layanan, nilai, token="", **lain):
    html = klien.get(f"/t/{slug}/survei/{layanan}").get_data(as_text=True)
    return klien.post(f"/t/{slug}/survei/{layanan}", data={"csrf_token": token_csrf(html), "token": token, **nilai, **lain})


def _semua(n):
    return {k: str(n) for k in KODE}


def _isi_respons(app, tenant_id, kode_layanan, jawaban, pada):
    with app.app_context(), dalam_tenant(tenant_id):
        layanan = db.session.scalar(select(Layanan).where(Layanan.kode == kode_layanan))
        for nilai in jawaban:
            simpan_jawaban(layanan, nilai, {"pendidikan": "slta", "jenis_kelamin": "P"}, None, pada=pada)
        db.session.commit()


def _responden(n, total):
    """n respondents answering all nine elements, scores summing to ``total`` (see test_ikm)."""
    dasar, lebih = divmod(total, 9 * n)
    nilai = [dasar + 1] * lebih + [dasar] * (9 * n - lebih)
    return [{k: nilai[r * 9 + i] for i, k in enumerate(KODE)} for r in range(n)]


def test_form_has_the_nine_elements_as_labelled_radio_groups(app, kantor_seed):
    html = app.test_client().get(f"/t/kota-metro/survei/{PPKS}").get_data(as_text=True)
    assert html.count("<fieldset") == 9 and html.count("<legend>") == 9
    assert "1. Persyaratan" in html and "9. Sarana dan prasarana" in html
    for kode in KODE:
        for n, label in ((1, "Tidak sesuai"), (4, "Sangat sesuai")):
            assert re.search(rf'<label><input type="radio" name="{kode}" value="{n}"> {n} · {label}</label>', html)
    for profil in ("Umur", "Jenis kelamin", "Pendidikan terakhir", "Pekerjaan", "SD ke bawah", "Wirausaha"):
        assert profil in html


def test_open_response_is_stored_in_its_office_period(app, kantor_seed):
    r = _kirim(app.test_client(), "kota-metro", PPKS, _semua(4), kelompok_umur="30-39", jenis_kelamin="L",
               pendidikan="s1", pekerjaan="wirausaha", komentar="Petugas ramah.")
    assert r.status_code == 201 and "telah kami terima" in r.get_data(as_text=True)
    with app.app_context(), dalam_tenant(kantor_seed["kota-metro"].id):
        j = db.session.scalar(select(JawabanSurvei))
        assert j.nilai == {k: 4 for k in KODE} and j.token_id is None
        assert (j.kelompok_umur, j.jenis_kelamin, j.pendidikan, j.pekerjaan, j.komentar) == ("30-39", "L", "s1", "wirausaha", "Petugas ramah.")
        assert (j.tahun, j.semester) == periode(j.dibuat_pada, "Asia/Jakarta")


def test_period_is_the_offices_local_half_year():
    assert periode(utc(2026, 6, 30, 16, 59), "Asia/Jakarta") == (2026, 1)   # 23:59 WIB
    assert periode(utc(2026, 6, 30, 17, 0), "Asia/Jakarta") == (2026, 2)    # 00:00 WIB 1 July
    assert periode(utc(2026, 6, 30, 15, 0), "Asia/Jayapura") == (2026, 2)   # 00:00 WIT 1 July
    assert periode(utc(2026, 12, 31, 17, 0), "Asia/Jakarta") == (2027, 1)


@pytest.mark.parametrize("nilai, pesan", [
    ({**_semua(3), "u1": "5"}, "Jawaban unsur &#39;Persyaratan&#39; harus salah satu dari 1 (tidak sesuai) sampai 4 (sangat sesuai)"),
    ({**_semua(3), "u7": "0"}, "Jawaban unsur &#39;Perilaku pelaksana&#39; harus salah satu dari 1"),
    ({**_semua(3), "u2": "tiga"}, "Jawaban unsur &#39;Sistem, mekanisme dan prosedur&#39;"),
    ({}, "Survei masih kosong"),
    ({**_semua(3), "pendidikan": "doktor"}, "Pilih pendidikan dari daftar"),
])
def test_bad_answers_are_refused_with_a_clear_message_and_not_stored(app, kantor_seed, nilai, pesan):
    r = _kirim(app.test_client(), "kota-metro", PPKS, nilai)
    assert r.status_code == 400 and pesan in r.get_data(as_text=True)
    assert _jumlah(app, JawabanSurvei) == 0


def test_a_token_admits_one_response_only(app, kantor_seed):
    metro = kantor_seed["kota-metro"].id
    kasus = uuid.uuid4()
    with app.app_context(), dalam_tenant(metro):
        token = buat_token_survei("kasus", kasus)
        db.session.commit()
        assert tautan_survei("kota-metro", PPKS, token) == f"http://localhost/t/kota-metro/survei/{PPKS}?token={token}"
    klien = app.test_client()
    halaman = klien.get(f"/t/kota-metro/survei/{PPKS}?token={token}")
    assert halaman.status_code == 200 and f'value="{token}"' in halaman.get_data(as_text=True)
    assert _kirim(klien, "kota-metro", PPKS, _semua(3), token=token).status_code == 201
    with app.app_context(), dalam_tenant(metro):
        t = db.session.scalar(select(TokenSurvei))
        assert t.dipakai_pada is not None and (t.objek_jenis, t.objek_id) == ("kasus", str(kasus))
        assert db.session.scalar(select(JawabanSurvei.token_id)) == t.id

    lagi = _kirim(app.test_client(), "kota-metro", PPKS, _semua(1), token=token)
    assert lagi.status_code == 409 and "Survei untuk token ini sudah diisi" in lagi.get_data(as_text=True)
    assert _jumlah(app, JawabanSurvei) == 1
    buka = app.test_client().get(f"/t/kota-metro/survei/{PPKS}?token={token}")
    assert buka.status_code == 409 and "sudah diisi" in buka.get_data(as_text=True)


def test_unknown_or_other_offices_token_is_refused(app, kantor_seed):
    with app.app_context(), dalam_tenant(kantor_seed["provinsi-banten"].id):
        token_banten = buat_token_survei()
        db.session.commit()
    for token in ("tidak-ada", token_banten):
        r = _kirim(app.test_client(), "kota-metro", PPKS, _semua(4), token=token)
        assert r.status_code == 404 and "Token survei tidak dikenal di kantor ini" in r.get_data(as_text=True)
        assert app.test_client().get(f"/t/kota-metro/survei/{PPKS}?token={token}").status_code == 404
    assert _jumlah(app, JawabanSurvei) == 0
    with app.app_context(), lintas_tenant("uji", catat=False):
        assert db.session.scalar(select(TokenSurvei.dipakai_pada)) is None


def test_unknown_service_is_404(app, kantor_seed):
    r = app.test_client().get("/t/provinsi-banten/survei/penanganan-ppks-terlantar")
    assert r.status_code == 404 and "tidak ada di Dinas Sosial Provinsi Banten" in r.get_data(as_text=True)


def test_flood_from_one_address_is_stopped(app, kantor_seed):
    semula = app.config["SURVEI_RATE_LIMIT"]
    app.config["SURVEI_RATE_LIMIT"] = "3 per hour"
    try:
        klien = app.test_client()
        kode = [_kirim(klien, "kota-metro", PPKS, _semua(4)).status_code for _ in range(4)]
        assert kode == [201, 201, 201, 429]
        r = _kirim(klien, "kota-metro", PPKS, _semua(4))
        assert r.status_code == 429 and "Terlalu banyak isian survei" in r.get_data(as_text=True)
        assert _jumlah(app, JawabanSurvei) == 3
        lain = app.test_client()
        lain.environ_base["REMOTE_ADDR"] = "10.1.2.3"
        assert _kirim(lain, "kota-metro", PPKS, _semua(4)).status_code == 201
    finally:
        app.config["SURVEI_RATE_LIMIT"] = semula


def _angka(html, kelas):
    return [m for m in re.findall(rf'<dd class="{kelas}">([^<]+)</dd>', html)]


def _isi_2026(app, metro):
    # Semester I: 5 respondents on PPKS, scores summing to 117 -> IKM 65.00 (C).
    _isi_respons(app, metro, PPKS, _responden(5, 117), utc(2026, 3, 10, 3, 0))
    # Semester II: 2 respondents on ABH, all 4 -> 100.00 (A).
    _isi_respons(app, metro, ABH, [{k: 4 for k in KODE}] * 2, utc(2026, 8, 10, 3, 0))


def test_public_ikm_per_semester_year_and_service_with_chart(app, kantor_seed):
    metro = kantor_seed["kota-metro"].id
    _isi_2026(app, metro)
    publik = app.test_client()
    s1 = publik.get("/t/kota-metro/ikm?tahun=2026&semester=1").get_data(as_text=True)
    assert _angka(s1, "ikm") == ["65.00"] and _angka(s1, "responden") == ["5"] and "C (Kurang Baik)" in s1
    s2 = publik.get("/t/kota-metro/ikm?tahun=2026&semester=2").get_data(as_text=True)
    assert _angka(s2, "ikm") == ["100.00"] and "A (Sangat Baik)" in s2
    # The year: (117 + 72) / (9 x 7) x 25 = 75.00 (C).
    tahun = publik.get("/t/kota-metro/ikm?tahun=2026").get_data(as_text=True)
    assert _angka(tahun, "ikm") == ["75.00"] and _angka(tahun, "responden") == ["7"]
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in tahun and 'role="img"' in tahun
    assert tahun.count("<rect ") == 9 and "<script" not in tahun
    abh = publik.get(f"/t/kota-metro/ikm?tahun=2026&layanan={ABH}").get_data(as_text=True)
    assert _angka(abh, "ikm") == ["100.00"] and _angka(abh, "responden") == ["2"]
    assert "Belum ada responden" in publik.get("/t/kota-metro/ikm?tahun=2025").get_data(as_text=True)
    assert publik.get("/t/kota-metro/ikm?semester=3").status_code == 400
    # Another office publishes nothing of Metro's.
    banten = publik.get("/t/provinsi-banten/ikm?tahun=2026").get_data(as_text=True)
    assert "Belum ada responden" in banten and "Penanganan PPKS" not in banten


def test_staff_report_and_excel_totals_match_the_page(app, kantor_seed):
    metro = kantor_seed["kota-metro"]
    _isi_2026(app, metro.id)
    buat_staf(metro, "kepala_bidang", "kabid@metro.uji")
    staf = app.test_client()
    masuk(staf, "kota-metro", "kabid@metro.uji")
    html = staf.get("/t/kota-metro/ikm/rekap?tahun=2026").get_data(as_text=True)
    ikm_halaman = _angka(html, "ikm")[0]
    responden_halaman = int(_angka(html, "responden")[0])
    # The first table is the office's; the per-service tables follow it.
    nrr_halaman = dict(re.findall(r'<td class="nrr" data-unsur="(u\d)">([^<]+)</td>', html)[:9])
    assert ikm_halaman == "75.00" and len(nrr_halaman) == 9

    r = staf.get("/t/kota-metro/ikm/rekap.xlsx?tahun=2026")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    assert 'filename="ikm-kota-metro-2026.xlsx"' in r.headers["Content-Disposition"]
    wb = load_workbook(BytesIO(r.data))
    assert wb.sheetnames == ["Responden", "Rekap"]
    responden = list(wb["Responden"].iter_rows(values_only=True))
    assert len(responden) - 1 == responden_halaman
    kolom = responden[0].index("U1 Persyaratan")
    total_skor = sum(sum(baris[kolom:kolom + 9]) for baris in responden[1:])
    assert total_skor == 117 + 72

    rekap = {baris[0]: baris for baris in wb["Rekap"].iter_rows(values_only=True) if baris and baris[0]}
    assert Decimal(str(rekap["IKM (25-100)"][1])).quantize(Decimal("0.01")) == Decimal(ikm_halaman)
    assert rekap["Jumlah responden"][1] == responden_halaman
    assert rekap["Mutu pelayanan"][1] == "C"
    assert sum(rekap[k.upper()][3] for k in KODE) == total_skor
    for k in KODE:
        assert Decimal(str(rekap[k.upper()][4])) == Decimal(nrr_halaman[k]) and rekap[k.upper()][5] == pytest.approx(1 / 9)
    assert rekap["Penanganan PPKS Terlantar"][2] == 65.0 and rekap["Pendampingan Anak Berhadapan dengan Hukum (ABH)"][2] == 100.0

    s1 = load_workbook(BytesIO(staf.get(f"/t/kota-metro/ikm/rekap.xlsx?tahun=2026&semester=1&layanan={PPKS}").data))
    assert {b[0]: b for b in s1["Rekap"].iter_rows(values_only=True) if b and b[0]}["IKM (25-100)"][1] == 65.0


def test_report_export_and_settings_need_their_permissions(app, kantor_seed):
    buat_staf(kantor_seed["kota-metro"], "pekerja_sosial", "peksos@metro.uji")
    anonim = app.test_client()
    assert anonim.get("/t/kota-metro/ikm/rekap").status_code in (302, 401)
    peksos = app.test_client()
    masuk(peksos, "kota-metro", "peksos@metro.uji")
    for url in ("/t/kota-metro/ikm/rekap", "/t/kota-metro/ikm/rekap.xlsx", "/t/kota-metro/ikm/pengaturan"):
        assert peksos.get(url).status_code == 403


def test_office_settings_extra_element_and_weights(app, kantor_seed):
    metro = kantor_seed["kota-metro"]
    buat_staf(metro, "kepala_dinas", "kadis@metro.uji")
    kadis = app.test_client()
    masuk(kadis, "kota-metro", "kadis@metro.uji")

    def simpan(unsur, bobot):
        html = kadis.get("/t/kota-metro/ikm/pengaturan").get_data(as_text=True)
        return kadis.post("/t/kota-metro/ikm/pengaturan", data={"csrf_token": token_csrf(html), "unsur_tambahan": unsur, "bobot": bobot})

    salah = simpan("u10: Kebersihan ruang tunggu", "\n".join(f"u{i} = 1/11" for i in range(1, 11)))
    assert salah.status_code == 400
    assert "Bobot ditolak: jumlah bobot harus tepat 1, sedangkan jumlahnya 10/11" in salah.get_data(as_text=True)
    assert _jumlah(app, KonfigurasiSurvei) == 0
    kurang = simpan("u10: Kebersihan ruang tunggu", "\n".join(f"u{i} = 1/9" for i in range(1, 10)))
    assert kurang.status_code == 400 and "Kebersihan ruang tunggu" in kurang.get_data(as_text=True)
    assert simpan("u1: Bentrok", "").status_code == 400
    assert _jumlah(app, KonfigurasiSurvei) == 0

    assert simpan("u10: Kebersihan ruang tunggu", "\n".join(f"u{i} = 0.1" for i in range(1, 11))).status_code == 302
    html = app.test_client().get(f"/t/kota-metro/survei/{PPKS}").get_data(as_text=True)
    assert html.count("<fieldset") == 10 and "10. Kebersihan ruang tunggu" in html
    assert _kirim(app.test_client(), "kota-metro", PPKS, {**_semua(4), "u10": "2"}).status_code == 201
    # 9 x 4/10 + 2/10 = 3.8 -> 95.00
    ringkas = app.test_client().get("/t/kota-metro/ikm").get_data(as_text=True)
    assert _angka(ringkas, "ikm") == ["95.00"] and "1/10" in ringkas
    # Weights back to equal: 10 elements, 1/10 each -> (36 + 2) / 10 x 25 = 95.00 as well; drop the element instead.
    assert simpan("", "").status_code == 302
    with app.app_context(), dalam_tenant(metro.id):
        k = db.session.scalar(select(KonfigurasiSurvei))
        assert k.unsur_tambahan == [] and k.bobot is None
    assert _angka(app.test_client().get("/t/kota-metro/ikm").get_data(as_text=True), "ikm") == ["100.00"]


def test_an_offices_own_element_names_are_shown_as_text(app, kantor_seed):
    metro = kantor_seed["kota-metro"]
    buat_staf(metro, "admin_tenant", "admin@metro.uji")
    admin = app.test_client()
    masuk(admin, "kota-metro", "admin@metro.uji")
    html = admin.get("/t/kota-metro/ikm/pengaturan").get_data(as_text=True)
    r = admin.post("/t/kota-metro/ikm/pengaturan", data={
        "csrf_token": token_csrf(html), "unsur_tambahan": "u10: <b>Ruang</b> ber-AC 100%", "bobot": "",
    })
    assert r.status_code == 302
    form = app.test_client().get(f"/t/kota-metro/survei/{PPKS}")
    assert form.status_code == 200
    teks = form.get_data(as_text=True)
    assert "&lt;b&gt;Ruang&lt;/b&gt; ber-AC 100%" in teks and "<b>Ruang</b>" not in teks
    assert _kirim(app.test_client(), "kota-metro", PPKS, {**_semua(4), "u10": "4"}).status_code == 201
    halaman = app.test_client().get("/t/kota-metro/ikm").get_data(as_text=True)
    assert "<b>Ruang</b>" not in halaman and _angka(halaman, "ikm") == ["100.00"]


def test_pages_read_in_english(app, kantor_seed):
    klien = app.test_client()
    form = klien.get(f"/t/kota-metro/survei/{PPKS}?lang=en").get_data(as_text=True)
    assert "Community satisfaction survey" in form and "1. Requirements" in form and "Very satisfactory" in form
    ikm = klien.get("/t/kota-metro/ikm").get_data(as_text=True)
    assert "Community Satisfaction Index" in ikm and "A (Very good): 88.31–100.00" in ikm
    pengaduan = klien.get("/t/kota-metro/pengaduan/").get_data(as_text=True)
    assert "Send complaint" in pengaduan and "This office in general" in pengaduan
