"""Region lists as JSON for the pickers' script (public data: the official list, nobody's case)."""
from flask import Blueprint, jsonify, request

from .daftar import anak, cari_kode, cari_nama

bp = Blueprint("wilayah", __name__, url_prefix="/wilayah", static_folder="static", static_url_path="/static",
               template_folder="templates")


def _baris(w) -> dict:
    return {"kode": w.kode, "nama": w.nama, "nama_lengkap": w.nama_lengkap, "tingkat": w.tingkat}


@bp.get("/anak.json")
def daftar_anak():
    """Children of ``?kode=`` (the 38 provinces without it); 404 for a code that is not in the data."""
    kode = (request.args.get("kode") or "").strip()
    if kode and cari_kode(kode) is None:
        return jsonify(galat=f"Kode wilayah '{kode[:20]}' tidak ada dalam data wilayah Kemendagri."), 404
    return jsonify(induk=kode or None, wilayah=[_baris(w) for w in anak(kode or None)])


@bp.get("/cari.json")
def cari():
    """Regions by name, ``?q=`` with optional ``tingkat`` (1-4) and ``di_dalam`` (a code)."""
    try:
        tingkat = int(request.args["tingkat"]) if request.args.get("tingkat") else None
    except ValueError:
        tingkat = None
    hasil = cari_nama((request.args.get("q") or "")[:100], tingkat=tingkat if tingkat in (1, 2, 3, 4) else None,
                      di_dalam=(request.args.get("di_dalam") or "").strip() or None, batas=20)
    return jsonify(wilayah=[_baris(w) for w in hasil])
