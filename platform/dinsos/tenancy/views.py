"""An office's home under ``/t/<slug>/``, and its own admin's settings page."""
from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dinsos.audit.services import catat_peristiwa
from dinsos.core.db import db
from dinsos.izin import perlu_izin

from . import forms
from .kop import KopDitolak, simpan_kop
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
        return _halaman(form, lepas), 400
    if form.is_submitted():
        return _halaman(form, lepas), 400
    forms.isi_awal(form, tenant)
    return _halaman(form, lepas)


def _halaman(form, lepas, form_kop=None):
    if form_kop is None:
        form_kop = forms.FormKop(formdata=None, tampil_asal=g.tenant.tampil_asal)
    return render_template("admin/pengaturan_kantor.html", form=form, lepas=lepas, form_kop=form_kop,
                           logo=g.tenant.logo_kop)


@bp.post("/pengaturan/kop")
@perlu_izin("tenant.kelola_kontak")
def pengaturan_kop(slug):
    """The letterhead logo (checked by content) and the public page's choice for platform-set values."""
    tenant = g.tenant
    form = forms.FormKop()
    galat = None
    if form.validate_on_submit():
        berkas = form.logo.data
        isi = berkas.read(BATAS_BACA) if berkas and getattr(berkas, "filename", "") else None
        try:
            diubah = simpan_kop(tenant, tampil_asal=form.tampil_asal.data, logo=isi, hapus_logo=form.hapus_logo.data)
        except KopDitolak as e:
            db.session.rollback()
            galat = str(e)
        else:
            if diubah:
                catat_peristiwa("kop_kantor_diubah", objek_jenis="tenant", objek_id=tenant.id, diubah=diubah)
            db.session.commit()
            flash(_("Pengaturan kop dan halaman publik disimpan.") if diubah else _("Tidak ada yang berubah."), "info")
            return redirect(url_for("tenancy.pengaturan"))
    form_utama = forms.FormPengaturan(formdata=None)
    forms.isi_awal(form_utama, tenant)
    if galat:
        form.logo.errors = [galat]
    return _halaman(form_utama, [], form), 400


BATAS_BACA = 512 * 1024 + 1  # one byte past the limit, so an oversize file is reported as such
