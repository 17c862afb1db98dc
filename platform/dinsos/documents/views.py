"""Letter pages: public verification (no login) and staff downloads of the archived PDF."""
import re

from flask import Blueprint, Response, abort, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import undefer

from dinsos.audit.services import catat_peristiwa
from dinsos.core.db import db
from dinsos.core.errors import tolak
from dinsos.core.extensions import limiter

from .akses import boleh_akses_objek
from .forms import FormVerifikasi
from .models import SuratTerbit
from .surat import sidik
from .verifikasi import cari_kode, cocokkan, ringkasan_publik

bp = Blueprint("dokumen", __name__, url_prefix="/t/<slug>")

# A letter is tens of kilobytes; 2 MB leaves room for a large logo and the form around it.
BATAS_UNGGAH = 2 * 1024 * 1024
BATAS_FORMULIR = "20 per minute"
BATAS_KODE = "60 per minute"


def _kunci_batas() -> str:
    return f"{request.remote_addr}:{(request.view_args or {}).get('slug')}"


@bp.url_value_preprocessor
def _batasi_unggahan(endpoint, values):
    """Refuse an oversized verification upload before anything reads the body.

    URL value preprocessors run before ``before_request`` handlers, so this
    comes ahead of the CSRF check, which would otherwise parse the whole body.
    """
    if endpoint != "dokumen.verifikasi" or request.method != "POST":
        return
    request.max_content_length = BATAS_UNGGAH  # also caps bodies sent without Content-Length
    if (request.content_length or 0) > BATAS_UNGGAH:
        tolak(413, _("Berkas terlalu besar: berkas PDF surat yang diperiksa paling besar %(mb)d MB.", mb=BATAS_UNGGAH // (1024 * 1024)))


@bp.get("/verifikasi/<kode>")
@limiter.limit(BATAS_KODE, key_func=_kunci_batas)
def verifikasi_kode(slug, kode):
    """The page a letter's QR code opens."""
    surat = cari_kode(kode) if len(kode) <= 64 else None
    if surat is None:
        return render_template("dokumen/verifikasi_hasil.html", asli=False, kode_tak_dikenal=True), 404
    return render_template("dokumen/verifikasi_hasil.html", asli=True, surat=ringkasan_publik(surat, g.tenant))


@bp.route("/verifikasi", methods=["GET", "POST"])
@limiter.limit(BATAS_FORMULIR, methods=["POST"], key_func=_kunci_batas)
def verifikasi(slug):
    """Anyone checks a letter: its number and its PDF (or the PDF's SHA-256) must match the archive."""
    form = FormVerifikasi()
    if request.method == "GET":
        return render_template("dokumen/verifikasi.html", form=form)
    if not form.validate():
        return render_template("dokumen/verifikasi.html", form=form), 400
    if form.berkas.data:
        isi = form.berkas.data.read(BATAS_UNGGAH + 1)
        if not isi.startswith(b"%PDF-"):
            form.berkas.errors = [_("Berkas yang diunggah bukan PDF. Unggah berkas PDF surat yang diterima.")]
            return render_template("dokumen/verifikasi.html", form=form), 400
        sidik_diperiksa = sidik(isi)
    else:
        sidik_diperiksa = form.sidik.data
    surat = cocokkan(form.nomor.data, sidik_diperiksa)
    if surat is None:
        return render_template(
            "dokumen/verifikasi_hasil.html", asli=False, nomor=form.nomor.data.strip(), sidik_diperiksa=sidik_diperiksa
        )
    return render_template("dokumen/verifikasi_hasil.html", asli=True, surat=ringkasan_publik(surat, g.tenant))


def _nama_berkas(surat: SuratTerbit) -> str:
    return f"{surat.jenis}-{re.sub(r'[^A-Za-z0-9]+', '-', surat.nomor).strip('-')}.pdf"


def tanggapan_pdf(surat: SuratTerbit, *, cetak: bool = False, kode: int = 200) -> Response:
    """The archived PDF byte for byte: saved as a file, or (``cetak``) opened in the browser to print."""
    cara = "inline" if cetak else "attachment"
    return Response(
        surat.pdf,
        status=kode,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'{cara}; filename="{_nama_berkas(surat)}"', "Cache-Control": "private, no-store"},
    )


@bp.get("/surat/<uuid:surat_id>.pdf")
@login_required
def unduh(slug, surat_id):
    """The archived PDF, byte for byte, for staff allowed to see the letter's object. Every attempt is audited."""
    surat = db.session.scalar(select(SuratTerbit).where(SuratTerbit.id == surat_id).options(undefer(SuratTerbit.pdf)))
    if surat is None:
        abort(404)
    rincian = {"surat_id": str(surat.id), "nomor": surat.nomor, "jenis": surat.jenis}
    if not boleh_akses_objek(current_user, surat.objek_jenis, surat.objek_id):
        catat_peristiwa("unduh_surat_ditolak", objek_jenis=surat.objek_jenis, objek_id=surat.objek_id, **rincian)
        db.session.commit()
        tolak(403, _("Anda tidak berhak mengunduh surat %(nomor)s: surat ini milik data yang tidak Anda tangani.", nomor=surat.nomor))
    catat_peristiwa("unduh_surat", objek_jenis=surat.objek_jenis, objek_id=surat.objek_id, **rincian)
    db.session.commit()
    return tanggapan_pdf(surat)
