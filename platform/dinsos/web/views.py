"""The landing page, health endpoints and the dashboard shell."""
import threading
import time
from functools import partial

from flask import Blueprint, current_app, jsonify, render_template, request, send_from_directory
from flask_login import current_user
from sqlalchemy import text

from dinsos.core.db import db
from dinsos.izin import perlu_izin
from dinsos.tenancy.services import daftar_tenant

from .direktori import direktori as cari_direktori

bp = Blueprint("web", __name__)


@bp.get("/")
def beranda():
    return render_template("beranda.html", daftar=daftar_tenant())


@bp.get("/layanan")
def direktori():
    """All offices and their services; a plain GET form searches them."""
    q = (request.args.get("q") or "").strip()[:100]
    return render_template("direktori.html", q=q, hasil=cari_direktori(q))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it at the root whatever the page says; answered instead of a logged 404."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)


@bp.get("/healthz")
def healthz():
    """Process is up. No dependencies: a liveness probe must not fail because the database does."""
    return jsonify(status="ok")


def _cek_database(app) -> str:
    from dinsos.core.batas_waktu import batas_sementara

    with app.app_context(), batas_sementara(float(app.config["READYZ_BATAS_DETIK"])):
        try:
            if db.session.get_bind().dialect.name == "postgresql":
                # The binding secret must be one the database accepts (a SECRET_KEY changed without db upgrade).
                db.session.execute(text("SELECT dinsos_ikat(:r, NULL, '')"), {"r": app.config["RAHASIA_IKATAN"]})
            else:
                db.session.execute(text("SELECT 1"))
            return "ok"
        finally:
            db.session.remove()


def _cek_broker(url: str) -> str:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    return "ok"


@bp.get("/readyz")
def readyz():
    """Ready to serve: the database answers (on PostgreSQL: and accepts this app's binding secret, so a
    SECRET_KEY changed without ``dinsos db upgrade`` keeps the pod out of service instead of failing every
    office page). The broker is reported but does not decide.

    Web requests never need Redis (the rate limiter falls back to memory and
    background work waits in the outbox), so a Redis outage must not take
    every web pod out of the load balancer. Both are asked at once, each in a
    thread, and the answer comes within ``READYZ_BATAS_DETIK`` whatever the
    network does: a check not back by then counts as failed (it ends on its
    own, bounded by the connection timeouts).
    """
    app = current_app._get_current_object()
    batas = float(app.config["READYZ_BATAS_DETIK"])
    cek = {"database": partial(_cek_database, app)}
    if app.config.get("REDIS_URL"):
        cek["broker"] = partial(_cek_broker, app.config["REDIS_URL"])
    hasil = {nama: "error: timeout" for nama in cek}
    utas = []
    for nama, fungsi in cek.items():
        def jalan(nama=nama, fungsi=fungsi):
            try:
                hasil[nama] = fungsi()
            except Exception as e:  # any failure means not ready; the reason is for operators
                hasil[nama] = f"error: {type(e).__name__}"
        u = threading.Thread(target=jalan, daemon=True)
        u.start()
        utas.append(u)
    akhir = time.monotonic() + batas
    for u in utas:
        u.join(max(0.0, akhir - time.monotonic()))
    hasil = dict(hasil)
    siap = hasil["database"] == "ok"
    status = "unavailable" if not siap else "ok" if all(v == "ok" for v in hasil.values()) else "degraded"
    return jsonify(status=status, **hasil), 200 if siap else 503


@bp.get("/t/<slug>/dasbor")
@perlu_izin("dasbor.lihat")
def dasbor(slug):
    from dinsos.core.ui import panel_dasbor_siap

    return render_template("dasbor.html", pengguna=current_user, panel_siap=panel_dasbor_siap())
