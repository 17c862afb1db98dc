"""Health, readiness and metrics; gunicorn serving the real app."""
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from dinsos_uji.server import Proksi, port_bebas

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_and_readyz_answer_when_the_database_is_up(klien):
    assert klien.get("/healthz").json == {"status": "ok"}
    r = klien.get("/readyz")
    assert r.status_code == 200 and r.json["database"] == "ok"


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    from dinsos import create_app

    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "REDIS_URL": None, "DATABASE_URL": f"sqlite:///{tmp_path}/tiada/x.sqlite"})
    r = app.test_client().get("/readyz")
    assert r.status_code == 503 and r.json["database"].startswith("error")


@pytest.fixture
def metrik_terbuka(app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_OPEN", True)


def test_metrics_are_closed_unless_a_token_is_set_or_opened_explicitly(app, klien):
    assert klien.get("/metrics").status_code == 404
    app.config["METRICS_TOKEN"] = "rahasia-metrik"
    try:
        assert klien.get("/metrics").status_code == 401
        assert klien.get("/metrics", headers={"Authorization": "Bearer rahasia-metrik"}).status_code == 200
    finally:
        app.config["METRICS_TOKEN"] = None


def test_metrics_expose_request_latency_and_can_require_a_token(app, klien, metrik_terbuka):
    klien.get("/healthz")
    teks = klien.get("/metrics").get_data(as_text=True)
    assert 'dinsos_http_request_seconds_count{endpoint="web.healthz"' in teks
    assert "dinsos_queue_depth" in teks
    assert "dinsos_overdue_deadlines 0.0" in teks and "dinsos_outbox_backlog 0.0" in teks
    app.config["METRICS_TOKEN"] = "rahasia-metrik"
    try:
        assert klien.get("/metrics").status_code == 401
        assert klien.get("/metrics", headers={"Authorization": "Bearer rahasia-metrik"}).status_code == 200
    finally:
        app.config["METRICS_TOKEN"] = None


def test_metrics_count_overdue_deadlines_and_the_outbox_backlog_across_offices(app, klien, metrik_terbuka):
    from datetime import timedelta

    from dinsos.core.db import db, sekarang
    from dinsos.core.outbox import tulis_outbox
    from dinsos.core.tenant import dalam_tenant
    from dinsos.sla.services import mulai_tenggat
    from dinsos_uji.bantuan import buat_tenant

    for slug in ("kota-a", "kota-b"):
        k = buat_tenant(app, slug)
        with app.app_context(), dalam_tenant(k.id):
            mulai_tenggat("uji", "x", durasi="15 menit", mulai=sekarang() - timedelta(days=10), judul="x")
            tulis_outbox("uji.metrik", {}, kunci="satu")
            db.session.commit()
    teks = klien.get("/metrics").get_data(as_text=True)
    assert "dinsos_overdue_deadlines 2.0" in teks and "dinsos_outbox_backlog 2.0" in teks


def test_every_response_carries_a_request_id(klien):
    assert len(klien.get("/healthz").headers["X-Request-ID"]) == 32
    assert klien.get("/healthz", headers={"X-Request-ID": "abc"}).headers["X-Request-ID"] == "abc"


@pytest.mark.postgres
def test_readyz_goes_503_during_a_database_outage_and_recovers_without_restart(app, tmp_path):
    from dinsos import create_app

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    proksi = Proksi(url.host, url.port or 5432)
    lewat = url.set(host="127.0.0.1", port=proksi.port).render_as_string(hide_password=False)
    aplikasi = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "uji-rahasia", "REDIS_URL": None, "DATABASE_URL": lewat})
    klien = aplikasi.test_client()
    assert klien.get("/readyz").status_code == 200
    proksi.putus()
    assert klien.get("/readyz").status_code == 503
    proksi.sambung()
    assert klien.get("/readyz").status_code == 200


@pytest.mark.postgres
def test_readyz_refuses_an_app_whose_secret_the_database_does_not_know(app, tmp_path):
    """A SECRET_KEY changed without `dinsos db upgrade` would fail every office page: the pod is not ready."""
    from dinsos import create_app

    asing = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "kunci-baru-belum-didaftarkan", "REDIS_URL": None,
                        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]})
    r = asing.test_client().get("/readyz")
    assert r.status_code == 503 and "error" in r.get_json()["database"]
    assert app.test_client().get("/readyz").status_code == 200


@pytest.mark.slow
def test_gunicorn_serves_the_app(app, tmp_path):
    port = port_bebas()
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT / 'workers'}",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "DINSOS_SECRET_KEY": "uji-rahasia",  # the one whose binding secret the test database registered
        "DINSOS_INSTANCE_PATH": str(tmp_path),
        "DINSOS_WEB_CONCURRENCY": "2",
        "DINSOS_METRICS_OPEN": "1",
    }
    env.pop("REDIS_URL", None)
    proses = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}", "dinsos.wsgi:app"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        batas = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > batas or proses.poll() is not None:
                    raise AssertionError(proses.stdout.read1().decode() if proses.poll() is not None else "gunicorn did not answer")
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert "Direktori Dinas Sosial" in r.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            assert "dinsos_http_request_seconds" in r.read().decode()
    finally:
        proses.terminate()
        proses.wait(timeout=15)
