"""Complaint pages: the public form and status page, and the staff pages that work complaints."""
import uuid

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import false, func, select
from sqlalchemy.orm import selectinload

from dinsos.audit.services import catat_peristiwa
from dinsos.catalogue.models import Layanan
from dinsos.catalogue.services import daftar_layanan
from dinsos.core.db import db, sekarang
from dinsos.core.errors import jawaban_tolak, tolak
from dinsos.core.extensions import batas_dari_konfigurasi, limiter
from dinsos.izin import boleh, perlu_izin

from .forms import FormLacak, FormLangkah, FormPengaduan, FormPengaduanStaf, FormTutup
from .models import STATUS_PENGADUAN, Pengaduan
from .services import (
    KANAL_PENGADUAN,
    PengaduanBerubah,
    PengaduanTidakValid,
    cari_dengan_kode,
    lewati_langkah,
    selesaikan_langkah,
    syarat_terlambat,
    tampilan_kode,
    tenggat_pengaduan,
    terima_pengaduan,
    tutup_pengaduan,
)

bp = Blueprint("pengaduan", __name__, url_prefix="/t/<slug>/pengaduan")

# Per address and office. Generous enough for a family sharing one phone, tight enough to stop a script.
PER_HALAMAN = 200

LABEL_STATUS = {
    "diproses": _l("Sedang diproses"),
    "menunggu_jawaban": _l("Menunggu jawaban"),
    "selesai": _l("Selesai, sudah dijawab"),
}
LABEL_LANGKAH = {
    "menunggu": _l("Belum dimulai"),
    "berjalan": _l("Sedang berjalan"),
    "selesai": _l("Selesai"),
    "dilewati": _l("Dilewati"),
}


@bp.context_processor
def _label():
    return {"label_status": LABEL_STATUS, "label_langkah": LABEL_LANGKAH}


def _kunci_alamat(awalan: str):
    return lambda: f"{awalan}:{request.remote_addr}:{request.view_args.get('slug')}"


def _terlalu_sering(pesan):
    """on_breach for Flask-Limiter: answer 429 with our own message instead of the generic one."""

    def _tolak(_batas):
        return jawaban_tolak(429, str(pesan))

    return _tolak


def _pilihan_layanan() -> dict[str, str]:
    return {"": _("Kantor ini secara umum"), **{l.kode: l.nama for l in daftar_layanan()}}


def _layanan_dari_form(kode: str) -> Layanan | None:
    if not kode:
        return None
    return next((l for l in daftar_layanan() if l.kode == kode), None)


def _nama_layanan() -> dict:
    return {l.id: l.nama for l in db.session.scalars(select(Layanan))}


# --- public -------------------------------------------------------------------------

@bp.route("/", methods=["GET", "POST"])
@limiter.limit(
    batas_dari_konfigurasi("PENGADUAN_RATE_LIMIT"), methods=["POST"], key_func=_kunci_alamat("pengaduan"),
    on_breach=_terlalu_sering(_l("Terlalu banyak pengaduan dikirim dari alamat Anda ke kantor ini. "
                                 "Tunggu satu jam lalu kirim lagi, atau hubungi kantor melalui kanal lain.")),
)
def formulir(slug):
    """Anyone may complain, without an account; name and contact are optional."""
    form = FormPengaduan()
    form.layanan.choices = _pilihan_layanan()
    if request.method == "POST":
        if not form.validate():
            return render_template("pengaduan/formulir.html", form=form), 400
        pengaduan = terima_pengaduan(
            isi=form.isi.data, kanal="website", layanan=_layanan_dari_form(form.layanan.data),
            nama=form.nama.data, kontak=form.kontak.data,
        )
        db.session.commit()
        return render_template("pengaduan/diterima.html", kode=tampilan_kode(pengaduan.kode_lacak)), 201
    return render_template("pengaduan/formulir.html", form=form)


