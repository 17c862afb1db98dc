"""The deadline sweep with real services: Redis, Celery worker and two beats started here, PostgreSQL, an SMTP server.

A Magetan case's first step (handover, 15 working minutes) started on an
earlier working day at 08:00, so it is already past its warn point, its
deadline and twice over: time is injected through the start, never slept.
The sweep runs every second (``DINSOS_SAPU_TENGGAT_DETIK=1``) from two beats
at once; the first sweep to reach a notice is made to stall inside its
transaction and its worker is SIGKILLed there; a second worker is started
and the test process sweeps concurrently from two threads as well. Exactly
one overdue notice (the warning is stale by then and skipped, per the sweep's
rules), one escalation to the kepala bidang and one to the kepala dinas come
out, each once in the in-app inbox and once at the SMTP server.

The service's own time limit is set to one calendar year for this case, so
only the step's clock is due and the count is the step's alone.
"""
import re
import threading
import time
from datetime import datetime, timedelta
from datetime import time as jam
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from dinsos.core.db import db, sekarang
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos_uji.bantuan import buat_staf
from dinsos_uji.pekerja import BATAS
from dinsos_uji.pekerja import tunggu as _tunggu

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def proses(proses_pekerja, smtp, tmp_path):
    """Workers and beats sweeping every second; the first sweep to reach a notice stalls (``tenggat_lambat``).

    ``smtp`` is configured in the test process too: a sweep run here queues e-mail like the worker's.
    """
    return proses_pekerja("tenggat_lambat", "sapu", DINSOS_SMTP_HOST="127.0.0.1", DINSOS_SMTP_PORT=smtp.port,
                          DINSOS_SAPU_TENGGAT_DETIK="1", UJI_PENANDA_SAPU=tmp_path / "sapu-pertama", UJI_JEDA_SAPU="60")


@pytest.fixture
def kasus_lewat(app, monkeypatch):
    """Magetan's handover step, started 08:00 on a working day at least two days ago, assigned to the front office."""
    from dinsos.auth import services as auth
    from dinsos.auth.models import Pengguna
    from dinsos.cases.kelola import tugaskan_kasus
    from dinsos.cases.penerimaan import terima_kasus
    from dinsos.cases.perubahan import simpan
    from dinsos.catalogue.models import Layanan
    from dinsos.catalogue.services import simpan_standar, versi_terbaru
    from dinsos.sla.services import kalender_tenant, tenggat_induk
    from dinsos.tenancy.models import Tenant
    from dinsos_uji.alat_kasus import SEMUA_MAGETAN, muat_seed, verifikasi_bila_perlu

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    mg = muat_seed(app)["kabupaten-magetan"]
    orang = {peran: buat_staf(mg, peran, f"{peran}@magetan.uji")[0]
             for peran in ("petugas_pelayanan", "kepala_bidang", "kepala_dinas")}
    with app.app_context(), dalam_tenant(mg.id):
        tenant = db.session.get(Tenant, mg.id)
        layanan = db.session.scalar(select(Layanan).where(Layanan.kode == "pengiriman-anjal-at"))
        isi = dict(versi_terbaru(layanan).isi)
        isi["penyampaian_pelayanan"] = dict(isi["penyampaian_pelayanan"])
        isi["penyampaian_pelayanan"]["jangka_waktu"] = {
            "uraian": "1 (satu) tahun (uji)", "aturan": {"jenis": "kalender", "jumlah": 1, "satuan": "tahun", "mulai": "berkas_lengkap"}}
        simpan_standar(tenant, isi)
        kal, zona = kalender_tenant(tenant), ZoneInfo(tenant.zona_waktu)
        hari = sekarang().astimezone(zona).date() - timedelta(days=2)
        while not kal.adalah_hari_kerja(hari):
            hari -= timedelta(days=1)
        mulai = datetime.combine(hari, jam(8), tzinfo=zona)
        akun = {p: db.session.get(Pengguna, (mg.id, i)) for p, i in orang.items()}
        k = terima_kasus("pengiriman-anjal-at", pelapor={"jenis": "kepolisian", "instansi": "Polres Magetan"},
                             klien={"tanpa_identitas": True, "deskripsi": "Anak di terminal", "umur_perkiraan": 12},
                             persyaratan=SEMUA_MAGETAN, pengguna=akun["petugas_pelayanan"], pada=mulai).kasus
        verifikasi_bila_perlu(k, akun["petugas_pelayanan"], pada=mulai)  # Magetan finds the file correct first
        tugaskan_kasus(k, versi=k.versi, penanggung_jawab_id=orang["petugas_pelayanan"], pengguna=akun["kepala_bidang"],
                           pada=mulai + timedelta(minutes=1))
        simpan()
        judul = next(t.judul for t in tenggat_induk(k.id) if t.objek_jenis == "langkah_kasus")
    return mg, orang, judul


