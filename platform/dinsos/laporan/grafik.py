"""A recap's row totals as a horizontal bar chart, drawn on the server as SVG.

Presentation attributes only, no ``style`` and no script (the page's Content
Security Policy needs no exception, and it prints). Each bar carries its
number as text, so the chart reads without colour; a hidden count (``*``)
draws no bar. Rows with nothing are left out so the chart stays short.
"""
from markupsafe import Markup, escape

from . import sensor
from .rekap import Tabel

LEBAR = 540
LEBAR_LABEL = 230
LEBAR_BATANG = 250
TINGGI_BARIS = 24
ATAS = 8
WARNA = "#0b4f8a"


def _potong(teks: str, n: int = 32) -> str:
    return teks if len(teks) <= n else teks[: n - 1] + "…"


def grafik_rekap(tabel: Tabel, judul: str, id_grafik: str = "grafik-rekap") -> Markup | None:
    kolom_total = sensor.TOTAL if len(tabel.kolom) > 1 else tabel.kolom[0]
    baris = [(tabel.label_baris[b], tabel.nilai(b, kolom_total)) for b in tabel.baris]
    baris = [(l, n) for l, n in baris if n != 0]
    if not baris:
        return None
    skala = max([n for _l, n in baris if isinstance(n, int)] + [1])
    tinggi = ATAS + TINGGI_BARIS * len(baris) + 8
    i_judul = escape(id_grafik) + "-judul"
    bagian = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LEBAR} {tinggi}" width="100%" role="img" '
        f'aria-labelledby="{i_judul}" font-family="sans-serif" font-size="13">',
        f'<title id="{i_judul}">{escape(judul)}</title>',
    ]
    for i, (label, n) in enumerate(baris):
        y = ATAS + i * TINGGI_BARIS
        bagian.append(f'<text x="{LEBAR_LABEL - 8}" y="{y + 15}" text-anchor="end" fill="#1a1a1a">{escape(_potong(label))}</text>')
        if isinstance(n, int):
            lebar = max(LEBAR_BATANG * n / skala, 1)
            bagian.append(f'<rect x="{LEBAR_LABEL}" y="{y + 3}" width="{lebar:.1f}" height="16" fill="{WARNA}"/>')
            bagian.append(f'<text x="{LEBAR_LABEL + lebar + 6:.1f}" y="{y + 15}" fill="#1a1a1a">{n}</text>')
        else:
            bagian.append(f'<text x="{LEBAR_LABEL + 4}" y="{y + 15}" fill="#555">{escape(str(n))}</text>')
    bagian.append("</svg>")
    return Markup("".join(bagian))
