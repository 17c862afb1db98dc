"""Login per office, logout, password change, one's own sessions; platform admin login."""
import re
import uuid
from urllib.parse import urlparse

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from dinsos.audit.services import catat_peristiwa
from dinsos.core.db import db, sekarang
from dinsos.core.extensions import batas_dari_konfigurasi, limiter
from dinsos.core.tenant import tenant_aktif

from . import penahanan, sesi_login
from .forms import FormAturKataSandi, FormGantiKataSandi, FormLupaKataSandi, FormMasuk
from .models import AdminPlatform, Pengguna
from .penahanan import SAAT_MASUK_DITAHAN
from .services import KesalahanAkun, autentikasi, cocok_pengecoh, ganti_kata_sandi
from .sesi import buka_ruang_platform

bp = Blueprint("auth", __name__, url_prefix="/t/<slug>")
bp_admin = Blueprint("admin_auth", __name__, url_prefix="/admin")

PESAN_GAGAL = "Email atau kata sandi salah, atau akun sedang dikunci sementara."


def _tujuan_aman(bawaan: str) -> str:
    """Only follow ``next`` to a path on this site.

    A control character (a CR/LF would split the Location header: Werkzeug refuses it with a 500) or a
    backslash (browsers read ``/\\host`` as ``//host``) makes it no path of ours: the default is used.
    """
    tujuan = request.args.get("next") or ""
    if _KARAKTER_TERLARANG.search(tujuan):
        return bawaan
    bagian = urlparse(tujuan)
    if tujuan.startswith("/") and not tujuan.startswith("//") and not bagian.netloc and not bagian.scheme:
        return tujuan
    return bawaan


_KARAKTER_TERLARANG = re.compile(r"[\x00-\x1f\x7f\\\\]")


def _proses_masuk(form, cari_akun, bawaan_sukses: str, template: str, *, ruang: str, beri_tahu=None, **konteks):
    """The login form: check the password under the per-(account, source) throttle (``penahanan``).

    ``ruang`` scopes the throttle (the office, or "admin"); ``beri_tahu(akun, gagal, sumber)`` tells the owner
    when a hold starts.
    """
    if request.method == "POST" and not form.validate():
        return render_template(template, form=form, **konteks), 400
    if request.method == "POST":
        email = form.email.data.strip().lower()
        akun = cari_akun(email)
        cfg = current_app.config
        sumber = request.remote_addr
        kunci = penahanan.kunci(ruang, email, sumber)
        if penahanan.tertahan(kunci):
            cocok_pengecoh(form.kata_sandi.data)  # a held try costs what a real one does, and says the same
            hasil = None
            catat_peristiwa("masuk_ditahan", aktor="anonim", email=email, objek_jenis="akun", objek_id=akun and akun.id)
        else:
            hasil = autentikasi(akun, form.kata_sandi.data)
            if hasil is None:
                gagal, jeda = penahanan.catat_gagal(kunci, maks_gagal=cfg["LOGIN_MAX_FAILURES"], menit_maks=cfg["LOGIN_LOCK_MINUTES"])
                catat_peristiwa("masuk_gagal", aktor="anonim", email=email, objek_jenis="akun", objek_id=akun and akun.id,
                                ditahan_detik=jeda or None)
                if jeda and gagal == cfg["LOGIN_MAX_FAILURES"] and akun is not None and akun.aktif and beri_tahu:
                    beri_tahu(akun, gagal, sumber)
            else:
                penahanan.ulang(kunci)
        if hasil is None:
            db.session.commit()
            flash(_(PESAN_GAGAL), "galat")
            return render_template(template, form=form, **konteks), 401
        masukkan(hasil)
        catat_peristiwa("masuk", aktor=hasil.label_audit, objek_jenis="akun", objek_id=hasil.id)
        db.session.commit()
        return redirect(_tujuan_aman(bawaan_sukses))
    return render_template(template, form=form, **konteks)


def _beri_tahu_staf(akun, gagal: int, sumber: str | None) -> None:
    """Tell a staff member that guesses at her password are being held, through whoever listens (notify)."""
    for beri_tahu in SAAT_MASUK_DITAHAN.values():
        beri_tahu(akun, gagal, sumber)


