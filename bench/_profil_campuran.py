"""Where the mix's CPU goes: its requests replayed in-process, CPU and wall time per kind, optionally under cProfile.

The same data, users and draws as ``campuran.py`` (``--skala``, ``--kantor``), but one request at a time
through Flask's test client in this process, so each kind's own cost shows without gunicorn, wrk or queueing:
CPU (``time.process_time``: this process only; the database's work is in the wall time) and wall time,
mean per kind. ``--profil DIR`` also writes one cProfile file per kind (``pstats`` reads them; the profiler
roughly doubles the times, so compare kinds and functions, not absolute figures).

Example: ``bench/_profil_campuran.py --skala 1.0 -n 600`` (1,000,000 cases; the kept database ``campuran.py`` uses).
Not a benchmark (``make bench`` skips it, as the underscore says): nothing runs concurrently and no floor is
measured beside it.
"""
import argparse
import collections
import cProfile
import sys
import tempfile
import threading
import time
from pathlib import Path

AKAR = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(AKAR / "platform"), str(AKAR / "workers"), str(Path(__file__).resolve().parent)]

import _db  # noqa: E402
from beban import AGEN  # noqa: E402
from campuran import permintaan_campuran, siapkan  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--skala", type=float, default=1.0, help="1.0: 100 offices, 1,000,000 cases; 0.1: 10 offices, 100,000")
    p.add_argument("--kantor", type=int, default=10, help="offices whose staff make the traffic")
    p.add_argument("-n", type=int, default=600, help="requests measured (after 100 to warm up)")
    p.add_argument("--profil", help="folder for one cProfile file per kind of request")
    a = p.parse_args()

    from werkzeug.serving import make_server

    from dinsos import create_app

    kantor_n, kasus_n = max(3, round(100 * a.skala)), round(1_000_000 * a.skala)
    data = _db.data_demo(kantor_n, kasus_n)
    folder = Path(tempfile.mkdtemp(prefix="dinsos-profil-"))
    umum = {"SECRET_KEY": "bench", "REDIS_URL": None, "ENCRYPTION_KEYS": data["kunci"]}
    pemilik = create_app(umum | {"INSTANCE_PATH": str(folder / "pemilik"), "DATABASE_URL": data["url_pemilik"]})
    app = create_app(umum | {"INSTANCE_PATH": str(folder / "app"), "DATABASE_URL": data["url_app"],
                             "LOGIN_RATE_LIMIT": "100000 per minute"})
    # Logging in and finding the list's later pages go over HTTP, as in campuran.py; the measured requests do not.
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    kantor = siapkan(f"http://127.0.0.1:{server.server_port}", data, pemilik, min(a.kantor, kantor_n))
    server.shutdown()

    klien = app.test_client(use_cookies=False)  # each request carries its own user's cookie or token

    def kirim(permintaan) -> int:
        _jenis, metode, jalur, kepala, isi = permintaan
        return klien.open(jalur, method=metode, headers=kepala | {"User-Agent": AGEN}, data=isi or None).status_code

    campur = permintaan_campuran(kantor, a.n + 100, benih=7)
    for x in campur[:100]:
        kirim(x)
    waktu, profil = collections.defaultdict(list), {}
    for x in campur[100:]:
        pr = profil.setdefault(x[0], cProfile.Profile()) if a.profil else None
        cpu, dinding = time.process_time(), time.perf_counter()
        if pr:
            pr.enable()
        status = kirim(x)
        if pr:
            pr.disable()
        waktu[x[0]].append(((time.process_time() - cpu) * 1000, (time.perf_counter() - dinding) * 1000))
        if status >= 400 or (status >= 300 and x[1] == "GET"):
            raise SystemExit(f"{x[1]} {x[2]} answered {status}")
    semua = [w for v in waktu.values() for w in v]
    print(f"{kantor_n} offices, {kasus_n:,} cases; {len(semua)} requests one at a time, in-process")
    print("| kind | n | CPU ms (mean) | wall ms (mean) |\n|---|---:|---:|---:|")
    for jenis, v in [*waktu.items(), ("all", semua)]:
        print(f"| {jenis} | {len(v)} | {sum(c for c, _w in v) / len(v):.1f} | {sum(w for _c, w in v) / len(v):.1f} |")
    if a.profil:
        Path(a.profil).mkdir(parents=True, exist_ok=True)
        for jenis, pr in profil.items():
            pr.dump_stats(Path(a.profil) / f"{jenis.replace(' ', '_')}.prof")


if __name__ == "__main__":
    main()
