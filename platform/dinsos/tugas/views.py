"""``/t/<slug>/tugas``: the logged-in staff member's work queue."""
from flask import Blueprint, render_template, request

from dinsos.core.db import sekarang
from dinsos.core.ui import zona_tenant
from dinsos.izin import perlu_izin

from .menu import tugas_sekarang
from .services import JENIS, SARINGAN_STATUS, hitung, saring

bp = Blueprint("tugas", __name__, url_prefix="/t/<slug>/tugas")


@bp.get("/")
@perlu_izin("kasus.kerjakan")
def daftar(slug):
    """Everything waiting for the user, most urgent first; ``?jenis=`` narrows it to one kind, ``?status=`` to
    overdue, due later today or at risk (the dashboard's tiles)."""
    semua = tugas_sekarang() or []
    jenis = request.args.get("jenis") if request.args.get("jenis") in JENIS else None
    status = request.args.get("status") if request.args.get("status") in SARINGAN_STATUS else None
    pada, zona = sekarang(), zona_tenant()
    tampil = saring(semua, jenis=jenis, status=status, pada=pada, zona=zona)
    return render_template("tugas/daftar.html", daftar=tampil, angka=hitung(semua, pada, zona), jenis=jenis, status=status)
