"""Login, sessions bound to one office, throttled guessing, CSRF, password change, API tokens."""
import pytest
from sqlalchemy import select

from dinsos.audit.models import CatatanAudit
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos_uji.bantuan import KATA_SANDI, buat_staf, buat_tenant, masuk, token_csrf


@pytest.fixture
def dua_kantor(app):
    a = buat_tenant(app, "kota-a")
    b = buat_tenant(app, "kota-b")
    return a, b


def test_login_with_the_right_password_opens_the_dashboard_and_is_audited(klien, app, dua_kantor):
    a, _ = dua_kantor
    pid, email = buat_staf(a, "petugas_pelayanan")
    r = masuk(klien, "kota-a", email)
    assert r.status_code == 302 and r.headers["Location"].endswith("/t/kota-a/dasbor")
    assert klien.get("/t/kota-a/dasbor").status_code == 200
    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        tindakan = db.session.scalars(select(CatatanAudit.tindakan).where(CatatanAudit.tenant_id == a.id)).all()
    assert "masuk" in tindakan


def test_wrong_password_and_unknown_email_get_the_same_indonesian_401(klien, app, dua_kantor):
    a, _ = dua_kantor
    _, email = buat_staf(a, "petugas_pelayanan")
    salah = masuk(klien, "kota-a", email, "bukan-sandinya-1")
    tak_ada = masuk(klien, "kota-a", "siapa@kota-a.uji", "bukan-sandinya-1")
    for r in (salah, tak_ada):
        assert r.status_code == 401
        assert "Email atau kata sandi salah" in r.get_data(as_text=True)
    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        gagal = db.session.scalars(select(CatatanAudit).where(CatatanAudit.tindakan == "masuk_gagal")).all()
    assert len(gagal) == 2


def test_held_guesses_do_not_reveal_themselves(klien, app, dua_kantor):
    a, _ = dua_kantor
    _, email = buat_staf(a, "petugas_pelayanan")
    for _i in range(app.config["LOGIN_MAX_FAILURES"]):
        masuk(klien, "kota-a", email, "bukan-sandinya-1")
    r = masuk(klien, "kota-a", email)  # right password, but this address is on hold for this account
    assert r.status_code == 401
    assert "Email atau kata sandi salah" in r.get_data(as_text=True)


def test_unknown_office_is_404_in_indonesian(klien, app):
    r = klien.get("/t/tidak-ada/masuk")
    assert r.status_code == 404
    assert "tidak ditemukan" in r.get_data(as_text=True)


def test_missing_csrf_token_is_400_with_a_clear_message(klien, dua_kantor):
    r = klien.post("/t/kota-a/masuk", data={"email": "x@y.id", "kata_sandi": "abcdefghijk"})
    assert r.status_code == 400
    assert "CSRF" in r.get_data(as_text=True)


def test_malformed_login_form_is_400_naming_the_field(klien, dua_kantor):
    halaman = klien.get("/t/kota-a/masuk").get_data(as_text=True)
    r = klien.post("/t/kota-a/masuk", data={"email": "bukan-email", "kata_sandi": "", "csrf_token": token_csrf(halaman)})
    assert r.status_code == 400
    teks = r.get_data(as_text=True)
    assert "Format email tidak valid" in teks and "Kata sandi wajib diisi" in teks


def test_a_session_of_office_a_is_anonymous_under_office_b(klien, dua_kantor):
    a, b = dua_kantor
    _, email = buat_staf(a, "kepala_bidang")
    masuk(klien, "kota-a", email)
    assert klien.get("/t/kota-a/dasbor").status_code == 200
    r = klien.get("/t/kota-b/dasbor")
    assert r.status_code == 302 and "/t/kota-b/masuk" in r.headers["Location"]


def test_changing_the_password_ends_other_sessions(app, dua_kantor):
    a, _ = dua_kantor
    _, email = buat_staf(a, "pekerja_sosial")
    laptop, ponsel = app.test_client(), app.test_client()
    masuk(laptop, "kota-a", email)
    masuk(ponsel, "kota-a", email)
    halaman = laptop.get("/t/kota-a/akun/kata-sandi").get_data(as_text=True)
    r = laptop.post(
        "/t/kota-a/akun/kata-sandi",
        data={"lama": KATA_SANDI, "baru": "sandi-baru-yang-panjang", "ulangi": "sandi-baru-yang-panjang", "csrf_token": token_csrf(halaman)},
    )
    assert r.status_code == 302
    assert laptop.get("/t/kota-a/dasbor").status_code == 200
    assert ponsel.get("/t/kota-a/dasbor").status_code == 302


