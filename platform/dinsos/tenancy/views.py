"""An office's home under ``/t/<slug>/``."""
from flask import Blueprint, redirect, url_for
from flask_login import current_user

bp = Blueprint("tenancy", __name__, url_prefix="/t/<slug>")


@bp.get("/")
def beranda(slug):
    if current_user.is_authenticated:
        return redirect(url_for("web.dasbor"))
    return redirect(url_for("auth.masuk"))
