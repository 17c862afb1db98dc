"""Issue 19 item 3: a login is a server-side session row, so logging out ends it for every copy of the cookie."""
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from dinsos.auth import sesi_login
from dinsos.auth.models import Pengguna, SesiLogin
from dinsos.core.db import db, sekarang
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos_uji.bantuan import KATA_SANDI, buat_staf, buat_tenant, masuk, token_csrf

UMUR = sesi_login.Umur(diam=timedelta(minutes=60), maks=timedelta(hours=12))


@pytest.fixture
def kantor(app):
    a = buat_tenant(app, "kota-a")
    _, email = buat_staf(a, "petugas_pelayanan")
    return a, email


def _salin_cookie(dari, ke):
    ke.set_cookie("dinsos_sesi", dari.get_cookie("dinsos_sesi").value)


def _masuk_ke(klien, halaman="/t/kota-a/dasbor") -> bool:
    return klien.get(halaman).status_code == 200


def _geser_sesi(app, tenant_id, **mundur):
    """Move every session row of the office back in time (the clock passing, without sleeping)."""
    with app.app_context(), dalam_tenant(tenant_id):
        for baris in db.session.scalars(select(SesiLogin)):
            for kolom, selang in mundur.items():
                setattr(baris, kolom, getattr(baris, kolom) - selang)
        db.session.commit()


def test_a_cookie_copied_before_logout_is_refused_after_it(app, kantor):
    a, email = kantor
    asli, salinan = app.test_client(), app.test_client()
    assert masuk(asli, "kota-a", email).status_code == 302
    _salin_cookie(asli, salinan)
    assert _masuk_ke(salinan) and _masuk_ke(salinan, "/t/kota-a/kasus/")
    halaman = asli.get("/t/kota-a/dasbor").get_data(as_text=True)
    assert asli.post("/t/kota-a/keluar", data={"csrf_token": token_csrf(halaman)}).status_code == 302
    for jalur in ("/t/kota-a/dasbor", "/t/kota-a/kasus/", "/t/kota-a/akun/sesi"):
        r = salinan.get(jalur)
        assert r.status_code == 302 and "/t/kota-a/masuk" in r.headers["Location"], jalur
    with app.app_context(), dalam_tenant(a.id):
        [baris] = db.session.scalars(select(SesiLogin)).all()
        assert baris.berakhir_pada is not None and baris.alasan_berakhir == "keluar"


def test_idle_and_absolute_lifetimes(app, kantor):
    a, email = kantor
    t0 = sekarang()
    with app.app_context(), dalam_tenant(a.id):
        akun = db.session.scalar(select(Pengguna))
        sesi_login.mulai(akun, kini=t0, agen="uji", alamat_ip="127.0.0.1")
        id_sesi = akun.id_sesi
        db.session.commit()

        def periksa(kini):
            return sesi_login.periksa(id_sesi, tenant_id=a.id, kini=kini, umur=UMUR)

        assert periksa(t0 + timedelta(minutes=59)) is not None
        assert periksa(t0 + timedelta(minutes=61)) is None  # idle too long
        # used every 50 minutes it stays alive, until 12 hours after the login whatever happens
        kini = t0
        while kini + timedelta(minutes=50) - t0 <= UMUR.maks:
            kini += timedelta(minutes=50)
            assert periksa(kini) is not None, kini - t0
            sesi_login.catat_dilihat(db.session.scalar(select(SesiLogin)), kini)
        assert periksa(kini + timedelta(minutes=50)) is None
        assert periksa(t0 + UMUR.maks + timedelta(seconds=1)) is None
        assert sesi_login.periksa(id_sesi, tenant_id=a.id + 1, kini=t0, umur=UMUR) is None  # another office


def test_the_lifetimes_apply_over_http_and_come_from_configuration(app, kantor, monkeypatch):
    a, email = kantor
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 30)
    monkeypatch.setitem(app.config, "SESSION_MAX_HOURS", 8)
    klien = app.test_client()
    masuk(klien, "kota-a", email)
    _geser_sesi(app, a.id, terakhir_dilihat=timedelta(minutes=29), dibuat_pada=timedelta(minutes=29))
    assert _masuk_ke(klien)
    _geser_sesi(app, a.id, terakhir_dilihat=timedelta(minutes=31))  # that request was seen; now 31 minutes idle
    assert not _masuk_ke(klien)

    klien = app.test_client()
    masuk(klien, "kota-a", email)
    _geser_sesi(app, a.id, dibuat_pada=timedelta(hours=8, minutes=1))  # active a second ago, but logged in 8 h ago
    assert not _masuk_ke(klien)


def test_last_seen_is_written_at_most_once_a_minute(app, kantor):
    a, email = kantor
    klien = app.test_client()
    masuk(klien, "kota-a", email)

    def terakhir():
        with app.app_context(), dalam_tenant(a.id):
            return db.session.scalar(select(SesiLogin.terakhir_dilihat))

    awal = terakhir()
    for _ in range(3):
        assert _masuk_ke(klien)
    assert terakhir() == awal
    _geser_sesi(app, a.id, terakhir_dilihat=timedelta(minutes=2))
    assert _masuk_ke(klien)
    assert terakhir() > awal - timedelta(minutes=2) + timedelta(seconds=30)


