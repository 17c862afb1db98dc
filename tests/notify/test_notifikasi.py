"""The inbox: notices written with the business change, once per key; read, mark read; office settings."""
import uuid

import pytest
from sqlalchemy import func, select

from dinsos.core.db import db
from dinsos.core.outbox import PesanOutbox
from dinsos.core.tenant import dalam_tenant
from dinsos.notify.models import Notifikasi, PengaturanNotifikasi
from dinsos.notify.services import KesalahanNotifikasi, kirim_notifikasi
from dinsos_uji.bantuan import buat_staf, buat_tenant, masuk, token_csrf


@pytest.fixture
def kantor(app):
    return buat_tenant(app, "kota-metro")


@pytest.fixture
def staf_peksos(kantor):
    return buat_staf(kantor, "pekerja_sosial")


@pytest.fixture
def staf_kabid(kantor):
    return buat_staf(kantor, "kepala_bidang")


def _kirim(app, kantor, penerima_id, kunci, **lain):
    with app.app_context(), dalam_tenant(kantor.id):
        n = kirim_notifikasi(penerima_id, lain.pop("judul", f"Notifikasi {kunci}"), lain.pop("isi", "Isi."),
                             lain.pop("tautan", None), kunci=kunci)
        db.session.commit()
        return n.id


def _hitung(app, kantor, model, *syarat):
    with app.app_context(), dalam_tenant(kantor.id):
        return db.session.scalar(select(func.count()).select_from(model).where(*syarat))


# --- writing --------------------------------------------------------------


def test_the_same_key_never_makes_a_second_notice_or_email(app, kantor, staf_peksos, monkeypatch):
    peksos, _e = staf_peksos
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    pertama = _kirim(app, kantor, peksos, "kasus-1:langkah-2:peringatan")
    kedua = _kirim(app, kantor, peksos, "kasus-1:langkah-2:peringatan", judul="Judul lain")
    assert pertama == kedua
    assert _hitung(app, kantor, Notifikasi) == 1
    with app.app_context(), dalam_tenant(kantor.id):
        assert db.session.scalars(select(PesanOutbox.kunci)).all() == [f"notifikasi:{pertama}:email"]


def test_external_channels_follow_configuration(app, kantor, staf_peksos, monkeypatch):
    peksos, _e = staf_peksos
    _kirim(app, kantor, peksos, "tanpa-kanal")
    assert _hitung(app, kantor, PesanOutbox) == 0  # no SMTP, no gateway: the inbox only
    with app.app_context(), dalam_tenant(kantor.id):
        db.session.add(PengaturanNotifikasi(webhook_whatsapp="https://wa.example/kirim"))
        db.session.commit()
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example")
    n = _kirim(app, kantor, peksos, "dua-kanal")
    with app.app_context(), dalam_tenant(kantor.id):
        assert sorted(db.session.scalars(select(PesanOutbox.jenis))) == ["notifikasi.email", "notifikasi.whatsapp"]
        assert {p.muatan["notifikasi_id"] for p in db.session.scalars(select(PesanOutbox))} == {str(n)}


def test_a_rolled_back_change_leaves_neither_notice_nor_outbox_row(app, kantor, staf_peksos, monkeypatch):
    peksos, _e = staf_peksos
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example")
    with app.app_context(), dalam_tenant(kantor.id):
        kirim_notifikasi(peksos, "Kasus baru", "", kunci="kasus-9:baru")
        db.session.rollback()
    assert _hitung(app, kantor, Notifikasi) == 0 and _hitung(app, kantor, PesanOutbox) == 0


@pytest.mark.parametrize(
    "penerima, judul, tautan, kunci, pesan",
    [
        ("bukan-uuid", "Judul", None, "k", "bukan pengenal yang sah"),
        (uuid.uuid4(), "Judul", None, "k", "tidak ada di kantor ini"),
        (None, "  \n ", None, "k", "Judul notifikasi wajib diisi"),
        (None, "x" * 301, None, "k", "terlalu panjang"),
        (None, "Judul", "https://phishing.example/masuk", "k", "alamat di dalam platform"),
        (None, "Judul", "//phishing.example", "k", "alamat di dalam platform"),
        (None, "Judul", None, "", "Kunci notifikasi wajib diisi"),
    ],
)
def test_bad_notices_are_refused_with_a_clear_message(app, kantor, staf_peksos, penerima, judul, tautan, kunci, pesan):
    peksos, _e = staf_peksos
    with app.app_context(), dalam_tenant(kantor.id):
        with pytest.raises(KesalahanNotifikasi, match=pesan):
            kirim_notifikasi(penerima or peksos, judul, "", tautan, kunci=kunci)
        db.session.rollback()


