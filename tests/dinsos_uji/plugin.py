"""The pytest plugin: service markers, and the fixture modules it brings in."""
import pytest

from dinsos_uji.lingkungan import CITUS, PG_ADMIN_URL, REDIS_URL, WAJIB

pytest_plugins = [
    "dinsos_uji.fixtures.aplikasi",
    "dinsos_uji.fixtures.kantor",
    "dinsos_uji.fixtures.layanan",
    "dinsos_uji.fixtures.peramban",  # the browser tests' server and chromium, shared by tests/e2e and tests/laporan
]


def pytest_configure(config):
    if WAJIB and not (PG_ADMIN_URL and REDIS_URL):
        raise pytest.UsageError("DINSOS_TEST_REQUIRE_SERVICES=1 needs DATABASE_URL (PostgreSQL) and REDIS_URL")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and not PG_ADMIN_URL:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgresql://..."))
        if "redis" in item.keywords and not REDIS_URL:
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://..."))
        if "citus" in item.keywords and not CITUS:
            item.add_marker(pytest.mark.skip(reason="needs the Citus cluster: DINSOS_TEST_CITUS=1 (deploy/citus.sh)"))
        tanda = item.get_closest_marker("bukan_citus")
        if tanda and CITUS:
            item.add_marker(pytest.mark.skip(reason="not on Citus: " + (tanda.args[0] if tanda.args else "")))
