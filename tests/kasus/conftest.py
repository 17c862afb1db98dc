import pytest
from argon2 import PasswordHasher

from alat_kasus import muat_seed, staf_kantor


@pytest.fixture(autouse=True)
def _hash_murah(monkeypatch):
    """These tests create many accounts; password hashing strength is tested in the auth tests, not here."""
    from dinsos.auth import services

    monkeypatch.setattr(services, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def seed(app):
    """The five seed offices, and one account per role in the three that have services."""
    kantor = muat_seed()
    staf = {slug: staf_kantor(kantor[slug]) for slug in ("kabupaten-magetan", "kota-metro", "provinsi-banten")}
    return kantor, staf
