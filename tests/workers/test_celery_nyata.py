"""A real Redis, real Celery worker and beat processes, a real SMTP server: exactly one e-mail per notice.

The worker runs as a subprocess against the test database as the app role
(so row-level security applies), on its own Redis database (/14, flushed).
Every wait is bounded and every process is killed in ``finally``.
"""
import os
import signal
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import redis
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bantuan import buat_staf, buat_tenant
from dinsos.core import outbox
from dinsos.core.db import db
from dinsos.core.outbox import PesanOutbox, relay, tulis_outbox
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos.notify.services import kirim_notifikasi

sys.path.append(str(Path(__file__).resolve().parents[1] / "notify"))
from server_uji import port_bebas, server_smtp  # noqa: E402

from pekerja_uji import BATAS, Proses, tunggu as _tunggu  # noqa: E402

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def _redis_uji() -> str:
    return make_url(os.environ["REDIS_URL"]).set(database="14").render_as_string(hide_password=False)



@pytest.fixture
def broker():
    url = _redis_uji()
    r = redis.Redis.from_url(url)
    r.flushdb()
    yield url
    r.flushdb()


@pytest.fixture
def smtp(app, monkeypatch):
    with server_smtp() as kotak:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", kotak.port)
        yield kotak


@pytest.fixture
def penerbit(app, broker, monkeypatch):
    """The product's Celery publisher, bound to the test broker."""
    from dinsos_workers.celery_app import ikat
    from dinsos_workers.tugas import terbitkan_ke_antrean

    monkeypatch.setitem(app.config, "REDIS_URL", broker)
    ikat(app)
    return terbitkan_ke_antrean


@pytest.fixture
def proses(app, broker, smtp, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DINSOS_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        PYTHONPATH=os.pathsep.join(str(p) for p in (ROOT / "platform", ROOT / "workers", Path(__file__).parent)),
        DATABASE_URL=app.config["DATABASE_URL"],  # the app role: row-level security applies in the worker too
        DINSOS_INSTANCE_PATH=app.instance_path,
        DINSOS_SECRET_KEY="uji-rahasia",
        DINSOS_ENCRYPTION_KEYS=app.config["ENCRYPTION_KEYS"],
        DINSOS_BASE_URL="http://localhost",
        REDIS_URL=broker,
        DINSOS_SMTP_HOST="127.0.0.1",
        DINSOS_SMTP_PORT=str(smtp.port),
        DINSOS_WORKER_HEARTBEAT_FILE=str(tmp_path / "worker.heartbeat"),
        DINSOS_BEAT_HEARTBEAT_FILE=str(tmp_path / "beat.heartbeat"),
    )
    p = Proses(env, tmp_path, "penangan_uji")
    try:
        yield p
    finally:
        p.bersihkan()


@pytest.fixture
def kantor(app):
    kantor = buat_tenant("kabupaten-magetan", tingkat="kabupaten")
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


def _relay(app, terbitkan, **kw):
    with app.app_context():
        return relay(terbitkan, **kw)


def _selesai(app, jumlah):
    return _tunggu(lambda: [s for s, _p in _status(app).values()].count("selesai") == jumlah, pesan=f"{jumlah} finished rows")


def _duplikat_diproses(app, worker, pesan_ids, tenant_id):
    """Publish every message once more (as a broker redelivery would) and wait until the worker has run each."""
    from dinsos_workers.tugas import proses_outbox

    tugas = [proses_outbox.apply_async(args=(tenant_id, str(i))).id for i in pesan_ids]
    _tunggu(lambda: all(f"[{t}] succeeded" in worker.log.read_text() for t in tugas), pesan="the duplicate deliveries")


