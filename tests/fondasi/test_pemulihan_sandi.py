"""Forgotten password: a link by e-mail (a real SMTP server), single use, expiring, with no account enumeration."""
import re
import types

import itsdangerous.timed
import pytest
from sqlalchemy import select

from dinsos.audit.models import CatatanAudit
from dinsos.core.db import db
from dinsos.core.outbox import PesanOutbox
from dinsos.core.tenant import dalam_tenant
from dinsos_uji.bantuan import buat_staf, buat_tenant, masuk, token_csrf
from dinsos_workers import jadwal

TAUTAN = re.compile(r"https?://\S+/t/kota-a/atur-kata-sandi/\S+")
JAWABAN = "Bila alamat itu terdaftar dan aktif di kantor ini"


@pytest.fixture
def kantor(app):
    k = buat_tenant(app, "kota-a")
    pid, email = buat_staf(k, "pekerja_sosial", "hendra@kota-a.uji", "Hendra Wijaya")
    return k, pid, email


def _minta(klien, email):
    halaman = klien.get("/t/kota-a/lupa-kata-sandi").get_data(as_text=True)
    return klien.post("/t/kota-a/lupa-kata-sandi", data={"csrf_token": token_csrf(halaman), "email": email},
                      follow_redirects=True)


def _kirim_surel(app) -> int:
    with app.app_context():
        return jadwal.jalankan_tertanam(jadwal.cari("relay_outbox"))


def _atur(klien, tautan, baru, ulangi=None):
    halaman = klien.get(tautan).get_data(as_text=True)
    return klien.post(tautan, data={"csrf_token": token_csrf(halaman), "baru": baru, "ulangi": ulangi or baru})


def test_a_link_by_e_mail_sets_a_new_password_once(app, klien, kantor, smtp):
    k, pid, email = kantor
    assert "/t/kota-a/lupa-kata-sandi" in klien.get("/t/kota-a/masuk").get_data(as_text=True)
    lain = app.test_client()
    assert masuk(lain, "kota-a", email).status_code == 302  # a session elsewhere, ended by the recovery

    # A known and an unknown address get the same answer; only the known one is written to the outbox.
    dikenal, asing = _minta(klien, email.upper()), _minta(klien, "tidak-ada@kota-a.uji")
    assert dikenal.status_code == asing.status_code == 200
    assert JAWABAN in dikenal.get_data(as_text=True) and JAWABAN in asing.get_data(as_text=True)
    _minta(klien, email)  # asked twice in a few minutes: one e-mail
    with app.app_context(), dalam_tenant(k.id):
        assert db.session.scalars(select(PesanOutbox.jenis)).all() == ["akun.pemulihan_sandi"]
    assert smtp.surel == []  # the request page sends nothing itself: the outbox does
    assert _kirim_surel(app) == 1
    [surel] = smtp.tunggu(1)
    assert surel["untuk"] == [email] and surel["surel"]["Subject"] == "Atur ulang kata sandi Anda"
    badan = surel["surel"].get_content()
    assert "hanya dapat dipakai sekali" in badan and "60 menit" in badan
    tautan = "/" + TAUTAN.search(badan)[0].split("/", 3)[3]

    assert "Pilih kata sandi baru untuk hendra@kota-a.uji" in klien.get(tautan).get_data(as_text=True)
    r = _atur(klien, tautan, "sandi-baru-hendra", "sandi-lain-hendra")
    assert r.status_code == 400 and "Kedua kata sandi baru tidak sama" in r.get_data(as_text=True)
    r = _atur(klien, tautan, "sandi-baru-hendra")
    assert r.status_code == 302 and r.headers["Location"].endswith("/t/kota-a/masuk")
    assert lain.get("/t/kota-a/dasbor").status_code == 302  # every session of the account ended
    assert masuk(app.test_client(), "kota-a", email).status_code == 401  # the old password is gone
    assert masuk(app.test_client(), "kota-a", email, "sandi-baru-hendra").status_code == 302
    # Single use: the same link again is refused, and says what to do.
    r = klien.get(tautan)
    assert r.status_code == 410 and "Minta tautan baru" in r.get_data(as_text=True)
    csrf = token_csrf(klien.get("/t/kota-a/lupa-kata-sandi").get_data(as_text=True))
    r = klien.post(tautan, data={"csrf_token": csrf, "baru": "sandi-ketiga-hendra", "ulangi": "sandi-ketiga-hendra"})
    assert r.status_code == 410
    with app.app_context(), dalam_tenant(k.id):
        tindakan = db.session.scalars(select(CatatanAudit.tindakan).where(CatatanAudit.objek_id == str(pid))).all()
        assert "pemulihan_sandi_diminta" in tindakan and tindakan.count("kata_sandi_dipulihkan") == 1


def test_a_link_expires_belongs_to_its_office_and_to_an_active_account(app, klien, kantor, smtp, monkeypatch):
    from dinsos.auth.models import Pengguna
    from dinsos.auth.pemulihan import buat_token

    k, pid, _email = kantor
    buat_tenant(app, "kota-b")
    with app.app_context(), dalam_tenant(k.id):
        token = buat_token(db.session.get(Pengguna, (k.id, pid)))
    assert klien.get(f"/t/kota-b/atur-kata-sandi/{token}").status_code == 410  # not another office's
    assert klien.get(f"/t/kota-a/atur-kata-sandi/{token[:-2]}xx").status_code == 410  # a forged signature
    assert klien.get(f"/t/kota-a/atur-kata-sandi/{token}").status_code == 200
    sekarang = itsdangerous.timed.time.time
    with monkeypatch.context() as m:
        m.setattr(itsdangerous.timed, "time", types.SimpleNamespace(time=lambda: sekarang() + 61 * 60))
        assert klien.get(f"/t/kota-a/atur-kata-sandi/{token}").status_code == 410  # an hour and a minute later
    with app.app_context(), dalam_tenant(k.id):
        db.session.get(Pengguna, (k.id, pid)).aktif = False
        db.session.commit()
    assert klien.get(f"/t/kota-a/atur-kata-sandi/{token}").status_code == 410
    _minta(klien, "hendra@kota-a.uji")
    with app.app_context(), dalam_tenant(k.id):
        assert db.session.scalars(select(PesanOutbox)).all() == []  # a deactivated account is sent nothing


def test_without_e_mail_the_page_sends_people_to_their_office_admin(klien, kantor):
    halaman = klien.get("/t/kota-a/lupa-kata-sandi").get_data(as_text=True)
    assert "Minta admin kantor Anda mengatur ulang kata sandi" in halaman and 'name="email"' not in halaman
