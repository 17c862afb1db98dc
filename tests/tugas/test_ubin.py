"""The dashboard's tiles beside the queue: counts that link to the queue narrowed to what they count."""
import re
from datetime import datetime, timedelta, timezone

from dinsos.tugas.services import Tugas, hitung, saring
from dinsos_uji.alat_kasus import wib
from dinsos_uji.alat_tugas import langkah as _langkah
from dinsos_uji.alat_tugas import terima as _terima
from dinsos_uji.bantuan import masuk

PADA = datetime(2026, 5, 4, 3, 0, tzinfo=timezone.utc)  # 10:00 WIB


def _t(status, due_jam=None, jenis="langkah"):
    return Tugas(jenis=jenis, judul="x", perihal="y", tautan="/", mulai_pada=PADA - timedelta(hours=1),
                 due_at=PADA + timedelta(hours=due_jam) if due_jam is not None else None, status=status)


def test_due_today_is_the_offices_calendar_day_and_not_yet_overdue():
    daftar = [_t("terlambat", -2), _t("tepat", 5), _t("berisiko", 13), _t("tepat", 15), _t(None), _t(None, jenis="penugasan")]
    # 10:00 WIB + 13 h is 23:00 WIB, still today; + 15 h is tomorrow 01:00 WIB.
    a = hitung(daftar, PADA, "Asia/Jakarta")
    assert (a["jumlah"], a["terlambat"], a["berisiko"], a["hari_ini"]) == (6, 1, 1, 2)
    assert a["per_jenis"]["penugasan"] == 1
    # In Jayapura (UTC+9) 03:00 UTC is 12:00: + 13 h is already tomorrow.
    assert hitung(daftar, PADA, "Asia/Jayapura")["hari_ini"] == 1
    assert saring(daftar, status="hari_ini", pada=PADA, zona="Asia/Jakarta") == [daftar[1], daftar[2]]
    assert saring(daftar, status="terlambat", pada=PADA, zona="Asia/Jakarta") == [daftar[0]]
    assert saring(daftar, jenis="penugasan", status="bukan-status", pada=PADA, zona="Asia/Jakarta") == [daftar[5]]


def test_dashboard_tiles_link_to_the_narrowed_queue(seed, klien):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    lama = _terima(mg, s["petugas_pelayanan"], pada=wib(2026, 1, 5, 9, 0))
    _langkah(mg, s["petugas_pelayanan"].id, lama, wib(2026, 1, 5, 9, 10))  # register-kasus, long overdue by now
    baru = _terima(mg, s["petugas_pelayanan"])
    _langkah(mg, s["petugas_pelayanan"].id, baru)  # register-kasus, just started
    masuk(klien, mg.slug, s["fungsional_peksos"].email)
    dasbor = klien.get(f"/t/{mg.slug}/dasbor").get_data(as_text=True)
    ubin = {k: (u, int(n)) for k, u, n in re.findall(
        r'<a class="ubin-(\w+)[^"]*" href="([^"]+)"><span class="ubin-angka">(\d+)</span>', dasbor)}
    assert set(ubin) == {"terlambat", "hari_ini", "berisiko"}  # no "unassigned" tile: the fungsional assigns nothing
    url, n = ubin["terlambat"]
    assert n == 1 and url == f"/t/{mg.slug}/tugas/?status=terlambat"
    assert dasbor.index('class="ubin"') < dasbor.index('class="daftar-tugas"')  # the tiles lead the panel
    terlambat = klien.get(url).get_data(as_text=True)
    assert f"/kasus/{lama}#" in terlambat and f"/kasus/{baru}#" not in terlambat
    assert "Hanya yang terlambat." in terlambat
    semua = klien.get(f"/t/{mg.slug}/tugas/").get_data(as_text=True)
    assert f"/kasus/{lama}#" in semua and f"/kasus/{baru}#" in semua
    # The head of division also sees the cases nobody is assigned to yet.
    kabid = klien.application.test_client()
    masuk(kabid, mg.slug, s["kepala_bidang"].email)
    dasbor = kabid.get(f"/t/{mg.slug}/dasbor").get_data(as_text=True)
    m = re.search(r'<a class="ubin-penugasan[^"]*" href="([^"]+)"><span class="ubin-angka">(\d+)</span>', dasbor)
    assert m and m[1] == f"/t/{mg.slug}/tugas/?jenis=penugasan" and int(m[2]) == 2


def test_the_queue_and_its_tiles_read_in_english_when_asked(seed, klien):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    kid = _terima(mg, s["petugas_pelayanan"])
    _langkah(mg, s["petugas_pelayanan"].id, kid)
    masuk(klien, mg.slug, s["fungsional_peksos"].email)
    dasbor = klien.get(f"/t/{mg.slug}/dasbor?lang=en").get_data(as_text=True)
    assert "My tasks" in dasbor and "Due today" in dasbor and "Overdue" in dasbor and "step 2 of 9" in dasbor
    daftar = klien.get(f"/t/{mg.slug}/tugas/?status=terlambat&lang=en").get_data(as_text=True)
    assert "Only those overdue." in daftar and "Show all" in daftar
