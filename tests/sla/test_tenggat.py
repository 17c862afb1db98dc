"""Deadline clocks on the office calendar, and the sweep's once-only notices."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from dinsos.core.db import db
from dinsos.core.kalender import DurasiTidakValid
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos.sla.models import PemberitahuanTenggat, Tenggat
from dinsos.sla.services import (
    jeda_tenggat,
    lanjutkan_tenggat,
    mulai_tenggat,
    sapu_tenggat,
    selesaikan_tenggat,
    status_tenggat,
)
from dinsos_uji.bantuan import buat_staf, buat_tenant

WIB = timezone(timedelta(hours=7))
JUMAT_15 = datetime(2026, 11, 20, 15, 0, tzinfo=WIB)  # a Friday without holidays around it


@pytest.fixture
def kantor(app):
    k = buat_tenant(app, "kabupaten-uji", tingkat="kabupaten")
    pj, _ = buat_staf(k, "fungsional_peksos", "budi@uji.id")
    kabid, _ = buat_staf(k, "kepala_bidang", "ratna@uji.id")
    kadis, _ = buat_staf(k, "kepala_dinas", "agus@uji.id")
    return k, pj, kabid, kadis


def _notifikasi(app, tenant_id):
    from dinsos.notify.models import Notifikasi

    with app.app_context(), dalam_tenant(tenant_id):
        return [(n.penerima_id, n.judul) for n in db.session.scalars(select(Notifikasi).order_by(Notifikasi.dibuat_pada))]


def _mulai(app, k, pj, durasi="1 hari", mulai=JUMAT_15, objek="langkah-1", **lain):
    with app.app_context(), dalam_tenant(k.id):
        t = mulai_tenggat("langkah_kasus", objek, durasi=durasi, mulai=mulai, judul="Register kasus REG/1/2026",
                          tautan="/t/kabupaten-uji/kasus/1", penanggung_jawab_id=pj, **lain)
        db.session.commit()
        return t.warn_at, t.due_at, t.eskalasi_at


def test_one_working_day_from_friday_afternoon_is_due_monday_same_time(app, kantor):
    k, pj, *_ = kantor
    warn, due, dua_kali = _mulai(app, k, pj)
    assert due == datetime(2026, 11, 23, 15, 0, tzinfo=WIB)
    # 75% of 540 working minutes (Fri 15:00-16:30 and Mon 07:30-15:00) after the start
    assert warn == datetime(2026, 11, 23, 12, 45, tzinfo=WIB)
    assert dua_kali == datetime(2026, 11, 24, 15, 30, tzinfo=WIB)  # another 540 working minutes


def test_a_pause_stops_the_clock_and_resuming_adds_back_what_was_left(app, kantor):
    k, pj, *_ = kantor
    _mulai(app, k, pj)
    with app.app_context(), dalam_tenant(k.id):
        jeda_tenggat("langkah_kasus", "langkah-1", datetime(2026, 11, 20, 16, 0, tzinfo=WIB))  # 60 of 540 used
        t = lanjutkan_tenggat("langkah_kasus", "langkah-1", datetime(2026, 11, 24, 7, 30, tzinfo=WIB))
        db.session.commit()
        assert t.due_at == datetime(2026, 11, 24, 15, 30, tzinfo=WIB)  # 480 minutes from Tuesday opening


def test_unparseable_time_standards_are_refused(app, kantor):
    k, pj, *_ = kantor
    with app.app_context(), dalam_tenant(k.id):
        for buruk in ("sejam", "-1 hari", "0 menit"):
            with pytest.raises(DurasiTidakValid):
                mulai_tenggat("langkah_kasus", "x", durasi=buruk, mulai=JUMAT_15, judul="x")


def test_the_sweep_warns_then_escalates_each_exactly_once(app, kantor):
    k, pj, kabid, kadis = kantor
    warn, due, dua_kali = _mulai(app, k, pj)
    with app.app_context():
        assert sapu_tenggat(warn - timedelta(minutes=1)) == 0
        assert sapu_tenggat(warn) == 1
        assert sapu_tenggat(warn + timedelta(minutes=5)) == 0
        assert sapu_tenggat(due) == 2  # overdue to the worker, escalation to the kepala bidang
        assert sapu_tenggat(due) == 0
        assert sapu_tenggat(dua_kali + timedelta(hours=1)) == 1
        assert sapu_tenggat(dua_kali + timedelta(days=30)) == 0
    diterima = _notifikasi(app, k.id)
    assert [p for p, _ in diterima] == [pj, pj, kabid, kadis]
    assert diterima[0][1].startswith("Segera jatuh tempo") and diterima[3][1].startswith("Eskalasi kedua")


def test_a_late_sweep_skips_the_stale_warning(app, kantor):
    k, pj, kabid, _ = kantor
    _warn, due, _ = _mulai(app, k, pj)
    with app.app_context():
        assert sapu_tenggat(due + timedelta(minutes=1)) == 2
    assert [j for _, j in _notifikasi(app, k.id) if j.startswith("Segera")] == []


def test_a_finished_or_paused_clock_sends_nothing(app, kantor):
    k, pj, *_ = kantor
    _warn, due, _ = _mulai(app, k, pj)
    _mulai(app, k, pj, objek="langkah-2")
    with app.app_context(), dalam_tenant(k.id):
        selesaikan_tenggat("langkah_kasus", "langkah-1", due - timedelta(hours=1))
        jeda_tenggat("langkah_kasus", "langkah-2", due - timedelta(hours=1))
        db.session.commit()
        assert sapu_tenggat(due + timedelta(days=10)) == 0
        t = db.session.scalar(select(Tenggat).where(Tenggat.objek_id == "langkah-1"))
        assert status_tenggat(t, due) == "selesai"


def test_open_ended_services_get_a_periodic_review_each_round(app, kantor):
    k, pj, *_ = kantor
    mulai = datetime(2026, 1, 5, 9, 0, tzinfo=WIB)
    _mulai(app, k, pj, durasi="1 bulan", mulai=mulai, objek="kasus-abh", berulang=True)
    with app.app_context():
        assert sapu_tenggat(datetime(2026, 2, 5, 9, 0, tzinfo=WIB)) == 1
        assert sapu_tenggat(datetime(2026, 2, 20, 9, 0, tzinfo=WIB)) == 0
        assert sapu_tenggat(datetime(2026, 3, 5, 9, 0, tzinfo=WIB)) == 1
    assert [j for _, j in _notifikasi(app, k.id)] == ["Tinjauan berkala: Register kasus REG/1/2026"] * 2


def test_wita_and_wit_offices_compute_in_their_own_zone(app):
    selayar = buat_tenant(app, "kabupaten-selayar", tingkat="kabupaten", zona="Asia/Makassar")
    jayapura = buat_tenant(app, "kota-jayapura", zona="Asia/Jayapura")
    pada = datetime(2026, 11, 20, 6, 0, tzinfo=timezone.utc)  # Fri 14:00 WITA, 15:00 WIT
    hasil = {}
    for k in (selayar, jayapura):
        with app.app_context(), dalam_tenant(k.id):
            hasil[k.slug] = mulai_tenggat("kasus", "x", durasi="1 hari", mulai=pada, judul="x").due_at
            db.session.commit()
    assert hasil["kabupaten-selayar"] == datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc)
    assert hasil["kota-jayapura"] == datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc)
    assert hasil["kabupaten-selayar"].astimezone(timezone(timedelta(hours=8))).hour == 14


@pytest.mark.postgres
def test_concurrent_sweeps_send_each_notice_once(app, kantor):
    k, pj, kabid, kadis = kantor
    for i in range(30):
        _mulai(app, k, pj, objek=f"langkah-{i}")
    _warn, due, _ = _mulai(app, k, pj, objek="langkah-akhir")
    hasil, galat = [], []
    serentak = threading.Barrier(4)

    def sapu():
        try:
            with app.app_context():
                serentak.wait()
                hasil.append(sapu_tenggat(due + timedelta(minutes=1), batas=7))
        except Exception as e:
            galat.append(e)

    benang = [threading.Thread(target=sapu) for _ in range(4)]
    [t.start() for t in benang]
    [t.join() for t in benang]
    assert not galat
    assert sum(hasil) == 31 * 2
    with app.app_context(), lintas_tenant("uji", catat=False):
        assert db.session.scalar(select(func.count()).select_from(PemberitahuanTenggat)) == 31 * 2
    assert len(_notifikasi(app, k.id)) == 31 * 2
