"""Mixed traffic, the benchmark of record: many staff users, every page, writes; beside the bare-Flask floor.

Data: ``dinsos demo generate`` (``bench/_db.py``; ``--skala 0.1``: 10 offices,
100,000 cases; ``BENCH_SALINAN`` runs on a private copy of the kept database).
The app runs under ``deploy/gunicorn.conf.py`` (its default workers) as the
non-owner role, so row-level security is in force, embedded mode, its
case-list cache as deployed.

Users: every staff role of each office under test (front office, social
worker, fungsional, kepala bidang, kepala dinas), each with its own session
cookie (logged in through the form) and its own API token. The mix, each
request drawn for a random user of a random office:

    35% case-list pages (first page, filters by status, service and assignee, later pages by cursor)
    25% case pages (one of 200 cases of the office)
    15% API case lists (first page, filters, cursor pages)
    10% the dashboard
    10% API case details
     5% intakes (API POST, a new case each)

Two loads, each interleaved with the floor (``bench/_lantai.py`` under the
same gunicorn, answering a case list's own JSON) round after round:

- closed loop: ``wrk`` with 50 connections, as fast as the server answers
  (throughput; the ratio to the floor's);
- open loop: requests started at a fixed offered rate (default 50 req/s)
  whatever the answers do, each on its own connection; latency counted from
  the moment the request was due, so a stalled server is not hidden
  (no coordinated omission). p50/p95 per kind of request, errors.

Printed per round and as the spread over rounds (min-max): requests/s and
the ratio to the floor, p50/p95, non-2xx, web CPU per request (user+system
time of the gunicorn master and workers over the phase, divided by the
answers), and the largest worker's resident memory after each round.
Issue 21's targets (1M cases / 100 offices): CPU per request <= 6 ms, mix >= 0.06x the floor, open-loop p95 < 150 ms
for every kind, 0 errors, worker RSS flat and < 150 MB.
"""
import argparse
import asyncio
import json
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

AKAR = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(AKAR / "platform"), str(AKAR / "workers"), str(Path(__file__).resolve().parent)]

import _db  # noqa: E402
from beban import AGEN, gunicorn, jalankan_wrk, masuk, pastikan_wrk, pekerja, rss_mb  # noqa: E402

PERAN = ("petugas_pelayanan", "pekerja_sosial", "fungsional_peksos", "kepala_bidang", "kepala_dinas")
MENERIMA = {"petugas_pelayanan", "pekerja_sosial", "fungsional_peksos", "kepala_bidang"}  # kasus.terima
CAMPURAN = (("halaman daftar", 35), ("halaman kasus", 25), ("API daftar", 15), ("dasbor", 10), ("API kasus", 10),
            ("penerimaan", 5))
KASUS_PER_KANTOR = 200


def siapkan(app_url: str, data: dict, pemilik_app, kantor: int) -> list[dict]:
    """Per office: its cases, a service and an intake body, the cursors of later list pages; per user: cookie, token."""
    from sqlalchemy import select

    from dinsos.auth.models import Pengguna
    from dinsos.auth.services import buat_token
    from dinsos.cases.models import Kasus
    from dinsos.catalogue.models import Layanan, VersiLayanan
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant
    from dinsos.tenancy.models import Tenant

    hasil = []
    with pemilik_app.app_context():
        for slug in list(data["akun"])[:kantor]:
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
            with dalam_tenant(tenant.id):
                pengguna = []
                for peran in PERAN:
                    email = data["akun"][slug].get(peran)
                    akun = email and db.session.scalar(select(Pengguna).where(Pengguna.email == email))
                    if akun:
                        pengguna.append({"peran": peran, "email": email, "token": buat_token(akun, "bench-campuran")})
                kasus = [str(k) for k in db.session.scalars(select(Kasus.id).order_by(Kasus.dibuat_pada.desc())
                                                            .limit(KASUS_PER_KANTOR))]
                layanan = db.session.scalars(select(Layanan).order_by(Layanan.kode)).all()
                pertama = layanan[0]
                isi = db.session.scalar(select(VersiLayanan.isi).where(VersiLayanan.layanan_id == pertama.id,
                                                                       VersiLayanan.versi == pertama.versi_terbaru))
                db.session.commit()
            badan = _db.badan_penerimaan(pertama.kode, isi, "Klien Uji Campuran")
            for p in pengguna:
                p["cookie"] = masuk(app_url, slug, p["email"], data["sandi"])
            k = {"slug": slug, "pengguna": pengguna, "kasus": kasus, "layanan": [l.kode for l in layanan],
                 "badan": json.dumps(badan)}
            k["kursor_halaman"], k["kursor_api"] = _kursor(app_url, k)
            hasil.append(k)
    return hasil