def test_login_is_rate_limited(app, dua_kantor):
    from dinsos.core.extensions import limiter

    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    try:
        klien = app.test_client()
        kode = [masuk(klien, "kota-a", "x@kota-a.uji", "bukan-sandinya-1").status_code for _ in range(4)]
        assert kode[:3] == [401, 401, 401] and kode[3] == 429
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
        limiter.reset()


def test_api_token_works_only_for_its_own_office(klien, app, dua_kantor):
    from dinsos.auth.models import Pengguna
    from dinsos.auth.services import buat_token
    from dinsos.core.tenant import dalam_tenant

    a, b = dua_kantor
    pid, email = buat_staf(a, "pekerja_sosial")
    with app.app_context(), dalam_tenant(a.id):
        token = buat_token(db.session.scalar(select(Pengguna).where(Pengguna.id == pid)), "uji")
        db.session.commit()
    kepala = {"Authorization": f"Bearer {token}"}
    r = klien.get("/api/t/kota-a/saya", headers=kepala)
    assert r.status_code == 200 and r.json["email"] == email
    assert klien.get("/api/t/kota-b/saya", headers=kepala).status_code == 401
    assert klien.get("/api/t/kota-a/saya").status_code == 401
    assert klien.get("/api/t/kota-a/saya", headers={"Authorization": "Bearer salah"}).json["message"]


def test_a_deactivated_office_closes_at_once_for_its_pages_and_tokens(klien, app, dua_kantor):
    from dinsos.auth.models import Pengguna
    from dinsos.auth.services import buat_token
    from dinsos.core.tenant import dalam_tenant
    from dinsos.tenancy.models import Tenant

    a, _ = dua_kantor
    pid, email = buat_staf(a, "pekerja_sosial")
    with app.app_context(), dalam_tenant(a.id):
        kepala = {"Authorization": "Bearer " + buat_token(db.session.scalar(select(Pengguna).where(Pengguna.id == pid)), "uji")}
        db.session.commit()
    masuk(klien, "kota-a", email)
    assert klien.get("/t/kota-a/dasbor").status_code == 200
    assert klien.get("/api/t/kota-a/saya", headers=kepala).status_code == 200
    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        db.session.get(Tenant, a.id).aktif = False
        db.session.commit()
    for jalur, k in (("/t/kota-a/dasbor", {}), ("/t/kota-a/masuk", {}), ("/api/t/kota-a/saya", kepala), ("/api/t/kota-a/kasus/", kepala)):
        r = klien.get(jalur, headers=k)
        assert r.status_code == 404 and "tidak ditemukan" in r.get_data(as_text=True), jalur


def test_api_ignores_the_session_cookie(klien, dua_kantor):
    a, _ = dua_kantor
    _, email = buat_staf(a, "pekerja_sosial")
    masuk(klien, "kota-a", email)
    assert klien.get("/api/t/kota-a/saya").status_code == 401


def test_permissions_are_enforced_by_role(klien, dua_kantor):
    a, _ = dua_kantor
    _, email = buat_staf(a, "petugas_pelayanan")
    masuk(klien, "kota-a", email)
    assert klien.get("/t/kota-a/audit/").status_code == 403


def test_platform_admin_logs_in_outside_office_urls(klien, app):
    from dinsos.auth.services import buat_admin_platform

    with app.app_context():
        buat_admin_platform("andi@platform.id", "Andi", KATA_SANDI)
        db.session.commit()
    buat_tenant(app, "kota-a")
    halaman = klien.get("/admin/masuk").get_data(as_text=True)
    r = klien.post("/admin/masuk", data={"email": "andi@platform.id", "kata_sandi": KATA_SANDI, "csrf_token": token_csrf(halaman)})
    assert r.status_code == 302
    assert "Dinas Sosial Kota A" in klien.get("/admin/").get_data(as_text=True)
    assert klien.get("/t/kota-a/dasbor").status_code == 302  # admin is no office's staff


def test_the_interface_is_indonesian_first_and_english_on_request(klien, app):
    assert "Direktori Dinas Sosial" in klien.get("/").get_data(as_text=True)
    assert "Directory of Social Affairs Offices" in klien.get("/?lang=en").get_data(as_text=True)
    assert "Directory of Social Affairs Offices" in klien.get("/").get_data(as_text=True)  # remembered
    r = klien.get("/t/tidak-ada/masuk")
    assert "Page or data not found." in r.get_data(as_text=True)


def test_the_english_catalogue_has_one_translation_per_message():
    """Babel keeps the last of two entries for one message silently: a duplicate hides which one the page shows."""
    import collections
    from pathlib import Path

    import dinsos

    po = Path(dinsos.__file__).parent / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    ids = [baris for baris in po.read_text(encoding="utf-8").splitlines() if baris.startswith("msgid ") and baris != 'msgid ""']
    assert [m for m, n in collections.Counter(ids).items() if n > 1] == []