def masukkan(akun) -> None:
    """Log an account in: a new session row (never a session carried over from before the login), then the cookie."""
    sesi_login.mulai(akun, kini=sekarang(), agen=request.user_agent.string, alamat_ip=request.remote_addr)
    login_user(akun)


def _keluarkan() -> None:
    """End this request's session row, then the cookie: a copy of the cookie is worth nothing afterwards."""
    if getattr(current_user, "sesi", None) is not None:
        sesi_login.akhiri(current_user.sesi, kini=sekarang(), alasan="keluar")
    db.session.commit()
    logout_user()


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(batas_dari_konfigurasi("LOGIN_RATE_LIMIT"), methods=["POST"],
               key_func=lambda: f"{request.remote_addr}:{request.view_args.get('slug')}")
def masuk(slug):
    if current_user.is_authenticated:
        return redirect(url_for("web.dasbor"))
    return _proses_masuk(
        FormMasuk(),
        lambda email: db.session.scalar(select(Pengguna).where(func.lower(Pengguna.email) == email)),
        url_for("web.dasbor"),
        "auth/masuk.html",
        ruang=f"t{tenant_aktif()}",
        beri_tahu=_beri_tahu_staf,
    )


@bp.post("/keluar")
@login_required
def keluar(slug):
    catat_peristiwa("keluar", objek_jenis="akun", objek_id=current_user.id)
    _keluarkan()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.masuk"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def kata_sandi(slug):
    form = FormGantiKataSandi()
    if request.method == "POST":
        if not form.validate():
            return render_template("auth/kata_sandi.html", form=form), 400
        try:
            berakhir = ganti_kata_sandi(current_user, form.lama.data, form.baru.data)
        except KesalahanAkun as e:
            getattr(form, e.bidang or "lama").errors.append(str(e))
            return render_template("auth/kata_sandi.html", form=form), 400
        catat_peristiwa("ganti_kata_sandi", objek_jenis="akun", objek_id=current_user.id, sesi_diakhiri=berakhir)
        db.session.commit()
        flash(_("Kata sandi diganti. Sesi lain pada akun ini telah diakhiri."), "info")
        return redirect(url_for("web.dasbor"))
    return render_template("auth/kata_sandi.html", form=form)


@bp.route("/lupa-kata-sandi", methods=["GET", "POST"])
@limiter.limit(batas_dari_konfigurasi("LOGIN_RATE_LIMIT"), methods=["POST"],
               key_func=lambda: f"{request.remote_addr}:{request.view_args.get('slug')}:lupa")
def lupa_kata_sandi(slug):
    """Ask for a recovery link; the answer is the same whether or not the address has an account here."""
    from .pemulihan import minta_pemulihan, tersedia, umur_menit

    if not tersedia():
        return render_template("auth/lupa_sandi.html", form=None)  # no e-mail here: the office admin resets it
    form = FormLupaKataSandi()
    if request.method == "POST":
        if not form.validate():
            return render_template("auth/lupa_sandi.html", form=form), 400
        minta_pemulihan(form.email.data)
        db.session.commit()
        flash(_("Bila alamat itu terdaftar dan aktif di kantor ini, tautan untuk mengatur ulang kata sandi sudah dikirim "
                "ke sana. Tautan berlaku %(menit)s menit dan hanya sekali pakai.", menit=umur_menit()), "info")
        return redirect(url_for("auth.masuk"))
    return render_template("auth/lupa_sandi.html", form=form)


@bp.route("/atur-kata-sandi/<token>", methods=["GET", "POST"])
def atur_kata_sandi(slug, token):
    """Choose a new password through a recovery link; an expired or used link says so and offers a new one."""
    from .pemulihan import akun_dari_token, pulihkan_kata_sandi

    akun = akun_dari_token(token)
    if akun is None:
        return render_template("auth/atur_sandi.html", form=None), 410
    form = FormAturKataSandi()
    if request.method == "POST":
        if not form.validate():
            return render_template("auth/atur_sandi.html", form=form, akun=akun), 400
        pulihkan_kata_sandi(akun, form.baru.data)
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()  # its session ended with the others
        flash(_("Kata sandi baru tersimpan; semua sesi akun ini telah diakhiri. Silakan masuk."), "info")
        return redirect(url_for("auth.masuk"))
    return render_template("auth/atur_sandi.html", form=form, akun=akun)


