"""Fixtures for the letter tests: the real offices, and rate limits reset per test."""
from pathlib import Path

import pytest

import bantuan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kantor(app):
    """The real offices from ``tenants/``, by slug."""
    from dinsos.core.db import db
    from dinsos.tenancy.models import Tenant
    from dinsos.tenancy.muat import muat_akar
    from sqlalchemy import select

    with app.app_context():
        muat_akar(ROOT / "tenants")
        semua = db.session.scalars(select(Tenant)).all()
        return {t.slug: bantuan.Kantor(t.id, t.slug, t.nama) for t in semua}


@pytest.fixture(autouse=True)
def _batas_baru(request):
    """Rate-limit counters start empty in every test (the app and its memory store live for the session)."""
    if "app" in request.fixturenames:
        from dinsos.core.extensions import limiter

        with request.getfixturevalue("app").app_context():
            limiter.reset()
