"""The first hour of a new user (issue 18, items 5 and 6): one e-mail rule, the demo accounts, the slug hint."""
from sqlalchemy import select

from dinsos.auth.models import AdminPlatform
from dinsos.cli import main as cli
from dinsos.core.db import db
from dinsos.core.tenant import ruang_platform
from dinsos.izin import PERAN
from dinsos_uji.bantuan import KATA_SANDI, token_csrf


def _masuk_admin(klien, email, kata_sandi):
    halaman = klien.get("/admin/masuk").get_data(as_text=True)
    return klien.post("/admin/masuk", data={"email": email, "kata_sandi": kata_sandi, "csrf_token": token_csrf(halaman)})


def test_admin_create_menolak_email_yang_tidak_dapat_masuk(app):
    runner = app.test_cli_runner()
    hasil = runner.invoke(cli, ["admin", "create", "--email", "admin@x.test", "--name", "A", "--password", KATA_SANDI])
    assert hasil.exit_code != 0 and "tidak valid" in hasil.output
    with app.app_context(), ruang_platform():
        assert db.session.scalar(select(AdminPlatform)) is None


def test_users_create_memakai_aturan_email_yang_sama(app, dimuat):
    runner = app.test_cli_runner()
    hasil = runner.invoke(cli, ["users", "create", "--tenant", "kota-metro", "--email", "orang@kantor.local",
                                "--name", "O", "--role", "pekerja_sosial", "--password", KATA_SANDI])
    assert hasil.exit_code != 0 and "tidak valid" in hasil.output


def test_yang_dapat_dibuat_dapat_masuk(app, klien):
    runner = app.test_cli_runner()
    hasil = runner.invoke(cli, ["admin", "create", "--email", " Andi@Dinsos.Example.go.id ", "--name", "Andi",
                                "--password", KATA_SANDI])
    assert hasil.exit_code == 0, hasil.output
    r = _masuk_admin(klien, "andi@dinsos.example.go.id", KATA_SANDI)
    assert r.status_code == 302 and r.headers["Location"].endswith("/admin/")


def test_akun_demo_mencetak_akun_setiap_peran_dan_admin_platform(app, klien, dimuat):
    runner = app.test_cli_runner()
    hasil = runner.invoke(cli, ["demo", "accounts", "--password", KATA_SANDI])
    assert hasil.exit_code == 0, hasil.output
    assert "<peran>" not in hasil.output
    for peran in PERAN:
        assert f"{peran.replace('_', '.')}@kabupaten-magetan.demo" in hasil.output
    assert "admin@platform.demo" in hasil.output
    assert _masuk_admin(klien, "admin@platform.demo", KATA_SANDI).status_code == 302
    assert klien.get("/admin/onboarding").status_code == 200
    # run again (a second `make run`): the same accounts, the new password
    assert runner.invoke(cli, ["demo", "accounts", "--password", "kata-sandi-baru-2"]).exit_code == 0
    with app.app_context(), ruang_platform():
        assert len(db.session.scalars(select(AdminPlatform)).all()) == 1


def test_petunjuk_slug_tampil_utuh(admin):
    halaman = admin.get("/admin/onboarding/baru").get_data(as_text=True)
    assert "/t/&lt;slug&gt;/" in halaman
    halaman = admin.get("/admin/onboarding/baru?lang=en").get_data(as_text=True)
    assert "Becomes the address /t/&lt;slug&gt;/" in halaman


def test_make_run_membuat_data_demo_sekali_saja(app, dimuat):
    """`make run` runs `demo generate --if-empty` every time: data on the first run, the same data after."""
    from sqlalchemy import func

    from dinsos.cases.models import Kasus
    from dinsos.core.tenant import lintas_tenant

    def jumlah_kasus():
        with app.app_context(), lintas_tenant("uji", catat=False):
            return db.session.scalar(select(func.count()).select_from(Kasus))

    runner = app.test_cli_runner()
    perintah = ["demo", "generate", "--tenants", "1", "--cases", "12", "--at", "2026-11-02T09:00+07:00",
                "--password", KATA_SANDI, "--tenants-path", str(dimuat), "--if-empty"]
    hasil = runner.invoke(cli, perintah)
    assert hasil.exit_code == 0, hasil.output
    assert jumlah_kasus() == 12
    lagi = runner.invoke(cli, perintah)
    assert lagi.exit_code == 0 and "Data demo tidak dibuat" in lagi.output
    assert jumlah_kasus() == 12
    assert runner.invoke(cli, perintah[:-1]).exit_code != 0  # without --if-empty a second run is an error, as before


def test_demo_pertama_memuat_rujukan_di_setiap_status(app, akar):
    """The first-run demo (`make run`'s command, small) holds a referral in every state of the referral state machine,
    both offices' records in step, the accepted one with its case opened at the receiver (issue 18 item 6)."""
    from dinsos.cases.models import Kasus
    from dinsos.core.tenant import lintas_tenant
    from dinsos.referrals.models import Rujukan, RujukanMasuk
    from dinsos.referrals.status import STATUS

    runner = app.test_cli_runner()
    hasil = runner.invoke(cli, ["demo", "generate", "--tenants", "3", "--cases", "45", "--password", KATA_SANDI,
                                "--tenants-path", str(akar), "--if-empty", "--all-referral-states"])
    assert hasil.exit_code == 0, hasil.output
    with app.app_context(), lintas_tenant("uji", catat=False):
        rujukan = db.session.scalars(select(Rujukan)).all()
        assert {r.status for r in rujukan} == set(STATUS), hasil.output
        masuk = {m.asal_rujukan_id: m for m in db.session.scalars(select(RujukanMasuk))}
        for r in rujukan:
            m = masuk.get(r.id)
            if r.status in ("draf", "dikirim"):
                assert m is None  # not delivered: a draft, or sent to a partner outside the platform
                continue
            assert m is not None and m.status == r.status and m.tenant_id == r.tujuan_tenant_id
            if r.status in ("diterima", "selesai"):
                kasus = db.session.scalar(select(Kasus).where(Kasus.tenant_id == m.tenant_id, Kasus.id == m.kasus_id))
                assert kasus.status == ("ditutup" if r.status == "selesai" else kasus.status)
                assert r.laporan.get("hasil") if r.status == "selesai" else True
    # a second `make run` leaves it as it was
    lagi = runner.invoke(cli, ["demo", "generate", "--tenants", "3", "--cases", "45", "--tenants-path", str(akar),
                               "--if-empty", "--all-referral-states"])
    assert lagi.exit_code == 0 and "Data demo tidak dibuat" in lagi.output
