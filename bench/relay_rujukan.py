"""Referral delivery throughput: referrals delivered per second through Redis and a real worker, against a no-op task.

N referrals from Magetan to Banten's panti service are committed (each with
its outbox message and five shared scans); then the relay publishes them to
Redis and one worker process (``-c 4``) delivers them: Banten's copy, the
five files copied under Banten's keys, the answer deadline, the notices,
Magetan's bookkeeping, in one transaction each. The baseline is N no-op
Celery tasks through the same Redis queue and the same worker in the same
run, half of them before the deliveries and half after. Prints both rates, their ratio and its spread
against each half.

Needs PostgreSQL (``BENCH_DATABASE_URL``, a superuser URL) and Redis
(``BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/12``; flushed).
"""
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / d) for d in ("platform", "workers")]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _db  # noqa: E402
import redis  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

N = int(os.environ.get("BENCH_RUJUKAN_N", "200"))
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOKUMEN = ("surat-permohonan", "surat-persetujuan", "hasil-asesmen", "surat-keterangan-sehat", "berita-acara-serah-terima")
# What Banten's panti service asks of the sender; the other three are shared as case files without a requirement
# (Banten makes its own at its steps), so a delivery still copies five files.
DIMINTA_TUJUAN = {"surat-permohonan", "surat-persetujuan"}
BATAS_DETIK = 600


def siapkan_data(app) -> None:
    """The seed offices, one social worker in Magetan, and N referrals committed and waiting in the outbox."""
    from dinsos.auth.services import buat_pengguna
    from dinsos.cases.penerimaan import menunggu_verifikasi, terima_kasus, verifikasi_berkas
    from dinsos.cases.sop import unggah_lampiran
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant, lintas_tenant
    from dinsos.referrals.perujukan import buat_rujukan
    from dinsos.referrals.tujuan import cari_tujuan_layanan
    from dinsos.tenancy.models import Tenant
    from dinsos.tenancy.muat import muat_akar

    with app.app_context():
        muat_akar(ROOT / "tenants")
        with lintas_tenant("bench", catat=False):
            magetan = db.session.scalar(select(Tenant.id).where(Tenant.slug == "kabupaten-magetan"))
        with dalam_tenant(magetan):
            peksos = buat_pengguna("peksos@magetan.bench", "Budi", ["pekerja_sosial", "petugas_pelayanan"], "bench-rahasia-123")
            db.session.commit()
            tujuan = cari_tujuan_layanan("provinsi-banten", "rehabilitasi-anak-terlantar-panti")
            for n in range(N):
                k = terima_kasus(
                    "pengiriman-anjal-at", pelapor={"jenis": "kepolisian", "instansi": "Polres Magetan"},
                    klien={"nama": f"Anak {n}", "umur_perkiraan": 10, "jenis_kelamin": "L"},
                    persyaratan={k: "dilihat" for k in ("surat-keterangan-kepolisian", "surat-keterangan-kehilangan")}, pengguna=peksos).kasus
                if menunggu_verifikasi(k):  # Magetan's standard verifies a complete file before its steps run
                    verifikasi_berkas(k, versi=k.versi, pengguna=peksos, benar=True)
                berkas = []
                for kode in DOKUMEN:
                    lamp = unggah_lampiran(k, versi=k.versi, isi=PDF + f"% {n} {kode}\n".encode(), nama_berkas=f"{kode}.pdf",
                                                     pengguna=peksos)
                    berkas.append({"sumber": "lampiran", "id": str(lamp.id),
                                   "dokumen_kode": kode if kode in DIMINTA_TUJUAN else None})
                buat_rujukan(k, pengguna=peksos, tujuan=tujuan, alasan="Panti", bidang_klien=["nama"], berkas=berkas,
                             persetujuan={"nama": "Ibu", "hubungan": "orang_tua", "cara": "tertulis", "tanggal": "2026-05-04"})
                db.session.commit()


