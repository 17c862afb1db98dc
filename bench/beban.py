"""Load benchmark: the case list, case page and intake under gunicorn, beside the framework's floor.

Data: ``dinsos demo generate`` with 100 offices and 1,000,000 cases on
PostgreSQL (``--skala 0.02`` for a quick run: 3 offices, 20,000 cases), built
once into its own database and reused while it matches (``bench/_db.py``).
The app runs under ``deploy/gunicorn.conf.py`` with its default workers
(2 x CPUs + 1 sync workers: 5 here) as the non-owner database role
(row-level security in force), embedded mode (no Redis), its case-list cache
on as in production (``dinsos.cases.tembolok``: one statement per request
checks the token and the office's data version); the list is measured again
on a second such server with the cache off, every answer built anew. The
floor is ``bench/_lantai.py`` under the same gunicorn settings, answering the
case-list API's own body, so the ratio is what the platform adds on top of
Flask and gunicorn; the same server also sends the statements the list sends
when it builds an answer, with plain psycopg, before answering that body (the
database's share of a built answer). The load comes from ``wrk`` (Debian's
package, installed if missing) in another process: 50 connections (users)
per scenario, each request picking one of ten offices and, for the detail,
one of 200 cases of that office. Each scenario is warmed up, then measured.

Printed: requests/s, p50 and p95 latency, non-2xx answers, throughput as a
ratio of the floor's, and the largest resident memory of a web worker.
Targets (issue 9): case list >= 0.5 of the floor, p95 < 50 ms, < 150 MB per worker.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

AKAR = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(AKAR / "platform"), str(AKAR / "workers"), str(Path(__file__).resolve().parent)]

import _db  # noqa: E402

SQL_DAFTAR = "floor + the list's SQL (psycopg)"
DAFTAR = "API case list"
DAFTAR_TANPA = "API case list, cache off"
KANTOR_DIUJI = 10
KASUS_PER_KANTOR = 200
AGEN = "dinsos-bench/1"  # the same User-Agent for the login and the load, as a browser keeps one
WRK_VERSI = "4.1.0"
LUA = r"""
local daftar = {}
local urut = 0
function init(args)
  local f = io.open(args[1], "r")
  for baris in f:lines() do
    local metode, jalur, kepala, isi = baris:match("^(%S+)\t(%S+)\t([^\t]*)\t?(.*)$")
    local h = {["User-Agent"] = "AGEN"}
    for k, v in kepala:gmatch("([^|=]+)=([^|]*)") do h[k] = v end
    if isi == "" then isi = nil end
    daftar[#daftar + 1] = {metode, jalur, h, isi}
  end
  f:close()
  urut = math.random(#daftar)
end
function request()
  urut = urut % #daftar + 1
  local r = daftar[urut]
  return wrk.format(r[1], r[2], r[3], r[4])
end
function done(summary, latency, requests)
  local galat = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("HASIL %d %f %f %f %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, galat))
end
""".replace("AGEN", AGEN)


def pastikan_wrk() -> str:
    """wrk from Debian's package; installed (as root, with apt) when missing."""
    if not shutil.which("wrk"):
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            sys.exit("wrk is needed: apt-get install wrk")
        subprocess.run(["apt-get", "install", "-y", "-q", f"wrk={WRK_VERSI}*"], check=True, stdout=subprocess.DEVNULL)
    versi = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()[1]
    return versi


def port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(modul: str, env: dict, folder: Path) -> tuple[subprocess.Popen, int]:
    port = port_bebas()
    proses = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(AKAR / "deploy" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", modul],
        env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=open(folder / f"{modul.split(':')[0]}.log", "w"),
        start_new_session=True,
    )
    # Each worker imports the whole app (about 2 s of CPU); on a busy machine five of them take a while.
    batas = time.monotonic() + float(os.environ.get("BENCH_MULAI_DETIK") or 180)
    while time.monotonic() < batas:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proses, port
        except urllib.error.HTTPError:
            return proses, port  # the floor has no /healthz: answering at all is enough
        except OSError:
            if proses.poll() is not None:
                sys.exit((folder / f"{modul.split(':')[0]}.log").read_text()[-3000:])
            time.sleep(0.2)
    os.killpg(proses.pid, signal.SIGTERM)
    sys.exit(f"{modul} did not start")


def pekerja(master: int) -> list[int]:
    """The worker processes of a gunicorn master."""
    hasil = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                    hasil.append(int(d.name))
            except (OSError, IndexError, ValueError):
                pass
    return hasil


def rss_mb(pid: int) -> float:
    try:
        teks = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    rss = re.search(r"VmRSS:\s+(\d+)", teks)  # absent while a recycled worker is exiting
    return int(rss[1]) / 1024 if rss else 0.0


class PemantauMemori(threading.Thread):
    """Samples the resident memory of the workers twice a second; keeps the largest seen."""

    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master, self.terbesar, self.berhenti = master, 0.0, threading.Event()

    def run(self):
        while not self.berhenti.wait(0.5):
            for pid in pekerja(self.master):
                self.terbesar = max(self.terbesar, rss_mb(pid))


def jalankan_wrk(url: str, permintaan: list[str], detik: int, pengguna: int, folder: Path) -> dict:
    naskah, daftar = folder / "beban.lua", folder / f"permintaan-{abs(hash(url)) % 10**6}.tsv"
    naskah.write_text(LUA)
    daftar.write_text("\n".join(permintaan) + "\n")
    perintah = ["wrk", "-t2", f"-c{pengguna}", f"-d{detik}s", "--timeout", "10s", "-s", str(naskah), url, "--", str(daftar)]
    keluaran = subprocess.run(perintah, capture_output=True, text=True, check=True).stdout
    n, durasi, p50, p95, galat = re.search(r"HASIL (\d+) (\S+) (\S+) (\S+) (\d+)", keluaran).groups()
    return {"rps": int(n) / float(durasi), "p50": float(p50), "p95": float(p95), "galat": int(galat), "n": int(n)}


def siapkan_klien(app_url: str, data: dict, pemilik_app) -> list[dict]:
    """For each office under test: a session cookie and an API token of its kepala bidang, case ids, an intake body."""
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
        for slug in list(data["akun"])[:KANTOR_DIUJI]:
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
            with dalam_tenant(tenant.id):
                email = data["akun"][slug]["kepala_bidang"]
                kabid = db.session.scalar(select(Pengguna).where(Pengguna.email == email))
                token = buat_token(kabid, "bench")
                kasus = [str(k) for k in db.session.scalars(select(Kasus.id).order_by(Kasus.dibuat_pada.desc()).limit(KASUS_PER_KANTOR))]
                layanan = db.session.scalars(select(Layanan).order_by(Layanan.kode)).first()
                isi = db.session.scalar(select(VersiLayanan.isi).where(VersiLayanan.layanan_id == layanan.id,
                                                                       VersiLayanan.versi == layanan.versi_terbaru))
                db.session.commit()
            badan = _db.badan_penerimaan(layanan.kode, isi, "Klien Uji Beban")
            hasil.append({"slug": slug, "token": token, "kasus": kasus, "badan": json.dumps(badan),
                          "cookie": masuk(app_url, slug, email, data["sandi"])})
    return hasil


def masuk(app_url: str, slug: str, email: str, sandi: str) -> str:
    """Log in through the login form; returns the session cookie header value."""
    toples = CookieJar()
    buka = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(toples))
    buka.addheaders = [("User-Agent", AGEN)]
    halaman = buka.open(f"{app_url}/t/{slug}/masuk").read().decode()
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', halaman)[1]
    buka.open(f"{app_url}/t/{slug}/masuk", data=urllib.parse.urlencode(
        {"email": email, "kata_sandi": sandi, "csrf_token": csrf}).encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in toples if c.name == "dinsos_sesi")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--skala", type=float, default=1.0, help="1.0: 100 offices, 1,000,000 cases; 0.02: 3 offices, 20,000")
    p.add_argument("--detik", type=int, default=20, help="measured seconds per scenario")
    p.add_argument("--pengguna", type=int, default=50, help="concurrent connections")
    p.add_argument("--bangun-ulang", action="store_true", help="rebuild the data even if the database has it")
    a = p.parse_args()

    versi_wrk = pastikan_wrk()
    kantor, kasus = max(3, round(100 * a.skala)), round(1_000_000 * a.skala)
    print(f"data: {kantor} offices, {kasus:,} cases (dinsos demo generate --seed 1)", flush=True)
    mulai = time.monotonic()
    data = _db.data_demo(kantor, kasus, bangun_ulang=a.bangun_ulang)
    print(f"  ready in {time.monotonic() - mulai:.0f}s (database {data['nama']}"
          f"{', reused' if time.monotonic() - mulai < 60 else ''})", flush=True)

    from dinsos import create_app

    folder = Path(tempfile.mkdtemp(prefix="dinsos-beban-"))
    pemilik = create_app({"INSTANCE_PATH": str(folder / "pemilik"), "SECRET_KEY": "bench", "REDIS_URL": None,
                          "DATABASE_URL": data["url_pemilik"], "ENCRYPTION_KEYS": data["kunci"]})
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DINSOS_", "DATABASE_URL", "REDIS_URL"))}
    env.update(PYTHONPATH=os.pathsep.join([str(AKAR / "platform"), str(AKAR / "workers"), str(AKAR / "bench")]),
               DATABASE_URL=data["url_app"], DINSOS_ENCRYPTION_KEYS=data["kunci"], DINSOS_SECRET_KEY="bench",
               DINSOS_INSTANCE_PATH=str(folder / "app"), DINSOS_LOG_LEVEL="warning",
               DINSOS_LOGIN_RATE_LIMIT="1000 per minute")
    app, port = gunicorn("dinsos.wsgi:app", env, folder)
    url = f"http://127.0.0.1:{port}"
    try:
        klien = siapkan_klien(url, data, pemilik)
        auth = lambda k: f"Authorization=Bearer {k['token']}"  # noqa: E731
        skenario = {
            # what every API request pays before its own work: the office, the token and its user
            "API who-am-I (auth only)": [f"GET\t/api/t/{k['slug']}/saya\t{auth(k)}" for k in klien],
            DAFTAR: [f"GET\t/api/t/{k['slug']}/kasus/\t{auth(k)}" for k in klien],
            "page case list": [f"GET\t/t/{k['slug']}/kasus/\tCookie={k['cookie']}" for k in klien],
            "API case detail": [f"GET\t/api/t/{k['slug']}/kasus/{i}\t{auth(k)}" for k in klien for i in k["kasus"]],
            "page case detail": [f"GET\t/t/{k['slug']}/kasus/{i}\tCookie={k['cookie']}" for k in klien for i in k["kasus"]],
            "API intake (POST)": [f"POST\t/api/t/{k['slug']}/kasus/\t{auth(k)}|Content-Type=application/json\t{k['badan']}"
                                  for k in klien],
        }
        pekerja_web = len(pekerja(app.pid))
        contoh = urllib.request.urlopen(urllib.request.Request(
            f"{url}/api/t/{klien[0]['slug']}/kasus/", headers={"Authorization": f"Bearer {klien[0]['token']}"})).read()
        (folder / "lantai.json").write_bytes(contoh)
        env_lantai = dict(env, BENCH_LANTAI_JSON=str(folder / "lantai.json"), BENCH_LANTAI_DB=data["url_app"])
        lantai, port_lantai = gunicorn("_lantai:app", env_lantai, folder)
        tanpa, port_tanpa = gunicorn("dinsos.wsgi:app", dict(env, DINSOS_TEMBOLOK_DAFTAR="0"), folder)
        hasil, memori = {}, {}
        try:
            daftar = [("floor (bare Flask, same JSON)", f"http://127.0.0.1:{port_lantai}", ["GET\t/lantai\t"], lantai),
                      (SQL_DAFTAR, f"http://127.0.0.1:{port_lantai}", skenario[DAFTAR], lantai)]
            daftar += [(nama, url, minta, app) for nama, minta in skenario.items()]
            daftar.insert(3, (DAFTAR_TANPA, f"http://127.0.0.1:{port_tanpa}", skenario[DAFTAR], tanpa))
            for nama, alamat, minta, server in daftar:
                pantau = PemantauMemori(server.pid)
                pantau.start()
                jalankan_wrk(alamat, minta, 3, a.pengguna, folder)  # warm-up: connections, caches, plans
                hasil[nama] = jalankan_wrk(alamat, minta, a.detik, a.pengguna, folder)
                pantau.berhenti.set()
                pantau.join()
                memori[nama] = pantau.terbesar
                print(f"  {nama}: {hasil[nama]['rps']:.0f} req/s", flush=True)
        finally:
            os.killpg(lantai.pid, signal.SIGTERM)
            os.killpg(tanpa.pid, signal.SIGTERM)
    finally:
        os.killpg(app.pid, signal.SIGTERM)
        app.wait(30)

    lantai_rps = hasil["floor (bare Flask, same JSON)"]["rps"]
    print()
    print(f"{kantor} offices, {kasus:,} cases; gunicorn {pekerja_web} sync workers; wrk {versi_wrk}, {a.pengguna} connections, "
          f"{a.detik}s per scenario; response of the list: {len(contoh):,} bytes")
    print(f"| {'scenario':<34} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'non-2xx':>7} | {'vs floor':>8} | {'max RSS/worker':>14} |")
    print(f"|{'-' * 36}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 10}|{'-' * 16}|")
    for nama, h in hasil.items():
        print(f"| {nama:<34} | {h['rps']:>7.0f} | {h['p50']:>7.1f} | {h['p95']:>7.1f} | {h['galat']:>7} | "
              f"{h['rps'] / lantai_rps:>7.2f}x | {memori[nama]:>11.0f} MB |")
    daftar_api, tanpa_api, sql = hasil[DAFTAR], hasil[DAFTAR_TANPA], hasil[SQL_DAFTAR]
    print(f"\ncase list API: {daftar_api['rps'] / lantai_rps:.2f}x the floor (target >= 0.5), p95 {daftar_api['p95']:.1f} ms "
          f"(target < 50), largest worker {max(memori.values()):.0f} MB (target < 150)")
    print(f"every answer built anew (cache off): {tanpa_api['rps'] / lantai_rps:.2f}x the floor, p95 {tanpa_api['p95']:.1f} ms; "
          f"the list's own SQL alone (plain psycopg, no ORM) {sql['rps'] / lantai_rps:.2f}x, "
          f"so the app without cache is {tanpa_api['rps'] / sql['rps']:.2f}x of its SQL")


if __name__ == "__main__":
    main()
