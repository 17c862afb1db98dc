"""``/t/<slug>/tugas``: the logged-in staff member's work queue."""
from flask import Blueprint, render_template, request

from dinsos.izin import perlu_izin

from .menu import tugas_sekarang
from .services import JENIS, hitung

bp = Blueprint("tugas", __name__, url_prefix="/t/<slug>/tugas")


@bp.get("/")
@perlu_izin("kasus.kerjakan")
def daftar(slug):
    """Everything waiting for the user, most urgent first; ``?jenis=`` narrows it to one kind."""
    semua = tugas_sekarang() or []
    jenis = request.args.get("jenis")
    tampil = [t for t in semua if t.jenis == jenis] if jenis in JENIS else semua
    return render_template("tugas/daftar.html", daftar=tampil, angka=hitung(semua), jenis=jenis if jenis in JENIS else None)
