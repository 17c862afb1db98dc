"""A standard's own arithmetic: do its SOP step times fit in the service's time limit?

A decree can set a 2-day limit over steps that add up to 4 working days
(Magetan). That is the decree's problem, not a file error: the standard loads,
and the admin (at preview) and the office (on its standard) see a warning.

The steps are summed along each way from the first step to a last step
(``berikutnya`` and ``cabang``; a branch back to an earlier step is not
walked again), and the longest way is compared with the limit. Only working
time (menit, jam, hari kerja) is summed against a working-day limit; a step
without a time standard counts as nothing. A working day counts as one
calendar day against a calendar limit, so the warning never overstates.
"""

from __future__ import annotations

from dinsos.core.kalender import DurasiTidakValid, parse_waktu

_HARI_KALENDER = {"hari": 1, "minggu": 7, "bulan": 30, "tahun": 365}


def _jalan_terpanjang(langkah: list[dict]) -> tuple[list[str], int, int]:
    """The way through the SOP with the most working time: (step codes, working days, minutes)."""
    per_kode = {l["kode"]: l for l in langkah}

    def waktu(l) -> tuple[int, int]:
        try:
            d = parse_waktu(l.get("waktu")) if l.get("waktu") else None
        except DurasiTidakValid:
            d = None
        if d is None or d.satuan not in ("menit", "jam", "hari_kerja"):
            return 0, 0
        return (d.jumlah, 0) if d.satuan == "hari_kerja" else (0, d.jumlah * (60 if d.satuan == "jam" else 1))

    terbaik: tuple[list[str], int, int] = ([], 0, 0)
    # depth-first over simple paths; an SOP has a handful of steps, so this stays small
    tumpukan = [([langkah[0]["kode"]], *waktu(langkah[0]))]
    while tumpukan:
        jalan, hari, menit = tumpukan.pop()
        l = per_kode[jalan[-1]]
        berikut = [t for t in [l.get("berikutnya"), *(c["ke"] for c in l.get("cabang") or [])] if t and t not in jalan]
        if not l.get("berikutnya") and not l.get("cabang") or not berikut:
            if (hari, menit) > (terbaik[1], terbaik[2]):
                terbaik = (jalan, hari, menit)
            continue
        for t in berikut:
            h, m = waktu(per_kode[t])
            tumpukan.append((jalan + [t], hari + h, menit + m))
    return terbaik


def teks_lama(hari: int, menit: int) -> str:
    bagian = []
    if hari:
        bagian.append(f"{hari} hari kerja")
    if menit >= 60:
        bagian.append(f"{menit // 60} jam")
    if menit % 60:
        bagian.append(f"{menit % 60} menit")
    return " ".join(bagian) or "0 menit"


def periksa_hitungan(isi: dict) -> list[str]:
    """Warnings (Indonesian) when the SOP's step times do not fit in the time limit; empty when they do."""
    langkah = (isi.get("sop") or {}).get("langkah") or []
    aturan = ((isi.get("penyampaian_pelayanan") or {}).get("jangka_waktu") or {}).get("aturan") or {}
    if not langkah or aturan.get("jenis") not in ("hari_kerja", "kalender"):
        return []
    jalan, hari, menit = _jalan_terpanjang(langkah)
    if aturan["jenis"] == "hari_kerja":
        batas = aturan["maksimal"]
        lewat = hari > batas or hari == batas and menit > 0
        teks_batas = f"{batas} hari kerja"
    else:
        batas = aturan["jumlah"] * _HARI_KALENDER[aturan["satuan"]]
        lewat = hari > batas or hari == batas and menit > 0
        teks_batas = f"{aturan['jumlah']} {aturan['satuan']}"
    if not lewat:
        return []
    return [
        f"Waktu langkah SOP berjumlah {teks_lama(hari, menit)} (langkah {', '.join(jalan)}), "
        f"melebihi jangka waktu layanan {teks_batas}. Periksa keputusan: standar waktu langkah atau "
        "jangka waktu layanan perlu disesuaikan."
    ]
