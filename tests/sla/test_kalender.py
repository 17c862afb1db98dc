"""The working calendar and deadline arithmetic, against real 2026 holidays."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dinsos.core.kalender import (
    Durasi,
    DurasiTidakValid,
    KalenderKerja,
    KalenderTidakValid,
    parse_waktu,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
UTC = timezone.utc


def wib(*args):
    return datetime(*args, tzinfo=WIB)


@pytest.fixture(scope="module")
def kalender():
    return KalenderKerja()


# --- holidays ------------------------------------------------------------

def test_2026_has_17_national_holidays_and_8_cuti_bersama(kalender):
    libur = kalender.daftar_hari_libur(2026)
    sumber = [item["sumber"] for item in libur]
    assert sumber.count("nasional") == 17
    assert sumber.count("cuti_bersama") == 8
    assert not any(item["dibatalkan"] for item in libur)
    assert {"tanggal": date(2026, 8, 17), "nama": "Hari Kemerdekaan Republik Indonesia",
            "sumber": "nasional", "dibatalkan": False} in libur


def test_idul_fitri_2026_dates_from_the_package(kalender):
    maret = {item["tanggal"]: item["sumber"] for item in kalender.daftar_hari_libur(2026)
             if date(2026, 3, 16) <= item["tanggal"] <= date(2026, 3, 31)}
    assert maret == {
        date(2026, 3, 18): "cuti_bersama",  # Nyepi
        date(2026, 3, 19): "nasional",      # Hari Suci Nyepi
        date(2026, 3, 20): "cuti_bersama",  # Idul Fitri
        date(2026, 3, 21): "nasional",      # Hari Raya Idul Fitri (Saturday)
        date(2026, 3, 22): "nasional",      # second day (Sunday)
        date(2026, 3, 23): "cuti_bersama",
        date(2026, 3, 24): "cuti_bersama",
    }
    kerja = [d for d in (date(2026, 3, 16) + timedelta(days=i) for i in range(12))
             if kalender.adalah_hari_kerja(d)]
    assert kerja == [date(2026, 3, 16), date(2026, 3, 17), date(2026, 3, 25),
                     date(2026, 3, 26), date(2026, 3, 27)]


def test_weekends_are_not_working_days_unless_office_hours_say_so(kalender):
    assert not kalender.adalah_hari_kerja(date(2026, 3, 7))  # Saturday
    assert kalender.adalah_hari_kerja(date(2026, 3, 6))      # Friday
    sabtu = KalenderKerja(jam_kerja={"senin": "08:00-15:00", "sabtu": "08:00-12:00"})
    assert sabtu.adalah_hari_kerja(date(2026, 3, 7))
    assert not sabtu.adalah_hari_kerja(date(2026, 3, 3))  # Tuesday left out


# --- working days ----------------------------------------------------------

def test_one_working_day_from_friday_afternoon_lands_on_monday_same_time(kalender):
    due = kalender.tambah(wib(2026, 3, 6, 15, 0), parse_waktu("1 hari"))
    assert due.tzinfo == UTC
    assert due == wib(2026, 3, 9, 15, 0)


def test_friday_time_past_monday_closing_is_clamped_to_closing(kalender):
    due = kalender.tambah(wib(2026, 3, 6, 16, 15), Durasi(1, "hari_kerja"))
    assert due == wib(2026, 3, 9, 16, 0)


def test_working_days_start_outside_hours_moves_to_next_opening(kalender):
    assert kalender.tambah(wib(2026, 3, 2, 6, 0), Durasi(1, "hari_kerja")) == wib(2026, 3, 3, 7, 30)
    assert kalender.tambah(wib(2026, 3, 2, 18, 0), Durasi(1, "hari_kerja")) == wib(2026, 3, 4, 7, 30)
    assert kalender.tambah(wib(2026, 3, 7, 10, 0), Durasi(1, "hari_kerja")) == wib(2026, 3, 10, 7, 30)


def test_working_days_skip_cuti_bersama_around_idul_fitri_2026(kalender):
    # Tuesday 17 March; 18-24 March are Nyepi, Idul Fitri and their cuti bersama.
    assert kalender.tambah(wib(2026, 3, 17, 10, 0), parse_waktu("2 hari kerja")) == wib(2026, 3, 26, 10, 0)
    assert kalender.tambah(wib(2026, 3, 13, 15, 0), parse_waktu("1 hari")) == wib(2026, 3, 16, 15, 0)
    # Working minutes skip them too: 30 minutes on the 17th, the rest on the 25th.
    assert kalender.tambah(wib(2026, 3, 17, 15, 30), parse_waktu("1 jam")) == wib(2026, 3, 25, 8, 0)


def test_office_added_holiday_moves_a_deadline():
    kalender = KalenderKerja(libur_tambahan={"2026-03-25": "Hari Jadi Kabupaten"})
    assert not kalender.adalah_hari_kerja(date(2026, 3, 25))
    assert kalender.tambah(wib(2026, 3, 17, 10, 0), Durasi(2, "hari_kerja")) == wib(2026, 3, 27, 10, 0)
    daerah = [item for item in kalender.daftar_hari_libur(2026) if item["sumber"] == "daerah"]
    assert daerah == [{"tanggal": date(2026, 3, 25), "nama": "Hari Jadi Kabupaten",
                       "sumber": "daerah", "dibatalkan": False}]


def test_office_removed_holiday_becomes_a_working_day():
    kalender = KalenderKerja(hari_kerja_tambahan=[date(2026, 3, 24)])
    assert kalender.adalah_hari_kerja(date(2026, 3, 24))
    assert kalender.tambah(wib(2026, 3, 17, 10, 0), Durasi(2, "hari_kerja")) == wib(2026, 3, 25, 10, 0)
    dibatalkan = [item["tanggal"] for item in kalender.daftar_hari_libur(2026) if item["dibatalkan"]]
    assert dibatalkan == [date(2026, 3, 24)]


# --- working minutes -----------------------------------------------------------

def test_fifteen_minutes_from_1555_monday_ends_0740_tuesday(kalender):
    assert kalender.tambah(wib(2026, 3, 2, 15, 55), parse_waktu("15 menit")) == wib(2026, 3, 3, 7, 40)


def test_minutes_that_fill_the_day_end_at_closing_not_next_morning(kalender):
    assert kalender.tambah(wib(2026, 3, 2, 15, 0), Durasi(1, "jam")) == wib(2026, 3, 2, 16, 0)


def test_working_minutes_start_before_opening_and_on_weekend(kalender):
    assert kalender.tambah(wib(2026, 3, 2, 5, 0), Durasi(15, "menit")) == wib(2026, 3, 2, 7, 45)
    assert kalender.tambah(wib(2026, 3, 8, 12, 0), Durasi(15, "menit")) == wib(2026, 3, 9, 7, 45)


def test_menit_kerja_antara_counts_only_office_time(kalender):
    # Friday 15:00 -> Monday 09:00: 90 minutes on Friday, 90 on Monday.
    assert kalender.menit_kerja_antara(wib(2026, 3, 6, 15, 0), wib(2026, 3, 9, 9, 0)) == 180
    assert kalender.menit_kerja_antara(wib(2026, 3, 9, 9, 0), wib(2026, 3, 6, 15, 0)) == -180
    # A whole regular week: 4 x 8.5 h + 9 h.
    assert kalender.menit_kerja_antara(wib(2026, 3, 2, 0, 0), wib(2026, 3, 9, 0, 0)) == 43 * 60
    # The Idul Fitri week has only Monday and Tuesday.
    assert kalender.menit_kerja_antara(wib(2026, 3, 16, 0, 0), wib(2026, 3, 25, 0, 0)) == 2 * 510


def test_tambah_menit_kerja_is_the_inverse_of_menit_kerja_antara(kalender):
    mulai = wib(2026, 3, 12, 14, 7)
    for menit in (1, 59, 113, 510, 511, 2000, 9000):
        akhir = kalender.tambah_menit_kerja(mulai, menit)
        assert kalender.menit_kerja_antara(mulai, akhir) == menit


def test_kurangi_menit_kerja_looks_back_over_nights_weekends_and_holidays(kalender):
    # Monday 09:00 less 180 working minutes: 90 on Monday morning, 90 before Friday's 16:30 closing.
    assert kalender.kurangi_menit_kerja(wib(2026, 3, 9, 9, 0), 180) == wib(2026, 3, 6, 15, 0)
    # From a Sunday: counted back from Friday's closing.
    assert kalender.kurangi_menit_kerja(wib(2026, 3, 8, 12, 0), 30) == wib(2026, 3, 6, 16, 0)
    # A day used up exactly starts at its opening.
    assert kalender.kurangi_menit_kerja(wib(2026, 3, 10, 16, 0), 510) == wib(2026, 3, 10, 7, 30)
    # Over the Idul Fitri holidays (Wednesday 18 to Tuesday 24 March 2026) to Tuesday 17 March.
    assert kalender.kurangi_menit_kerja(wib(2026, 3, 25, 8, 30), 120) == wib(2026, 3, 17, 15, 0)
    assert kalender.kurangi_menit_kerja(wib(2026, 3, 8, 12, 0), 0) == wib(2026, 3, 8, 12, 0)
    with pytest.raises(ValueError):
        kalender.kurangi_menit_kerja(wib(2026, 3, 9, 9, 0), -1)


def test_kurangi_menit_kerja_is_the_inverse_of_menit_kerja_antara(kalender):
    for sampai in (wib(2026, 3, 12, 14, 7), wib(2026, 3, 14, 3, 0), wib(2026, 3, 25, 7, 45)):
        for menit in (1, 59, 113, 510, 511, 2000, 9000):
            mulai = kalender.kurangi_menit_kerja(sampai, menit)
            assert kalender.menit_kerja_antara(mulai, sampai) == menit
            # the latest such instant: a minute later leaves a minute less
            assert kalender.menit_kerja_antara(mulai + timedelta(minutes=1), sampai) == menit - 1


# --- time zones ----------------------------------------------------------------

def test_wita_and_wit_tenants_compute_in_their_own_zone():
    wib_, wita, wit = (KalenderKerja(zona_waktu=z) for z in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"))
    saat = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)  # 15:30 WIB, 16:30 WITA, 17:30 WIT
    satu_jam = Durasi(1, "jam")
    assert wib_.tambah(saat, satu_jam) == datetime(2026, 3, 3, 8, 0, tzinfo=WIB)
    assert wita.tambah(saat, satu_jam) == datetime(2026, 3, 3, 8, 30, tzinfo=WITA)
    assert wit.tambah(saat, satu_jam) == datetime(2026, 3, 3, 8, 30, tzinfo=WIT)
    assert len({wib_.tambah(saat, satu_jam), wita.tambah(saat, satu_jam), wit.tambah(saat, satu_jam)}) == 3

    jumat = datetime(2026, 3, 6, 8, 0, tzinfo=UTC)  # 15:00 WIB, 16:00 WITA, 17:00 WIT
    sehari = Durasi(1, "hari_kerja")
    assert wib_.tambah(jumat, sehari) == datetime(2026, 3, 9, 15, 0, tzinfo=WIB)
    assert wita.tambah(jumat, sehari) == datetime(2026, 3, 9, 16, 0, tzinfo=WITA)
    assert wit.tambah(jumat, sehari) == datetime(2026, 3, 10, 7, 30, tzinfo=WIT)


def test_local_date_decides_the_holiday_not_utc():
    wit = KalenderKerja(zona_waktu="Asia/Jayapura")
    # 23:30 UTC on Tuesday 17 March is already Wednesday 18 March (cuti bersama) in Jayapura.
    saat = datetime(2026, 3, 17, 23, 30, tzinfo=UTC)
    assert wit.tambah(saat, Durasi(15, "menit")) == datetime(2026, 3, 25, 7, 45, tzinfo=WIT)


# --- calendar durations --------------------------------------------------------

def test_calendar_durations_ignore_office_hours_and_holidays(kalender):
    mulai = wib(2026, 3, 17, 10, 0)
    assert kalender.tambah(mulai, parse_waktu("3x24 jam")) == wib(2026, 3, 20, 10, 0)
    assert kalender.tambah(mulai, parse_waktu("7 hari kalender")) == wib(2026, 3, 24, 10, 0)
    assert kalender.tambah(mulai, Durasi(2, "minggu")) == wib(2026, 3, 31, 10, 0)
    assert kalender.tambah(mulai, parse_waktu("1 (satu) tahun")) == wib(2027, 3, 17, 10, 0)


def test_month_and_year_ends_are_clamped(kalender):
    assert kalender.tambah(wib(2026, 1, 31, 9, 0), parse_waktu("1 bulan")) == wib(2026, 2, 28, 9, 0)
    assert kalender.tambah(wib(2026, 1, 31, 9, 0), Durasi(13, "bulan")) == wib(2027, 2, 28, 9, 0)
    assert kalender.tambah(wib(2028, 2, 29, 9, 0), Durasi(1, "tahun")) == wib(2029, 2, 28, 9, 0)


def test_calendar_days_keep_wall_time_across_a_dst_change():
    # Not an Indonesian case, but the zone is a free IANA setting.
    eropa = KalenderKerja(zona_waktu="Europe/Amsterdam")
    ams = ZoneInfo("Europe/Amsterdam")
    mulai = datetime(2026, 3, 28, 10, 0, tzinfo=ams)
    assert eropa.tambah(mulai, Durasi(1, "hari")) == datetime(2026, 3, 29, 10, 0, tzinfo=ams)
    assert eropa.tambah(mulai, Durasi(24, "jam_kalender")) == datetime(2026, 3, 29, 11, 0, tzinfo=ams)


# --- warn point and pauses ---------------------------------------------------

def test_warn_point_at_75_percent_of_working_time(kalender):
    mulai = wib(2026, 3, 2, 15, 55)
    due = kalender.tambah(mulai, Durasi(15, "menit"))
    # 675 s of 900: 5 minutes on Monday, 6 m 15 s on Tuesday morning.
    assert kalender.titik_peringatan(mulai, due) == wib(2026, 3, 3, 7, 36, 15)
    jumat = wib(2026, 3, 6, 15, 0)
    senin = kalender.tambah(jumat, Durasi(1, "hari_kerja"))
    # 540 working minutes in all, warn after 405: 90 on Friday, 315 on Monday.
    assert kalender.titik_peringatan(jumat, senin) == wib(2026, 3, 9, 12, 45)
    assert kalender.titik_peringatan(jumat, senin, 0.5) == wib(2026, 3, 9, 10, 30)


def test_warn_point_of_calendar_duration_uses_calendar_time(kalender):
    mulai = wib(2026, 3, 17, 10, 0)
    due = kalender.tambah(mulai, parse_waktu("3x24 jam"))
    assert kalender.titik_peringatan(mulai, due, waktu_kalender=True) == wib(2026, 3, 19, 16, 0)


def test_pause_and_resume_keep_the_remaining_working_minutes(kalender):
    mulai = wib(2026, 3, 2, 10, 0)
    due = kalender.tambah(mulai, Durasi(2, "hari_kerja"))
    assert due == wib(2026, 3, 4, 10, 0)
    dijeda = wib(2026, 3, 3, 14, 0)
    sisa = kalender.sisa_setelah_jeda(mulai, due, dijeda)
    assert sisa == 120 + 150  # Tuesday 14:00-16:00, Wednesday 07:30-10:00
    lanjut = wib(2026, 3, 17, 15, 0)  # resumes just before Idul Fitri
    baru = kalender.jatuh_tempo_setelah_lanjut(lanjut, sisa)
    assert baru == wib(2026, 3, 25, 11, 0)  # 60 on the 17th, 210 on the 25th
    assert kalender.menit_kerja_antara(lanjut, baru) == sisa


def test_pause_rounds_up_and_stops_at_zero(kalender):
    mulai, due = wib(2026, 3, 2, 10, 0), wib(2026, 3, 2, 11, 0)
    assert kalender.sisa_setelah_jeda(mulai, due, wib(2026, 3, 2, 10, 30, 30)) == 30
    assert kalender.sisa_setelah_jeda(mulai, due, wib(2026, 3, 2, 12, 0)) == 0
    # Paused before the clock started: the whole span remains.
    assert kalender.sisa_setelah_jeda(mulai, due, wib(2026, 3, 2, 8, 0)) == 60


def test_pause_of_calendar_duration_counts_calendar_minutes(kalender):
    mulai = wib(2026, 3, 17, 10, 0)
    due = kalender.tambah(mulai, parse_waktu("1x24 jam"))
    sisa = kalender.sisa_setelah_jeda(mulai, due, wib(2026, 3, 17, 22, 0), waktu_kalender=True)
    assert sisa == 12 * 60
    lanjut = wib(2026, 3, 20, 9, 0)
    assert kalender.jatuh_tempo_setelah_lanjut(lanjut, sisa, waktu_kalender=True) == wib(2026, 3, 20, 21, 0)


# --- bounds and bad input ------------------------------------------------------

def test_spans_over_five_years_are_refused(kalender):
    mulai = wib(2026, 3, 2, 10, 0)
    with pytest.raises(ValueError, match="5 tahun"):
        kalender.tambah(mulai, Durasi(6, "tahun"))
    with pytest.raises(ValueError, match="5 tahun"):
        kalender.tambah(mulai, Durasi(2000, "hari"))
    with pytest.raises(ValueError, match="5 tahun"):
        kalender.tambah(mulai, Durasi(10**9, "menit"))
    with pytest.raises(ValueError, match="5 tahun"):
        kalender.tambah(mulai, Durasi(2000, "hari_kerja"))
    with pytest.raises(ValueError, match="5 tahun"):
        kalender.menit_kerja_antara(mulai, wib(2032, 3, 2, 10, 0))
    assert kalender.tambah(mulai, Durasi(5, "tahun")) == wib(2031, 3, 2, 10, 0)


def test_naive_datetimes_are_refused(kalender):
    with pytest.raises(ValueError, match="zona waktu"):
        kalender.tambah(datetime(2026, 3, 2, 10, 0), Durasi(1, "jam"))


@pytest.mark.parametrize(
    ("pengaturan", "pesan"),
    [
        ({"zona_waktu": "Asia/Bandung"}, "zona_waktu 'Asia/Bandung' tidak dikenal"),
        ({"zona_waktu": "WIB"}, "Asia/Jakarta"),
        ({"zona_waktu": ""}, "zona_waktu kosong"),
        ({"jam_kerja": {"senin": "16:00-07:30"}}, "jam_kerja.senin: '16:00-07:30'.*jam buka"),
        ({"jam_kerja": {"senin": "25:00-26:00"}}, "jam_kerja.senin: '25:00-26:00' memuat jam yang tidak ada"),
        ({"jam_kerja": {"senin": "07:30-16:60"}}, "memuat jam yang tidak ada"),
        ({"jam_kerja": {"selasa": "pagi"}}, "jam_kerja.selasa: 'pagi' tidak dapat dibaca"),
        ({"jam_kerja": {"monday": "07:30-16:00"}}, "hari 'monday' tidak dikenal"),
        ({"jam_kerja": {}}, "tidak memuat satu pun hari kerja"),
        ({"libur_tambahan": ["2026-02-30"]}, "libur_tambahan: tanggal '2026-02-30' tidak ada"),
        ({"libur_tambahan": ["31/08/2026"]}, "libur_tambahan: '31/08/2026' bukan tanggal"),
        ({"hari_kerja_tambahan": ["2026-13-01"]}, "hari_kerja_tambahan: tanggal '2026-13-01' tidak ada"),
        ({"libur_tambahan": {"2026-03-24": "Libur"}, "hari_kerja_tambahan": ["2026-03-24"]},
         "2026-03-24 ada di libur_tambahan dan di hari_kerja_tambahan"),
        ({"hari_kerja_tambahan": ["2026-03-21"]}, "2026-03-21 jatuh pada hari sabtu"),
    ],
)
def test_impossible_calendar_settings_are_refused(pengaturan, pesan):
    with pytest.raises(KalenderTidakValid, match=pesan):
        KalenderKerja(**pengaturan)


def test_settings_accept_dotted_hours_and_date_objects_and_are_normalised():
    jam = {"senin": "08.00 - 15.00", "jumat": "08:00-11:00"}
    kalender = KalenderKerja(zona_waktu="Asia/Makassar", jam_kerja=jam,
                             libur_tambahan=[date(2026, 4, 6)])
    jam["selasa"] = "08:00-15:00"
    assert kalender.jam_kerja == {"senin": "08:00-15:00", "jumat": "08:00-11:00"}
    assert kalender.libur_tambahan == {date(2026, 4, 6): "Libur daerah"}
    assert not kalender.adalah_hari_kerja(date(2026, 4, 7))


# --- parse_waktu ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("teks", "durasi"),
    [
        ("15 menit", Durasi(15, "menit")),
        ("1 jam", Durasi(1, "jam")),
        ("1 hari", Durasi(1, "hari_kerja")),
        ("1 Hari", Durasi(1, "hari_kerja")),
        ("2 hari kerja", Durasi(2, "hari_kerja")),
        ("2  (dua)  hari  kerja", Durasi(2, "hari_kerja")),
        ("7 hari kalender", Durasi(7, "hari")),
        ("3x24 jam", Durasi(72, "jam_kalender")),
        ("3 x 24 jam", Durasi(72, "jam_kalender")),
        ("1x24 jam", Durasi(24, "jam_kalender")),
        ("1 (satu) tahun", Durasi(1, "tahun")),
        ("1 bulan", Durasi(1, "bulan")),
        ("2 minggu", Durasi(2, "minggu")),
        ("12 (dua belas) bulan", Durasi(12, "bulan")),
        ("30 (tiga puluh) hari kalender", Durasi(30, "hari")),
        ("11 (sebelas) hari", Durasi(11, "hari_kerja")),
    ],
)
def test_parse_waktu_reads_sop_time_standards(teks, durasi):
    assert parse_waktu(teks) == durasi


@pytest.mark.parametrize(
    ("teks", "pesan"),
    [
        ("1 (satu) sampai dengan 2 (dua) hari kerja", "adalah rentang"),
        ("1-2 hari kerja", "adalah rentang"),
        ("1 s/d 2 hari", "adalah rentang"),
        ("0 menit", "'0 menit' bernilai nol"),
        ("0x24 jam", "bernilai nol"),
        ("-1 jam", "'-1 jam' bernilai negatif"),
        ("", "waktu kosong"),
        ("segera", "'segera' tidak dapat dibaca"),
        ("1 abad", "'1 abad' tidak dapat dibaca"),
        ("satu jam", "tidak dapat dibaca"),
        ("1,5 jam", "tidak dapat dibaca"),
        ("2 (satu) hari", r"angka 2 tidak sama dengan tulisan \(satu\)"),
        ("1 (satu) tahun berjalan", "tidak dapat dibaca"),
    ],
)
def test_parse_waktu_refuses_bad_text_naming_it(teks, pesan):
    with pytest.raises(DurasiTidakValid, match=pesan):
        parse_waktu(teks)


@pytest.mark.parametrize(("jumlah", "satuan"), [(0, "jam"), (-3, "hari"), (1, "detik"), (1.5, "jam"), (True, "jam")])
def test_durasi_refuses_impossible_values(jumlah, satuan):
    with pytest.raises(DurasiTidakValid):
        Durasi(jumlah, satuan)


def test_start_exactly_at_closing_keeps_that_day(kalender):
    assert kalender.tambah(wib(2026, 3, 2, 16, 0), Durasi(1, "hari_kerja")) == wib(2026, 3, 3, 16, 0)
    assert kalender.tambah(wib(2026, 3, 2, 16, 1), Durasi(1, "hari_kerja")) == wib(2026, 3, 4, 7, 30)


@pytest.mark.parametrize("fraksi", [0, -0.5, 1.5, "0.75"])
def test_warn_fraction_outside_zero_to_one_is_refused(kalender, fraksi):
    with pytest.raises(ValueError, match="fraksi peringatan"):
        kalender.titik_peringatan(wib(2026, 3, 2, 10, 0), wib(2026, 3, 2, 11, 0), fraksi)


def test_negative_working_minutes_are_refused(kalender):
    with pytest.raises(ValueError, match="menit kerja"):
        kalender.tambah_menit_kerja(wib(2026, 3, 2, 10, 0), -5)


def test_calendar_is_immutable(kalender):
    with pytest.raises(AttributeError):
        kalender.zona_waktu = "Asia/Jayapura"
