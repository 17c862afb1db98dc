"""Pages and downloads of the register book and the recaps: thin over ``register``, ``rekap``, ``lintas`` and ``ekspor``.

``/t/<slug>/laporan/...`` for an office's heads and admin (``laporan.lihat``);
``/t/<slug>/laporan/provinsi`` for a provincial office; ``/admin/laporan``
for platform admins.
"""
from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dinsos.admin.akses import perlu_admin_platform
from dinsos.audit.services import catat_peristiwa
from dinsos.core.db import db, sekarang
from dinsos.core.errors import tolak
from dinsos.izin import perlu_izin

from . import ekspor, lintas
from .dimensi import DIMENSI
from .grafik import grafik_rekap
from .periode import JENIS_PERIODE, PeriodeTidakValid, baca_periode, bulan_lalu
from .register import buku_register, tahun_tersedia
from .rekap import TANDA_SEMBUNYI, RekapTidakValid, rekap_kantor

bp = Blueprint("laporan", __name__, url_prefix="/t/<slug>/laporan")
bp_admin = Blueprint("laporan_admin", __name__, url_prefix="/admin/laporan")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZONA_PLATFORM = "Asia/Jakarta"
# The usual monthly report: last month, by PPKS category, men and women side by side.
PRESET_BULANAN = {"baris": "kategori", "kolom": "jenis_kelamin"}
CATATAN_SEMBUNYI = ("* disembunyikan: jumlah 1–4 tidak ditampilkan agar tidak ada orang yang dapat dikenali, "
                    "dan beberapa sel lain ikut disembunyikan agar angka itu tidak dapat dihitung dari jumlahnya.")


def _hari_ini(zona: str) -> date:
    return sekarang().astimezone(ZoneInfo(zona)).date()


def _unduh(isi: bytes, jenis: str, nama: str) -> Response:
    return Response(isi, mimetype=jenis, headers={"Content-Disposition": f'attachment; filename="{nama}"'})


def _tahun(arg, hari_ini: date) -> int:
    try:
        tahun = int(arg or hari_ini.year)
    except ValueError:
        tolak(400, _("Tahun harus angka, mis. %(t)s.", t=hari_ini.year))
    if not 2000 <= tahun <= 2100:
        tolak(400, _("Tahun harus antara 2000 dan 2100."))
    return tahun


# --- an office's own reports ------------------------------------------------------------------------


@bp.get("")
@perlu_izin("laporan.lihat")
def beranda(slug):
    return render_template("laporan/beranda.html", provinsi=g.tenant.tingkat == "provinsi")


def _register(slug):
    tahun = _tahun(request.args.get("tahun"), _hari_ini(g.tenant.zona_waktu))
    baris = buku_register(tahun, current_user)
    # The book shows many clients at once: its every opening is on the audit log (UU 27/2022).
    catat_peristiwa("lihat_buku_register", objek_jenis="buku_register", objek_id=str(tahun), aktor=current_user.label_audit,
                    format=request.endpoint.rsplit(".", 1)[-1])
    db.session.commit()
    return tahun, baris


@bp.get("/register")
@perlu_izin("laporan.lihat")
def register(slug):
    tahun, baris = _register(slug)
    return render_template("laporan/register.html", tahun=tahun, baris=baris, daftar_tahun=tahun_tersedia(_hari_ini(g.tenant.zona_waktu)),
                           kolom=ekspor.KOLOM_REGISTER)


@bp.get("/register.pdf")
@perlu_izin("laporan.lihat")
def register_pdf(slug):
    tahun, baris = _register(slug)
    return _unduh(ekspor.buku_register_pdf(baris, g.tenant, tahun, sekarang()), "application/pdf",
                  f"buku-register-{g.tenant.slug}-{tahun}.pdf")


@bp.get("/register.xlsx")
@perlu_izin("laporan.lihat")
def register_xlsx(slug):
    tahun, baris = _register(slug)
    return _unduh(ekspor.buku_register_xlsx(baris, g.tenant.nama, tahun), XLSX, f"buku-register-{g.tenant.slug}-{tahun}.xlsx")


def _pilihan(lintas_: bool) -> dict:
    return {k: d.nama for k, d in DIMENSI.items() if lintas_ or not d.lintas_saja}


def _baca(zona: str, lintas_: bool, bawaan: dict):
    """Period and dimensions from the query string; (periode, baris, kolom, galat)."""
    arg = {**bawaan, **request.args.to_dict()}
    if "kolom" in request.args and not request.args["kolom"]:
        arg["kolom"] = None
    try:
        periode = baca_periode(arg, zona, _hari_ini(zona))
    except PeriodeTidakValid as e:
        return None, arg.get("baris"), arg.get("kolom"), (e.kolom, str(e))
    return periode, arg.get("baris"), arg.get("kolom"), None


