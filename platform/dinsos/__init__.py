"""Dinsos: one platform for many Dinas Sosial offices.

``create_app`` is the application factory every entry point uses (web, CLI,
workers, tests).
"""
import os
import secrets
from pathlib import Path

from flask import Flask

from .core import config as konfigurasi

__all__ = ["create_app"]


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
    app = Flask(__name__, instance_path=instance_path and str(Path(instance_path).resolve()), instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    cfg = konfigurasi.build(app.instance_path, config)
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
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
        RATELIMIT_STORAGE_URI=cfg["REDIS_URL"] or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        # Redis down must not take logins and public forms down with it: count in this process's
        # memory meanwhile (one limit per address over all limited pages, RATE_LIMIT_FALLBACK) and
        # switch back when Redis answers again. (Not RATELIMIT_SWALLOW_ERRORS: it would also swallow
        # the on_breach callbacks that answer a breach with our own message.)
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_IN_MEMORY_FALLBACK=cfg["RATE_LIMIT_FALLBACK"],
        BABEL_DEFAULT_LOCALE="id",
        BABEL_DEFAULT_TIMEZONE="Asia/Jakarta",
    )

    from .core import web

    web.pasang(app)
    return app
