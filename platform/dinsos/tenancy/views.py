"""An office's home under ``/t/<slug>/``, and its own admin's settings page."""
from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dinsos.audit.services import catat_peristiwa
from dinsos.core.db import db
from dinsos.izin import perlu_izin

from . import forms
from .services import PengaturanTidakValid, simpan_pengaturan

bp = Blueprint("tenancy", __name__, url_prefix="/t/<slug>")


@bp.get("/")
def beranda(slug):
    if current_user.is_authenticated:
        return redirect(url_for("web.dasbor"))
    return redirect(url_for("auth.masuk"))


@bp.route("/pengaturan", methods=["GET", "POST"])
@perlu_izin("tenant.kelola_kontak")
def pengaturan(slug):
    """Contact channels and office hours; the decree-based standard is changed only by onboarding."""
    tenant = g.tenant
    form = forms.FormPengaturan()
    lepas: list[str] = []
    if form.validate_on_submit():
        data, indeks = forms.data_dari_form(form)
        sebelum = {k: getattr(tenant, k) for k in data}
        try:
            diubah = simpan_pengaturan(tenant, data)
        except PengaturanTidakValid as e:
            db.session.rollback()
            lepas = forms.pasang_kesalahan(form, e.kesalahan, indeks)
        else:
            if diubah:
                catat_peristiwa(
                    "pengaturan_kantor_diubah", objek_jenis="tenant", objek_id=tenant.id, diubah=diubah,
                    sebelum={k: sebelum[k] for k in diubah}, sesudah={k: getattr(tenant, k) for k in diubah},
                )
            db.session.commit()
            flash(_("Pengaturan kantor disimpan.") if diubah else _("Tidak ada yang berubah."), "info")
            return redirect(url_for("tenancy.pengaturan"))
        forms.tambah_baris_kosong(form)
        return render_template("admin/pengaturan_kantor.html", form=form, lepas=lepas), 400
    if form.is_submitted():
        return render_template("admin/pengaturan_kantor.html", form=form, lepas=lepas), 400
    forms.isi_awal(form, tenant)
    return render_template("admin/pengaturan_kantor.html", form=form, lepas=lepas)
