"""The office's own audit log, for its admin and head of office."""
from flask import Blueprint, g, render_template, request
from sqlalchemy import select

from dinsos.core.db import db
from dinsos.izin import perlu_izin

from . import tampilan
from .models import CatatanAudit

bp = Blueprint("audit", __name__, url_prefix="/t/<slug>/audit")
PER_HALAMAN = 50


@bp.get("/")
@perlu_izin("audit.lihat")
def daftar(slug):
    """Newest first, keyset-paginated by id."""
    q = select(CatatanAudit).where(CatatanAudit.tenant_id == g.tenant.id)
    sebelum = request.args.get("sebelum", type=int)
    if sebelum:
        q = q.where(CatatanAudit.id < sebelum)
    baris = db.session.scalars(q.order_by(CatatanAudit.id.desc()).limit(PER_HALAMAN)).all()
    return render_template("audit/daftar.html", baris=baris, berikutnya=baris[-1].id if len(baris) == PER_HALAMAN else None,
                           nama_aktor=tampilan.nama_aktor(baris), kata_tindakan=tampilan.kata_tindakan, kata_objek=tampilan.kata_objek)
