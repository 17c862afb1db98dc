"""Fixtures for the platform-admin and office-settings tests."""
import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bantuan import KATA_SANDI, token_csrf

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


@pytest.fixture
def potret(mesin_pemilik):
    """A function returning every row of every table (as the owner, past RLS), to compare before and after."""

    def ambil(kecuali=("alembic_version",)):
        hasil = {}
        with mesin_pemilik.connect() as c:
            for tabel in sorted(inspect(mesin_pemilik).get_table_names()):
                if tabel not in kecuali:
                    hasil[tabel] = sorted(repr(tuple(r)) for r in c.execute(text(f'SELECT * FROM "{tabel}"')))
        return hasil

    return ambil


@pytest.fixture
def akar(tmp_path):
    salinan = tmp_path / "tenants"
    shutil.copytree(TENANTS, salinan)
    return salinan


@pytest.fixture
def dimuat(app, akar):
    from dinsos.tenancy.muat import muat_akar

    with app.app_context():
        muat_akar(akar)
    return akar


@pytest.fixture
def admin(app, klien):
    """A platform admin, logged in on ``klien``."""
    from dinsos.auth.services import buat_admin_platform
    from dinsos.core.db import db

    with app.app_context():
        buat_admin_platform("andi@platform.uji", "Andi", KATA_SANDI)
        db.session.commit()
    halaman = klien.get("/admin/masuk").get_data(as_text=True)
    r = klien.post("/admin/masuk", data={"email": "andi@platform.uji", "kata_sandi": KATA_SANDI,
                                          "csrf_token": token_csrf(halaman)})
    assert r.status_code == 302
    return klien
