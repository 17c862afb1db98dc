"""Referrals through a real Redis and a real Celery worker: delivered once whatever happens to the worker or the broker.

The worker runs as a subprocess against the test database as the app role
(row-level security applies), on the Redis database named by REDIS_URL
(flushed before and after). Every wait is bounded; every process is killed
in ``finally``.
"""
import functools
import os
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import redis
from sqlalchemy import select
from sqlalchemy.engine import make_url

from alat_kasus import akun, di_kantor, klien_masuk
from alat_kasus import kasus as muat_kasus
from alat_rujukan import DOKUMEN_BANTEN, kasus_magetan, rujuk_ke_banten, rujukan, semua_masuk, tanggapi
from bantuan import token_csrf
from dinsos.cases import services as kasus_svc
from dinsos.core import outbox
from dinsos.core.db import db
from dinsos.core.outbox import PesanOutbox, relay
from dinsos.core.tenant import lintas_tenant

from pekerja_uji import Proses, tunggu

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
BATAS = 30.0
ULANG = 3


_tunggu = functools.partial(tunggu, batas=BATAS)


@pytest.fixture
def broker():
    url = os.environ["REDIS_URL"]
    r = redis.Redis.from_url(url)
    r.flushdb()
    yield url
    r.flushdb()


@pytest.fixture
def penerbit(app, broker, monkeypatch):
    """The product's Celery publisher, bound to the test broker."""
    from dinsos_workers.celery_app import ikat
    from dinsos_workers.tugas import terbitkan_ke_antrean

    monkeypatch.setitem(app.config, "REDIS_URL", broker)
    ikat(app)
    yield terbitkan_ke_antrean
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    ikat(app)