def mulai_worker(app) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DINSOS_", "DATABASE_URL", "REDIS_URL"))}
    env.update(PYTHONPATH=os.pathsep.join(str(p) for p in (ROOT / "platform", ROOT / "workers", Path(__file__).parent)),
               DATABASE_URL=_db.url(), DINSOS_INSTANCE_PATH=app.instance_path, DINSOS_SECRET_KEY="bench", REDIS_URL=REDIS,
               DINSOS_ENCRYPTION_KEYS=app.config["ENCRYPTION_KEYS"], DINSOS_UPLOAD_DIR=app.config["UPLOAD_DIR"])
    log = open(Path(app.instance_path) / "worker.log", "w")
    p = subprocess.Popen([sys.executable, "-m", "dinsos_workers", "worker", "-c", "4", "--without-gossip", "--without-mingle",
                          "-I", "_tugas_kosong", "--loglevel=WARNING"], env=env, stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True)
    p.log = Path(log.name)
    return p


_WORKER: subprocess.Popen | None = None


def tunggu(syarat, pesan: str) -> float:
    """The moment ``syarat`` became true; stops at once if the worker died."""
    akhir = time.monotonic() + BATAS_DETIK
    while time.monotonic() < akhir:
        if syarat():
            return time.perf_counter()
        if _WORKER is not None and _WORKER.poll() is not None:
            raise SystemExit(f"the worker exited while waiting for {pesan}:\n{_WORKER.log.read_text()[-3000:]}")
        time.sleep(0.01)
    raise SystemExit(f"timed out waiting for {pesan}")


def ukur_kosong(r: redis.Redis, jumlah: int) -> float:
    """Seconds for ``jumlah`` no-op tasks, from the first publication to the last one run."""
    from _tugas_kosong import kosong

    r.delete("bench:kosong")
    mulai = time.perf_counter()
    for _ in range(jumlah):
        kosong.apply_async()
    return tunggu(lambda: int(r.get("bench:kosong") or 0) >= jumlah, "the no-op tasks") - mulai


def ukur_rujukan(app) -> float:
    """Seconds for the N committed referrals, from the relay's first publication to the last delivery."""
    from dinsos.core.db import db
    from dinsos.core.outbox import relay_semua
    from dinsos.core.tenant import lintas_tenant
    from dinsos.referrals.models import RujukanMasuk
    from dinsos_workers.tugas import terbitkan_ke_antrean

    def terkirim() -> int:
        with app.app_context(), lintas_tenant("bench", catat=False):
            n = db.session.scalar(select(func.count()).select_from(RujukanMasuk))
            db.session.rollback()
            return n

    mulai = time.perf_counter()
    with app.app_context():
        while relay_semua(terbitkan_ke_antrean, batas=100, waktu_maks=60):
            pass
    return tunggu(lambda: terkirim() >= N, "the referral deliveries") - mulai


def main():
    global _WORKER
    from cryptography.fernet import Fernet

    from dinsos_workers.celery_app import ikat

    os.environ.setdefault("DINSOS_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    app = _db.siapkan()
    app.config.update(REDIS_URL=REDIS, UPLOAD_DIR=str(Path(app.instance_path) / "uploads"))
    r = redis.Redis.from_url(REDIS)
    r.flushdb()
    mulai = time.perf_counter()
    siapkan_data(app)
    print(f"  {N} referrals committed in {time.perf_counter() - mulai:.1f}s", flush=True)
    ikat(app)
    worker = _WORKER = mulai_worker(app)
    try:
        ukur_kosong(r, 20)  # warm-up: the worker's pool is up and connected
        # The deliveries bracketed by two halves of the no-op tasks: a machine that drifts weighs on both.
        sebelum = ukur_kosong(r, N // 2)
        rujukan = ukur_rujukan(app)
        sesudah = ukur_kosong(r, N - N // 2)
    finally:
        worker.terminate()
        worker.wait(30)
        r.flushdb()
    kosong = sebelum + sesudah
    laju_kosong, laju_rujukan = N / kosong, N / rujukan
    rasio = sorted((N // 2 / sebelum / laju_rujukan, (N - N // 2) / sesudah / laju_rujukan))
    print()
    print(f"{'':>28} {'count':>6} {'seconds':>8} {'per second':>11}")
    print(f"{'no-op Celery task':>28} {N:>6} {kosong:>8.2f} {laju_kosong:>11.1f}")
    print(f"{'referral delivered':>28} {N:>6} {rujukan:>8.2f} {laju_rujukan:>11.1f}")
    print(f"\nno-op rate / referral rate: {laju_kosong / laju_rujukan:.1f}x ({rasio[0]:.1f}-{rasio[1]:.1f}x against the "
          f"no-op half before and after; each delivery copies {len(DOKUMEN)} files and writes both offices in one transaction)")


if __name__ == "__main__":
    main()
