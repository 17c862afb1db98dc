"""Fixtures for the platform-admin and office-settings tests."""
import pytest

from dinsos_uji.bantuan import KATA_SANDI, token_csrf


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


MAGETAN = "/admin/onboarding/draf/kabupaten-magetan"


@pytest.fixture
def draf_magetan(admin, dimuat):
    """A draft of Magetan's current files, started from the office list."""
    halaman = admin.get("/admin/onboarding").get_data(as_text=True)
    r = admin.post("/admin/onboarding/kantor/kabupaten-magetan/ubah", data={"csrf_token": token_csrf(halaman)})
    assert r.headers["Location"].endswith(MAGETAN)
    return admin