def _kursor(app_url: str, k: dict) -> tuple[list[str], list[str]]:
    """Later pages of the office's case list (page 2 and 3), as a user would reach them: the page's next link."""
    halaman, api = [], []
    p = k["pengguna"][0]
    jalur = f"/t/{k['slug']}/kasus/"
    for _ in range(2):
        teks = _ambil(app_url + jalur, {"Cookie": p["cookie"]}).decode()
        m = re.search(r'<a href="([^"]+)" rel="next"', teks)
        if not m:
            break
        jalur = m[1].replace("&amp;", "&")
        halaman.append(jalur)
    setelah = None
    for _ in range(2):
        q = f"?setelah={setelah}" if setelah else ""
        isi = json.loads(_ambil(f"{app_url}/api/t/{k['slug']}/kasus/{q}", {"Authorization": f"Bearer {p['token']}"}))
        setelah = isi.get("berikutnya")
        if not setelah:
            break
        api.append(f"/api/t/{k['slug']}/kasus/?setelah={setelah}")
    return halaman, api


def _ambil(url: str, kepala: dict) -> bytes:
    return urllib.request.urlopen(urllib.request.Request(url, headers=kepala | {"User-Agent": AGEN}), timeout=30).read()


def permintaan_campuran(kantor: list[dict], n: int, benih: int) -> list[tuple[str, str, str, dict, str]]:
    """``n`` requests drawn by the mix: (kind, method, path, headers, body)."""
    acak = random.Random(benih)
    jenis = [j for j, w in CAMPURAN for _ in range(w)]
    hasil = []
    while len(hasil) < n:
        k = acak.choice(kantor)
        j = acak.choice(jenis)
        p = acak.choice([p for p in k["pengguna"] if p["peran"] in MENERIMA] if j == "penerimaan" else k["pengguna"])
        kue, token = {"Cookie": p["cookie"]}, {"Authorization": f"Bearer {p['token']}"}
        s = k["slug"]
        if j == "halaman daftar":
            pilihan = [f"/t/{s}/kasus/", f"/t/{s}/kasus/?status=berjalan", f"/t/{s}/kasus/?layanan={acak.choice(k['layanan'])}",
                       f"/t/{s}/kasus/?penanggung_jawab=saya"] + k["kursor_halaman"]
            hasil.append((j, "GET", acak.choice(pilihan), kue, ""))
        elif j == "halaman kasus":
            hasil.append((j, "GET", f"/t/{s}/kasus/{acak.choice(k['kasus'])}", kue, ""))
        elif j == "API daftar":
            pilihan = [f"/api/t/{s}/kasus/", f"/api/t/{s}/kasus/?status=berjalan", f"/api/t/{s}/kasus/?penanggung_jawab=saya"]
            hasil.append((j, "GET", acak.choice(pilihan + k["kursor_api"]), token, ""))
        elif j == "dasbor":
            hasil.append((j, "GET", f"/t/{s}/dasbor", kue, ""))
        elif j == "API kasus":
            hasil.append((j, "GET", f"/api/t/{s}/kasus/{acak.choice(k['kasus'])}", token, ""))
        else:
            hasil.append((j, "POST", f"/api/t/{s}/kasus/", token | {"Content-Type": "application/json"}, k["badan"]))
    return hasil


def baris_wrk(p) -> str:
    _jenis, metode, jalur, kepala, isi = p
    return f"{metode}\t{jalur}\t{'|'.join(f'{a}={b}' for a, b in kepala.items())}\t{isi}"


# --- measuring a server ---------------------------------------------------------------------------------------