def test_a_staff_member_of_another_office_cannot_be_notified(app, kantor):
    lain = buat_tenant(app, "kota-lain")
    orang_lain, _e = buat_staf(lain, "pekerja_sosial")
    with app.app_context(), dalam_tenant(kantor.id), pytest.raises(KesalahanNotifikasi, match="tidak ada di kantor ini"):
        kirim_notifikasi(orang_lain, "Judul", "", kunci="k")


def test_a_multi_line_title_becomes_one_line(app, kantor, staf_peksos):
    peksos, _e = staf_peksos
    n = _kirim(app, kantor, peksos, "k", judul="Kasus ABH-1\r\nBcc: orang@luar")
    with app.app_context(), dalam_tenant(kantor.id):
        assert db.session.get(Notifikasi, (kantor.id, n)).judul == "Kasus ABH-1 Bcc: orang@luar"


# --- pages ----------------------------------------------------------------


def test_the_inbox_shows_only_ones_own_notices_and_the_unread_count(app, klien, kantor, staf_peksos, staf_kabid):
    (peksos, email), (kabid, _e) = staf_peksos, staf_kabid
    _kirim(app, kantor, peksos, "a", judul="Asesmen awal jatuh tempo besok")
    _kirim(app, kantor, peksos, "b", judul="Kasus dialihkan kepada Anda", isi="Baris satu\nBaris dua <b>")
    _kirim(app, kantor, kabid, "c", judul="Eskalasi untuk kepala bidang")
    masuk(klien, "kota-metro", email)
    halaman = klien.get("/t/kota-metro/notifikasi/").get_data(as_text=True)
    assert "Asesmen awal jatuh tempo besok" in halaman and "Kasus dialihkan kepada Anda" in halaman
    assert "Eskalasi untuk kepala bidang" not in halaman
    assert "Baris satu<br>Baris dua &lt;b&gt;" in halaman
    dasbor = klien.get("/t/kota-metro/dasbor").get_data(as_text=True)
    assert 'Notifikasi <span class="lencana" title="2 belum dibaca"><span aria-hidden="true">2</span>' in dasbor


def test_marking_one_read_and_following_its_link(app, klien, kantor, staf_peksos):
    peksos, email = staf_peksos
    n = _kirim(app, kantor, peksos, "a", tautan="/t/kota-metro/kasus/1")
    _kirim(app, kantor, peksos, "b")
    masuk(klien, "kota-metro", email)
    token = token_csrf(klien.get("/t/kota-metro/notifikasi/").get_data(as_text=True))
    r = klien.post(f"/t/kota-metro/notifikasi/{n}/baca", data={"csrf_token": token, "buka": "1"})
    assert r.status_code == 302 and r.headers["Location"] == "/t/kota-metro/kasus/1"
    assert _hitung(app, kantor, Notifikasi, Notifikasi.dibaca_pada.is_(None)) == 1
    dasbor = klien.get("/t/kota-metro/dasbor").get_data(as_text=True)
    assert 'title="1 belum dibaca"' in dasbor


def test_marking_all_read_clears_the_count(app, klien, kantor, staf_peksos, staf_kabid):
    (peksos, email), (kabid, _e) = staf_peksos, staf_kabid
    for k in ("a", "b", "c"):
        _kirim(app, kantor, peksos, k)
    _kirim(app, kantor, kabid, "d")
    masuk(klien, "kota-metro", email)
    token = token_csrf(klien.get("/t/kota-metro/notifikasi/").get_data(as_text=True))
    r = klien.post("/t/kota-metro/notifikasi/baca-semua", data={"csrf_token": token}, follow_redirects=True)
    halaman = r.get_data(as_text=True)
    assert "3 notifikasi ditandai sudah dibaca." in halaman and 'class="lencana" title=' not in halaman
    assert _hitung(app, kantor, Notifikasi, Notifikasi.dibaca_pada.is_(None)) == 1  # the kepala bidang's is untouched


def test_someone_elses_notice_cannot_be_marked(app, klien, kantor, staf_peksos, staf_kabid):
    (_peksos, email), (kabid, _e) = staf_peksos, staf_kabid
    milik_kabid = _kirim(app, kantor, kabid, "c")
    masuk(klien, "kota-metro", email)
    token = token_csrf(klien.get("/t/kota-metro/notifikasi/").get_data(as_text=True))
    r = klien.post(f"/t/kota-metro/notifikasi/{milik_kabid}/baca", data={"csrf_token": token})
    assert r.status_code == 404 and "tidak ada di kotak masuk Anda" in r.get_data(as_text=True)
    assert _hitung(app, kantor, Notifikasi, Notifikasi.dibaca_pada.is_(None)) == 1


