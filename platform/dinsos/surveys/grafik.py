"""A horizontal bar chart of NRR per element, drawn on the server as SVG (no JavaScript).

Only presentation attributes are used, no ``style``, so the page's Content
Security Policy needs no exception.
"""
from fractions import Fraction

from markupsafe import Markup, escape

from .ikm import bulatkan

LEBAR = 720
TINGGI_BARIS = 30
LEBAR_LABEL = 300
LEBAR_BATANG = 330
ATAS = 24
WARNA = "#0b4f8a"


def _x(nilai: float) -> float:
    return LEBAR_LABEL + LEBAR_BATANG * nilai / 4


def grafik_nrr(baris: list[tuple[str, Fraction | None]], judul: str, id_grafik: str) -> Markup:
    """An SVG chart: one bar per (label, NRR on 1-4) row; a row without NRR shows a dash."""
    tinggi = ATAS + TINGGI_BARIS * len(baris) + 10
    bagian = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LEBAR} {tinggi}" width="100%" '
        f'role="img" aria-labelledby="{escape(id_grafik)}-judul" font-family="sans-serif" font-size="12">',
        f'<title id="{escape(id_grafik)}-judul">{escape(judul)}</title>',
    ]
    for skala in range(0, 5):
        x = _x(skala)
        bagian.append(f'<line x1="{x:.1f}" y1="{ATAS - 6}" x2="{x:.1f}" y2="{tinggi - 10}" stroke="#c8c8c8" stroke-width="1"/>')
        bagian.append(f'<text x="{x:.1f}" y="{ATAS - 10}" text-anchor="middle" fill="#555">{skala}</text>')
    for i, (label, nilai) in enumerate(baris):
        y = ATAS + i * TINGGI_BARIS
        teks = str(label) if len(str(label)) <= 44 else str(label)[:42] + "…"
        bagian.append(f'<text x="{LEBAR_LABEL - 8}" y="{y + 18}" text-anchor="end" fill="#1a1a1a">{escape(teks)}</text>')
        if nilai is None:
            bagian.append(f'<text x="{LEBAR_LABEL + 6}" y="{y + 18}" fill="#555">–</text>')
            continue
        lebar = LEBAR_BATANG * float(nilai) / 4
        bagian.append(f'<rect x="{LEBAR_LABEL}" y="{y + 5}" width="{lebar:.1f}" height="18" fill="{WARNA}"/>')
        bagian.append(f'<text x="{LEBAR_LABEL + lebar + 6:.1f}" y="{y + 18}" fill="#1a1a1a">{bulatkan(nilai)}</text>')
    bagian.append("</svg>")
    return Markup("".join(bagian))
