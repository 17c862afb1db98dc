"""The staff inbox (read, mark read) and the office's notification settings."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from dinsos.core.db import db
from dinsos.core.errors import tolak
from dinsos.izin import boleh, perlu_izin

from .forms import FormPengaturan
from .services import (
    JENIS_NOTIFIKASI,
    KesalahanNotifikasi,
    daftar_notifikasi,
    kegagalan_kirim,
    pengaturan_kantor,
    simpan_pengaturan,
    tandai_dibaca,
    tandai_semua_dibaca,
    tautan_internal,
)

bp = Blueprint("notifikasi", __name__, url_prefix="/t/<slug>/notifikasi")
PER_HALAMAN = 50


@bp.get("/")
@login_required
def kotak_masuk(slug):
    # A page number past any inbox is just an empty page (and never an offset the database cannot hold).
    halaman = min(max(request.args.get("halaman", 1, type=int), 1), 100_000)
    saring = {"jenis": request.args.get("jenis") or None, "perlu": request.args.get("perlu") == "1"}
    try:
        baris, ada_berikutnya = daftar_notifikasi(current_user.id, halaman, PER_HALAMAN, jenis=saring["jenis"],
                                                  hanya_perlu_tindakan=saring["perlu"])
    except KesalahanNotifikasi as e:
        tolak(400, str(e))
    return render_template(
        "notifikasi/kotak_masuk.html",
        baris=baris,
        halaman=halaman,
        ada_berikutnya=ada_berikutnya,
        saring=saring,
        jenis=label_jenis(),
        boleh_atur=boleh(current_user, "tenant.kelola_kontak"),
    )


def label_jenis() -> dict:
    """The inbox's kinds in the reader's language, in ``JENIS_NOTIFIKASI``'s order."""
    label = {"giliran": _("Giliran dan penugasan"), "tenggat": _("Tenggat"), "rujukan": _("Rujukan"), "akun": _("Keamanan akun")}
    return {k: label[k] for k in JENIS_NOTIFIKASI}


@bp.post("/<uuid:notifikasi_id>/baca")
@login_required
def baca(slug, notifikasi_id):
    """Mark one notice read; with ``buka`` also follow its link."""
    notifikasi = tandai_dibaca(current_user.id, notifikasi_id)
    if notifikasi is None:
        tolak(404, _("Notifikasi ini tidak ada di kotak masuk Anda."))
    db.session.commit()
    if request.form.get("buka") and notifikasi.tautan and tautan_internal(notifikasi.tautan):
        return redirect(notifikasi.tautan)
    return redirect(url_for(".kotak_masuk"))


@bp.post("/baca-semua")
@login_required
def baca_semua(slug):
    jumlah = tandai_semua_dibaca(current_user.id)
    db.session.commit()
    flash(ngettext("%(num)d notifikasi ditandai sudah dibaca.", "%(num)d notifikasi ditandai sudah dibaca.", jumlah), "info")
    return redirect(url_for(".kotak_masuk"))


@bp.route("/pengaturan", methods=["GET", "POST"])
@perlu_izin("tenant.kelola_kontak")
def pengaturan(slug):
    """Sender name for e-mail and the office's WhatsApp gateway."""
    form = FormPengaturan(obj=pengaturan_kantor())
    if form.validate_on_submit():
        try:
            simpan_pengaturan(form.nama_pengirim_email.data, form.webhook_whatsapp.data)
        except KesalahanNotifikasi as e:
            db.session.rollback()
            flash(str(e), "galat")
            return render_template("notifikasi/pengaturan.html", form=form, gagal=kegagalan_kirim()), 400
        db.session.commit()
        flash(_("Pengaturan notifikasi disimpan."), "info")
        return redirect(url_for(".pengaturan"))
    return render_template("notifikasi/pengaturan.html", form=form, gagal=kegagalan_kirim()), 400 if request.method == "POST" else 200
