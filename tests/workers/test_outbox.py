"""The transactional outbox: written with the business change, published by the relay, consumed once."""
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from dinsos.audit.models import CatatanAudit
from dinsos.auth.models import Pengguna
from dinsos.auth.services import buat_pengguna
from dinsos.core import outbox
from dinsos.core.db import db
from dinsos.core.outbox import MAKS_PERCOBAAN, PENGOLAH_OUTBOX, PesanOutbox, proses_pesan, relay, tulis_outbox
from dinsos.core.tenant import TenantTidakTerikat, dalam_tenant, lintas_tenant, tenant_aktif
from dinsos_uji.bantuan import buat_tenant
from dinsos_workers import jadwal
from dinsos_workers.tertanam import PenjadwalTertanam

DIPANGGIL: list = []  # (bound tenant, muatan) per processor run


def _catat(muatan):
    DIPANGGIL.append((tenant_aktif(), muatan))
    if muatan.get("jeda"):
        time.sleep(muatan["jeda"])


def _berantai(muatan):
    """Writes to the database: the write must commit with the message's completion."""
    tulis_outbox("uji.catat", {"dari": muatan["n"]}, kunci=f"akibat-{muatan['n']}")


def _gagal(muatan):
    DIPANGGIL.append((tenant_aktif(), muatan))
    tulis_outbox("uji.catat", {}, kunci=f"akibat-{muatan['n']}")  # rolled back with the failed attempt
    raise ConnectionRefusedError("gateway menolak")


# The test kinds' processors, registered like a capability's in its set-up.
PENGOLAH_OUTBOX.daftar("uji.catat", _catat)
PENGOLAH_OUTBOX.daftar("uji.berantai", _berantai)
PENGOLAH_OUTBOX.daftar("uji.gagal", _gagal)


@pytest.fixture(autouse=True)
def _kosongkan_catatan():
    DIPANGGIL.clear()


@pytest.fixture
def kantor(app):
    return buat_tenant(app, "kota-a"), buat_tenant(app, "kota-b")


def _tulis(app, tenant_id, jenis="uji.catat", muatan=None, kunci=None):
    with app.app_context(), dalam_tenant(tenant_id):
        pesan = tulis_outbox(jenis, muatan or {}, kunci)
        db.session.commit()
        return pesan.id


def _baris(app, tenant_id=None, **saring):
    with app.app_context(), lintas_tenant("uji", catat=False):
        q = select(PesanOutbox).where(*(getattr(PesanOutbox, k) == v for k, v in saring.items()))
        if tenant_id is not None:
            q = q.where(PesanOutbox.tenant_id == tenant_id)
        baris = db.session.scalars(q.order_by(PesanOutbox.dibuat_pada)).all()
        hasil = [{k: getattr(b, k) for k in ("id", "tenant_id", "jenis", "kunci", "muatan", "status", "percobaan",
                                               "tersedia_pada", "dikirim_pada", "selesai_pada", "galat_terakhir")} for b in baris]
        db.session.rollback()
        return hasil


def _relay(app, **kw):
    diterbitkan = []
    with app.app_context():
        jumlah = relay(lambda t, p: diterbitkan.append((t, p)), **kw)
    assert jumlah == len(diterbitkan)
    return diterbitkan


def _proses(app, tenant_id, pesan_id):
    with app.app_context():
        return proses_pesan(tenant_id, pesan_id)


# --- writing --------------------------------------------------------------


def test_the_same_key_twice_is_one_message_per_office(app, kantor):
    a, b = kantor
    pertama = _tulis(app, a.id, muatan={"n": 1}, kunci="kasus-1:peringatan")
    kedua = _tulis(app, a.id, muatan={"n": 2}, kunci="kasus-1:peringatan")
    milik_b = _tulis(app, b.id, muatan={"n": 3}, kunci="kasus-1:peringatan")
    assert pertama == kedua != milik_b
    baris = _baris(app, a.id)
    assert len(baris) == 1 and baris[0]["muatan"] == {"n": 1}
    assert len(_baris(app, b.id)) == 1


