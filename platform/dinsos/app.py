"""The application factory: builds the Flask app and wires core and every capability into it.

Out of ``dinsos.core`` on purpose (as indico's ``web/flask/app.py``): this is
the one place that knows every capability, and core imports none. It passes
core what core needs from them: the tenant lookup for each request and the
permission check for menus (``ui.pasang``).
"""
import os
import secrets
from functools import partial
from importlib import import_module
from pathlib import Path

from flask import Flask, g, request
from flask_login import current_user
from werkzeug.local import LocalProxy

from .core import config as konfigurasi
from .core import openapi
from .core.db import db
from .core.extensions import api, babel, csrf, limiter, login_manager, migrate
from .core.i18n import pilih_bahasa
from .core.tenant import ikat_tenant, lepas_platform, lepas_tenant


def _kunci_rahasia(cfg: dict, instance_path: str) -> str:
    """SECRET_KEY from configuration; embedded mode keeps a generated one in the instance folder."""
    if cfg.get("SECRET_KEY"):
        return cfg["SECRET_KEY"]
    if not konfigurasi.is_embedded(cfg):
        raise RuntimeError("DINSOS_SECRET_KEY must be set when running with Redis/PostgreSQL (production)")
    berkas = Path(instance_path) / "secret_key"
    if not berkas.exists():
        berkas.write_text(secrets.token_urlsafe(48))
        berkas.chmod(0o600)
    return berkas.read_text().strip()


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask application. ``config`` overrides environment settings (tests)."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("DINSOS_INSTANCE_PATH")
    # Named after the package, not this module: templates, static files and the default instance folder
    # are found from it, and the logger is called "dinsos".
    app = Flask("dinsos", instance_path=instance_path and str(Path(instance_path).resolve()), instance_relative_config=True)
    cfg = konfigurasi.build(app.instance_path, config)
    if konfigurasi.is_embedded(cfg) or app.instance_path in cfg["DATABASE_URL"]:
        # Only embedded mode (generated keys, uploads) and the default SQLite file write here. Production takes
        # its secrets from the environment and may run on a read-only filesystem, where this folder cannot be made.
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(cfg)
    app.config["SECRET_KEY"] = _kunci_rahasia(cfg, app.instance_path)
    # What seals this app's database binding (PostgreSQL; dinsos.core.rls): known to the app, never to its SQL.
    app.config["RAHASIA_IKATAN"] = konfigurasi.rahasia_ikatan(app.config["SECRET_KEY"])
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=cfg["BASE_URL"].startswith("https://"),
        SESSION_COOKIE_NAME="dinsos_sesi",
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=cfg["MAX_UPLOAD_BYTES"] + 1024 * 1024,
        API_TITLE="Dinsos API",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        API_SPEC_OPTIONS=openapi.opsi_spesifikasi(),
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        # /api/docs is served by dinsos.web.dokumen_api from packaged files, not flask-smorest's CDN page.
        RATELIMIT_STORAGE_URI=cfg.get("RATELIMIT_STORAGE_URI") or cfg["REDIS_URL"] or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        # Redis down must not take logins and public forms down with it, nor throttle anyone else: each limited
        # page (login, complaints, surveys, code look-ups, public PDFs) keeps its own limit, counted in this
        # process's memory meanwhile, and every other page stays unlimited as it always is; the limiter switches
        # back when Redis answers again. No RATELIMIT_IN_MEMORY_FALLBACK: Flask-Limiter would apply it to every
        # endpoint while the store is down (staff uploads got 176 x 429 in the fault run, issue 24). (Not
        # RATELIMIT_SWALLOW_ERRORS: it would also swallow the on_breach callbacks that answer with our message.)
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        BABEL_DEFAULT_LOCALE="id",
        BABEL_DEFAULT_TIMEZONE="Asia/Jakarta",
    )

    pasang(app)
    return app


# Each capability module exposes ``pasang(app)``; the order is the order of registration.
KAPABILITAS = [
    "dinsos.web",
    "dinsos.tenancy",
    "dinsos.wilayah",
    "dinsos.auth",
    "dinsos.audit",
    "dinsos.catalogue",
    "dinsos.documents",
    "dinsos.metrik",
    "dinsos.sla",
    "dinsos.complaints",
    "dinsos.surveys",
    "dinsos.admin",
    "dinsos.notify",
    "dinsos.cases",
    "dinsos.dasbor",
    "dinsos.referrals",
    "dinsos.laporan",
    "dinsos.tugas",
]


