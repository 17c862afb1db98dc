"""Survey pages: the public form per service, the public IKM summary, the staff report, export and settings."""
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dinsos.audit.services import catat_peristiwa
from dinsos.catalogue.services import daftar_layanan, layanan_dari_kode
from dinsos.core.db import db, sekarang
from dinsos.core.errors import jawaban_tolak, tolak
from dinsos.core.extensions import batas_dari_konfigurasi, limiter
from dinsos.izin import perlu_izin

from . import ikm
from .ekspor import buku_rekap
from .forms import FormKonfigurasi, FormSurvei
from .grafik import grafik_nrr
from .services import (
    PROFIL,
    SEMESTER,
    SurveiTidakValid,
    TokenSudahDipakai,
    TokenTidakDikenal,
    baca_nilai,
    rekap,
    simpan_jawaban,
    simpan_konfigurasi,
    tahun_tersedia,
    teks_konfigurasi,
    token_dari_kode,
    unsur_kantor,
)

bp = Blueprint("survei", __name__, url_prefix="/t/<slug>")

# Per address and office. A walk-in kiosk at the service desk shares one address, so this is
# loose enough for a busy day there and still stops a script.


def _tolak_banjir(_batas):
    return jawaban_tolak(429, _("Terlalu banyak isian survei dikirim dari alamat Anda ke kantor ini. Tunggu satu jam lalu coba lagi."))


def _unsur() -> list[ikm.Unsur]:
    """The office's elements, the regulation's nine in the reader's language.

    An office's own elements are shown as written: they are data, never passed
    through the translation catalogue (whose templates mark text as safe).
    """
    return [ikm.Unsur(u.kode, _(u.nama), _(u.pertanyaan)) if u in ikm.UNSUR_BAKU else u for u in unsur_kantor()]


def _layanan_atau_404(kode: str):
    layanan = layanan_dari_kode(kode)
    if layanan is None:
        tolak(404, _("Layanan '%(kode)s' tidak ada di %(kantor)s.", kode=kode[:80], kantor=g.tenant.nama))
    return layanan


def _periksa_token(kode: str | None):
    """Refuse an unknown or used token before the respondent spends time on the form."""
    if not kode:
        return
    try:
        token = token_dari_kode(kode)
    except TokenTidakDikenal as e:
        tolak(404, str(e))
    if token.dipakai_pada is not None:
        tolak(409, _("Survei untuk token ini sudah diisi. Setiap kasus hanya dapat mengisi satu survei; terima kasih atas partisipasi Anda."))


@bp.route("/survei/<kode_layanan>", methods=["GET", "POST"])
@limiter.limit(
    batas_dari_konfigurasi("SURVEI_RATE_LIMIT"), methods=["POST"],
    key_func=lambda: f"survei:{request.remote_addr}:{request.view_args.get('slug')}", on_breach=_tolak_banjir,
)
def formulir(slug, kode_layanan):
    """The SKM questionnaire of one service: nine elements (and the office's own), profile, comment."""
    layanan = _layanan_atau_404(kode_layanan)
    unsur = _unsur()
    form = FormSurvei()
    if request.method == "GET":
        form.token.data = request.args.get("token", "")
        _periksa_token(form.token.data)
        return render_template("survei/formulir.html", form=form, layanan=layanan, unsur=unsur, skala=ikm.SKALA, dipilih={})
    dipilih = {u.kode: request.form.get(u.kode, "") for u in unsur}
    if not form.validate():
        return render_template("survei/formulir.html", form=form, layanan=layanan, unsur=unsur, skala=ikm.SKALA, dipilih=dipilih), 400
    try:
        simpan_jawaban(
            layanan, baca_nilai(request.form, unsur), {k: getattr(form, k).data for k in PROFIL},
            form.komentar.data, token=form.token.data or None,
        )
    except SurveiTidakValid as e:
        db.session.rollback()
        kode = 404 if isinstance(e, TokenTidakDikenal) else 409 if isinstance(e, TokenSudahDipakai) else 400
        flash(str(e), "galat")
        return render_template("survei/formulir.html", form=form, layanan=layanan, unsur=unsur, skala=ikm.SKALA, dipilih=dipilih), kode
    db.session.commit()
    return render_template("survei/terima_kasih.html", layanan=layanan), 201


# --- reports -----------------------------------------------------------------------------

def _tahun_ini() -> int:
    return sekarang().astimezone(ZoneInfo(g.tenant.zona_waktu)).year