def test_a_message_without_key_gets_its_own(app, kantor):
    a, _b = kantor
    assert _tulis(app, a.id) != _tulis(app, a.id)
    assert len(_baris(app, a.id)) == 2


def test_a_rolled_back_business_change_leaves_no_message(app, kantor):
    a, _b = kantor
    with app.app_context(), dalam_tenant(a.id):
        buat_pengguna("staf@a.uji", "Staf", ["petugas_pelayanan"], "rahasia-uji-123")
        tulis_outbox("uji.catat", {"pengguna": "staf@a.uji"}, kunci="sambutan:staf@a.uji")
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Pengguna)) == 0
    assert _baris(app) == []
    with app.app_context(), dalam_tenant(a.id):
        buat_pengguna("staf@a.uji", "Staf", ["petugas_pelayanan"], "rahasia-uji-123")
        tulis_outbox("uji.catat", {"pengguna": "staf@a.uji"}, kunci="sambutan:staf@a.uji")
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Pengguna)) == 1
    assert [b["kunci"] for b in _baris(app)] == ["sambutan:staf@a.uji"]


def test_writing_needs_a_bound_office(app, kantor):
    with app.app_context(), pytest.raises(TenantTidakTerikat):
        tulis_outbox("uji.catat", {})


# --- consuming ------------------------------------------------------------


def test_the_handler_runs_once_bound_to_the_rows_office(app, kantor):
    _a, b = kantor
    pesan_id = _tulis(app, b.id, muatan={"n": 7})
    assert _proses(app, b.id, pesan_id) == "selesai"
    assert _proses(app, b.id, pesan_id) == "selesai"
    assert DIPANGGIL == [(b.id, {"n": 7})]
    [baris] = _baris(app)
    assert baris["status"] == "selesai" and baris["selesai_pada"] is not None and baris["percobaan"] == 1


def test_the_handlers_writes_commit_with_its_completion(app, kantor):
    a, _b = kantor
    pesan_id = _tulis(app, a.id, "uji.berantai", {"n": 1})
    kunci = _baris(app, id=pesan_id)[0]["kunci"]
    assert _proses(app, a.id, pesan_id) == "selesai"
    assert {b["kunci"]: b["status"] for b in _baris(app)} == {kunci: "selesai", "akibat-1": "baru"}


