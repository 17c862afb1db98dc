"""Which account a request belongs to.

A staff session is valid only under its own office's URLs: the same cookie
under another office is anonymous. A platform admin's session is valid only
outside office URLs. The cookie carries the login's own identifier, checked
against its row on every request (``auth.sesi_login``), so a logout, a
password change or the sessions page ends a session for every copy of the
cookie. API requests authenticate with a bearer token instead of the cookie.
"""
from flask import current_app, g, redirect, request, url_for
from flask_login import AnonymousUserMixin, current_user

from dinsos.core.db import db, sekarang
from dinsos.core.errors import tanggapan_kesalahan
from dinsos.core.extensions import login_manager
from dinsos.core.tenant import ikat_platform, lepas_platform, tenant_aktif

from . import sesi_login
from .services import pengguna_dari_token


class Anonim(AnonymousUserMixin):
    peran = ()
    tenant_id = None
    is_admin_platform = False
    label_audit = "anonim"


# What a member on a temporary password may still open: the change itself, and the way out.
BEBAS_SANDI_SEMENTARA = frozenset({"auth.kata_sandi", "auth.keluar", "auth.masuk", "auth.lupa_kata_sandi",
                                   "auth.atur_kata_sandi"})


def buka_ruang_platform() -> None:
    """Open the platform scope for the rest of this request (a platform admin's request, or an admin login)."""
    if "_token_platform" not in g:
        g._token_platform = ikat_platform()


def muat_akun(id_sesi: str):
    """Resolve the cookie's session identifier to an account valid for this request, or None."""
    if request.path.startswith("/api/"):
        return None  # the API takes bearer tokens only, so a cookie cannot be replayed cross-site
    admin = (id_sesi or "").startswith("a:")
    if admin and tenant_aktif() is None:
        buka_ruang_platform()  # admins' accounts and sessions are platform rows
    kini = sekarang()
    akun = sesi_login.periksa(id_sesi, tenant_id=tenant_aktif(), kini=kini,
                              umur=sesi_login.Umur.dari_konfigurasi(current_app.config))
    if akun is None:
        if admin and "_token_platform" in g:
            lepas_platform(g.pop("_token_platform"))
        return None
    if sesi_login.perlu_dicatat_dilihat(akun.sesi, kini):
        sesi_login.catat_dilihat(akun.sesi, kini)
    return akun


def pasang(app):
    login_manager.anonymous_user = Anonim
    login_manager.session_protection = "strong"
    login_manager.user_loader(muat_akun)

    @login_manager.request_loader
    def _dari_token(req):
        if not req.path.startswith("/api/"):
            return None
        kepala = req.headers.get("Authorization", "")
        if not kepala.startswith("Bearer ") or tenant_aktif() is None:
            return None
        pengguna = pengguna_dari_token(kepala[len("Bearer "):].strip())
        if pengguna is not None:
            g.lewat_token = True
            if db.session.dirty:
                # The token's "last used" moved (at most once a minute): keep it even when this request only reads.
                db.session.commit()
        return pengguna

    @app.before_request
    def _sandi_sementara():
        """Someone on a temporary password is led from every office page to the password change (tokens of the API
        are not a login; its tokens are made by someone who already chose a password)."""
        if tenant_aktif() is None or request.endpoint in BEBAS_SANDI_SEMENTARA or request.path.startswith("/api/"):
            return None
        if getattr(current_user, "wajib_ganti_sandi", False):
            return redirect(url_for("auth.kata_sandi"))
        return None

    @login_manager.unauthorized_handler
    def _belum_masuk():
        if request.path.startswith("/api/") or tenant_aktif() is None and not request.path.startswith("/admin"):
            return tanggapan_kesalahan(401)
        tujuan = "auth.masuk" if tenant_aktif() is not None else "admin_auth.masuk"
        return redirect(url_for(tujuan, next=request.full_path))
