"""Guessing a password is held per account and source with backoff, never locking the owner out (issue 19, item 7)."""
import time

import pytest
from sqlalchemy import select

from dinsos.auth import penahanan
from dinsos.core.db import db
from dinsos.core.outbox import PesanOutbox
from dinsos.core.tenant import dalam_tenant
from dinsos.notify.models import Notifikasi
from dinsos_uji.bantuan import buat_staf, buat_tenant, masuk

PENEBAK, PEMILIK = "203.0.113.7", "198.51.100.20"


def _klien(app, alamat):
    klien = app.test_client()
    klien.environ_base["REMOTE_ADDR"] = alamat
    return klien


@pytest.fixture
def kantor(app):
    k = buat_tenant(app, "kota-a")
    pid, email = buat_staf(k, "petugas_pelayanan", "siti@kota-a.uji")
    return k, pid, email


def _tebak(app, email, kali, alamat=PENEBAK):
    penebak = _klien(app, alamat)
    return [masuk(penebak, "kota-a", email, "bukan-sandinya-1").status_code for _ in range(kali)]


def test_guesses_by_e_mail_alone_do_not_lock_the_owner_out(app, kantor):
    _k, _pid, email = kantor
    assert _tebak(app, email, app.config["LOGIN_MAX_FAILURES"] * 3) == [401] * (app.config["LOGIN_MAX_FAILURES"] * 3)
    # The owner, at her own desk, logs in as usual.
    r = masuk(_klien(app, PEMILIK), "kota-a", email)
    assert r.status_code == 302 and r.headers["Location"].endswith("/t/kota-a/dasbor")


def test_the_guessing_address_is_held_even_with_the_right_password(app, kantor):
    _k, _pid, email = kantor
    _tebak(app, email, app.config["LOGIN_MAX_FAILURES"])
    assert masuk(_klien(app, PENEBAK), "kota-a", email).status_code == 401


def test_the_hold_ends_and_a_success_clears_the_count(app, kantor, monkeypatch):
    _k, _pid, email = kantor
    monkeypatch.setattr(penahanan, "JEDA_AWAL_DETIK", 1)
    _tebak(app, email, app.config["LOGIN_MAX_FAILURES"])
    assert masuk(_klien(app, PENEBAK), "kota-a", email).status_code == 401
    time.sleep(1.2)
    assert masuk(_klien(app, PENEBAK), "kota-a", email).status_code == 302
    # Counting starts again from zero: one more wrong password does not hold.
    _tebak(app, email, 1)
    assert masuk(_klien(app, PENEBAK), "kota-a", email).status_code == 302


def test_backoff_doubles_up_to_the_configured_maximum():
    jeda = [penahanan.jeda_detik(n, 5, 15) for n in range(1, 12)]
    assert jeda == [0, 0, 0, 0, 60, 120, 240, 480, 900, 900, 900]


def test_the_owner_is_told_once_when_a_hold_starts(app, kantor, monkeypatch):
    k, pid, email = kantor
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")  # so the notice also goes out by e-mail (outbox row)
    _tebak(app, email, app.config["LOGIN_MAX_FAILURES"] + 3)
    with app.app_context(), dalam_tenant(k.id):
        notis = db.session.scalars(select(Notifikasi).where(Notifikasi.penerima_id == pid)).all()
        assert len(notis) == 1
        assert notis[0].judul == "Percobaan masuk ke akun Anda ditahan"
        assert PENEBAK in notis[0].isi and f"{app.config['LOGIN_MAX_FAILURES']} percobaan" in notis[0].isi
        assert notis[0].tautan == "/t/kota-a/akun/kata-sandi"
        assert db.session.scalars(select(PesanOutbox.jenis)).all() == ["notifikasi.email"]


def test_an_unknown_e_mail_is_held_the_same_and_tells_nobody(app, kantor):
    k, _pid, _email = kantor
    assert _tebak(app, "tidak-ada@kota-a.uji", app.config["LOGIN_MAX_FAILURES"] + 1) == [401] * 6
    with app.app_context(), dalam_tenant(k.id):
        assert db.session.scalars(select(Notifikasi)).all() == []
