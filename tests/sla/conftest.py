import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

# The case tests' helpers (seed offices with one account per role, services run as a user).
sys.path.append(str(Path(__file__).resolve().parents[1] / "kasus"))


@pytest.fixture
def hash_murah(monkeypatch):
    """Many accounts are made here; password hashing strength is tested in the auth tests, not here."""
    from dinsos.auth import services

    monkeypatch.setattr(services, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def seed(app, hash_murah):
    """The seed offices, and one account per role in the three that have services."""
    from alat_kasus import muat_seed, staf_kantor

    kantor = muat_seed()
    staf = {slug: staf_kantor(kantor[slug]) for slug in ("kabupaten-magetan", "kota-metro", "provinsi-banten")}
    return kantor, staf