def _impor_model():
    """Import every capability's models so metadata (and migrations) see all tables."""
    import_module("dinsos.core.outbox")
    import_module("dinsos.core.idempoten")
    for nama in KAPABILITAS:
        try:
            import_module(nama + ".models")
        except ModuleNotFoundError as e:
            if e.name != nama + ".models":
                raise


def pasang(app):
    """Extensions, the tenant binding of each request, the page shell, then every capability in order."""
    _impor_model()
    db.init_app(app)
    from .core import batas_waktu

    with app.app_context():
        batas_waktu.pasang(app, db.engine)
    migrate.init_app(app, db, directory=app.config.get("MIGRATIONS_DIR") or _folder_migrasi())
    csrf.init_app(app)
    babel.init_app(app, locale_selector=pilih_bahasa)
    limiter.init_app(app)
    login_manager.init_app(app)
    api.init_app(app)
    from .core import masukan

    masukan.pasang(app)  # first: odd bytes are refused before anything (the office binding included) reads them
    _ikat_tenant_per_permintaan(app)
    _pasang_ui(app)
    _pasang_berkala_inti()
    for nama in KAPABILITAS:
        import_module(nama).pasang(app)
    openapi.lengkapi(api)
    from .core import errors

    errors.pasang(app)
    from .core import idempoten

    idempoten.pasang(app)
    idempoten.dokumentasikan(api.spec)  # every blueprint is registered by now
    from .core.kepala import pasang_kepala

    app.after_request(pasang_kepala)


def _pasang_ui(app):
    from .core import ui
    from .izin import PERAN, boleh

    ui.pasang(app, boleh=boleh, peran=PERAN)


def _pasang_berkala_inti():
    """Core's own periodic jobs: the outbox relay and the expiry of Idempotency-Key answers (capabilities
    register theirs in their ``pasang``)."""
    from .core.berkala import daftar_berkala
    from .core.idempoten import bersihkan
    from .core.outbox import relay_semua

    daftar_berkala("relay_outbox", relay_semua, 5, menerbitkan=True)
    # Idempotency-Key answers are kept a day (dinsos.core.idempoten)
    daftar_berkala("bersihkan_kunci_idempoten", bersihkan, 3600)


def _folder_migrasi() -> str:
    """The Alembic scripts shipped in the package (package data): found wherever dinsos is installed."""
    from importlib.resources import files

    return str(files("dinsos") / "migrations")


def _ikat_tenant_per_permintaan(app):
    """Bind the tenant named by ``/t/<slug>/`` or ``/api/t/<slug>/`` for this request only."""
    from .tenancy.models import Tenant
    from .tenancy.services import ikat_dari_slug

    def _tenant_permintaan(tenant_id: int) -> Tenant:
        if "_tenant" not in g:
            g._tenant = db.session.get(Tenant, tenant_id)
        return g._tenant

    @app.url_value_preprocessor
    def _ikat(endpoint, values):
        slug = (values or {}).get("slug")
        rule = request.url_rule.rule if request.url_rule else ""
        if slug is None or not (rule.startswith("/t/<slug>") or rule.startswith("/api/t/<slug>")):
            return
        # An office's page shows its row in the shell, so pages read it in the lookup; most API requests never do.
        halaman = rule.startswith("/t/<slug>")
        hasil = ikat_dari_slug(slug, baris=halaman)  # aborts 404 for an unknown or inactive office
        tenant_id = hasil.id if halaman else hasil
        if halaman:
            g._tenant = hasil
        g._token_tenant = ikat_tenant(tenant_id, sudah_di_transaksi=True)
        g.tenant = LocalProxy(partial(_tenant_permintaan, tenant_id))
        # Kept as text: URL building and the request log need only the slug, and after a commit the row is expired.
        g.slug_tenant = slug

    @app.url_defaults
    def _slug_bawaan(endpoint, values):
        if "slug" not in values and g.get("slug_tenant") and app.url_map.is_endpoint_expecting(endpoint, "slug"):
            values["slug"] = g.slug_tenant

    @app.teardown_request
    def _lepas(exc):
        token, token_platform = g.pop("_token_tenant", None), g.pop("_token_platform", None)
        if token is not None or token_platform is not None:
            # End the session first: its transaction dies with it, so there is no binding left to reset there.
            db.session.remove()
        if token_platform is not None:
            lepas_platform(token_platform)
        if token is not None:
            lepas_tenant(token)

    @app.context_processor
    def _konteks():
        return {"tenant": getattr(g, "tenant", None), "pengguna": current_user}

