"""Fixtures for the catalogue tests: a snapshot of the whole database, the real tenants/ root."""
import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


@pytest.fixture
def potret(mesin_pemilik):
    """A function returning every row of every table (as the owner, past RLS), to compare before and after."""

    def ambil():
        hasil = {}
        with mesin_pemilik.connect() as c:
            for tabel in sorted(inspect(mesin_pemilik).get_table_names()):
                if tabel != "alembic_version":
                    hasil[tabel] = sorted(repr(tuple(r)) for r in c.execute(text(f'SELECT * FROM "{tabel}"')))
        return hasil

    return ambil


@pytest.fixture
def akar(tmp_path):
    """A private copy of the whole tenants/ root."""
    salinan = tmp_path / "tenants"
    shutil.copytree(TENANTS, salinan)
    return salinan