def cpu_detik(master: int) -> float:
    """User + system CPU seconds of a gunicorn master and its workers so far, live or replaced.

    A worker replaced after its ``max_requests`` takes its CPU time with it; the master, which reaps it, then
    counts it among its children's (``cutime``, ``cstime``), so it is not lost from a phase's figure.
    """
    jumlah = 0
    for pid in [master] + pekerja(master):
        try:
            kolom = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            jumlah += int(kolom[11]) + int(kolom[12]) + (int(kolom[13]) + int(kolom[14]) if pid == master else 0)
        except (OSError, IndexError, ValueError):
            pass
    return jumlah / os.sysconf("SC_CLK_TCK")


def rss_terbesar(master: int) -> float:
    return max((rss_mb(p) for p in pekerja(master)), default=0.0)


async def _satu(port: int, metode: str, jalur: str, kepala: dict, isi: str) -> int:
    """One request on its own connection (gunicorn's sync workers close it after each answer); the status."""
    baca, tulis = await asyncio.open_connection("127.0.0.1", port)
    badan = isi.encode()
    baris = [f"{metode} {jalur} HTTP/1.1", "Host: 127.0.0.1", f"User-Agent: {AGEN}", "Connection: close",
             f"Content-Length: {len(badan)}"] + [f"{a}: {b}" for a, b in kepala.items()]
    tulis.write(("\r\n".join(baris) + "\r\n\r\n").encode() + badan)
    await tulis.drain()
    kepala_jawab = await baca.readline()
    await baca.read()  # to the end: the server closes
    tulis.close()
    return int(kepala_jawab.split()[1])


async def _loop_terbuka(port: int, daftar: list, laju: float, detik: float) -> dict:
    """Start ``laju`` requests a second for ``detik`` seconds whatever the answers do; latency from the due time."""
    hasil: dict[str, list] = {}
    galat: dict[str, int] = {}
    tugas = []
    mulai = time.monotonic() + 0.05
    n = int(laju * detik)

    async def jalan(i, p):
        jatuh = mulai + i / laju
        await asyncio.sleep(max(0.0, jatuh - time.monotonic()))
        try:
            status = await asyncio.wait_for(_satu(port, *p[1:]), timeout=30)
        except (OSError, asyncio.TimeoutError, ValueError, IndexError):
            status = 0
        hasil.setdefault(p[0], []).append((time.monotonic() - jatuh) * 1000)
        if not 200 <= status < 400:
            galat[p[0]] = galat.get(p[0], 0) + 1

    for i in range(n):
        tugas.append(asyncio.create_task(jalan(i, daftar[i % len(daftar)])))
    await asyncio.gather(*tugas)
    return {"per_jenis": hasil, "galat": galat, "n": n, "detik": time.monotonic() - mulai}


def loop_terbuka(port: int, daftar: list, laju: float, detik: float) -> dict:
    return asyncio.run(_loop_terbuka(port, daftar, laju, detik))


def persentil(nilai: list[float], p: float) -> float:
    if not nilai:
        return float("nan")
    urut = sorted(nilai)
    return urut[min(len(urut) - 1, int(round(p / 100 * (len(urut) - 1))))]


