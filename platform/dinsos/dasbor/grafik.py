"""The median actual time of each SOP step against its time standard (mutu baku), drawn on the server as SVG.

Two bars per step on one scale: the standard (grey) and the median actual
time (green when within the standard, red when over). Presentation
attributes only, no ``style`` and no script, so the page's Content Security
Policy needs no exception and the chart prints.
"""
from markupsafe import Markup, escape

LEBAR = 760
LEBAR_LABEL = 300
LEBAR_BATANG = 340
TINGGI_BARIS = 44
ATAS = 28
ABU = "#9e9e9e"
HIJAU = "#1b5e20"
MERAH = "#a4000f"


def teks_menit(menit: float | None) -> str:
    """Minutes in words: '1 jam 5 menit', '45 menit'."""
    if menit is None:
        return "–"
    menit = round(menit)
    jam, sisa = divmod(abs(menit), 60)
    bagian = ([f"{jam} jam"] if jam else []) + ([f"{sisa} menit"] if sisa or not jam else [])
    return ("-" if menit < 0 else "") + " ".join(bagian)


def _potong(teks: str, n: int = 46) -> str:
    return teks if len(teks) <= n else teks[: n - 1] + "…"


def grafik_mutu_baku(baris: list[dict], judul: str, id_grafik: str, legenda: tuple[str, str, str]) -> Markup:
    """One row per step: ``label``, ``aktual`` and ``standar`` in minutes (either may be None).

    ``legenda``: the words for standard, median within the standard, and over it.
    """
    skala = max([b[k] for b in baris for k in ("aktual", "standar") if b.get(k)] + [1])
    tinggi = ATAS + TINGGI_BARIS * len(baris) + 8
    i_judul = escape(id_grafik) + "-judul"
    bagian = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LEBAR} {tinggi}" width="100%" role="img" '
        f'aria-labelledby="{i_judul}" font-family="sans-serif" font-size="12">',
        f'<title id="{i_judul}">{escape(judul)}</title>',
        f'<rect x="{LEBAR_LABEL}" y="6" width="12" height="10" fill="{ABU}"/>'
        f'<text x="{LEBAR_LABEL + 16}" y="15" fill="#1a1a1a">{escape(legenda[0])}</text>',
        f'<rect x="{LEBAR_LABEL + 80}" y="6" width="12" height="10" fill="{HIJAU}"/>'
        f'<text x="{LEBAR_LABEL + 96}" y="15" fill="#1a1a1a">{escape(legenda[1])}</text>',
        f'<rect x="{LEBAR_LABEL + 290}" y="6" width="12" height="10" fill="{MERAH}"/>'
        f'<text x="{LEBAR_LABEL + 306}" y="15" fill="#1a1a1a">{escape(legenda[2])}</text>',
    ]
    for i, b in enumerate(baris):
        y = ATAS + i * TINGGI_BARIS
        bagian.append(f'<text x="{LEBAR_LABEL - 8}" y="{y + 17}" text-anchor="end" fill="#1a1a1a">{escape(_potong(b["label"]))}</text>')
        for j, (kunci, warna) in enumerate((("standar", ABU), ("aktual", None))):
            nilai = b.get(kunci)
            yy = y + 4 + j * 17
            if nilai is None:
                bagian.append(f'<text x="{LEBAR_LABEL + 4}" y="{yy + 12}" fill="#555">–</text>')
                continue
            if warna is None:
                warna = MERAH if b.get("standar") is not None and nilai > b["standar"] else HIJAU
            lebar = max(LEBAR_BATANG * max(nilai, 0) / skala, 1)
            bagian.append(f'<rect x="{LEBAR_LABEL}" y="{yy}" width="{lebar:.1f}" height="14" fill="{warna}"/>')
            bagian.append(f'<text x="{LEBAR_LABEL + lebar + 6:.1f}" y="{yy + 12}" fill="#1a1a1a">{escape(teks_menit(nilai))}</text>')
    bagian.append("</svg>")
    return Markup("".join(bagian))
