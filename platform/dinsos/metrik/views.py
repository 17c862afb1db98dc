"""``/metrics``: request latency by endpoint, plus gauges read at scrape time.

With ``PROMETHEUS_MULTIPROC_DIR`` set (gunicorn with several workers) the
per-process files are aggregated; gauges that read the database are computed
by the process that answers the scrape, so they are correct in both modes.
``METRICS_TOKEN``, when set, must be sent as a bearer token; without a token
the page answers 404 unless ``METRICS_OPEN`` opens it explicitly.
"""
import hmac
import os
import time

from flask import Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, Histogram, generate_latest, multiprocess

from dinsos.core.errors import tanggapan_kesalahan

LATENSI = Histogram(
    "dinsos_http_request_seconds",
    "Waktu layanan permintaan HTTP per endpoint",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)

# Gauges computed at scrape time: (name, help, function returning a number).
_PENGUKUR: list[tuple[str, str, callable]] = []


def tambah_pengukur(nama: str, bantuan: str, fungsi) -> None:
    """Register a gauge whose value ``fungsi()`` computes at scrape time (in an app context)."""
    if all(n != nama for n, _b, _f in _PENGUKUR):
        _PENGUKUR.append((nama, bantuan, fungsi))


def _registri() -> CollectorRegistry:
    registri = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registri)
    else:
        registri.register(LATENSI)
    for nama, bantuan, fungsi in _PENGUKUR:
        gauge = Gauge(nama, bantuan, registry=registri)
        try:
            gauge.set(fungsi())
        except Exception:  # a broken source shows as NaN, the scrape still answers
            current_app.logger.exception("metric %s failed", nama)
            gauge.set(float("nan"))
    return registri


def _kedalaman_antrean() -> float:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return 0
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).llen("dinsos")


def _hitung_lintas(pernyataan) -> int:
    """A count over every office (an aggregate: no office's rows leave the database)."""
    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant

    with lintas_tenant("metrik agregat", catat=False):
        hasil = db.session.scalar(pernyataan)
    db.session.rollback()
    return hasil or 0


def _tenggat_terlambat() -> int:
    from sqlalchemy import func, select

    from dinsos.core.db import sekarang
    from dinsos.sla.models import Tenggat

    return _hitung_lintas(select(func.count()).select_from(Tenggat).where(
        Tenggat.selesai_pada.is_(None), Tenggat.dijeda_pada.is_(None), Tenggat.berulang.is_(False),
        Tenggat.due_at < sekarang()))


def _antrean_outbox() -> int:
    from sqlalchemy import func, select

    from dinsos.core.outbox import PesanOutbox

    return _hitung_lintas(select(func.count()).select_from(PesanOutbox).where(PesanOutbox.status.in_(("baru", "dikirim"))))


def pasang(app):
    tambah_pengukur("dinsos_queue_depth", "Tugas menunggu di antrean Celery 'dinsos'", _kedalaman_antrean)
    tambah_pengukur("dinsos_overdue_deadlines", "Tenggat berjalan yang sudah lewat batas waktu", _tenggat_terlambat)
    tambah_pengukur("dinsos_outbox_backlog", "Pesan outbox yang belum selesai diproses", _antrean_outbox)

    @app.before_request
    def _mulai():
        g._mulai_permintaan = time.perf_counter()

    @app.after_request
    def _ukur(resp):
        mulai = g.pop("_mulai_permintaan", None)
        if mulai is not None and request.endpoint != "metrik":
            LATENSI.labels(request.endpoint or "404", request.method, str(resp.status_code)).observe(
                time.perf_counter() - mulai
            )
        return resp

    @app.get("/metrics", endpoint="metrik")
    def metrik():
        token = current_app.config.get("METRICS_TOKEN")
        if token:
            diberikan = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(diberikan.encode(), token.encode()):
                return tanggapan_kesalahan(401)
        elif not current_app.config.get("METRICS_OPEN"):
            # Closed unless the operator chose: queue depths and per-route traffic are not for the internet.
            return tanggapan_kesalahan(404)
        return Response(generate_latest(_registri()), mimetype=CONTENT_TYPE_LATEST)