def test_marking_without_csrf_token_is_refused(app, klien, kantor, staf_peksos):
    peksos, email = staf_peksos
    n = _kirim(app, kantor, peksos, "a")
    masuk(klien, "kota-metro", email)
    assert klien.post(f"/t/kota-metro/notifikasi/{n}/baca").status_code == 400
    assert _hitung(app, kantor, Notifikasi, Notifikasi.dibaca_pada.is_(None)) == 1


def test_the_inbox_needs_a_login(app, klien, kantor):
    r = klien.get("/t/kota-metro/notifikasi/")
    assert r.status_code == 302 and "/t/kota-metro/masuk" in r.headers["Location"]


def test_the_office_admin_sets_the_whatsapp_gateway(app, klien, kantor):
    _admin, email = buat_staf(kantor, "admin_tenant")
    masuk(klien, "kota-metro", email)
    token = token_csrf(klien.get("/t/kota-metro/notifikasi/pengaturan").get_data(as_text=True))
    r = klien.post("/t/kota-metro/notifikasi/pengaturan",
                   data={"csrf_token": token, "webhook_whatsapp": "javascript:alert(1)", "nama_pengirim_email": ""})
    assert r.status_code == 400 and "harus URL lengkap yang diawali http:// atau https://" in r.get_data(as_text=True)
    r = klien.post("/t/kota-metro/notifikasi/pengaturan",
                   data={"csrf_token": token, "webhook_whatsapp": "https://wa.example/kirim?token=x", "nama_pengirim_email": "Dinsos Metro"})
    assert r.status_code == 302
    with app.app_context(), dalam_tenant(kantor.id):
        p = db.session.scalar(select(PengaturanNotifikasi))
        assert (p.webhook_whatsapp, p.nama_pengirim_email) == ("https://wa.example/kirim?token=x", "Dinsos Metro")
    assert 'value="https://wa.example/kirim?token=x"' in klien.get("/t/kota-metro/notifikasi/pengaturan").get_data(as_text=True)


def test_only_the_office_admin_may_change_notification_settings(app, klien, kantor, staf_peksos):
    _peksos, email = staf_peksos
    masuk(klien, "kota-metro", email)
    assert klien.get("/t/kota-metro/notifikasi/pengaturan").status_code == 403


def test_the_inbox_speaks_english_on_request(app, klien, kantor, staf_peksos):
    peksos, email = staf_peksos
    _kirim(app, kantor, peksos, "a")
    masuk(klien, "kota-metro", email)
    halaman = klien.get("/t/kota-metro/notifikasi/?lang=en").get_data(as_text=True)
    assert "1 unread notification." in halaman and "Mark as read" in halaman
    assert 'Notifications <span class="lencana" title="1 unread">' in halaman


# --- superseded notices, paging --------------------------------------------


def test_a_superseded_notice_stops_asking_and_says_why(app, klien, kantor, staf_peksos, staf_kabid, monkeypatch):
    from dinsos.notify.kanal import kirim_email
    from dinsos.notify.services import usangkan

    (peksos, email), (kabid, _e) = staf_peksos, staf_kabid
    with app.app_context(), dalam_tenant(kantor.id):
        lama = kirim_notifikasi(peksos, "Giliran Anda: Asesmen", "Isi.", kunci="g1", kelompok="langkah:k1:asesmen").id
        kirim_notifikasi(kabid, "Giliran Anda: Asesmen", "Isi.", kunci="g2", kelompok="langkah:k1:asesmen")
        kirim_notifikasi(peksos, "Lain", "Isi.", kunci="g3", kelompok="langkah:k1:laporan")
        assert usangkan("langkah:k1:asesmen", "Sudah ditugaskan kepada Kabid.", kecuali_penerima=kabid) == 1
        assert usangkan("langkah:k1:asesmen", "lagi", kecuali_penerima=kabid) == 0  # once
        db.session.commit()
    masuk(klien, "kota-metro", email)
    halaman = klien.get("/t/kota-metro/notifikasi/").get_data(as_text=True)
    assert "1 notifikasi belum dibaca." in halaman  # the superseded one no longer counts
    blok = halaman[halaman.index(f'id="notifikasi-{lama}"'):]
    blok = blok[:blok.index("</li>")]
    assert "notifikasi-usang" in blok and "Tidak perlu ditindaklanjuti lagi" in blok and "Sudah ditugaskan kepada Kabid." in blok
    assert _hitung(app, kantor, Notifikasi, Notifikasi.usang_pada.is_(None)) == 2
    # Not yet e-mailed when it was superseded: it is not sent at all (a wrong "your turn" is worse than none).
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.invalid")
    with app.app_context(), dalam_tenant(kantor.id):
        kirim_email({"notifikasi_id": str(lama)})  # returns without connecting anywhere


