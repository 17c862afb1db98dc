"""How close an import comes to a hand transcription, item by item.

Matching: each text is normalised (lower case, list markers and punctuation
dropped, spaces collapsed); an expected item counts as found when an unused
proposed item of the same component has a difflib ratio >= AMBANG. Lists are
scored per item, single values (decree number, fee, time rule...) as one item
each; complaint channels compare "jenis nilai-or-label"; SOP steps compare
kegiatan, kelengkapan, waktu and output, and pelaksana counts when the sets
overlap by at least half (Jaccard).
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from dinsos.catalogue.impor.teks import HasilImpor

AMBANG = 0.85


def normal(teks: object) -> str:
    t = str(teks if teks is not None else "").lower()
    t = re.sub(r"^\s*(?:\d{1,2}|[a-z])\.\s+", "", t)
    t = re.sub(r"(?m)^\s*\d{1,2}\.\s+", "", t)
    return " ".join(re.sub(r"[^\w@/]+", " ", t).split())


def cocok_daftar(harapan: list, usulan: list) -> tuple[int, int]:
    """Greedy best-first matching of expected to proposed items; returns (found, expected)."""
    h = [normal(x) for x in harapan]
    u = [normal(x) for x in usulan]
    pasangan = sorted(
        ((SequenceMatcher(None, a, b).ratio(), i, j) for i, a in enumerate(h) for j, b in enumerate(u)),
        reverse=True,
    )
    pakai_h, pakai_u = set(), set()
    for r, i, j in pasangan:
        if r < AMBANG:
            break
        if i not in pakai_h and j not in pakai_u:
            pakai_h.add(i)
            pakai_u.add(j)
    return len(pakai_h), len(h)


def _kanal(k: dict) -> str:
    return f"{k.get('jenis')} {k.get('nilai') if k.get('nilai') is not None else k.get('label')}"


def _ambil(d: dict | None, jalur: str):
    for k in jalur.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def skor_impor(hasil: HasilImpor, tangan: dict, dengan_sop: bool) -> dict[str, tuple[int, int]]:
    """Per component: (items found, items expected) of ``hasil`` against the hand transcription."""
    p = lambda j: hasil.nilai(j)  # noqa: E731
    sp, pp = "penyampaian_pelayanan", "pengelolaan_pelayanan"
    skor: dict[str, tuple[int, int]] = {}
    kep = tangan.get("keputusan") or {}
    ttd = kep.get("penandatangan") or {}
    pttd = p("keputusan.penandatangan") or {}
    harap = [str(kep.get(k)) for k in ("nomor", "tanggal", "ditetapkan_di") if kep.get(k) is not None]
    harap += [str(ttd.get(k)) for k in ("nama", "pangkat", "nip", "jabatan") if ttd.get(k)]
    dapat = [str(p(f"keputusan.{k}")) for k in ("nomor", "tanggal", "ditetapkan_di") if p(f"keputusan.{k}") is not None]
    dapat += [str(pttd.get(k)) for k in ("nama", "pangkat", "nip", "jabatan") if pttd.get(k)]
    skor["keputusan"] = cocok_daftar(harap, dapat)
    syarat = _ambil(tangan, f"{sp}.persyaratan") or {}
    skor["persyaratan"] = cocok_daftar(
        [d["nama"] for d in syarat.get("dokumen", [])] + list(syarat.get("kriteria", [])),
        [d["nama"] for d in p(f"{sp}.persyaratan.dokumen") or []] + list(p(f"{sp}.persyaratan.kriteria") or []),
    )
    skor["prosedur"] = cocok_daftar(_ambil(tangan, f"{sp}.prosedur") or [], p(f"{sp}.prosedur") or [])
    jw, pjw = _ambil(tangan, f"{sp}.jangka_waktu") or {}, p(f"{sp}.jangka_waktu") or {}
    aturan_h = {k: v for k, v in (jw.get("aturan") or {}).items() if k != "tinjauan_berkala"}
    aturan_u = {k: v for k, v in (pjw.get("aturan") or {}).items() if k != "tinjauan_berkala"}
    a, n = cocok_daftar([jw.get("uraian")], [pjw.get("uraian")])
    skor["jangka_waktu"] = (a + (aturan_h == aturan_u), n + 1)
    b, pb = _ambil(tangan, f"{sp}.biaya") or {}, p(f"{sp}.biaya") or {}
    a, n = cocok_daftar([b.get("uraian")], [pb.get("uraian")])
    skor["biaya"] = (a + (b.get("gratis") == pb.get("gratis")), n + 1)
    skor["produk"] = cocok_daftar([_ambil(tangan, f"{sp}.produk.uraian")], [(p(f"{sp}.produk") or {}).get("uraian")])
    skor["pengaduan.sarana"] = cocok_daftar(
        [_kanal(k) for k in _ambil(tangan, f"{sp}.pengaduan.sarana") or []],
        [_kanal(k) for k in p(f"{sp}.pengaduan.sarana") or []],
    )
    skor["pengaduan.tindak_lanjut"] = cocok_daftar(
        [t["nama"] for t in _ambil(tangan, f"{sp}.pengaduan.tindak_lanjut") or []],
        [t["nama"] for t in p(f"{sp}.pengaduan.tindak_lanjut") or []],
    )
    for k in ("dasar_hukum", "sarana_prasarana", "kompetensi_pelaksana", "pengawasan_internal",
              "jaminan_pelayanan", "jaminan_keamanan_keselamatan", "evaluasi_kinerja"):
        skor[k] = cocok_daftar(_ambil(tangan, f"{pp}.{k}") or [], p(f"{pp}.{k}") or [])
    jp, pjp = _ambil(tangan, f"{pp}.jumlah_pelaksana") or {}, p(f"{pp}.jumlah_pelaksana") or {}
    a, n = cocok_daftar([jp.get("uraian")], [pjp.get("uraian")])
    skor["jumlah_pelaksana"] = (a + (jp.get("jumlah") == pjp.get("jumlah")), n + 1)
    if dengan_sop:
        skor["sop"] = _skor_sop(hasil, tangan.get("sop") or {})
    return skor


def _skor_sop(hasil: HasilImpor, sop: dict) -> tuple[int, int]:
    dapat, total = 0, 0
    for k in ("dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan_perlengkapan",
              "peringatan", "pencatatan_pendataan"):
        if sop.get(k):
            a, n = cocok_daftar(sop[k], hasil.nilai(f"sop.{k}") or [])
            dapat, total = dapat + a, total + n
    for k in ("nomor_dokumen", "tanggal_terbit"):
        if sop.get(k):
            a, n = cocok_daftar([str(sop[k])], [str(hasil.nilai(f"sop.{k}"))])
            dapat, total = dapat + a, total + n
    usul = [u.nilai for u in hasil.usulan if u.jalur.startswith("sop.langkah[")]
    for i, lh in enumerate(sop.get("langkah") or []):
        lu = usul[i] if i < len(usul) else {}
        for k in ("kegiatan", "kelengkapan", "waktu", "output"):
            if lh.get(k) is not None:
                a, n = cocok_daftar([lh[k]], [lu.get(k)] if lu.get(k) else [])
                dapat, total = dapat + a, total + n
        h, u = set(lh.get("pelaksana") or []), set(lu.get("pelaksana") or [])
        dapat, total = dapat + (len(h & u) * 2 >= len(h | u) > 0), total + 1
    return dapat, total