def _saringan():
    """Year, semester (None = whole year) and service from the query string."""
    tahun = request.args.get("tahun", type=int) or _tahun_ini()
    if not 2000 <= tahun <= 2100:
        tolak(400, _("Tahun %(tahun)s di luar rentang laporan.", tahun=tahun))
    semester = request.args.get("semester", type=int)
    if semester not in (None, 1, 2):
        tolak(400, _("Semester harus 1 (Januari-Juni) atau 2 (Juli-Desember)."))
    kode = request.args.get("layanan") or ""
    layanan = _layanan_atau_404(kode) if kode else None
    return tahun, semester, layanan


def _nama_periode(tahun: int, semester: int | None) -> str:
    return f"{SEMESTER[semester]} {tahun}" if semester else _("Tahun %(tahun)s", tahun=tahun)


def _grafik(data: dict, judul: str, id_grafik: str):
    baris = [(f"{u.kode.upper()} {u.nama}", data["nrr"][u.kode]) for u in data["unsur"]]
    return grafik_nrr(baris, judul, id_grafik)


def _konteks_laporan():
    tahun, semester, layanan = _saringan()
    data = {**rekap(tahun, semester, layanan), "unsur": _unsur()}
    nama_periode = _nama_periode(tahun, semester)
    grafik = _grafik({"unsur": data["unsur"], "nrr": data["hasil"].nrr},
                     _("Nilai rata-rata (NRR) per unsur, %(periode)s", periode=nama_periode), "grafik-kantor")
    grafik_layanan = [
        _grafik({"unsur": data["unsur"], "nrr": b["hasil"].nrr},
                _("NRR per unsur: %(layanan)s", layanan=b["layanan"].nama), f"grafik-{b['layanan'].kode}")
        for b in data["per_layanan"]
    ]
    return dict(
        data=data, tahun=tahun, semester=semester, layanan_terpilih=layanan, nama_periode=nama_periode,
        grafik=grafik, grafik_layanan=grafik_layanan, daftar_tahun=tahun_tersedia(_tahun_ini()),
        daftar_layanan=daftar_layanan(), semester_label=SEMESTER, bulatkan=ikm.bulatkan, rentang_mutu=ikm.rentang_mutu(),
    )


@bp.get("/ikm")
def ringkasan(slug):
    """The office's published satisfaction index, per period and service."""
    return render_template("survei/ikm.html", **_konteks_laporan())


@bp.get("/ikm/rekap")
@perlu_izin("survei.lihat")
def laporan(slug):
    """The staff report: the same figures plus respondent profile and comments."""
    return render_template("survei/rekap.html", profil=PROFIL, **_konteks_laporan())


@bp.get("/ikm/rekap.xlsx")
@perlu_izin("survei.lihat")
def ekspor(slug):
    tahun, semester, layanan = _saringan()
    isi = buku_rekap(rekap(tahun, semester, layanan), g.tenant.nama, _nama_periode(tahun, semester), g.tenant.zona_waktu)
    nama = f"ikm-{g.tenant.slug}-{tahun}" + (f"-s{semester}" if semester else "") + (f"-{layanan.kode}" if layanan else "") + ".xlsx"
    return Response(
        isi, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{nama}"'},
    )


@bp.route("/ikm/pengaturan", methods=["GET", "POST"])
@perlu_izin("survei.atur")
def pengaturan(slug):
    """Extra elements and weights of the office's survey; weights must sum to exactly 1."""
    form = FormKonfigurasi()
    if request.method == "POST":
        if not form.validate():
            return render_template("survei/pengaturan.html", form=form, unsur_baku=ikm.UNSUR_BAKU), 400
        try:
            simpan_konfigurasi(form.unsur_tambahan.data, form.bobot.data)
        except SurveiTidakValid as e:
            db.session.rollback()
            flash(str(e), "galat")
            return render_template("survei/pengaturan.html", form=form, unsur_baku=ikm.UNSUR_BAKU), 400
        catat_peristiwa("ubah_konfigurasi_survei", objek_jenis="konfigurasi_survei")
        db.session.commit()
        flash(_("Pengaturan survei disimpan."), "info")
        return redirect(url_for("survei.pengaturan"))
    form.unsur_tambahan.data, form.bobot.data = teks_konfigurasi()
    return render_template("survei/pengaturan.html", form=form, unsur_baku=ikm.UNSUR_BAKU)