def rentang(nilai: list[float], fmt: str = "{:.2f}") -> str:
    return fmt.format(min(nilai)) if min(nilai) == max(nilai) else f"{fmt.format(min(nilai))}-{fmt.format(max(nilai))}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--skala", type=float, default=1.0, help="1.0: 100 offices, 1,000,000 cases; 0.1: 10 offices, 100,000")
    p.add_argument("--kantor", type=int, default=10, help="offices whose staff make the traffic")
    p.add_argument("--putaran", type=int, default=2, help="rounds (each: floor and mix, closed then open loop)")
    p.add_argument("--detik", type=int, default=20, help="measured seconds per phase")
    p.add_argument("--pengguna", type=int, default=50, help="wrk connections in the closed loop")
    p.add_argument("--laju", type=float, default=50.0, help="offered requests per second in the open loop")
    p.add_argument("--bangun-ulang", action="store_true")
    a = p.parse_args()

    versi_wrk = pastikan_wrk()
    kantor_n, kasus_n = max(3, round(100 * a.skala)), round(1_000_000 * a.skala)
    data = _db.data_demo(kantor_n, kasus_n, bangun_ulang=a.bangun_ulang)
    print(f"data: {kantor_n} offices, {kasus_n:,} cases (database {data['nama']})", flush=True)

    from dinsos import create_app

    folder = Path(tempfile.mkdtemp(prefix="dinsos-campuran-"))
    pemilik = create_app({"INSTANCE_PATH": str(folder / "pemilik"), "SECRET_KEY": "bench", "REDIS_URL": None,
                          "DATABASE_URL": data["url_pemilik"], "ENCRYPTION_KEYS": data["kunci"]})
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DINSOS_", "DATABASE_URL", "REDIS_URL"))}
    env.update(PYTHONPATH=os.pathsep.join([str(AKAR / "platform"), str(AKAR / "workers"), str(AKAR / "bench")]),
               DATABASE_URL=data["url_app"], DINSOS_ENCRYPTION_KEYS=data["kunci"], DINSOS_SECRET_KEY="bench",
               DINSOS_INSTANCE_PATH=str(folder / "app"), DINSOS_LOG_LEVEL="warning", DINSOS_LOGIN_RATE_LIMIT="100000 per minute")
    app, port = gunicorn("dinsos.wsgi:app", env, folder)
    lantai = None
    try:
        kantor = siapkan(f"http://127.0.0.1:{port}", data, pemilik, min(a.kantor, kantor_n))
        pengguna_n = sum(len(k["pengguna"]) for k in kantor)
        contoh = _ambil(f"http://127.0.0.1:{port}/api/t/{kantor[0]['slug']}/kasus/",
                        {"Authorization": f"Bearer {kantor[0]['pengguna'][0]['token']}"})
        (folder / "lantai.json").write_bytes(contoh)
        lantai, port_lantai = gunicorn("_lantai:app", dict(env, BENCH_LANTAI_JSON=str(folder / "lantai.json")), folder)
        url_app, url_lantai = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port_lantai}"
        print(f"{pengguna_n} users in {len(kantor)} offices; gunicorn {len(pekerja(app.pid))} workers; "
              f"load average {os.getloadavg()[0]:.2f} before", flush=True)

        # warm-up: every worker has read the standards and opened its connections
        campur = permintaan_campuran(kantor, 6000, benih=1)
        jalankan_wrk(url_app, [baris_wrk(x) for x in campur], 5, a.pengguna, folder)
        jalankan_wrk(url_lantai, ["GET\t/lantai\t"], 3, a.pengguna, folder)
        rss_awal = rss_terbesar(app.pid)
        putaran = []
        for r in range(a.putaran):
            campur = permintaan_campuran(kantor, 6000, benih=100 + r)
            baris = {}
            for nama, url, server, minta in (("lantai", url_lantai, lantai, ["GET\t/lantai\t"]),
                                              ("campuran", url_app, app, [baris_wrk(x) for x in campur])):
                cpu0 = cpu_detik(server.pid)
                h = jalankan_wrk(url, minta, a.detik, a.pengguna, folder)
                h["cpu_ms"] = (cpu_detik(server.pid) - cpu0) * 1000 / max(1, h["n"])
                baris[nama] = h
            cpu0 = cpu_detik(app.pid)
            terbuka = loop_terbuka(port, permintaan_campuran(kantor, 6000, benih=200 + r), a.laju, a.detik)
            terbuka["cpu_ms"] = (cpu_detik(app.pid) - cpu0) * 1000 / max(1, terbuka["n"])
            terbuka_lantai = loop_terbuka(port_lantai, [("lantai", "GET", "/lantai", {}, "")], a.laju, a.detik)
            baris["terbuka"], baris["terbuka_lantai"] = terbuka, terbuka_lantai
            baris["rss"], baris["beban"] = rss_terbesar(app.pid), os.getloadavg()[0]
            putaran.append(baris)
            semua = [x for v in terbuka["per_jenis"].values() for x in v]
            print(f"  round {r + 1}: floor {baris['lantai']['rps']:.0f} req/s, mix {baris['campuran']['rps']:.0f} req/s "
                  f"({baris['campuran']['rps'] / baris['lantai']['rps']:.3f}x), mix CPU {baris['campuran']['cpu_ms']:.1f} ms/req; "
                  f"open loop {a.laju:.0f} req/s p95 {persentil(semua, 95):.0f} ms, errors {sum(terbuka['galat'].values())}; "
                  f"load {baris['beban']:.2f}", flush=True)
    finally:
        os.killpg(app.pid, signal.SIGTERM)
        if lantai is not None:
            os.killpg(lantai.pid, signal.SIGTERM)
        app.wait(30)

    def kol(f):
        return [f(b) for b in putaran]

    print()
    print(f"{kantor_n} offices, {kasus_n:,} cases; {pengguna_n} users; gunicorn default workers (deploy/gunicorn.conf.py); "
          f"wrk {versi_wrk} {a.pengguna} connections; {a.putaran} rounds of {a.detik}s per phase; "
          f"load average (1 min) {rentang(kol(lambda b: b['beban']))} during, {os.cpu_count()} CPUs")
    print("\nclosed loop (as fast as answered), spread over rounds (min-max):")
    print("| | req/s | p50 ms | p95 ms | non-2xx | vs floor | web CPU ms/req |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for nama, kunci in (("floor (bare Flask, same JSON)", "lantai"), ("mix", "campuran")):
        print(f"| {nama} | {rentang(kol(lambda b: b[kunci]['rps']), '{:.0f}')} | {rentang(kol(lambda b: b[kunci]['p50']), '{:.0f}')} | "
              f"{rentang(kol(lambda b: b[kunci]['p95']), '{:.0f}')} | {rentang(kol(lambda b: b[kunci]['galat']), '{:.0f}')} | "
              f"{rentang(kol(lambda b: b[kunci]['rps'] / b['lantai']['rps']), '{:.3f}')}x | "
              f"{rentang(kol(lambda b: b[kunci]['cpu_ms']), '{:.2f}')} |")
    print(f"\nopen loop at {a.laju:.0f} req/s offered (latency from the due time), spread over rounds:")
    print("| kind | share | p50 ms | p95 ms | errors |")
    print("|---|---:|---:|---:|---:|")
    for jenis, bobot in CAMPURAN + (("all", 100),):
        def nilai(b, jenis=jenis):
            t = b["terbuka"]
            return [x for v in t["per_jenis"].values() for x in v] if jenis == "all" else t["per_jenis"].get(jenis, [])

        def galat(b, jenis=jenis):
            g = b["terbuka"]["galat"]
            return sum(g.values()) if jenis == "all" else g.get(jenis, 0)

        print(f"| {jenis} | {bobot}% | {rentang(kol(lambda b: persentil(nilai(b), 50)), '{:.0f}')} | "
              f"{rentang(kol(lambda b: persentil(nilai(b), 95)), '{:.0f}')} | {rentang(kol(galat), '{:.0f}')} |")
    lp = kol(lambda b: persentil(b["terbuka_lantai"]["per_jenis"].get("lantai", []), 95))
    print(f"| floor | - | {rentang(kol(lambda b: persentil(b['terbuka_lantai']['per_jenis'].get('lantai', []), 50)), '{:.0f}')} | "
          f"{rentang(lp, '{:.0f}')} | {rentang(kol(lambda b: sum(b['terbuka_lantai']['galat'].values())), '{:.0f}')} |")
    print(f"\nweb CPU per request at {a.laju:.0f} req/s: {rentang(kol(lambda b: b['terbuka']['cpu_ms']))} ms (target <= 6)")
    print(f"largest worker RSS: {rss_awal:.0f} MB after warm-up, {rentang(kol(lambda b: b['rss']), '{:.0f}')} MB after each round "
          "(target: flat, < 150 MB)")
    print(f"mix throughput {rentang(kol(lambda b: b['campuran']['rps'] / b['lantai']['rps']), '{:.3f}')}x the floor (target >= 0.06); "
          f"median {statistics.median(kol(lambda b: b['campuran']['rps'] / b['lantai']['rps'])):.3f}x")


if __name__ == "__main__":
    main()