def _halaman_rekap(template: str, hitung, zona: str, lintas_: bool, bawaan: dict, judul: str, unduh: str, **lain):
    periode, baris, kolom, galat = _baca(zona, lintas_, bawaan)
    tabel = None
    if galat is None:
        try:
            tabel = hitung(periode, baris, kolom)
        except RekapTidakValid as e:
            galat = (e.kolom, str(e))
    konteks = dict(tabel=tabel, periode=periode, baris=baris, kolom=kolom, galat=galat, pilihan=_pilihan(lintas_),
                   jenis_periode=JENIS_PERIODE, arg=request.args, judul=judul, unduh=unduh, tanda=TANDA_SEMBUNYI,
                   catatan_sembunyi=CATATAN_SEMBUNYI if lintas_ else None,
                   grafik=grafik_rekap(tabel, f"{judul}, {periode.teks}") if tabel else None, **lain)
    return render_template(template, **konteks), 400 if galat else 200


def _unduh_rekap(hitung, zona: str, lintas_: bool, bawaan: dict, judul: str, nama: str):
    periode, baris, kolom, galat = _baca(zona, lintas_, bawaan)
    if galat is not None:
        tolak(400, galat[1])
    try:
        tabel = hitung(periode, baris, kolom)
    except RekapTidakValid as e:
        tolak(400, str(e))
    catatan = [CATATAN_SEMBUNYI] if lintas_ else []
    return _unduh(ekspor.rekap_xlsx(tabel, judul, catatan), XLSX, f"{nama}-{periode.dari:%Y%m%d}-{periode.sampai:%Y%m%d}.xlsx")


def _hitung_kantor(periode, baris, kolom):
    return rekap_kantor(periode, baris, kolom or None, sekarang())


def _judul_kantor():
    return f"Rekap kasus {g.tenant.nama}"


@bp.get("/rekap")
@perlu_izin("laporan.lihat")
def rekap(slug):
    if request.args.get("preset") == "bulanan":
        return redirect(url_for("laporan.rekap", **bulan_lalu(_hari_ini(g.tenant.zona_waktu)), **PRESET_BULANAN))
    return _halaman_rekap("laporan/rekap.html", _hitung_kantor, g.tenant.zona_waktu, False, {"baris": "kategori"},
                          _judul_kantor(), "laporan.rekap_xlsx")


@bp.get("/rekap.xlsx")
@perlu_izin("laporan.lihat")
def rekap_xlsx(slug):
    return _unduh_rekap(_hitung_kantor, g.tenant.zona_waktu, False, {"baris": "kategori"}, _judul_kantor(), f"rekap-{g.tenant.slug}")


# --- a province over its kabupaten/kota --------------------------------------------------------------


def _provinsi_saja():
    if g.tenant.tingkat != "provinsi":
        tolak(404, _("Rekap kabupaten/kota hanya tersedia bagi dinas sosial provinsi."))


def _hitung_provinsi(periode, baris, kolom):
    return lintas.rekap_provinsi(g.tenant, periode, baris, kolom or None, sekarang())


BAWAAN_PROVINSI = {"baris": "kategori", "kolom": "kantor"}


@bp.get("/provinsi")
@perlu_izin("laporan.lihat")
def provinsi(slug):
    _provinsi_saja()
    periode, _b, _k, _galat = _baca(g.tenant.zona_waktu, True, BAWAAN_PROVINSI)
    rujukan = lintas.statistik_rujukan(lintas.kantor_provinsi(g.tenant), periode) if periode else None
    halaman = _halaman_rekap("laporan/lintas.html", _hitung_provinsi, g.tenant.zona_waktu, True, BAWAAN_PROVINSI,
                             f"Rekap kasus kabupaten/kota {g.tenant.nama}", "laporan.provinsi_xlsx", rujukan=rujukan,
                             ukuran_rujukan=lintas.UKURAN_RUJUKAN, admin=False)
    db.session.commit()  # the audited crossings
    return halaman


@bp.get("/provinsi.xlsx")
@perlu_izin("laporan.lihat")
def provinsi_xlsx(slug):
    _provinsi_saja()
    jawaban = _unduh_rekap(_hitung_provinsi, g.tenant.zona_waktu, True, BAWAAN_PROVINSI,
                           f"Rekap kasus kabupaten/kota {g.tenant.nama}", f"rekap-provinsi-{g.tenant.slug}")
    db.session.commit()
    return jawaban


# --- the platform admin over every office ------------------------------------------------------------

BAWAAN_PLATFORM = {"baris": "kategori", "kolom": "provinsi"}


def _hitung_platform(periode, baris, kolom):
    return lintas.rekap_platform(periode, baris, kolom or None, sekarang())


@bp_admin.get("")
@perlu_admin_platform
def platform():
    halaman = _halaman_rekap("laporan/admin.html", _hitung_platform, ZONA_PLATFORM, True, BAWAAN_PLATFORM,
                             "Rekap kasus semua kantor", "laporan_admin.platform_xlsx", rujukan=None, admin=True)
    db.session.commit()
    return halaman


@bp_admin.get("/rekap.xlsx")
@perlu_admin_platform
def platform_xlsx():
    jawaban = _unduh_rekap(_hitung_platform, ZONA_PLATFORM, True, BAWAAN_PLATFORM, "Rekap kasus semua kantor", "rekap-platform")
    db.session.commit()
    return jawaban
