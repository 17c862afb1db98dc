"""Public Standar Pelayanan pages: no login, no JavaScript, printable, and a PDF of each."""
from flask import Blueprint, abort, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import safe_join

from dinsos.core.extensions import batas_dari_konfigurasi, limiter

from . import tampilan
from .services import daftar_layanan, daftar_versi, layanan_dari_kode, versi_ke, versi_terbaru

bp = Blueprint("katalog", __name__, static_folder="static", static_url_path="/static/katalog")


@bp.get("/t/<slug>/standar-pelayanan")
def daftar_publik(slug):
    daftar = [(layanan, versi_terbaru(layanan)) for layanan in daftar_layanan()]
    return render_template(
        "katalog/daftar.html", kantor=g.tenant, daftar=daftar, nama_kanal=tampilan.NAMA_KANAL
    )


def _versi_diminta(kode: str):
    """The service and the version asked for (``?versi=N``, else the current one), or 404."""
    layanan = layanan_dari_kode(kode)
    if layanan is None:
        abort(404)
    diminta = request.args.get("versi")
    if diminta is None:
        return layanan, versi_terbaru(layanan)
    # A version number is small; a longer one cannot exist (and would overflow the column type).
    versi = versi_ke(layanan, int(diminta)) if diminta.isdigit() and len(diminta) <= 6 else None
    if versi is None:
        abort(404)
    return layanan, versi


def _staf_kantor() -> bool:
    """Whether the reader is signed in to this office (its own warnings are for it, not the public)."""
    return current_user.is_authenticated and getattr(current_user, "tenant_id", None) == g.tenant.id


def _konteks(layanan, versi) -> dict:
    return {
        **tampilan.konteks(versi.isi, g.tenant),
        "untuk_kantor": _staf_kantor(),
        "kantor": g.tenant,
        "versi": versi.versi,
        "terbaru": versi.versi == layanan.versi_terbaru,
        "semua_versi": daftar_versi(layanan),
    }


@bp.get("/t/<slug>/standar-pelayanan/<kode>")
def layanan(slug, kode):
    return render_template("katalog/layanan.html", **_konteks(*_versi_diminta(kode)))


@bp.get("/t/<slug>/standar-pelayanan/<kode>.pdf")
@limiter.limit(batas_dari_konfigurasi("PDF_RATE_LIMIT"))  # rendering costs CPU and the page is public
def layanan_pdf(slug, kode):
    layanan, versi = _versi_diminta(kode)
    alamat = current_app.config["BASE_URL"].rstrip("/") + url_for(
        "katalog.layanan", slug=slug, kode=kode, versi=None if versi.versi == layanan.versi_terbaru else versi.versi
    )
    # the PDF is the public document, whoever downloads it
    html = render_template("katalog/layanan_pdf.html", alamat=alamat, **{**_konteks(layanan, versi), "untuk_kantor": False})
    nama = f"standar-pelayanan-{slug}-{kode}-v{versi.versi}.pdf"
    return current_app.response_class(
        buat_pdf(html), mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{nama}"'}
    )


def _tolak_unduhan(url, *args, **kwargs):
    # The PDF is built from our own text only; never let a value in a standard make the server fetch a URL.
    raise ValueError(_("Sumber luar tidak dimuat: %(url)s", url=url))


def buat_pdf(html: str) -> bytes:
    """Render a page of this blueprint to PDF with the screen and print stylesheets."""
    from weasyprint import CSS, HTML

    folder = bp.static_folder
    gaya = [CSS(filename=safe_join(folder, nama)) for nama in ("katalog.css", "pdf.css")]
    return HTML(string=html, url_fetcher=_tolak_unduhan).write_pdf(stylesheets=gaya)
