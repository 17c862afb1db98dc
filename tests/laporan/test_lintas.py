"""A province's and the platform's recaps: counts only, small cells hidden so none can be worked back, never a name."""
import random
import re
from datetime import date

import pytest
from sqlalchemy import text

from dinsos_uji.alat_kasus import di_kantor, klien_masuk, wib
from dinsos_uji.bantuan import KATA_SANDI, token_csrf

MEI = "periode=bulan&tahun=2026&bulan=5"
NAMA = ("Sari Wulan", "Budi Santoso", "Siti Aminah", "Rina Ngawi", "Orang Metro Rahasia", "Pak Warga", "Polres")


# --- the suppression rule on its own -------------------------------------------------------------------


def _tabel(isi: list[list[int]]):
    from dinsos.laporan.sensor import TOTAL

    baris, kolom = list(range(len(isi))), list(range(len(isi[0])))
    sel = {(b, k): isi[b][k] for b in baris for k in kolom}
    if len(kolom) > 1:
        for b in baris:
            sel[(b, TOTAL)] = sum(isi[b])
        sel[(TOTAL, TOTAL)] = sum(map(sum, isi))
    for k in kolom:
        sel[(TOTAL, k)] = sum(isi[b][k] for b in baris)
    return sel, baris, kolom


def test_sel_kecil_dan_pelengkapnya_disembunyikan():
    from dinsos.laporan.sensor import TOTAL, bocor, sembunyikan

    sel, baris, kolom = _tabel([[3, 10, 12], [8, 9, 20], [0, 0, 0]])
    h = sembunyikan(sel, baris, kolom)
    assert (0, 0) in h  # the 3
    # Row 0 and column 0 each had one hidden member: another is hidden in each, so 3 = 25 - 10 - 12 no longer works.
    assert sum(k in h for k in [(0, 0), (0, 1), (0, 2), (0, TOTAL)]) >= 2
    assert sum(k in h for k in [(0, 0), (1, 0), (2, 0), (TOTAL, 0)]) >= 2
    assert bocor(sel, baris, kolom, h) == []
    assert (2, 0) not in h  # zeros name nobody and are shown when something else can be hidden


@pytest.mark.parametrize("benih", range(200))
def test_tabel_acak_tidak_pernah_bocor(benih):
    from dinsos.laporan.sensor import bocor, kecil, sembunyikan

    r = random.Random(benih)
    isi = [[r.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 20, 50]) for _ in range(r.randint(1, 6))]]
    isi += [[r.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 20, 50]) for _ in isi[0]] for _ in range(r.randint(0, 7))]
    sel, baris, kolom = _tabel(isi)
    h = sembunyikan(sel, baris, kolom)
    assert bocor(sel, baris, kolom, h) == []
    assert not [k for k, n in sel.items() if kecil(n) and k not in h]


# --- the province ------------------------------------------------------------------------------------


def _sel_html(html: str, awal: str) -> list[list[str]]:
    tabel = html[html.index(awal):]
    tabel = tabel[:tabel.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", s).strip() for s in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", b, re.S)]
            for b in re.findall(r"<tr[^>]*>(.*?)</tr>", tabel, re.S)]


