"""Fixtures for the letter tests."""
import pytest


@pytest.fixture
def kantor(kantor_seed):
    """The real offices from ``tenants/``, by slug."""
    return kantor_seed
