"""Timing a subject and its baselines interleaved: one run of each per round, so a machine that slows down or
speeds up midway (another process, a checkpoint, a warming cache) weighs on both alike."""
import statistics
import time


def selang(fungsi: dict, ulang: int = 9, pemanasan: int = 2) -> dict:
    """``{name: callable}`` run in turn for ``ulang`` rounds after ``pemanasan`` untimed ones.

    Returns ``{name: (median ms, last result)}`` and, under ``"_rasio"``, each name's per-round ratio to the
    first name's as ``(min, median, max)``: the spread a single median hides.
    """
    hasil, waktu = {}, {n: [] for n in fungsi}
    for putaran in range(pemanasan + ulang):
        for nama, f in fungsi.items():
            mulai = time.perf_counter()
            hasil[nama] = f()
            if putaran >= pemanasan:
                waktu[nama].append((time.perf_counter() - mulai) * 1000)
    pertama = next(iter(fungsi))
    rasio = {n: sorted(a / b for a, b in zip(waktu[pertama], waktu[n], strict=True)) for n in fungsi}
    keluar = {n: (statistics.median(waktu[n]), hasil[n]) for n in fungsi}
    keluar["_rasio"] = {n: (r[0], statistics.median(r), r[-1]) for n, r in rasio.items()}
    return keluar
