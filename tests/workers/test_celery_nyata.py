"""A real Redis, real Celery worker and beat processes, a real SMTP server: exactly one e-mail per notice.

The worker runs as a subprocess against the test database as the app role
(so row-level security applies), on the Redis database named by REDIS_URL
(the ``broker`` fixture: flushed before and after). Every wait is bounded and
every process is killed at the end of the test.
"""
import signal
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from dinsos.core import outbox
from dinsos.core.db import db
from dinsos.core.outbox import PesanOutbox, tulis_outbox
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos.notify.services import kirim_notifikasi
from dinsos_uji.bantuan import buat_staf, buat_tenant
from dinsos_uji.pekerja import BATAS, jalankan_relay, relay_serentak, terbit_ulang
from dinsos_uji.pekerja import tunggu as _tunggu
from dinsos_uji.server import port_bebas

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def proses(proses_pekerja, smtp):
    """Workers that also know the slow test handler (``penangan_uji``) and send e-mail to ``smtp``."""
    return proses_pekerja("penangan_uji", DINSOS_SMTP_HOST="127.0.0.1", DINSOS_SMTP_PORT=smtp.port)


@pytest.fixture
def kantor(app):
    kantor = buat_tenant(app, "kabupaten-magetan", tingkat="kabupaten")
    staf_id, _email = buat_staf(kantor, "pekerja_sosial", email="peksos@magetan.uji")
    return kantor, staf_id


def _notifikasi(app, kantor, kunci, lambat: dict | None = None):
    """A notice to the social worker; with ``lambat``, delivered by the slow test handler instead of the product's."""
    kantor, staf_id = kantor
    with app.app_context(), dalam_tenant(kantor.id):
        if lambat is None:
            n = kirim_notifikasi(staf_id, f"Tenggat {kunci}", "Segera tindak lanjuti.", kunci=kunci)
        else:
            smtp_host = app.config["SMTP_HOST"]
            app.config["SMTP_HOST"] = None  # inbox only; the slow handler below does the e-mail
            try:
                n = kirim_notifikasi(staf_id, f"Tenggat {kunci}", "Segera tindak lanjuti.", kunci=kunci)
            finally:
                app.config["SMTP_HOST"] = smtp_host
            tulis_outbox("uji.lambat_lalu_email", {"notifikasi_id": str(n.id), **lambat}, kunci=f"lambat:{kunci}")
        db.session.commit()
        return n.id


def _status(app):
    with app.app_context(), lintas_tenant("uji", catat=False):
        hasil = {p.id: (p.status, p.percobaan) for p in db.session.scalars(select(PesanOutbox))}
        db.session.rollback()
        return hasil


def _selesai(app, jumlah):
    return _tunggu(lambda: [s for s, _p in _status(app).values()].count("selesai") == jumlah, pesan=f"{jumlah} finished rows")


def test_killed_mid_task_and_restarted_the_worker_still_sends_one_email(app, kantor, smtp, penerbit, proses, tmp_path):
    penanda = tmp_path / "percobaan"
    _notifikasi(app, kantor, "kasus-1:terlambat", lambat={"penanda": str(penanda), "detik": 2})
    pertama = proses.worker()
    assert jalankan_relay(app, penerbit) == 1
    _tunggu(lambda: penanda.exists() and penanda.read_text().count("\n") == 1, pesan="the slow handler to start")
    proses.bunuh(pertama)
    [(pesan_id, (status, _p))] = _status(app).items()
    assert status == "dikirim" and smtp.surel == []

    kedua = proses.worker()
    assert jalankan_relay(app, penerbit) == 0  # not overdue yet: no double publication
    lewat_batas = datetime.now(timezone.utc) + outbox.KIRIM_ULANG_SETELAH + timedelta(seconds=1)
    assert jalankan_relay(app, penerbit, pada=lewat_batas) == 1  # the lost task is published again
    assert len(smtp.tunggu(1)) == 1
    _selesai(app, 1)
    terbit_ulang(app, kedua, [(kantor[0].id, pesan_id)])  # the killed worker's message, redelivered late
    assert penanda.read_text().count("\n") == 2  # the killed attempt and the one that finished
    assert len(smtp.surel) == 1 and smtp.surel[0]["untuk"] == ["peksos@magetan.uji"]


