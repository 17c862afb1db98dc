"""Survey tests: the real seed offices, and a fresh rate-limit window per test."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _batas_baru(request):
    if "app" not in request.fixturenames:
        yield
        return
    from dinsos.core.extensions import limiter

    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def kantor_seed(app):
    """Load tenants/ (Kota Metro, Magetan, Banten and the provinces); returns slug -> Kantor."""
    from sqlalchemy import select

    from bantuan import Kantor

    from dinsos.core.tenant import lintas_tenant
    from dinsos.tenancy.models import Tenant
    from dinsos.tenancy.muat import muat_akar

    with app.app_context():
        muat_akar(ROOT / "tenants")
        with lintas_tenant("uji", catat=False):
            return {t.slug: Kantor(t.id, t.slug, t.nama) for t in app.extensions["sqlalchemy"].session.scalars(select(Tenant))}