def test_the_inbox_is_paged_newest_first(app, klien, kantor, staf_peksos, monkeypatch):
    from dinsos.notify import views

    monkeypatch.setattr(views, "PER_HALAMAN", 2)
    peksos, email = staf_peksos
    for i in range(5):
        _kirim(app, kantor, peksos, f"p{i}", judul=f"Notifikasi nomor {i}")
    masuk(klien, "kota-metro", email)
    satu = klien.get("/t/kota-metro/notifikasi/").get_data(as_text=True)
    dua = klien.get("/t/kota-metro/notifikasi/?halaman=2").get_data(as_text=True)
    tiga = klien.get("/t/kota-metro/notifikasi/?halaman=3").get_data(as_text=True)
    terlihat = [sorted(set(__import__("re").findall(r"Notifikasi nomor (\d)", h))) for h in (satu, dua, tiga)]
    assert sum(len(t) for t in terlihat) == 5, terlihat
    assert len(set(sum(terlihat, []))) == 5  # each once, none lost
    assert [len(t) for t in terlihat] == [2, 2, 1]
    assert 'rel="next"' in satu and 'rel="prev"' not in satu and "Halaman 1" in satu
    assert 'rel="prev"' in tiga and 'rel="next"' not in tiga


def test_the_inbox_filters_by_kind_and_by_what_still_asks_for_action(app, klien, kantor, staf_peksos, monkeypatch):
    from dinsos.notify import views
    from dinsos.notify.services import usangkan

    monkeypatch.setattr(views, "PER_HALAMAN", 1)
    peksos, email = staf_peksos
    _kirim(app, kantor, peksos, f"giliran:k1:1:{peksos}", judul="Giliran Anda: Asesmen")
    _kirim(app, kantor, peksos, f"tenggat:t1:1:peringatan:{peksos}", judul="Segera jatuh tempo: Asesmen")
    _kirim(app, kantor, peksos, f"tenggat:t2:1:terlambat:{peksos}", judul="Lewat batas waktu: Laporan sosial")
    _kirim(app, kantor, peksos, f"rujukan-masuk:m1:sampai:{peksos}", judul="Rujukan RJK-0001 menunggu tanggapan")
    with app.app_context(), dalam_tenant(kantor.id):
        db.session.execute(Notifikasi.__table__.update().where(Notifikasi.kunci.like("tenggat:t1:%")).values(kelompok="tenggat:t1"))
        usangkan("tenggat:t1", "Tenggat ini sudah dipenuhi.")
        db.session.commit()
    masuk(klien, "kota-metro", email)

    def judul(url):
        r = klien.get(url)
        assert r.status_code == 200, url
        teks = r.get_data(as_text=True)
        return [j for j in ("Giliran Anda", "Segera jatuh tempo", "Lewat batas waktu", "RJK-0001") if j in teks], teks

    assert judul("/t/kota-metro/notifikasi/?jenis=rujukan")[0] == ["RJK-0001"]
    # Two deadline notices, one a page: the next page keeps the filter.
    satu, teks = judul("/t/kota-metro/notifikasi/?jenis=tenggat")
    assert satu == ["Lewat batas waktu"] and "jenis=tenggat" in teks and 'rel="next"' in teks
    assert judul("/t/kota-metro/notifikasi/?jenis=tenggat&halaman=2")[0] == ["Segera jatuh tempo"]
    # What still asks for action: the met deadline's notice drops out.
    assert judul("/t/kota-metro/notifikasi/?jenis=tenggat&perlu=1")[0] == ["Lewat batas waktu"]
    kosong = judul("/t/kota-metro/notifikasi/?jenis=akun")[1]
    assert "Tidak ada notifikasi yang cocok dengan saringan ini." in kosong
    r = klien.get("/t/kota-metro/notifikasi/?jenis=lain")
    assert r.status_code == 400 and "Jenis notifikasi &#39;lain&#39; tidak dikenal; pilih giliran" in r.get_data(as_text=True)
    assert "Turns and assignments" in klien.get("/t/kota-metro/notifikasi/?lang=en").get_data(as_text=True)