def test_killed_mid_task_and_restarted_the_worker_still_sends_one_email(app, kantor, smtp, penerbit, proses, tmp_path):
    penanda = tmp_path / "percobaan"
    _notifikasi(app, kantor, "kasus-1:terlambat", lambat={"penanda": str(penanda), "detik": 2})
    pertama = proses.worker()
    assert _relay(app, penerbit) == 1
    _tunggu(lambda: penanda.exists() and penanda.read_text().count("\n") == 1, pesan="the slow handler to start")
    proses.bunuh(pertama)
    [(pesan_id, (status, _p))] = _status(app).items()
    assert status == "dikirim" and smtp.surel == []

    kedua = proses.worker()
    assert _relay(app, penerbit) == 0  # not overdue yet: no double publication
    lewat_batas = datetime.now(timezone.utc) + outbox.KIRIM_ULANG_SETELAH + timedelta(seconds=1)
    assert _relay(app, penerbit, pada=lewat_batas) == 1  # the lost task is published again
    assert len(smtp.tunggu(1)) == 1
    _selesai(app, 1)
    _duplikat_diproses(app, kedua, [pesan_id], kantor[0].id)  # the killed worker's message, redelivered late
    assert penanda.read_text().count("\n") == 2  # the killed attempt and the one that finished
    assert len(smtp.surel) == 1 and smtp.surel[0]["untuk"] == ["peksos@magetan.uji"]


def test_two_relays_at_once_and_redeliveries_still_send_each_email_once(app, kantor, smtp, penerbit, proses):
    ids = [_notifikasi(app, kantor, f"kasus-{n}:peringatan") for n in range(8)]
    worker = proses.worker()
    hasil, mulai = [], threading.Barrier(2)

    def jalan():
        mulai.wait()
        hasil.append(_relay(app, penerbit, batas=3))
        hasil.append(_relay(app, penerbit, batas=100))

    benang = [threading.Thread(target=jalan) for _ in range(2)]
    for t in benang:
        t.start()
    for t in benang:
        t.join(BATAS)
    assert sum(hasil) == len(ids)
    assert len(smtp.tunggu(len(ids))) == len(ids)
    _selesai(app, len(ids))
    _duplikat_diproses(app, worker, list(_status(app)), kantor[0].id)
    judul = sorted(s["surel"]["Subject"] for s in smtp.surel)
    assert judul == sorted(f"Tenggat kasus-{n}:peringatan" for n in range(8))


def test_with_the_broker_unreachable_messages_stay_due_and_go_out_once_it_is_back(app, kantor, smtp, penerbit, proses, monkeypatch):
    from dinsos_workers.celery_app import ikat

    _notifikasi(app, kantor, "kasus-1:eskalasi")
    proses.worker()
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{port_bebas()}/14")
    ikat(app)
    mulai = time.monotonic()
    assert _relay(app, penerbit) == 0
    assert time.monotonic() - mulai < 10  # a dead broker fails fast instead of hanging the relay
    [(status, percobaan)] = _status(app).values()
    assert (status, percobaan) == ("baru", 0)
    assert smtp.surel == []

    monkeypatch.setitem(app.config, "REDIS_URL", _redis_uji())
    ikat(app)
    assert _relay(app, penerbit) == 1
    assert len(smtp.tunggu(1)) == 1
    _selesai(app, 1)


def test_sigterm_lets_the_running_task_finish_before_the_worker_exits(app, kantor, smtp, penerbit, proses, tmp_path):
    penanda = tmp_path / "percobaan"
    _notifikasi(app, kantor, "kasus-2:terlambat", lambat={"penanda": str(penanda), "detik": 2})
    worker = proses.worker()
    assert _relay(app, penerbit) == 1
    _tunggu(lambda: penanda.exists(), pesan="the slow handler to start")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(BATAS) == 0
    assert "Warm shutdown" in worker.log.read_text()
    assert len(smtp.surel) == 1  # sent before the worker went away, not after
    assert [s for s, _p in _status(app).values()] == ["selesai"]


def test_beat_and_worker_deliver_by_themselves_and_keep_their_heartbeats_fresh(app, kantor, smtp, proses):
    worker = proses.worker()
    proses.mulai("beat", "-s", str(proses.folder / "jadwal-beat"))
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
    assert _relay(app, penerbit) == 1
    _tunggu(lambda: penanda.exists(), pesan="the slow handler to start")
    pertama.send_signal(signal.SIGQUIT)  # cold shutdown: the running task is cut off, unacknowledged
    pertama.wait(BATAS)
    assert "Restoring 1 unacknowledged message(s)" in pertama.log.read_text()
    assert smtp.surel == []
    proses.worker()  # no relay needed: the broker hands the unacknowledged message to the new worker
    assert len(smtp.tunggu(1)) == 1
    _selesai(app, 1)
    assert penanda.read_text().count("\n") == 2 and len(smtp.surel) == 1