def test_a_failed_attempt_rolls_back_and_backs_off_exponentially_until_gagal(app, kantor, monkeypatch):
    a, _b = kantor
    pukul = datetime(2026, 5, 4, 3, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(outbox, "sekarang", lambda: pukul)
    pesan_id = _tulis(app, a.id, "uji.gagal", {"n": 1})
    jeda = []
    for percobaan in range(1, MAKS_PERCOBAAN + 1):
        status = _proses(app, a.id, pesan_id)
        [baris] = _baris(app, id=pesan_id)
        assert baris["percobaan"] == percobaan
        assert baris["galat_terakhir"] == "ConnectionRefusedError: gateway menolak"
        if percobaan < MAKS_PERCOBAAN:
            assert status == baris["status"] == "baru"
            jeda.append((baris["tersedia_pada"] - pukul) / timedelta(minutes=1))
    assert jeda == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert status == baris["status"] == "gagal"
    assert len(DIPANGGIL) == MAKS_PERCOBAAN
    assert _proses(app, a.id, pesan_id) == "gagal" and len(DIPANGGIL) == MAKS_PERCOBAAN  # given up: not run again
    assert [b["kunci"] for b in _baris(app)] == [baris["kunci"]]  # the failed attempts' own writes are gone
    with app.app_context(), dalam_tenant(a.id):
        assert db.session.scalar(select(CatatanAudit.objek_id).where(CatatanAudit.tindakan == "outbox_gagal")) == str(pesan_id)


def test_a_kind_without_handler_is_kept_and_retried(app, kantor):
    a, _b = kantor
    pesan_id = _tulis(app, a.id, "uji.tak_dikenal", {})
    assert _proses(app, a.id, pesan_id) == "baru"
    [baris] = _baris(app)
    assert baris["percobaan"] == 1 and "uji.tak_dikenal" in baris["galat_terakhir"]


# --- relaying -------------------------------------------------------------


def test_the_relay_publishes_due_messages_of_every_office_and_audits_them(app, kantor):
    a, b = kantor
    milik_a, milik_b = _tulis(app, a.id), _tulis(app, b.id)
    sekarang = datetime.now(timezone.utc)
    assert _relay(app, pada=sekarang - timedelta(minutes=1)) == []  # not yet available
    assert sorted(_relay(app)) == sorted([(a.id, milik_a), (b.id, milik_b)])
    assert {b["status"] for b in _baris(app)} == {"dikirim"}
    assert _relay(app) == []  # published and not overdue: left alone
    with app.app_context(), lintas_tenant("uji", catat=False):
        audit = db.session.execute(select(CatatanAudit.tenant_id, CatatanAudit.objek_id).where(CatatanAudit.tindakan == "outbox_diterbitkan")).all()
    assert sorted(audit) == sorted([(a.id, str(milik_a)), (b.id, str(milik_b))])


def test_a_published_message_not_finished_in_time_is_published_again(app, kantor):
    a, _b = kantor
    pesan_id = _tulis(app, a.id)
    assert _relay(app) == [(a.id, pesan_id)]
    nanti = datetime.now(timezone.utc) + outbox.KIRIM_ULANG_SETELAH + timedelta(seconds=1)
    assert _relay(app, pada=nanti) == [(a.id, pesan_id)]  # the task was lost: publish again
    _proses(app, a.id, pesan_id)
    assert _relay(app, pada=nanti + timedelta(days=1)) == []  # finished rows are never published again


def test_the_relay_takes_at_most_batas_rows_oldest_first(app, kantor):
    a, _b = kantor
    ids = [_tulis(app, a.id) for _ in range(5)]
    assert [p for _t, p in _relay(app, batas=2)] == ids[:2]
    assert [p for _t, p in _relay(app, batas=10)] == ids[2:]


def test_when_publishing_fails_the_row_stays_due_and_the_relay_stops(app, kantor):
    a, _b = kantor
    ids = [_tulis(app, a.id) for _ in range(3)]
    terbit = []

    def broker_putus_setelah_satu(tenant_id, pesan_id):
        if terbit:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
        terbit.append(pesan_id)

    with app.app_context():
        assert relay(broker_putus_setelah_satu) == 1
    status = {b["id"]: (b["status"], b["dikirim_pada"]) for b in _baris(app)}
    assert status[ids[0]][0] == "dikirim"
    assert status[ids[1]] == status[ids[2]] == ("baru", None)
    assert [p for _t, p in _relay(app)] == ids[1:]


def test_the_relay_job_drains_every_due_batch(app, kantor):
    a, _b = kantor
    ids = [_tulis(app, a.id) for _ in range(7)]
    diterbitkan = []
    with app.app_context():
        assert outbox.relay_semua(lambda t, p: diterbitkan.append(p), batas=3) == 7
    assert diterbitkan == ids


def test_the_relay_job_stops_when_its_time_is_up(app, kantor):
    a, _b = kantor
    for _ in range(7):
        _tulis(app, a.id)
    with app.app_context():
        assert outbox.relay_semua(lambda t, p: None, batas=3, waktu_maks=0) == 3


def test_embedded_runner_processes_what_the_relay_published(app, kantor):
    a, _b = kantor
    pesan_id = _tulis(app, a.id, muatan={"n": 1})
    PenjadwalTertanam(app, tugas=[jadwal.cari("relay_outbox")]).jalankan_sekali(0.0)
    assert DIPANGGIL == [(a.id, {"n": 1})]
    assert _baris(app, id=pesan_id)[0]["status"] == "selesai"


# --- PostgreSQL: concurrency and the index ----------------------------------


@pytest.mark.postgres
def test_two_relays_at_once_publish_each_row_once(app, kantor):
    a, b = kantor
    ids = {_tulis(app, k.id) for k in (a, b) for _ in range(30)}
    terbit, galat = [], []
    mulai = threading.Barrier(2)

    def lambat(tenant_id, pesan_id):
        time.sleep(0.005)
        terbit.append(pesan_id)

    def kerja():
        try:
            mulai.wait()
            with app.app_context():
                while relay(lambat, batas=7):
                    pass
        except Exception as e:  # collected and asserted below
            galat.append(e)

    benang = [threading.Thread(target=kerja) for _ in range(2)]
    for t in benang:
        t.start()
    for t in benang:
        t.join(30)
    assert not galat
    assert len(terbit) == len(ids) and set(terbit) == ids


@pytest.mark.postgres
def test_a_relay_skips_rows_another_relay_holds_instead_of_waiting(app, kantor):
    a, _b = kantor
    pertama, kedua = _tulis(app, a.id), _tulis(app, a.id)
    memegang, lepas = threading.Event(), threading.Event()
    terbit_b = []

    def tahan(tenant_id, pesan_id):
        memegang.set()
        lepas.wait(10)

    def relay_a():
        with app.app_context():
            relay(tahan, batas=1)

    def relay_b():
        with app.app_context():
            relay(lambda t, p: terbit_b.append(p))

    a_jalan = threading.Thread(target=relay_a)
    a_jalan.start()
    try:
        assert memegang.wait(10)
        b_jalan = threading.Thread(target=relay_b)
        b_jalan.start()
        b_jalan.join(5)
        assert not b_jalan.is_alive(), "the second relay waited for the first one's lock"
        assert terbit_b == [kedua]
    finally:
        lepas.set()
        a_jalan.join(10)
    assert _baris(app, id=pertama)[0]["status"] == "dikirim"


@pytest.mark.postgres
def test_two_deliveries_of_one_message_run_the_handler_once(app, kantor):
    a, _b = kantor
    pesan_id = _tulis(app, a.id, muatan={"jeda": 0.3})
    hasil, mulai = [], threading.Barrier(2)

    def kerja():
        mulai.wait()
        hasil.append(_proses(app, a.id, pesan_id))

    benang = [threading.Thread(target=kerja) for _ in range(2)]
    for t in benang:
        t.start()
    for t in benang:
        t.join(30)
    assert hasil == ["selesai", "selesai"]
    assert len(DIPANGGIL) == 1


@pytest.mark.postgres
@pytest.mark.bukan_citus("a plan of one PostgreSQL: on Citus the statement fans out to 32 shards, each planned on its "
                         "worker from its own statistics (the one shown is an empty shard, read by a seq scan)")
def test_the_relay_reads_only_waiting_rows_through_its_partial_index(app, kantor, mesin_pemilik):
    a, _b = kantor
    with mesin_pemilik.begin() as c:
        c.execute(
            text("INSERT INTO pesan_outbox (tenant_id, id, jenis, kunci, muatan, status, percobaan, tersedia_pada, dibuat_pada)"
                 " SELECT :t, gen_random_uuid(), 'uji.catat', 'lama-' || g, '{}', 'selesai', 1, now(), now()"
                 " FROM generate_series(1, 20000) g"),
            {"t": a.id},
        )
        c.execute(text("ANALYZE pesan_outbox"))
    for _ in range(5):
        _tulis(app, a.id)
    with app.app_context():
        perintah = outbox.pilih_jatuh_tempo(datetime.now(timezone.utc), 100).compile(
            db.engine, compile_kwargs={"literal_binds": True})
    with mesin_pemilik.connect() as c:
        rencana = "\n".join(r[0] for r in c.execute(text(f"EXPLAIN {perintah}")))
    assert "ix_pesan_outbox_menunggu" in rencana, rencana
    assert len(_relay(app)) == 5