@bp.route("/lacak", methods=["GET", "POST"])
@limiter.limit(
    batas_dari_konfigurasi("PENGADUAN_LACAK_RATE_LIMIT"), methods=["POST"], key_func=_kunci_alamat("lacak"),
    on_breach=_terlalu_sering(_l("Terlalu banyak pencarian kode pelacakan dari alamat Anda. Tunggu sebentar lalu coba lagi.")),
)
def lacak(slug):
    """Status, steps done and, once closed, the answer: never who complained."""
    form = FormLacak()
    if request.method == "POST":
        if not form.validate():
            return render_template("pengaduan/lacak.html", form=form), 400
        pengaduan = cari_dengan_kode(form.kode.data)
        if pengaduan is None:
            tolak(404, _("Kode pelacakan %(kode)s tidak ditemukan di %(kantor)s. Periksa kembali kode pada bukti pengaduan Anda.",
                         kode=form.kode.data.strip()[:20], kantor=g.tenant.nama))
        return render_template(
            "pengaduan/status.html", p=pengaduan, kode=tampilan_kode(pengaduan.kode_lacak),
            layanan=_nama_layanan().get(pengaduan.layanan_id), tempo=tenggat_pengaduan([pengaduan.id])[pengaduan.id],
        )
    return render_template("pengaduan/lacak.html", form=form)


# --- staff ----------------------------------------------------------------------------

def _muat(pid: uuid.UUID) -> Pengaduan:
    pengaduan = db.session.scalar(select(Pengaduan).where(Pengaduan.id == pid))
    if pengaduan is None:
        tolak(404, _("Pengaduan tidak ditemukan di kantor ini."))
    return pengaduan


@bp.get("/kelola")
@perlu_izin("pengaduan.lihat")
def daftar(slug):
    """Newest first; filter by status, channel, service and overdue."""
    f = {k: request.args.get(k, "") for k in ("status", "kanal", "layanan", "terlambat")}
    q = select(Pengaduan).options(selectinload(Pengaduan.langkah))
    if f["status"] in STATUS_PENGADUAN:
        q = q.where(Pengaduan.status == f["status"])
    if f["kanal"] in KANAL_PENGADUAN:
        q = q.where(Pengaduan.kanal == f["kanal"])
    if f["layanan"] == "umum":
        q = q.where(Pengaduan.layanan_id.is_(None))
    elif f["layanan"]:
        layanan = _layanan_dari_form(f["layanan"])
        q = q.where(Pengaduan.layanan_id == layanan.id if layanan else false())
    if f["terlambat"]:
        q = q.where(syarat_terlambat(sekarang()))
    baris = db.session.scalars(q.order_by(Pengaduan.mulai_pada.desc()).limit(PER_HALAMAN)).all()
    return render_template(
        "pengaduan/daftar.html", baris=baris, f=f, status=STATUS_PENGADUAN, kanal=KANAL_PENGADUAN,
        layanan=daftar_layanan(), nama_layanan=_nama_layanan(), sekarang=sekarang(), tampilan_kode=tampilan_kode,
        per_halaman=PER_HALAMAN, kelola=boleh(current_user, "pengaduan.kelola"),
        tempo=tenggat_pengaduan([p.id for p in baris]),
    )


@bp.route("/kelola/baru", methods=["GET", "POST"])
@perlu_izin("pengaduan.kelola")
def catat(slug):
    """Record a complaint that came by phone, WhatsApp, email, fax, the box, in person or SP4N-LAPOR!."""
    form = FormPengaduanStaf()
    form.layanan.choices = _pilihan_layanan()
    if request.method == "POST":
        if not form.validate():
            return render_template("pengaduan/catat.html", form=form), 400
        try:
            pengaduan = terima_pengaduan(
                isi=form.isi.data, kanal=form.kanal.data, layanan=_layanan_dari_form(form.layanan.data),
                nama=form.nama.data, kontak=form.kontak.data, nomor_referensi=form.nomor_referensi.data,
                dicatat_oleh=current_user.id,
            )
        except PengaduanTidakValid as e:
            db.session.rollback()
            flash(str(e), "galat")
            return render_template("pengaduan/catat.html", form=form), 400
        db.session.commit()
        flash(_("Pengaduan dicatat dengan kode %(kode)s. Sampaikan kode ini kepada pelapor.", kode=tampilan_kode(pengaduan.kode_lacak)), "info")
        return redirect(url_for("pengaduan.rincian", pid=pengaduan.id))
    return render_template("pengaduan/catat.html", form=form)


