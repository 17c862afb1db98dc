"""Which account a request belongs to.

A staff session is valid only under its own office's URLs: the same cookie
under another office is anonymous. A platform admin's session is valid only
outside office URLs. The session id carries the account's session version,
so changing a password ends every other session. API requests authenticate
with a bearer token instead of the cookie.
"""
import uuid

from flask import g, redirect, request, url_for
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from dinsos.core.db import db
from dinsos.core.errors import tanggapan_kesalahan
from dinsos.core.extensions import login_manager
from dinsos.core.tenant import tenant_aktif

from .models import AdminPlatform, Pengguna
from .services import pengguna_dari_token


class Anonim(AnonymousUserMixin):
    peran = ()
    tenant_id = None
    is_admin_platform = False
    label_audit = "anonim"


def muat_akun(id_sesi: str):
    """Resolve a session id to an account valid for this request, or None."""
    if request.path.startswith("/api/"):
        return None  # the API takes bearer tokens only, so a cookie cannot be replayed cross-site
    bagian = (id_sesi or "").split(":")
    try:
        if bagian[0] == "u" and len(bagian) == 4:
            tenant_id, pengguna_id, versi = int(bagian[1]), uuid.UUID(bagian[2]), int(bagian[3])
            if tenant_aktif() != tenant_id:
                return None
            akun = db.session.scalar(select(Pengguna).where(Pengguna.id == pengguna_id))
        elif bagian[0] == "a" and len(bagian) == 3:
            admin_id, versi = int(bagian[1]), int(bagian[2])
            if tenant_aktif() is not None:
                return None
            akun = db.session.get(AdminPlatform, admin_id)
        else:
            return None
    except ValueError:
        return None
    if akun is None or not akun.aktif or akun.sesi_versi != versi:
        return None
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

    @login_manager.unauthorized_handler
    def _belum_masuk():
        if request.path.startswith("/api/") or tenant_aktif() is None and not request.path.startswith("/admin"):
            return tanggapan_kesalahan(401)
        tujuan = "auth.masuk" if tenant_aktif() is not None else "admin_auth.masuk"
        return redirect(url_for(tujuan, next=request.full_path))
