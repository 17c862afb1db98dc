"""Notices leave the platform through real channels: a local SMTP server and a local WhatsApp webhook."""
import pytest
from sqlalchemy import select

from dinsos.core.db import db
from dinsos.core.outbox import PesanOutbox
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos.notify.services import kirim_notifikasi, simpan_pengaturan
from dinsos_uji.bantuan import buat_staf, buat_tenant
from dinsos_uji.server import port_bebas, server_smtp, server_webhook
from dinsos_workers import jadwal


@pytest.fixture
def kantor(app):
    kantor = buat_tenant(app, "kota-metro")
    staf_id, email = buat_staf(kantor, "pekerja_sosial", email="peksos@metro.uji")
    return kantor, staf_id, email


@pytest.fixture
def smtp(app, monkeypatch):
    with server_smtp() as kotak:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", kotak.port)
        monkeypatch.setitem(app.config, "MAIL_FROM", "notifikasi@dinsos.uji")
        yield kotak


@pytest.fixture
def gerbang_lokal(app, monkeypatch):
    """The test gateways listen on 127.0.0.1, an internal address: the operator allows that host explicitly."""
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")


def _kirim(app, kantor, staf_id, kunci="kasus-1:langkah-2:terlambat", webhook=None, pengirim=None):
    with app.app_context(), dalam_tenant(kantor.id):
        if webhook or pengirim:
            simpan_pengaturan(pengirim, webhook)
        n = kirim_notifikasi(staf_id, "Langkah 2 kasus ABH-1 terlambat",
                             "Batas waktu asesmen awal lewat 1 hari kerja.\nSegera tindak lanjuti.",
                             "/t/kota-metro/kasus/1", kunci=kunci)
        db.session.commit()
        return n.id


def _jalankan_relay(app):
    with app.app_context():
        return jadwal.jalankan_tertanam(jadwal.cari("relay_outbox"))


def _outbox(app):
    with app.app_context(), lintas_tenant("uji", catat=False):
        hasil = {p.jenis: (p.status, p.percobaan, p.galat_terakhir) for p in db.session.scalars(select(PesanOutbox))}
        db.session.rollback()
        return hasil


def test_a_notice_is_emailed_in_the_offices_name_with_a_full_link(app, kantor, smtp):
    kantor, staf_id, email = kantor
    notifikasi_id = _kirim(app, kantor, staf_id)
    assert smtp.surel == []  # nothing is sent while writing: only after the relay
    assert _jalankan_relay(app) == 1
    [terima] = smtp.tunggu(1)
    surel = terima["surel"]
    assert terima["untuk"] == [email]
    assert surel["Subject"] == "Langkah 2 kasus ABH-1 terlambat"
    assert surel["From"].addresses[0].display_name == "Dinas Sosial Kota Metro"
    assert surel["From"].addresses[0].addr_spec == "notifikasi@dinsos.uji"
    assert surel["Message-ID"] == f"<notifikasi-{notifikasi_id}.email@dinsos.uji>"
    badan = surel.get_content()
    assert "Segera tindak lanjuti." in badan and "http://localhost/t/kota-metro/kasus/1" in badan
    assert _outbox(app) == {"notifikasi.email": ("selesai", 1, None)}


def test_the_office_can_name_its_sender(app, kantor, smtp):
    kantor, staf_id, _email = kantor
    _kirim(app, kantor, staf_id, pengirim="Pusat Layanan Dinsos Metro")
    _jalankan_relay(app)
    [terima] = smtp.tunggu(1)
    assert terima["surel"]["From"].addresses[0].display_name == "Pusat Layanan Dinsos Metro"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_uses_the_configured_account(app, kantor, monkeypatch):
    kantor, staf_id, _email = kantor
    with server_smtp(login=("dinsos", "sandi-smtp")) as kotak:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", kotak.port)
        monkeypatch.setitem(app.config, "SMTP_USER", "dinsos")
        monkeypatch.setitem(app.config, "SMTP_PASSWORD", "salah")
        _kirim(app, kantor, staf_id)
        _jalankan_relay(app)
        assert kotak.surel == []
        status, percobaan, galat = _outbox(app)["notifikasi.email"]
        assert (status, percobaan) == ("baru", 1) and "SMTPAuthenticationError" in galat
        monkeypatch.setitem(app.config, "SMTP_PASSWORD", "sandi-smtp")
        with app.app_context(), lintas_tenant("uji", catat=False):  # the backoff has passed
            for p in db.session.scalars(select(PesanOutbox)):
                p.tersedia_pada = p.dibuat_pada
            db.session.commit()
        _jalankan_relay(app)
        assert len(kotak.tunggu(1)) == 1


def test_smtp_down_keeps_the_inbox_notice_and_retries_later(app, kantor, monkeypatch):
    kantor, staf_id, _email = kantor
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port_bebas())  # nothing listens there
    notifikasi_id = _kirim(app, kantor, staf_id)
    assert _jalankan_relay(app) == 1
    status, percobaan, galat = _outbox(app)["notifikasi.email"]
    assert (status, percobaan) == ("baru", 1) and "ConnectionRefusedError" in galat
    assert _jalankan_relay(app) == 0  # backing off, not hammering the server
    from dinsos.notify.models import Notifikasi

    with app.app_context(), dalam_tenant(kantor.id):
        assert db.session.get(Notifikasi, (kantor.id, notifikasi_id)).dibaca_pada is None


def test_whatsapp_gateway_receives_the_notice_as_json(app, kantor, gerbang_lokal):
    kantor, staf_id, email = kantor
    with server_webhook() as gateway:
        notifikasi_id = _kirim(app, kantor, staf_id, webhook=gateway.url)
        assert _outbox(app).keys() == {"notifikasi.whatsapp"}  # no SMTP configured: no e-mail row
        _jalankan_relay(app)
    [terima] = gateway.diterima
    assert terima["path"] == "/kirim?token=rahasia"
    assert terima["headers"]["Content-Type"] == "application/json"
    assert terima["headers"]["Idempotency-Key"] == f"notifikasi-{notifikasi_id}.whatsapp"
    isi = terima["json"]
    assert isi["penerima_email"] == email and isi["penerima_id"] == str(staf_id)
    assert isi["kantor_slug"] == "kota-metro" and isi["judul"] == "Langkah 2 kasus ABH-1 terlambat"
    assert isi["teks"].startswith("*Langkah 2 kasus ABH-1 terlambat*") and isi["tautan"] == "http://localhost/t/kota-metro/kasus/1"
    assert _outbox(app)["notifikasi.whatsapp"][0] == "selesai"


def test_a_failing_gateway_does_not_stop_the_email(app, kantor, smtp, gerbang_lokal):
    kantor, staf_id, _email = kantor
    with server_webhook(status=502) as gateway:
        _kirim(app, kantor, staf_id, webhook=gateway.url)
        _jalankan_relay(app)
        assert len(gateway.diterima) == 1
    assert len(smtp.tunggu(1)) == 1
    hasil = _outbox(app)
    assert hasil["notifikasi.email"][0] == "selesai"
    assert hasil["notifikasi.whatsapp"][:2] == ("baru", 1) and "HTTP 502" in hasil["notifikasi.whatsapp"][2]