def _halaman_rincian(pengaduan: Pengaduan, form_langkah=None, form_tutup=None, kode=200):
    lihat_identitas = boleh(current_user, "pengaduan.kelola")
    if lihat_identitas and not pengaduan.anonim:
        # The complainant's identity was shown: the law asks that every such processing is recorded.
        catat_peristiwa("lihat_identitas_pelapor", objek_jenis="pengaduan", objek_id=pengaduan.id)
        db.session.commit()
    berjalan = pengaduan.langkah_berjalan
    form_langkah = form_langkah or FormLangkah(langkah_id=str(berjalan.id) if berjalan else "")
    return render_template(
        "pengaduan/rincian.html", p=pengaduan, lihat_identitas=lihat_identitas, kelola=lihat_identitas,
        kode=tampilan_kode(pengaduan.kode_lacak), kanal=KANAL_PENGADUAN, layanan=_nama_layanan().get(pengaduan.layanan_id),
        form_langkah=form_langkah, form_tutup=form_tutup or FormTutup(), sekarang=sekarang(),
        tempo=tenggat_pengaduan([pengaduan.id])[pengaduan.id],
    ), kode


@bp.get("/kelola/<uuid:pid>")
@perlu_izin("pengaduan.lihat")
def rincian(slug, pid):
    return _halaman_rincian(_muat(pid))


@bp.post("/kelola/<uuid:pid>/langkah")
@perlu_izin("pengaduan.kelola")
def langkah(slug, pid):
    """Finish or skip the running step."""
    pengaduan = _muat(pid)
    form = FormLangkah()
    aksi = request.form.get("aksi")
    if not form.validate() or aksi not in ("selesai", "lewati"):
        if aksi not in ("selesai", "lewati"):
            flash(_("Pilih tindakan: selesaikan atau lewati langkah."), "galat")
        return _halaman_rincian(pengaduan, form_langkah=form, kode=400)
    kerjakan = selesaikan_langkah if aksi == "selesai" else lewati_langkah
    try:
        l = kerjakan(pengaduan, form.langkah_id.data, form.catatan.data, current_user.id)
    except PengaduanTidakValid as e:
        db.session.rollback()
        flash(str(e), "galat")
        return _halaman_rincian(pengaduan, form_langkah=form, kode=409 if isinstance(e, PengaduanBerubah) else 400)
    db.session.commit()
    flash(_("Langkah '%(nama)s' dicatat.", nama=l.nama), "info")
    return redirect(url_for("pengaduan.rincian", pid=pengaduan.id))


@bp.post("/kelola/<uuid:pid>/tutup")
@perlu_izin("pengaduan.kelola")
def tutup(slug, pid):
    """Close with the answer the complainant reads on the status page."""
    pengaduan = _muat(pid)
    form = FormTutup()
    if not form.validate():
        return _halaman_rincian(pengaduan, form_tutup=form, kode=400)
    try:
        tutup_pengaduan(pengaduan, form.jawaban.data, current_user.id)
    except PengaduanTidakValid as e:
        db.session.rollback()
        flash(str(e), "galat")
        return _halaman_rincian(pengaduan, form_tutup=form, kode=409 if isinstance(e, PengaduanBerubah) else 400)
    db.session.commit()
    flash(_("Pengaduan ditutup. Pelapor dapat membaca jawabannya dengan kode pelacakan."), "info")
    return redirect(url_for("pengaduan.rincian", pid=pengaduan.id))


def ringkasan() -> dict:
    """Counts for the dashboard panel of the bound office: open, waiting for an answer, overdue."""
    def hitung(*syarat):
        return select(func.count()).select_from(Pengaduan).where(*syarat).scalar_subquery()

    # One statement for the three figures.
    diproses, menunggu, terlambat = db.session.execute(select(
        hitung(Pengaduan.status == "diproses"), hitung(Pengaduan.status == "menunggu_jawaban"),
        hitung(syarat_terlambat(sekarang())))).one()
    return {"diproses": diproses, "menunggu_jawaban": menunggu, "terlambat": terlambat}
