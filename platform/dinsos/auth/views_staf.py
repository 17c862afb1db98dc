"""The office admin's staff pages under ``/t/<office>/pengaturan/staf``: thin over ``staf``.

A temporary password is shown on the response to the POST that made it, never after a redirect (it would
have to sit in the session), and that response is not cached: it is seen once.
"""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from dinsos.core.db import db
from dinsos.core.errors import tolak
from dinsos.izin import perlu_izin

from . import staf
from .forms import FormNonaktifkan, FormStaf, FormUbahStaf
from .services import KesalahanAkun

bp_staf = Blueprint("staf", __name__, url_prefix="/t/<slug>/pengaturan/staf")


def _muat(pengguna_id):
    try:
        return staf.muat_staf(pengguna_id)
    except KesalahanAkun as e:
        tolak(404, str(e))


def _sandi_sekali(pengguna, sandi: str, judul: str):
    respons = render_template("auth/staf_sandi.html", anggota=pengguna, sandi=sandi, judul=judul)
    return respons, 200, {"Cache-Control": "private, no-store"}


@bp_staf.get("/")
@perlu_izin("pengguna.kelola")
def daftar(slug):
    return render_template("auth/staf_daftar.html", daftar=staf.daftar_staf())


@bp_staf.route("/baru", methods=["GET", "POST"])
@perlu_izin("pengguna.kelola")
def baru(slug):
    form = FormStaf()
    if form.validate_on_submit():
        try:
            pengguna, sandi = staf.tambah_staf(email=form.email.data, nama=form.nama.data, peran=form.peran.data,
                                               nip=form.nip.data)
        except KesalahanAkun as e:
            db.session.rollback()
            form[e.bidang if e.bidang in form else "email"].errors.append(str(e))
        else:
            db.session.commit()
            return _sandi_sekali(pengguna, sandi, _("Staf ditambahkan"))
    return render_template("auth/staf_baru.html", form=form), 400 if form.is_submitted() else 200


@bp_staf.get("/<pengguna_id>")
@perlu_izin("pengguna.kelola")
def rinci(slug, pengguna_id):
    pengguna = _muat(pengguna_id)
    return render_template("auth/staf_rinci.html", anggota=pengguna, form=FormNonaktifkan(), form_polos=FlaskForm())


@bp_staf.route("/<pengguna_id>/ubah", methods=["GET", "POST"])
@perlu_izin("pengguna.kelola")
def ubah(slug, pengguna_id):
    pengguna = _muat(pengguna_id)
    form = FormUbahStaf(obj=pengguna)
    if form.validate_on_submit():
        try:
            berubah = staf.ubah_staf(pengguna, nama=form.nama.data, nip=form.nip.data, peran=form.peran.data, oleh=current_user)
        except KesalahanAkun as e:
            db.session.rollback()
            form[e.bidang if e.bidang in form else "peran"].errors.append(str(e))
        else:
            db.session.commit()
            flash(_("Data %(nama)s disimpan.", nama=pengguna.nama) if berubah else _("Tidak ada yang berubah."), "info")
            return redirect(url_for(".rinci", pengguna_id=pengguna.id))
    return render_template("auth/staf_ubah.html", form=form, anggota=pengguna), 400 if form.is_submitted() else 200


@bp_staf.post("/<pengguna_id>/nonaktifkan")
@perlu_izin("pengguna.kelola")
def nonaktifkan(slug, pengguna_id):
    pengguna = _muat(pengguna_id)
    form = FormNonaktifkan()
    if form.validate_on_submit():
        try:
            staf.nonaktifkan_staf(pengguna, oleh=current_user)
        except KesalahanAkun as e:
            db.session.rollback()
            form.yakin.errors.append(str(e))
        else:
            db.session.commit()
            flash(_("%(nama)s dinonaktifkan: tidak dapat masuk lagi, dan sesinya telah diakhiri.", nama=pengguna.nama), "info")
            return redirect(url_for(".rinci", pengguna_id=pengguna.id))
    return render_template("auth/staf_rinci.html", anggota=pengguna, form=form, form_polos=FlaskForm()), 400


@bp_staf.post("/<pengguna_id>/aktifkan")
@perlu_izin("pengguna.kelola")
def aktifkan(slug, pengguna_id):
    pengguna = _muat(pengguna_id)
    if not FlaskForm().validate_on_submit():
        tolak(400, _("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi."))
    try:
        staf.aktifkan_staf(pengguna)
    except KesalahanAkun as e:
        flash(str(e), "galat")
    else:
        db.session.commit()
        flash(_("%(nama)s aktif kembali.", nama=pengguna.nama), "info")
    return redirect(url_for(".rinci", pengguna_id=pengguna.id))


@bp_staf.post("/<pengguna_id>/atur-ulang-sandi")
@perlu_izin("pengguna.kelola")
def atur_ulang_sandi(slug, pengguna_id):
    pengguna = _muat(pengguna_id)
    if not FlaskForm().validate_on_submit():
        tolak(400, _("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi."))
    try:
        sandi = staf.atur_ulang_kata_sandi(pengguna, oleh=current_user)
    except KesalahanAkun as e:
        flash(str(e), "galat")
        return redirect(url_for(".rinci", pengguna_id=pengguna.id))
    db.session.commit()
    return _sandi_sekali(pengguna, sandi, _("Kata sandi diatur ulang"))