@pytest.fixture
def proses(app, broker, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DINSOS_", "DATABASE_URL", "REDIS_URL", "UJI_"))}
    env.update(
        PYTHONPATH=os.pathsep.join(str(p) for p in (ROOT / "platform", ROOT / "workers", Path(__file__).parent)),
        DATABASE_URL=app.config["DATABASE_URL"],  # the app role: row-level security applies in the worker too
        DINSOS_INSTANCE_PATH=app.instance_path,
        DINSOS_SECRET_KEY="uji-rahasia",
        DINSOS_ENCRYPTION_KEYS=app.config["ENCRYPTION_KEYS"],
        DINSOS_UPLOAD_DIR=app.config["UPLOAD_DIR"],
        DINSOS_BASE_URL="http://localhost",
        REDIS_URL=broker,
        DINSOS_WORKER_HEARTBEAT_FILE=str(tmp_path / "worker.heartbeat"),
    )
    p = Proses(env, tmp_path, "penangan_lambat", nama="rujukan")
    try:
        yield p
    finally:
        p.bersihkan()



def _relay(app, terbitkan, **kw):
    with app.app_context():
        return relay(terbitkan, **kw)


def _pesan(app, jenis="rujukan.teruskan") -> dict:
    with app.app_context(), lintas_tenant("uji", catat=False):
        hasil = {p.id: (p.tenant_id, p.status) for p in db.session.scalars(select(PesanOutbox).where(PesanOutbox.jenis == jenis))}
        db.session.rollback()
        return hasil


def _sampai(kantor, jumlah: int):
    return _tunggu(lambda: len(semua_masuk(kantor)) == jumlah and all(m["isi"].get("berkas") for m in semua_masuk(kantor)),
                   pesan=f"{jumlah} delivered referrals")


def _kirim_ulang(app, worker, pesan: dict):
    """Publish every message once more, as a broker redelivery would, and wait until the worker has run each."""
    from dinsos_workers.tugas import proses_outbox

    with app.app_context():
        tugas = [proses_outbox.apply_async(args=(tid, str(pid))).id for pid, (tid, _s) in pesan.items()]
    _tunggu(lambda: all(f"[{t}] succeeded" in worker.log.read_text() for t in tugas), pesan="the duplicate deliveries")


def _lewat_batas_kirim_ulang():
    return datetime.now(timezone.utc) + outbox.KIRIM_ULANG_SETELAH + timedelta(seconds=1)


def test_magetan_to_banten_through_the_worker_delivered_once_accepted_and_completed(app, seed, penerbit, proses):
    kantor, staf = seed
    mg, bt = kantor["kabupaten-magetan"], kantor["provinsi-banten"]
    worker = proses.worker()
    kasus_id, lampiran = kasus_magetan(staf)
    rid = rujuk_ke_banten(staf, kasus_id, lampiran)
    assert _relay(app, penerbit) >= 1
    [m] = _sampai(bt, 1) and semua_masuk(bt)
    assert m["status"] == "diterima_tujuan" and len(m["isi"]["berkas"]) == len(DOKUMEN_BANTEN)
    _tunggu(lambda: rujukan(mg, rid)["status"] == "diterima_tujuan", pesan="Magetan to see the delivery")
    _kirim_ulang(app, worker, _pesan(app))
    assert len(semua_masuk(bt)) == 1 and len(semua_masuk(bt)[0]["isi"]["berkas"]) == len(DOKUMEN_BANTEN)

    kasus_b = tanggapi(staf["provinsi-banten"]["pekerja_sosial"], m["id"], "terima")
    with di_kantor(bt):
        k = muat_kasus(kasus_b)
        aturan = kasus_svc.info_jam_kasus(k)["aturan"]
        assert (kasus_svc.layanan_kasus(k).kode, k.langkah_kode) == ("rehabilitasi-anak-terlantar-panti", "permohonan")
        assert (aturan["jumlah"], aturan["satuan"]) == (1, "tahun") and k.jam_mulai_pada is not None
    _relay(app, penerbit)
    _tunggu(lambda: rujukan(mg, rid)["status"] == "diterima", pesan="Magetan to see the acceptance")
    with di_kantor(bt):
        k = muat_kasus(kasus_b)
        kasus_svc.tutup_kasus(k, versi=k.versi, hasil_akhir="rehabilitasi-selesai", catatan="Selesai",
                              pengguna=akun(staf["provinsi-banten"]["kepala_bidang"]))
        kasus_svc.simpan()
    _relay(app, penerbit)
    _tunggu(lambda: rujukan(mg, rid)["status"] == "selesai", pesan="Magetan to see the completion")
    with di_kantor(mg):
        assert [p.jenis for p in kasus_svc.peristiwa(muat_kasus(kasus_id))][-1] == "rujukan_selesai"


def test_kota_metro_repatriation_reaches_the_family_regions_office_through_the_worker(app, seed, penerbit, proses, tmp_path):
    from kantor_uji import LAYANAN, SLUG, onboard
    from test_pemulangan import KELUARGA, _kasus_metro

    from dinsos.referrals.pemulangan import tujuan_pemulangan
    from dinsos.referrals.perujukan import buat_rujukan
    from dinsos.referrals.tujuan import cari_tujuan_layanan

    kantor, staf = seed
    lt = onboard(tmp_path / "kantor")
    proses.worker()
    kid = _kasus_metro(staf)
    with di_kantor(kantor["kota-metro"]):
        k = muat_kasus(kid)
        assert tujuan_pemulangan(k, KELUARGA)[0].slug == SLUG
        lamp = kasus_svc.lampiran(k)[0]
        buat_rujukan(k, pengguna=akun(staf["kota-metro"]["pekerja_sosial"]), tujuan=cari_tujuan_layanan(SLUG, LAYANAN),
                     alasan="Keluarga ditemukan", bidang_klien=["nama", "alamat"], abaikan_opsional=True, pemulangan=True,
                     berkas=[{"sumber": "lampiran", "id": str(lamp.id), "dokumen_kode": "surat-keterangan-penyerahan"}],
                     persetujuan={"nama": "Sutrisno", "hubungan": "klien", "cara": "lisan", "tanggal": "2026-05-04"})
        db.session.commit()
    _relay(app, penerbit)
    [m] = _sampai(lt, 1) and semua_masuk(lt)
    assert m["pemulangan"] and any(b["nama"].startswith("Surat Pengantar") for b in m["isi"]["berkas"])


def test_a_worker_killed_during_delivery_and_restarted_still_delivers_each_referral_once(app, seed, penerbit, proses, tmp_path):
    kantor, staf = seed
    mg, bt = kantor["kabupaten-magetan"], kantor["provinsi-banten"]
    for putaran in range(1, ULANG + 1):
        penanda = tmp_path / f"percobaan-{putaran}"
        kasus_id, lampiran = kasus_magetan(staf, klien={"nama": f"Anak {putaran}", "umur_perkiraan": 10, "jenis_kelamin": "L"})
        rid = rujuk_ke_banten(staf, kasus_id, lampiran)
        lambat = proses.worker(UJI_PENANDA_RUJUKAN=str(penanda), UJI_JEDA_RUJUKAN="4")  # each delivery pauses before its commit
        assert _relay(app, penerbit) == 1
        _tunggu(lambda: penanda.exists(), pesan="the slow delivery to reach its pause")
        proses.bunuh(lambat)  # after the work, before the commit
        assert len(semua_masuk(bt)) == putaran - 1  # the killed delivery left nothing behind in Banten
        assert rujukan(mg, rid)["status"] == "dikirim"

        kedua = proses.worker()
        assert _relay(app, penerbit) == 0  # not overdue yet: no second publication
        assert _relay(app, penerbit, pada=_lewat_batas_kirim_ulang()) >= 1  # the lost task is published again
        _sampai(bt, putaran)
        _tunggu(lambda: rujukan(mg, rid)["status"] == "diterima_tujuan", pesan="Magetan to see the delivery")
        _kirim_ulang(app, kedua, {p: v for p, v in _pesan(app).items()})
        masuk = [m for m in semua_masuk(bt) if m["asal_rujukan_id"] == rid]
        assert len(masuk) == 1 and len(masuk[0]["isi"]["berkas"]) == len(DOKUMEN_BANTEN)
        proses.bunuh(kedua)
    assert len(semua_masuk(bt)) == ULANG


def test_two_relays_at_once_publish_and_deliver_each_referral_once(app, seed, penerbit, proses):
    kantor, staf = seed
    bt = kantor["provinsi-banten"]
    worker = proses.worker()
    total = 0
    for putaran in range(ULANG):
        ids = []
        for n in range(3):
            kasus_id, lampiran = kasus_magetan(staf, klien={"nama": f"Anak {putaran}-{n}", "umur_perkiraan": 9, "jenis_kelamin": "P"})
            ids.append(rujuk_ke_banten(staf, kasus_id, lampiran))
        total += len(ids)
        hasil, mulai = [], threading.Barrier(2)

        def jalan():
            mulai.wait()
            hasil.append(_relay(app, penerbit, batas=2))
            hasil.append(_relay(app, penerbit, batas=100))

        benang = [threading.Thread(target=jalan) for _ in range(2)]
        for t in benang:
            t.start()
        for t in benang:
            t.join(BATAS)
        _sampai(bt, total)
        _kirim_ulang(app, worker, _pesan(app))
        asal = [m["asal_rujukan_id"] for m in semua_masuk(bt)]
        assert len(asal) == len(set(asal)) == total and set(ids) <= set(asal)
        # each delivery message was published once by the two relays together
        assert sum(hasil) >= len(ids)
        assert all(s == "selesai" for _t, s in _pesan(app).values())


def test_with_redis_down_sending_still_succeeds_and_is_delivered_once_redis_is_back(app, seed, penerbit, proses, monkeypatch):
    from dinsos_workers.celery_app import ikat

    sys.path.append(str(Path(__file__).resolve().parents[1] / "notify"))
    from server_uji import port_bebas

    kantor, staf = seed
    mg, bt = kantor["kabupaten-magetan"], kantor["provinsi-banten"]
    proses.worker()
    mati = make_url(os.environ["REDIS_URL"]).set(host="127.0.0.1", port=port_bebas()).render_as_string(hide_password=False)
    monkeypatch.setitem(app.config, "REDIS_URL", mati)  # nothing listens there
    ikat(app)
    kasus_id, lampiran = kasus_magetan(staf)
    budi = klien_masuk(staf["kabupaten-magetan"]["pekerja_sosial"])
    tujuan = "layanan:provinsi-banten:rehabilitasi-anak-terlantar-panti"
    form = budi.get(f"/t/kabupaten-magetan/kasus/{kasus_id}/rujuk?tujuan={tujuan}").get_data(as_text=True)
    data = {"csrf_token": token_csrf(form), "tujuan": tujuan, "alasan": "Panti", "bidang_klien": ["nama"], "aksi": "kirim",
            "persetujuan_nama": "Sumarni", "persetujuan_hubungan": "orang_tua", "persetujuan_cara": "tertulis",
            "persetujuan_tanggal": "2026-05-04", **{f"dok_{i}": f"lampiran:{lampiran[k]}" for i, k in enumerate(DOKUMEN_BANTEN)}}
    mulai = time.monotonic()
    r = budi.post(f"/t/kabupaten-magetan/kasus/{kasus_id}/rujuk", data=data)
    assert r.status_code == 302 and time.monotonic() - mulai < 10  # the user is not kept waiting on the broker
    assert _relay(app, penerbit) == 0  # the dead broker refuses; the message stays due
    assert [s for _t, s in _pesan(app).values()] == ["baru"]
    assert semua_masuk(bt) == []

    monkeypatch.setitem(app.config, "REDIS_URL", os.environ["REDIS_URL"])
    ikat(app)
    assert _relay(app, penerbit) >= 1
    _sampai(bt, 1)
    [rid] = [m["asal_rujukan_id"] for m in semua_masuk(bt)]
    _tunggu(lambda: rujukan(mg, rid)["status"] == "diterima_tujuan", pesan="Magetan to see the delivery")