def test_ending_another_session_from_the_page_kills_it(app, kantor):
    a, email = kantor
    kantor_hp, laptop = app.test_client(), app.test_client()
    masuk(kantor_hp, "kota-a", email)
    masuk(laptop, "kota-a", email)
    halaman = laptop.get("/t/kota-a/akun/sesi")
    teks = halaman.get_data(as_text=True)
    assert halaman.status_code == 200 and "Sesi ini" in teks and teks.count("Akhiri</button>") == 1
    with app.app_context(), dalam_tenant(a.id):
        sesi = db.session.scalars(select(SesiLogin).order_by(SesiLogin.dibuat_pada)).all()
    lain = sesi[0].id  # the phone's, made first
    r = laptop.post(f"/t/kota-a/akun/sesi/{lain}/akhiri", data={"csrf_token": token_csrf(teks)})
    assert r.status_code == 302
    assert not _masuk_ke(kantor_hp) and _masuk_ke(laptop)
    # its own session is not ended from the list (that is the logout button), and the page is in English too
    sendiri = sesi[1].id
    laptop.post(f"/t/kota-a/akun/sesi/{sendiri}/akhiri", data={"csrf_token": token_csrf(teks)})
    assert _masuk_ke(laptop)
    assert "Your sessions" in laptop.get("/t/kota-a/akun/sesi?lang=en").get_data(as_text=True)


def test_end_all_others_and_password_change_end_every_other_session(app, kantor):
    a, email = kantor
    satu, dua, tiga = app.test_client(), app.test_client(), app.test_client()
    for k in (satu, dua, tiga):
        masuk(k, "kota-a", email)
    halaman = satu.get("/t/kota-a/akun/sesi").get_data(as_text=True)
    assert satu.post("/t/kota-a/akun/sesi/akhiri-lainnya", data={"csrf_token": token_csrf(halaman)}).status_code == 302
    assert _masuk_ke(satu) and not _masuk_ke(dua) and not _masuk_ke(tiga)

    masuk(dua, "kota-a", email)
    halaman = satu.get("/t/kota-a/akun/kata-sandi").get_data(as_text=True)
    r = satu.post("/t/kota-a/akun/kata-sandi", data={"lama": KATA_SANDI, "baru": "kata-sandi-baru-1", "ulangi": "kata-sandi-baru-1",
                                                    "csrf_token": token_csrf(halaman)})
    assert r.status_code == 302
    assert _masuk_ke(satu) and not _masuk_ke(dua)
    with app.app_context(), dalam_tenant(a.id):
        alasan = db.session.scalars(select(SesiLogin.alasan_berakhir).where(SesiLogin.berakhir_pada.is_not(None))).all()
        assert sorted(alasan) == ["diakhiri_pemilik", "diakhiri_pemilik", "kata_sandi"]


def test_a_session_row_of_one_office_is_never_visible_to_another(app, kantor):
    a, email = kantor
    b = buat_tenant(app, "kota-b")
    _, email_b = buat_staf(b, "petugas_pelayanan")
    ka, kb = app.test_client(), app.test_client()
    masuk(ka, "kota-a", email)
    masuk(kb, "kota-b", email_b)
    with app.app_context():
        with dalam_tenant(b.id):
            assert {s.tenant_id for s in db.session.scalars(select(SesiLogin))} == {b.id}
            # even a bulk end as B's user touches nothing of A
            akun_b = db.session.scalar(select(Pengguna))
            db.session.execute(update(SesiLogin).values(berakhir_pada=sekarang()))
            db.session.rollback()
        with lintas_tenant("uji", catat=False):
            milik_a = db.session.scalar(select(SesiLogin.id).where(SesiLogin.tenant_id == a.id))
    # B's page lists only B's session, and ending A's by its id is "not found"
    halaman = kb.get("/t/kota-b/akun/sesi").get_data(as_text=True)
    assert str(milik_a) not in halaman
    assert kb.post(f"/t/kota-b/akun/sesi/{milik_a}/akhiri", data={"csrf_token": token_csrf(halaman)}).status_code == 404
    assert _masuk_ke(ka)
    # A's cookie under B's URLs is anonymous
    _salin_cookie(ka, kb)
    assert kb.get("/t/kota-b/dasbor").status_code == 302
    del akun_b


@pytest.mark.postgres
def test_session_rows_are_under_row_level_security(app, kantor, mesin_pemilik):
    a, email = kantor
    masuk(app.test_client(), "kota-a", email)
    from sqlalchemy import create_engine

    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as c, c.begin():
            c.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(a.id)})
            assert c.execute(text("SELECT count(*) FROM sesi_login")).scalar() == 0
    finally:
        engine.dispose()
    with mesin_pemilik.connect() as c:
        assert c.execute(text("SELECT count(*) FROM sesi_login")).scalar() == 1


def test_a_platform_admins_session_ends_at_logout_too(app):
    from dinsos.auth.services import buat_admin_platform

    with app.app_context():
        buat_admin_platform("admin@platform.uji", "Admin", "kata-sandi-admin-1")
        db.session.commit()
    asli, salinan = app.test_client(), app.test_client()
    halaman = asli.get("/admin/masuk").get_data(as_text=True)
    r = asli.post("/admin/masuk", data={"email": "admin@platform.uji", "kata_sandi": "kata-sandi-admin-1",
                                        "csrf_token": token_csrf(halaman)})
    assert r.status_code == 302
    _salin_cookie(asli, salinan)
    assert salinan.get("/admin/").status_code == 200
    assert "Sesi ini" in asli.get("/admin/akun/sesi").get_data(as_text=True)
    halaman = asli.get("/admin/").get_data(as_text=True)
    asli.post("/admin/keluar", data={"csrf_token": token_csrf(halaman)})
    assert salinan.get("/admin/").status_code == 302
