""""Impor dari teks keputusan": propose a draft service from a decree's text or PDF.

The page only proposes: the admin sees every value beside its source line and the
lines that were not placed, then adds the YAML to the draft, where the usual
validation, diff, preview and publish apply. Nothing is published from here.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from dinsos.audit.services import catat_peristiwa
from dinsos.catalogue.impor import draf_layanan, impor_pdf, impor_teks, yaml_draf
from dinsos.core.db import db

from . import services as layanan_draf
from .akses import perlu_admin_platform
from .forms import POLA_SLUG, FormRevisi
from .views import _draf_atau_404, _revisi, bp

BATAS_TEKS = 200_000  # characters; a decree is a few pages


class FormImpor(FormRevisi):
    teks = TextAreaField(_l("Teks keputusan (tempel hasil salin atau OCR)"), validators=[Optional(), Length(max=BATAS_TEKS)])
    pdf = FileField(_l("atau PDF keputusan yang punya lapisan teks"),
                    validators=[FileAllowed(["pdf"], _l("Pilih berkas PDF."))])


class FormBuatImpor(FormRevisi):
    kode = StringField(
        _l("Kode layanan (nama berkas tanpa .yaml)"),
        validators=[DataRequired(_l("Kode layanan wajib diisi.")), Length(max=80),
                    Regexp(POLA_SLUG, message=_l("Kode hanya huruf kecil, angka dan tanda '-'."))],
    )
    isi = TextAreaField(_l("Isi berkas (YAML) yang akan ditambahkan ke draf"), validators=[DataRequired()])


def _baca(form: FormImpor):
    """The import of the uploaded PDF or the pasted text, with the text lines; or an error message."""
    berkas = form.pdf.data
    if berkas and getattr(berkas, "filename", ""):
        try:
            hasil = impor_pdf(berkas.read())
        except ValueError as e:
            return None, None, str(e), ""
        return hasil, None, None, berkas.filename
    teks = (form.teks.data or "").replace("\r\n", "\n")
    if not teks.strip():
        return None, None, _("Tempel teks keputusan atau pilih PDF-nya."), ""
    return impor_teks(teks), teks.split("\n"), None, _("teks yang ditempel")


@bp.route("/draf/<slug>/impor", methods=["GET", "POST"])
@perlu_admin_platform
def impor(slug):
    draf = _draf_atau_404(slug)
    form = FormImpor()
    hasil = baris = None
    form_buat = FormBuatImpor(formdata=None)
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 422
        else:
            hasil, baris, galat, sumber = _baca(form)
            if galat:
                form.teks.errors = [galat]
                status = 422
            else:
                layanan = draf_layanan(hasil)
                form_buat.kode.data = layanan["kode"]
                form_buat.isi.data = yaml_draf(hasil, sumber)
                form_buat.revisi.data = draf.revisi
    return render_template(
        "admin/onboarding/impor.html", draf=draf, form=form, form_buat=form_buat, hasil=hasil,
        baris=baris, revisi=draf.revisi,
    ), status


@bp.post("/draf/<slug>/impor/buat")
@perlu_admin_platform
def impor_buat(slug):
    draf = _draf_atau_404(slug)
    form = FormBuatImpor()
    if not form.validate_on_submit():
        for galat in form.kode.errors + form.isi.errors:
            flash(str(galat), "galat")
        return redirect(url_for("admin.impor", slug=slug))
    try:
        nama = layanan_draf.tambah_layanan(draf, form.kode.data, form.isi.data, _revisi(form))
    except layanan_draf.DrafDitolak as e:
        flash(str(e), "galat")
        return redirect(url_for("admin.impor", slug=slug))
    catat_peristiwa("impor_teks_keputusan", objek_jenis="draf_onboarding", objek_id=draf.id, berkas=nama)
    db.session.commit()
    flash(_("Layanan hasil impor ditambahkan ke draf. Periksa setiap nilai terhadap sumbernya sebelum menerbitkan."), "info")
    return redirect(url_for("admin.berkas", slug=slug, nama=nama))