def test_two_relays_at_once_and_redeliveries_still_send_each_email_once(app, kantor, smtp, penerbit, proses):
    ids = [_notifikasi(app, kantor, f"kasus-{n}:peringatan") for n in range(8)]
    worker = proses.worker()
    assert sum(relay_serentak(app, penerbit, 3)) == len(ids)
    assert len(smtp.tunggu(len(ids))) == len(ids)
    _selesai(app, len(ids))
    terbit_ulang(app, worker, [(kantor[0].id, i) for i in _status(app)])
    judul = sorted(s["surel"]["Subject"] for s in smtp.surel)
    assert judul == sorted(f"Tenggat kasus-{n}:peringatan" for n in range(8))


def test_with_the_broker_unreachable_messages_stay_due_and_go_out_once_it_is_back(app, kantor, smtp, broker, penerbit, proses,
                                                                                   monkeypatch):
    from dinsos_workers.celery_app import ikat

    _notifikasi(app, kantor, "kasus-1:eskalasi")
    proses.worker()
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{port_bebas()}/14")
    ikat(app)
    mulai = time.monotonic()
    assert jalankan_relay(app, penerbit) == 0
    assert time.monotonic() - mulai < 10  # a dead broker fails fast instead of hanging the relay
    [(status, percobaan)] = _status(app).values()
    assert (status, percobaan) == ("baru", 0)
    assert smtp.surel == []

    monkeypatch.setitem(app.config, "REDIS_URL", broker)
    ikat(app)
    assert jalankan_relay(app, penerbit) == 1
    assert len(smtp.tunggu(1)) == 1
    _selesai(app, 1)


def test_sigterm_lets_the_running_task_finish_before_the_worker_exits(app, kantor, smtp, penerbit, proses, tmp_path):
    penanda = tmp_path / "percobaan"
    _notifikasi(app, kantor, "kasus-2:terlambat", lambat={"penanda": str(penanda), "detik": 2})
    worker = proses.worker()
    assert jalankan_relay(app, penerbit) == 1
    _tunggu(lambda: penanda.exists(), pesan="the slow handler to start")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(BATAS) == 0
    assert "Warm shutdown" in worker.log.read_text()
    assert len(smtp.surel) == 1  # sent before the worker went away, not after
    assert [s for s, _p in _status(app).values()] == ["selesai"]


def test_beat_and_worker_deliver_by_themselves_and_keep_their_heartbeats_fresh(app, kantor, smtp, proses):
    worker = proses.worker()
    proses.beat()
    _notifikasi(app, kantor, "kasus-3:peringatan")
    assert len(smtp.tunggu(1)) == 1, worker.log.read_text()[-3000:]  # beat sent the relay job, the worker ran it
    _selesai(app, 1)
    for variabel in ("DINSOS_WORKER_HEARTBEAT_FILE", "DINSOS_BEAT_HEARTBEAT_FILE"):
        berkas = Path(proses.env[variabel])
        sebelum = berkas.stat().st_mtime
        _tunggu(lambda: berkas.stat().st_mtime > sebelum, batas=10, pesan=f"{variabel} to be touched again")


def test_a_task_cut_off_by_a_cold_shutdown_goes_back_to_the_queue(app, kantor, smtp, penerbit, proses, tmp_path):
    penanda = tmp_path / "percobaan"
    _notifikasi(app, kantor, "kasus-4:terlambat", lambat={"penanda": str(penanda), "detik": 2})
    pertama = proses.worker()
    assert jalankan_relay(app, penerbit) == 1
    _tunggu(lambda: penanda.exists(), pesan="the slow handler to start")
    pertama.send_signal(signal.SIGQUIT)  # cold shutdown: the running task is cut off, unacknowledged
    pertama.wait(BATAS)
    assert "Restoring 1 unacknowledged message(s)" in pertama.log.read_text()
    assert smtp.surel == []
    proses.worker()  # no relay needed: the broker hands the unacknowledged message to the new worker
    assert len(smtp.tunggu(1)) == 1
    _selesai(app, 1)
    assert penanda.read_text().count("\n") == 2 and len(smtp.surel) == 1
