"""QR codes for printed documents: the letter's verification link, a survey link, and so on.

Generated locally with segno, so a page or PDF that shows one needs no network.
Error correction level M survives a stamp or a fold across part of the code.
"""
import segno


def _kode(url: str):
    return segno.make(url, error="m", micro=False)


def svg_qr(url: str, *, skala: int = 4) -> str:
    """An inline ``<svg>`` element encoding ``url``, for HTML pages and letters."""
    return _kode(url).svg_inline(scale=skala, border=4, omitsize=False)


def png_data_uri(url: str) -> str:
    """A ``data:image/png`` URI encoding ``url``, one pixel per module and the standard quiet zone.

    One pixel per module keeps the image exact; the stylesheet scales it up
    with ``image-rendering: pixelated`` so the edges stay sharp in print.
    """
    return _kode(url).png_data_uri(scale=1, border=4)

