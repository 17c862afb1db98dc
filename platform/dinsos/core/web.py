"""Wiring the Flask app: extensions, tenant binding per request, capabilities, errors, headers."""
from functools import partial
from importlib import import_module

from flask import g, request
from flask_login import current_user
from werkzeug.local import LocalProxy

from .db import db
from .extensions import api, babel, csrf, limiter, login_manager, migrate
from .i18n import pilih_bahasa
from .tenant import ikat_tenant, lepas_platform, lepas_tenant

# Each capability module exposes ``pasang(app)``; the order is the order of registration.
KAPABILITAS = [
    "dinsos.web",
    "dinsos.tenancy",
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
]


def _impor_model():
    """Import every capability's models so metadata (and migrations) see all tables."""
    import_module("dinsos.core.outbox")
    for nama in KAPABILITAS:
        try:
            import_module(nama + ".models")
        except ModuleNotFoundError as e:
            if e.name != nama + ".models":
                raise


def pasang(app):
    _impor_model()
    db.init_app(app)
    migrate.init_app(app, db, directory=app.config.get("MIGRATIONS_DIR") or _folder_migrasi())
    csrf.init_app(app)
    babel.init_app(app, locale_selector=pilih_bahasa)
    limiter.init_app(app)
    login_manager.init_app(app)
    api.init_app(app)
    _ikat_tenant_per_permintaan(app)
    from . import ui

    ui.pasang(app)
    for nama in KAPABILITAS:
        import_module(nama).pasang(app)
    from . import errors

    errors.pasang(app)
    app.after_request(_header_keamanan)


def _folder_migrasi() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parents[3] / "migrations")


def _ikat_tenant_per_permintaan(app):
    """Bind the tenant named by ``/t/<slug>/`` or ``/api/t/<slug>/`` for this request only."""
    from dinsos.tenancy.models import Tenant
    from dinsos.tenancy.services import ikat_dari_slug

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
        tenant_id = ikat_dari_slug(slug)  # aborts 404 for an unknown or inactive office
        g._token_tenant = ikat_tenant(tenant_id, sudah_di_transaksi=True)
        # The office's row is read when something first asks for it: most API requests never do.
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


def _header_keamanan(resp):
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("X-Frame-Options", "DENY")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/api/docs"):
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        )
    return resp
