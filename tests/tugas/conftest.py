import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

# The case tests' helpers (seed offices, one account per role, running services as a user) are shared.
sys.path.append(str(Path(__file__).resolve().parents[1] / "kasus"))


@pytest.fixture(autouse=True)
def _hash_murah(monkeypatch):
    """These tests create many accounts; password hashing strength is tested in the auth tests, not here."""
    from dinsos.auth import services

    monkeypatch.setattr(services, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def seed(app):
    """The seed offices, and one account per role in Magetan and Kota Metro."""
    from alat_kasus import muat_seed, staf_kantor

    kantor = muat_seed()
    return kantor, {slug: staf_kantor(kantor[slug]) for slug in ("kabupaten-magetan", "kota-metro")}
