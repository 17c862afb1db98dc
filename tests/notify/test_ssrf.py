"""The office's WhatsApp webhook cannot reach internal addresses (issue 19, item 1): SSRF refused at save and at send.

Real local HTTP servers stand in for what an attacker would aim at (they listen
on 127.0.0.1, like Redis or the metrics page would); the worker's real relay
and channel code run against them.
"""
import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from dinsos.core.db import db
from dinsos.core.outbox import PesanOutbox
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos.core.tujuan_keluar import TujuanDitolak, alamat_terlarang, periksa_url
from dinsos.notify.models import PengaturanNotifikasi
from dinsos.notify.services import kirim_notifikasi
from dinsos_uji.bantuan import buat_staf, buat_tenant, masuk, token_csrf
from dinsos_uji.server import server_webhook
from dinsos_workers import jadwal


@pytest.fixture
def kantor(app):
    kantor = buat_tenant(app, "kota-metro")
    staf_id, _ = buat_staf(kantor, "pekerja_sosial", email="peksos@metro.uji")
    buat_staf(kantor, "admin_tenant", email="admin@metro.uji")
    return kantor, staf_id


def _admin(app):
    klien = app.test_client()
    assert masuk(klien, "kota-metro", "admin@metro.uji").status_code == 302
    return klien


def _simpan_lewat_form(klien, url):
    halaman = klien.get("/t/kota-metro/notifikasi/pengaturan").get_data(as_text=True)
    return klien.post("/t/kota-metro/notifikasi/pengaturan",
                      data={"csrf_token": token_csrf(halaman), "nama_pengirim_email": "", "webhook_whatsapp": url})


def _webhook_tersimpan(app, kantor):
    with app.app_context(), dalam_tenant(kantor.id):
        p = db.session.scalar(select(PengaturanNotifikasi))
        return p and p.webhook_whatsapp


def _simpan_langsung(app, kantor, url):
    """A URL stored before this check existed (or by any other way in): the send-time check must still hold."""
    with app.app_context(), dalam_tenant(kantor.id):
        db.session.add(PengaturanNotifikasi(webhook_whatsapp=url))
        db.session.commit()


def _notifikasi_dan_relay(app, kantor, staf_id):
    with app.app_context(), dalam_tenant(kantor.id):
        kirim_notifikasi(staf_id, "Langkah terlambat", "Segera tindak lanjuti.", "/t/kota-metro/kasus/1", kunci="k-1")
        db.session.commit()
    with app.app_context():
        jadwal.jalankan_tertanam(jadwal.cari("relay_outbox"))
    with app.app_context(), lintas_tenant("uji", catat=False):
        return {p.jenis: (p.status, p.galat_terakhir) for p in db.session.scalars(select(PesanOutbox))}


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
                                "100.64.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "fe80::1",
                                "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "ff02::1", "::"])
def test_internal_and_special_addresses_are_forbidden(ip):
    assert alamat_terlarang(ip)


@pytest.mark.parametrize("ip", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(ip):
    assert not alamat_terlarang(ip)


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379/", "http://localhost/kirim", "http://[::1]/", "http://2130706433/",
                                 "http://0x7f.1/", "http://169.254.169.254/latest/meta-data/", "https://10.0.0.5/x",
                                 "http://[::ffff:7f00:1]/"])
def test_the_save_time_check_refuses_internal_destinations(url):
    with pytest.raises(TujuanDitolak, match="alamat jaringan internal"):
        periksa_url(url, set())


def test_settings_form_refuses_a_loopback_gateway_with_a_clear_message(app, kantor):
    kantor, _ = kantor
    with server_webhook() as sasaran:
        r = _simpan_lewat_form(_admin(app), sasaran.url)
    assert r.status_code == 400
    teks = html.unescape(r.get_data(as_text=True))
    assert "menunjuk ke alamat jaringan internal atau khusus (127.0.0.1)" in teks
    assert _webhook_tersimpan(app, kantor) is None


def test_worker_refuses_to_post_to_127_0_0_1_and_the_admin_sees_why(app, kantor):
    kantor, staf_id = kantor
    with server_webhook() as sasaran:
        _simpan_langsung(app, kantor, sasaran.url)
        hasil = _notifikasi_dan_relay(app, kantor, staf_id)
        assert sasaran.diterima == []  # nothing reached the internal server
    status, galat = hasil["notifikasi.whatsapp"]
    assert status == "baru" and "127.0.0.1" in galat and "internal" in galat
    halaman = html.unescape(_admin(app).get("/t/kota-metro/notifikasi/pengaturan").get_data(as_text=True))
    bagian = halaman[halaman.index('id="gagal-kirim"'):]
    assert "Pengiriman yang gagal" in bagian and "menunjuk ke alamat jaringan internal" in bagian
    assert "WhatsApp" in bagian and "token=rahasia" not in bagian  # the failure never shows the gateway's token


def test_an_allowed_gateway_host_is_saved_and_receives(app, kantor, monkeypatch):
    kantor, staf_id = kantor
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "gateway.internal, 127.0.0.1")
    with server_webhook() as gateway:
        assert _simpan_lewat_form(_admin(app), gateway.url).status_code == 302
        hasil = _notifikasi_dan_relay(app, kantor, staf_id)
        assert len(gateway.diterima) == 1 and gateway.diterima[0]["path"] == "/kirim?token=rahasia"
    assert hasil["notifikasi.whatsapp"][0] == "selesai"
    assert "Tidak ada pengiriman yang gagal" in _admin(app).get("/t/kota-metro/notifikasi/pengaturan").get_data(as_text=True)


def test_with_an_allow_list_other_hosts_are_refused_at_save_and_at_send(app, kantor, monkeypatch):
    kantor, staf_id = kantor
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    with server_webhook() as gateway:
        lain = gateway.url.replace("127.0.0.1", "localhost")  # the same server, under a name not on the list
        r = _simpan_lewat_form(_admin(app), lain)
        assert r.status_code == 400 and "daftar gateway yang diizinkan" in r.get_data(as_text=True)
        _simpan_langsung(app, kantor, lain)
        hasil = _notifikasi_dan_relay(app, kantor, staf_id)
        assert gateway.diterima == []
    assert "daftar gateway yang diizinkan" in hasil["notifikasi.whatsapp"][1]


@pytest.fixture
def pengalih():
    """A server answering every POST with a redirect to ``tujuan`` (set by the test)."""
    class Penangan(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(307)
            self.send_header("Location", server.tujuan)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Penangan)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_redirect_from_an_allowed_gateway_is_not_followed(app, kantor, monkeypatch, pengalih):
    kantor, staf_id = kantor
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    with server_webhook() as internal:
        pengalih.tujuan = internal.url
        _simpan_langsung(app, kantor, f"http://127.0.0.1:{pengalih.server_address[1]}/kirim")
        hasil = _notifikasi_dan_relay(app, kantor, staf_id)
        assert internal.diterima == []
    assert "HTTP 307" in hasil["notifikasi.whatsapp"][1] and "redirect" in hasil["notifikasi.whatsapp"][1]
