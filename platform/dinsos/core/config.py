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
    "LOGIN_MAX_FAILURES": 5,
    # How long a password-recovery link sent by e-mail stays good (dinsos.auth.pemulihan).
    "PEMULIHAN_SANDI_MENIT": 60,
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
    # Bounded waits on PostgreSQL (dinsos.core.batas_waktu): seconds to connect and to wait for a pooled connection,
    # the server's own limits (ms), and the longest any round trip may take in a web request / in jobs and commands.
    "DB_CONNECT_TIMEOUT": 2,
    "DB_POOL_TIMEOUT": 10,
    "DB_STATEMENT_TIMEOUT_MS": 60000,
    "DB_LOCK_TIMEOUT_MS": 10000,
    "DB_BATAS_PERMINTAAN_DETIK": "2.5",
    "DB_BATAS_LATAR_DETIK": "65",
    "READYZ_BATAS_DETIK": "1.5",
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
    if cfg["DATABASE_URL"].startswith("postgresql"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"].update(pool_timeout=int(cfg["DB_POOL_TIMEOUT"]),
                                                connect_args=argumen_koneksi(cfg, cfg["DATABASE_URL"]))
    return cfg


def argumen_koneksi(cfg: dict, url: str) -> dict:
    """libpq settings that bound every wait on the server (what the URL sets itself wins).

    An unreachable database must fail a request within seconds (a 503), not hang it until the worker times
    out: connecting, packets left unacknowledged (``tcp_user_timeout``, dead peers found by keepalives), and
    the server's statements and lock waits are all bounded. A silent but connected path is bounded by
    ``dinsos.core.batas_waktu``.
    """
    hasil = {"connect_timeout": int(cfg["DB_CONNECT_TIMEOUT"]), "tcp_user_timeout": int(cfg["DB_CONNECT_TIMEOUT"]) * 1000,
             "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 2, "keepalives_count": 3,
             "options": f"-c statement_timeout={int(cfg['DB_STATEMENT_TIMEOUT_MS'])} -c lock_timeout={int(cfg['DB_LOCK_TIMEOUT_MS'])}"}
    return {k: v for k, v in hasil.items() if f"{k}=" not in url}


def is_embedded(cfg) -> bool:
    """Embedded mode: no Redis configured, so background work runs in-process."""
    return not cfg.get("REDIS_URL")


def rahasia_ikatan(kunci_rahasia: str) -> str:
    """The secret the app shows the database to bind a transaction (``dinsos.core.rls``), derived from SECRET_KEY,
    so there is nothing more to configure; only its SHA-256 is stored, by ``dinsos db upgrade``."""
    return hmac.new(kunci_rahasia.encode(), b"dinsos:ikatan-basis-data", hashlib.sha256).hexdigest()