def test_provinsi_melihat_kabupatennya_berdampingan_tanpa_sel_kecil_dan_tanpa_nama(data, mesin_pemilik):
    from dinsos.laporan.ekspor import baca_kisi_xlsx

    k = klien_masuk(data["staf"]["provinsi-jawa-timur"]["kepala_dinas"])
    r = k.get(f"/t/provinsi-jawa-timur/laporan/provinsi?{MEI}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    kisi = _sel_html(html, '<table class="tabel-rekap"')
    assert kisi[0] == ["Kategori PPKS", "Dinas Sosial Kabupaten Magetan", "Dinas Sosial Kabupaten Ngawi",
                       "Dinas Sosial Provinsi Jawa Timur", "Jumlah"]
    baris = {b[0]: b[1:] for b in kisi[1:]}
    # Hand count (see conftest): Magetan 2:1 4:1 8:1 11:1, Ngawi 2:1 4:6; Kota Metro is in Lampung and not counted.
    assert baris["2. Anak terlantar"] == ["*", "*", "0", "*"]
    assert baris["4. Anak jalanan"] == ["*", "*", "0", "7"]  # Ngawi's 6 goes with Magetan's 1, else 1 = 7 - 6
    assert baris["8. Lanjut usia terlantar"] == ["*", "0", "0", "*"]
    assert baris["Jumlah"] == ["*", "*", "0", "11"]
    assert all(v in ("*", "0", "7", "11") for b in kisi[1:] for v in b[1:])
    for nama in NAMA:
        assert nama not in html
    # The Excel is the page.
    x = k.get(f"/t/provinsi-jawa-timur/laporan/provinsi.xlsx?{MEI}")
    assert [[str(v) for v in b] for b in baca_kisi_xlsx(x.data)] == kisi
    assert b"Sari" not in x.data
    # Each crossing is on the audit log with its reason.
    with mesin_pemilik.connect() as c:
        alasan = [r[0] for r in c.execute(text("SELECT lintas_tenant FROM audit_log WHERE tindakan = 'lintas_tenant'"))]
    assert any("laporan provinsi" in str(a) for a in alasan)


def test_rekap_provinsi_per_dimensi_sama_dengan_hitungan_tangan(data):
    from dinsos.core.db import db
    from dinsos.laporan.lintas import rekap_provinsi
    from dinsos.laporan.periode import baca_periode
    from dinsos.tenancy.models import Tenant

    jatim = data["kantor"]["provinsi-jawa-timur"]
    with di_kantor(jatim):
        periode = baca_periode({"periode": "bulan", "tahun": "2026", "bulan": "5"}, "Asia/Jakarta", date(2026, 6, 1))
        t = rekap_provinsi(db.session.get(Tenant, jatim.id), periode, "kelompok_umur", None, wib(2026, 6, 1, 9))
        db.session.rollback()
    # Counts before hiding: anak 9 (Magetan B, C; Ngawi 7), dewasa 1, lansia 1.
    assert {t.label_baris[b]: t.sel[(b, "jumlah")] for b in t.baris} == {
        "Anak (< 18 tahun)": 9, "Dewasa (18–59 tahun)": 1, "Lansia (≥ 60 tahun)": 1}
    # The two 1s are hidden; together they hide each other, so 9 and 11 stay.
    assert [r[1] for r in t.kisi()[1:]] == [9, "*", "*", 11]
    from dinsos.laporan.sensor import bocor

    assert bocor(t.sel, t.baris, t.kolom, t.tersembunyi) == []


def test_hanya_kantor_provinsi_dan_pimpinannya(data):
    assert klien_masuk(data["staf"]["kabupaten-magetan"]["kepala_dinas"]).get(
        f"/t/kabupaten-magetan/laporan/provinsi?{MEI}").status_code == 404
    assert klien_masuk(data["staf"]["provinsi-jawa-timur"]["pekerja_sosial"]).get(
        f"/t/provinsi-jawa-timur/laporan/provinsi?{MEI}").status_code == 403
    # A province's recap never reaches another province's offices.
    lampung = klien_masuk(data["staf"]["kota-metro"]["kepala_dinas"])
    assert lampung.get(f"/t/provinsi-jawa-timur/laporan/provinsi?{MEI}").status_code in (302, 401)


def test_rekap_lintas_di_luar_lintas_tenant_ditolak(data):
    from dinsos.laporan.periode import baca_periode
    from dinsos.laporan.rekap import rekap_lintas

    mg = data["kantor"]["kabupaten-magetan"]
    with di_kantor(mg):
        periode = baca_periode({}, "Asia/Jakarta", date(2026, 5, 6))
        with pytest.raises(RuntimeError, match="lintas_tenant"):
            rekap_lintas([mg.id, data["kantor"]["kota-metro"].id], periode, "kategori", None, wib(2026, 6, 1, 9), {})


def test_statistik_rujukan_per_kantor(app, data):
    from rujukan.alat_rujukan import antar_semua, kasus_magetan, rujuk_ke_banten, semua_masuk, tanggapi

    from dinsos.core.db import db, sekarang
    from dinsos.laporan.lintas import UKURAN_RUJUKAN, statistik_rujukan
    from dinsos.laporan.periode import baca_periode
    from dinsos.tenancy.models import Tenant

    staf = data["staf"]
    kasus_id, lampiran = kasus_magetan(staf)
    rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    [m] = semua_masuk(data["kantor"]["provinsi-banten"])
    tanggapi(staf["provinsi-banten"]["pekerja_sosial"], m["id"], "tolak", alasan="Kuota panti penuh")
    antar_semua(app)
    jatim = data["kantor"]["provinsi-jawa-timur"]
    with di_kantor(jatim):
        from dinsos.laporan.lintas import kantor_provinsi

        periode = baca_periode({"periode": "tahun"}, "Asia/Jakarta", sekarang().date())
        s = statistik_rujukan(kantor_provinsi(db.session.get(Tenant, jatim.id)), periode)
        db.session.rollback()
    mg = data["kantor"]["kabupaten-magetan"].id
    assert {u: s["sel"][(mg, u)] for u in UKURAN_RUJUKAN} == {"dikirim": 1, "tepat": 1, "diterima": 0, "ditolak": 1}
    magetan = next(b for b in s["baris"] if b["kantor"] == "Dinas Sosial Kabupaten Magetan")
    assert magetan == {"kantor": "Dinas Sosial Kabupaten Magetan", "dikirim": "*", "tepat": "*", "diterima": 0, "ditolak": "*"}
    assert s["jumlah"]["dikirim"] == "*"  # one referral in the province: its total would name it


# --- the platform admin ------------------------------------------------------------------------------


@pytest.fixture
def admin(app, data):
    from dinsos.auth.services import buat_admin_platform
    from dinsos.core.db import db

    with app.app_context():
        buat_admin_platform("andi@platform.uji", "Andi", KATA_SANDI)
        db.session.commit()
    k = app.test_client()
    halaman = k.get("/admin/masuk").get_data(as_text=True)
    assert k.post("/admin/masuk", data={"email": "andi@platform.uji", "kata_sandi": KATA_SANDI,
                                         "csrf_token": token_csrf(halaman)}).status_code == 302
    return k


def test_admin_platform_melihat_semua_kantor_per_provinsi(admin, data):
    from dinsos.laporan.ekspor import baca_kisi_xlsx

    r = admin.get(f"/admin/laporan?{MEI}&baris=kategori&kolom=provinsi")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    kisi = _sel_html(html, '<table class="tabel-rekap"')
    assert "Dinas Sosial Provinsi Jawa Timur" in kisi[0] and "Dinas Sosial Provinsi Lampung" in kisi[0]
    assert kisi[-1][-1] == "12"  # 4 Magetan + 7 Ngawi + 1 Metro
    assert all(v not in ("1", "2", "3", "4") for b in kisi[1:] for v in b[1:])
    for nama in NAMA:
        assert nama not in html
    x = admin.get(f"/admin/laporan/rekap.xlsx?{MEI}&baris=kategori&kolom=provinsi")
    assert [[str(v) for v in b] for b in baca_kisi_xlsx(x.data)] == kisi
    # Office staff are nobody under /admin.
    assert klien_masuk(data["staf"]["kabupaten-magetan"]["kepala_dinas"]).get("/admin/laporan").status_code in (302, 401, 403)


def test_wilayah_nik_ikut_nik(app):
    from dinsos.cases.models import Klien
    from dinsos.cases.nik import wilayah_dari_nik

    assert wilayah_dari_nik("3520050101900001") == "35.20.05"
    assert wilayah_dari_nik("35.2005.010190.0001") == "35.20.05"
    assert wilayah_dari_nik("123") is None
    k = Klien(nik="1872010101900001")
    assert k.kode_wilayah_nik == "18.72.01"
    k.nik = None
    assert k.kode_wilayah_nik is None


def test_wilayah_nik_klien_lama_diisi_sekali(app, data, mesin_pemilik):
    from dinsos.laporan.wilayah import isi_yang_kosong

    with mesin_pemilik.begin() as c:
        c.execute(text("UPDATE klien SET kode_wilayah_nik = NULL"))
    with app.app_context():
        assert isi_yang_kosong() == 1  # Budi Santoso is the one client with a NIK
        assert isi_yang_kosong() == 0
    with mesin_pemilik.connect() as c:
        assert c.execute(text("SELECT kode_wilayah_nik FROM klien WHERE kode_wilayah_nik IS NOT NULL")).scalars().all() == ["35.20.05"]


def test_perintah_isi_wilayah_nik(app, data, mesin_pemilik):
    """``dinsos laporan isi-wilayah-nik`` is registered with the other command groups and fills the old clients."""
    from dinsos.cli import main

    with mesin_pemilik.begin() as c:
        c.execute(text("UPDATE klien SET kode_wilayah_nik = NULL"))
    hasil = app.test_cli_runner().invoke(main, ["laporan", "isi-wilayah-nik"])
    assert hasil.exit_code == 0, hasil.output
    assert "1 klien diisi wilayah NIK-nya" in hasil.output
    with mesin_pemilik.connect() as c:
        assert c.execute(text("SELECT kode_wilayah_nik FROM klien WHERE kode_wilayah_nik IS NOT NULL")).scalars().all() == ["35.20.05"]
