"""Configuration from the environment.

Every ``DINSOS_<KEY>`` variable becomes ``app.config[KEY]``; ``DATABASE_URL``
and ``REDIS_URL`` are read as they are, since operators and platforms set them
under those names. With neither set the platform runs embedded: SQLite in the
instance folder and no Redis.
"""
import hashlib
import hmac
import os
from pathlib import Path

PREFIX = "DINSOS_"

DEFAULTS = {
    "SECRET_KEY": None,
    "DATABASE_URL": None,
    "MIGRATION_DATABASE_URL": None,
    "DB_APP_ROLE": "dinsos_app",
    "REDIS_URL": None,
    "BASE_URL": "http://127.0.0.1:5000",
    "ENCRYPTION_KEYS": None,
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": False,
    "MAIL_FROM": "noreply@dinsos.local",
    "UPLOAD_DIR": None,
    "STORAGE_URL": None,
    "MAX_UPLOAD_BYTES": 10 * 1024 * 1024,
    "LOGIN_RATE_LIMIT": "10 per minute",
    "PDF_RATE_LIMIT": "20 per minute",
    "SURVEI_RATE_LIMIT": "20 per hour",
    "PENGADUAN_RATE_LIMIT": "10 per hour",
    "PENGADUAN_LACAK_RATE_LIMIT": "30 per hour",
    # While the rate-limit store (Redis) is unreachable: one in-memory limit per address for every limited
    # page. Generous, since an office's staff share one address; account lockout still stops password guessing.
    "RATE_LIMIT_FALLBACK": "60 per minute",
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    # A login session ends after this long without a request, and this long after the login whatever happens.
    "SESSION_IDLE_MINUTES": 60,
    "SESSION_MAX_HOURS": 12,
    "LOG_FORMAT": "text",
    "METRICS_TOKEN": None,
    # /metrics answers only with METRICS_TOKEN as a bearer token, or to anyone when explicitly opened (scraped in-cluster).
    "METRICS_OPEN": False,
    # Hosts an office's WhatsApp webhook may reach, comma-separated; empty: any public address, never an internal one.
    "WEBHOOK_ALLOWED_HOSTS": "",
    "SLA_WARN_FRACTION": "0.75",
    # The case-list API answered from memory while the office's data is unchanged (PostgreSQL only; dinsos.cases.tembolok).
    "TEMBOLOK_DAFTAR": True,
}

_BOOL = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def _coerce(default, raw: str):
    """Read an environment string as the type of its default."""
    if isinstance(default, bool):
        return _BOOL.get(raw.strip().lower(), default)
    if isinstance(default, int):
        return int(raw)
    return raw


def from_environment(environ=None) -> dict:
    """Return the settings found in the environment, typed like DEFAULTS."""
    environ = os.environ if environ is None else environ
    found = {}
    for key, default in DEFAULTS.items():
        for name in (PREFIX + key, key) if key in ("DATABASE_URL", "REDIS_URL") else (PREFIX + key,):
            if environ.get(name):
                found[key] = _coerce(default, environ[name])
                break
    return found


def build(instance_path: str, overrides: dict | None = None) -> dict:
    """The final configuration: defaults, then environment, then overrides."""
    cfg = dict(DEFAULTS)
    cfg.update(from_environment())
    cfg.update(overrides or {})
    if not cfg["DATABASE_URL"]:
        cfg["DATABASE_URL"] = "sqlite:///" + str(Path(instance_path) / "dinsos.sqlite")
    if not cfg["UPLOAD_DIR"]:
        cfg["UPLOAD_DIR"] = str(Path(instance_path) / "uploads")
    if cfg["DATABASE_URL"].startswith("postgres://"):
        cfg["DATABASE_URL"] = "postgresql://" + cfg["DATABASE_URL"][len("postgres://"):]
    for key in ("DATABASE_URL", "MIGRATION_DATABASE_URL"):
        if cfg[key] and cfg[key].startswith("postgresql://"):
            cfg[key] = "postgresql+psycopg://" + cfg[key][len("postgresql://"):]
    cfg["SQLALCHEMY_DATABASE_URI"] = cfg["DATABASE_URL"]
    cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    if cfg["DATABASE_URL"].startswith("postgresql") and "connect_timeout" not in cfg["DATABASE_URL"]:
        # An unreachable database must fail a request within seconds (a 503), not hang it until the worker times out.
        cfg["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] = {"connect_timeout": 5}
    return cfg


def is_embedded(cfg) -> bool:
    """Embedded mode: no Redis configured, so background work runs in-process."""
    return not cfg.get("REDIS_URL")


def rahasia_ikatan(kunci_rahasia: str) -> str:
    """The secret the app shows the database to bind a transaction (``dinsos.core.rls``), derived from SECRET_KEY,
    so there is nothing more to configure; only its SHA-256 is stored, by ``dinsos db upgrade``."""
    return hmac.new(kunci_rahasia.encode(), b"dinsos:ikatan-basis-data", hashlib.sha256).hexdigest()