def _tercatat(app) -> list[tuple]:
    """(kind, round) of every notice recorded, committed, across offices."""
    from dinsos.sla.models import PemberitahuanTenggat

    with app.app_context(), lintas_tenant("uji", catat=False):
        hasil = sorted(db.session.execute(select(PemberitahuanTenggat.jenis, PemberitahuanTenggat.putaran)).all())
        db.session.rollback()
        return hasil


def _outbox(app) -> list[str]:
    from dinsos.core.outbox import PesanOutbox

    with app.app_context(), lintas_tenant("uji", catat=False):
        hasil = [p.status for p in db.session.scalars(select(PesanOutbox))]
        db.session.rollback()
        return hasil


def test_overdue_step_sends_one_notice_set_through_two_beats_a_killed_worker_and_concurrent_sweeps(
        app, kasus_lewat, proses, smtp, tmp_path):
    from dinsos.notify.models import Notifikasi
    from dinsos.sla.services import sapu_tenggat

    kantor, orang, judul = kasus_lewat
    penanda = tmp_path / "sapu-pertama"
    pertama = proses.worker()
    beat = [proses.beat(), proses.beat()]  # two beats: every sweep is sent twice a second

    # The first sweep stalls inside its transaction, its rows locked and its notice records uncommitted; kill it there.
    _tunggu(penanda.exists, pesan="the first sweep to reach a notice")
    assert _tercatat(app) == [] and smtp.surel == []
    proses.bunuh(pertama)
    assert _tercatat(app) == []  # nothing of the killed sweep was committed

    # A new worker takes over from the beats while the test process sweeps from two threads at the same time.
    kedua = proses.worker()
    hasil, galat, serentak = [], [], threading.Barrier(2)

    def sapu():
        try:
            with app.app_context():
                serentak.wait(BATAS)
                for _ in range(3):
                    hasil.append(sapu_tenggat())
                    time.sleep(0.3)
        except Exception as e:  # reported by the assertion below
            galat.append(e)

    benang = [threading.Thread(target=sapu) for _ in range(2)]
    [t.start() for t in benang]
    [t.join(BATAS) for t in benang]
    assert not galat, galat

    assert len(smtp.tunggu(3, batas_detik=BATAS)) == 3, kedua.log.read_text()[-3000:]
    _tunggu(lambda: (s := _outbox(app)) and all(x == "selesai" for x in s), pesan="every outbox message delivered")
    # Let the beats send a few more sweeps and the relay run again: nothing more may come out.
    for b in beat:
        jumlah = b.log.read_text().count("Sending due task sapu_tenggat")
        _tunggu(lambda: b.log.read_text().count("Sending due task sapu_tenggat") >= jumlah + 3, pesan="three more sweeps")
    time.sleep(5.5)  # one more relay period (every 5 s)

    assert _tercatat(app) == [("eskalasi_kabid", 1), ("eskalasi_kadis", 1), ("terlambat", 1)]
    surel = sorted((m["surel"]["Subject"], tuple(m["untuk"])) for m in smtp.surel)
    assert surel == sorted([
        (f"Lewat batas waktu: {judul}", ("petugas_pelayanan@magetan.uji",)),
        (f"Eskalasi: {judul}", ("kepala_bidang@magetan.uji",)),
        (f"Eskalasi kedua: {judul}", ("kepala_dinas@magetan.uji",)),
    ])
    with app.app_context(), dalam_tenant(kantor.id):
        # The deadline's notices (the step's hand-off notice when it was assigned is another kind, from tugas).
        tenggat = {"Lewat batas waktu", "Eskalasi", "Eskalasi kedua"}
        kotak = sorted((n.penerima_id, n.judul.split(":")[0]) for n in db.session.scalars(select(Notifikasi))
                       if n.judul.split(":")[0] in tenggat)
    assert kotak == sorted([(orang["petugas_pelayanan"], "Lewat batas waktu"), (orang["kepala_bidang"], "Eskalasi"),
                            (orang["kepala_dinas"], "Eskalasi kedua")])
    # The sweeps really ran in the new worker, from both beats.
    assert re.search(r"Task dinsos\.periodik\[[^\]]+\] succeeded", kedua.log.read_text())
    assert all("Sending due task sapu_tenggat" in b.log.read_text() for b in beat)