@bp.get("/akun/sesi")
@login_required
def sesi(slug):
    return _halaman_sesi("auth.akhiri_sesi", "auth.akhiri_sesi_lain")


@bp.post("/akun/sesi/<sesi_id>/akhiri")
@login_required
def akhiri_sesi(slug, sesi_id):
    return _akhiri_satu(sesi_id, "auth.sesi")


@bp.post("/akun/sesi/akhiri-lainnya")
@login_required
def akhiri_sesi_lain(slug):
    return _akhiri_lainnya("auth.sesi")


# --- one's own sessions: the same page for staff and platform admins --------------------------------------------


def _halaman_sesi(ke_akhiri: str, ke_akhiri_lain: str):
    daftar = sesi_login.aktif(current_user, kini=sekarang(), umur=sesi_login.Umur.dari_konfigurasi(current_app.config))
    return render_template("auth/sesi.html", daftar=daftar, kini_id=current_user.sesi.id, form=FlaskForm(),
                           ke_akhiri=ke_akhiri, ke_akhiri_lain=ke_akhiri_lain)


def _akhiri_satu(sesi_id: str, kembali: str):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        sesi_id = uuid.UUID(sesi_id)
    except ValueError:
        abort(404)
    if sesi_id == current_user.sesi.id:
        flash(_("Ini sesi yang sedang Anda pakai; untuk mengakhirinya, pilih Keluar."), "galat")
        return redirect(url_for(kembali))
    if not sesi_login.akhiri_milik(current_user, sesi_id, kini=sekarang()):
        abort(404)
    catat_peristiwa("sesi_diakhiri", objek_jenis="sesi", objek_id=sesi_id)
    db.session.commit()
    flash(_("Sesi itu telah diakhiri."), "info")
    return redirect(url_for(kembali))


def _akhiri_lainnya(kembali: str):
    if not FlaskForm().validate_on_submit():
        abort(400)
    jumlah = sesi_login.akhiri_lainnya(current_user, kini=sekarang(), alasan="diakhiri_pemilik", kecuali=current_user.sesi)
    catat_peristiwa("sesi_lain_diakhiri", objek_jenis="akun", objek_id=current_user.id, jumlah=jumlah)
    db.session.commit()
    flash(_("%(n)s sesi lain telah diakhiri.", n=jumlah), "info")
    return redirect(url_for(kembali))


@bp_admin.route("/masuk", methods=["GET", "POST"], endpoint="masuk")
@limiter.limit(batas_dari_konfigurasi("LOGIN_RATE_LIMIT"), methods=["POST"])
def masuk_admin():
    if current_user.is_authenticated and current_user.is_admin_platform:
        return redirect(url_for("admin_auth.beranda"))
    if request.method == "POST":
        buka_ruang_platform()  # the admin accounts (and the last login they record) are platform rows
    return _proses_masuk(
        FormMasuk(),
        lambda email: db.session.scalar(select(AdminPlatform).where(func.lower(AdminPlatform.email) == email)),
        url_for("admin_auth.beranda"),
        "auth/masuk.html",
        ruang="admin",  # platform admins have no inbox: the hold is in the audit log
        admin=True,
    )


@bp_admin.post("/keluar")
@login_required
def keluar_admin():
    _keluarkan()
    return redirect(url_for("admin_auth.masuk"))


def _perlu_admin():
    if not current_user.is_admin_platform:
        abort(403)


@bp_admin.get("/akun/sesi")
@login_required
def sesi_admin():
    _perlu_admin()
    return _halaman_sesi("admin_auth.akhiri_sesi_admin", "admin_auth.akhiri_sesi_lain_admin")


@bp_admin.post("/akun/sesi/<sesi_id>/akhiri")
@login_required
def akhiri_sesi_admin(sesi_id):
    _perlu_admin()
    return _akhiri_satu(sesi_id, "admin_auth.sesi_admin")


@bp_admin.post("/akun/sesi/akhiri-lainnya")
@login_required
def akhiri_sesi_lain_admin():
    _perlu_admin()
    return _akhiri_lainnya("admin_auth.sesi_admin")


@bp_admin.get("/")
@login_required
def beranda():
    if not current_user.is_admin_platform:
        return redirect(url_for("admin_auth.masuk"))
    from dinsos.tenancy.services import daftar_tenant

    return render_template("admin/beranda.html", daftar=daftar_tenant())
