"""Onboarding pages for platform admins: offices, drafts, validation, diff, preview, publish, export."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from dinsos import wilayah
from dinsos.audit.services import catat_peristiwa
from dinsos.catalogue import tampilan
from dinsos.core.db import db
from dinsos.core.errors import tanggapan_kesalahan, tolak
from dinsos.core.formulir import pilihan
from dinsos.tenancy.ekspor import berkas_kantor, zip_berkas
from dinsos.tenancy.models import Tenant
from dinsos.tenancy.muat import GagalMuat

from . import services as layanan_draf
from . import sunting
from .akses import perlu_admin_platform
from .forms import FormBerkas, FormKantorBaru, FormLayananBaru, FormRevisi, FormTemplat, FormUnggah

bp = Blueprint("admin", __name__, url_prefix="/admin/onboarding", static_folder="static", static_url_path="/static")


@bp.errorhandler(413)
def _terlalu_besar(e):
    batas = layanan_draf.BATAS_UNGGAHAN // (1024 * 1024)
    return tanggapan_kesalahan(
        413,
        _("Unggahan terlalu besar. Zip folder kantor paling besar %(mb)s MB dan satu berkas YAML %(kb)s KB; "
          "periksa bahwa yang dipilih adalah folder kantor.", mb=batas, kb=layanan_draf.BATAS_BERKAS // 1024),
    )


def _draf_atau_404(slug):
    draf = layanan_draf.draf_dari_slug(slug)
    if draf is None:
        tolak(404, _("Tidak ada draf untuk kantor '%(slug)s'.", slug=slug))
    return draf


def _revisi(form) -> int | None:
    try:
        return int(form.revisi.data)
    except (TypeError, ValueError):
        return None


@bp.get("")
@perlu_admin_platform
def daftar():
    kantor = db.session.scalars(select(Tenant).order_by(Tenant.tingkat, Tenant.nama)).all()
    draf = {d.slug: d for d in layanan_draf.daftar_draf()}
    terdaftar = {k.slug for k in kantor}
    draf_baru = [d for slug, d in draf.items() if slug not in terdaftar]
    return render_template("admin/onboarding/daftar.html", kantor=kantor, draf=draf, draf_baru=draf_baru)


def _pilihan_provinsi():
    provinsi = db.session.scalars(select(Tenant).where(Tenant.tingkat == "provinsi").order_by(Tenant.nama)).all()
    terdaftar = {p.slug for p in provinsi}
    # A province whose draft is not yet published can already be a parent: it must be published first.
    draf = [(d.slug, _("%(nama)s (draf, belum diterbitkan)", nama=profil.get("nama") or d.slug))
            for d in layanan_draf.daftar_draf() if d.slug not in terdaftar
            and (profil := layanan_draf.profil_draf(d)).get("tingkat") == "provinsi"]
    return pilihan([("", _("— tidak ada (kantor provinsi) —"))] + [(p.slug, p.nama) for p in provinsi] + draf)


def _pilih_wilayah(args) -> dict:
    """The official-region chooser above the form (a GET form, so it works without script): lists and the proposal."""
    kode_prov = (args.get("provinsi") or "").strip()[:2]
    provinsi = wilayah.cari_kode(kode_prov)
    kode_kab = (args.get("kabkota") or "").strip()[:5]
    kabkota = wilayah.cari_kode(kode_kab) if provinsi and kode_kab.startswith(provinsi.kode + ".") else None
    terpilih = kabkota or provinsi
    usulan = wilayah.usulan_kantor(terpilih.kode) if terpilih else None
    induk = layanan_draf.provinsi_untuk(usulan["kode_wilayah"]) if usulan and usulan["tingkat"] != "provinsi" else None
    return {"daftar_provinsi": wilayah.anak(), "daftar_kabkota": wilayah.anak(provinsi.kode) if provinsi else [],
            "provinsi": provinsi.kode if provinsi else "", "kabkota": kabkota.kode if kabkota else "",
            "usulan": usulan, "induk": induk, "sumber": wilayah.SUMBER}


def _induk_hilang(form) -> dict | None:
    """The missing province of the kabupaten/kota in the form, offered for creation; None when there is none to offer."""
    if form.tingkat.data == "provinsi" or form.provinsi_induk.data:
        return None
    induk = layanan_draf.provinsi_untuk((form.kode_wilayah.data or "").strip())
    return induk if induk and induk["keadaan"] != "terdaftar" else None


@bp.route("/baru", methods=["GET", "POST"])
@perlu_admin_platform
def kantor_baru():
    pilih = _pilih_wilayah(request.args)
    usulan = pilih["usulan"]
    if request.method == "GET" and usulan:
        induk = pilih["induk"]
        awal = {k: usulan[k] for k in ("slug", "nama", "tingkat", "kode_wilayah", "zona_waktu")}
        awal["provinsi_induk"] = induk["slug"] if induk and induk["keadaan"] != "belum" else ""
        awal["buat_provinsi"] = bool(induk and induk["keadaan"] == "belum")
        form = FormKantorBaru(data=awal)
    else:
        form = FormKantorBaru()
    form.provinsi_induk.choices = _pilihan_provinsi()
    sah = form.validate_on_submit()
    provinsi_baru = None
    if sah and form.buat_provinsi.data and form.tingkat.data != "provinsi" and not form.provinsi_induk.data:
        try:
            slug_induk, provinsi_baru = layanan_draf.draf_provinsi(form.kode_wilayah.data.strip(), current_user.id)
        except layanan_draf.DrafDitolak as e:
            form.kode_wilayah.errors.append(str(e))
            sah = False
        else:
            form.provinsi_induk.data = slug_induk
            form.provinsi_induk.choices = _pilihan_provinsi()
    if form.is_submitted() and form.provinsi_induk.data not in {p.value for p in form.provinsi_induk.choices}:
        form.provinsi_induk.errors = [_("Provinsi induk tidak terdaftar; daftarkan provinsinya lebih dahulu.")]
        sah = False
    konteks = {"form": form, "pilih": pilih, "induk_hilang": _induk_hilang(form)}
    if sah:
        data = {k: getattr(form, k).data.strip() for k in ("slug", "nama", "tingkat", "kode_wilayah", "zona_waktu")}
        data["provinsi_induk"] = form.provinsi_induk.data or None
        try:
            draf = layanan_draf.draf_kantor_baru(data, current_user.id)
        except layanan_draf.DrafDitolak as e:
            if provinsi_baru is not None:
                db.session.rollback()  # the province draft started in this step goes too: all or nothing
            form.slug.errors.append(str(e))
            return render_template("admin/onboarding/kantor_baru.html", **konteks), 409
        db.session.commit()
        if provinsi_baru is not None:
            flash(_("Draf kantor provinsi %(slug)s juga dibuat dari data wilayah Kemendagri; terbitkan draf provinsi itu "
                    "lebih dahulu, lalu draf kabupaten/kota ini.", slug=provinsi_baru.slug), "info")
        flash(_("Draf kantor %(slug)s dibuat. Periksa hasil validasinya, lalu unggah atau tulis standar pelayanannya.",
                 slug=draf.slug), "info")
        return redirect(url_for("admin.draf", slug=draf.slug))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/onboarding/kantor_baru.html", **konteks), status


@bp.post("/kantor/<slug>/ubah")
@perlu_admin_platform
def mulai_ubah(slug):
    tenant = layanan_draf.tenant_dari_slug(slug)
    if tenant is None:
        tolak(404, _("Kantor '%(slug)s' tidak terdaftar.", slug=slug))
    if FormRevisi().validate_on_submit() and layanan_draf.draf_dari_slug(slug) is None:
        layanan_draf.draf_dari_kantor(tenant, current_user.id)
        db.session.commit()
    return redirect(url_for("admin.draf", slug=slug))


@bp.get("/kantor/<slug>/ekspor.zip")
@perlu_admin_platform
def ekspor(slug):
    tenant = layanan_draf.tenant_dari_slug(slug)
    if tenant is None:
        tolak(404, _("Kantor '%(slug)s' tidak terdaftar.", slug=slug))
    berkas = berkas_kantor(tenant)
    catat_peristiwa("ekspor_kantor", objek_jenis="tenant", objek_id=tenant.id, tenant_id=tenant.id, berkas=sorted(berkas))
    db.session.commit()
    return current_app.response_class(
        zip_berkas(slug, berkas), mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{slug}.zip"'},
    )


@bp.get("/draf/<slug>")
@perlu_admin_platform
def draf(slug):
    draf = _draf_atau_404(slug)
    data, kesalahan = layanan_draf.periksa_draf(draf)
    beda = layanan_draf.perbandingan(draf, data)
    for item in beda:
        item["html"] = Markup(item["html"]) if item["html"] else None  # difflib escapes the file text itself
    tenant = layanan_draf.tenant_dari_slug(slug)
    return render_template(
        "admin/onboarding/draf.html", draf=draf, kantor_terdaftar=tenant, kesalahan=kesalahan, beda=beda,
        layanan_valid={s["kode"] for s in data["layanan"]}, form=FormRevisi(revisi=draf.revisi),
        form_unggah=FormUnggah(revisi=draf.revisi), form_layanan=FormLayananBaru(revisi=draf.revisi),
        form_templat=_form_templat(FormTemplat(revisi=draf.revisi)),
    )


def _form_templat(form):
    form.sumber.choices = pilihan(layanan_draf.templat_layanan())
    return form


@bp.post("/draf/<slug>/templat")
@perlu_admin_platform
def templat(slug):
    """Start a service from a published one of any office (a template), then edit it in the form."""
    draf = _draf_atau_404(slug)
    form = _form_templat(FormTemplat())
    if not form.validate_on_submit() or form.sumber.data not in {p.value for p in form.sumber.choices}:
        for galat in form.kode.errors or [_("Pilih layanan yang akan disalin.")]:
            flash(str(galat), "galat")
        return redirect(url_for("admin.draf", slug=slug) + "#templat", code=303)
    try:
        nama = layanan_draf.salin_templat(draf, form.sumber.data, form.kode.data, _revisi(form))
    except layanan_draf.DrafDitolak as e:
        flash(str(e), "galat")
        return redirect(url_for("admin.draf", slug=slug) + "#templat", code=303)
    db.session.commit()
    flash(_("Layanan disalin ke %(nama)s; sesuaikan isinya dengan keputusan kantor ini.", nama=nama), "info")
    return redirect(url_for("admin.formulir", slug=slug, nama=nama), code=303)


@bp.route("/draf/<slug>/berkas/<path:nama>", methods=["GET", "POST"])
@perlu_admin_platform
def berkas(slug, nama):
    draf = _draf_atau_404(slug)
    if nama not in draf.berkas:
        tolak(404, _("Berkas %(nama)s tidak ada di draf ini.", nama=nama))
    form = FormBerkas()
    status = 200
    if form.validate_on_submit():
        try:
            layanan_draf.simpan_berkas(draf, nama, form.isi.data or "", _revisi(form))
        except layanan_draf.DrafKedaluwarsa as e:
            flash(str(e), "galat")
            status = 409
        except layanan_draf.DrafDitolak as e:
            flash(str(e), "galat")
            status = 400
        else:
            db.session.commit()
            flash(_("Berkas %(nama)s disimpan di draf.", nama=nama), "info")
            return redirect(url_for("admin.berkas", slug=slug, nama=nama))
    elif form.is_submitted():
        status = 400
    if status == 200:
        form.isi.data = draf.berkas[nama]
    teks = form.isi.data or ""
    form.revisi.data = draf.revisi
    _data, semua = layanan_draf.periksa_draf(draf)
    kesalahan = [k for k in semua if k.berkas == nama]
    baris_salah = {k.baris for k in kesalahan if k.baris}
    return render_template(
        "admin/onboarding/berkas.html", draf=draf, nama=nama, form=form, kesalahan=kesalahan,
        baris=list(enumerate(draf.berkas[nama].splitlines(), start=1)), baris_salah=baris_salah,
        tersimpan=teks == draf.berkas[nama],
    ), status


@bp.post("/draf/<slug>/layanan-baru")
@perlu_admin_platform
def layanan_baru(slug):
    draf = _draf_atau_404(slug)
    form = FormLayananBaru()
    if not form.validate_on_submit():
        for galat in form.kode.errors:
            flash(str(galat), "galat")
        return redirect(url_for("admin.draf", slug=slug))
    try:
        # an empty file starts with its code, so the form editor opens on a file that names itself
        isi = form.isi.data if (form.isi.data or "").strip() else f"kode: {form.kode.data}\n"
        nama = layanan_draf.tambah_layanan(draf, form.kode.data, isi, _revisi(form))
    except layanan_draf.DrafDitolak as e:
        flash(str(e), "galat")
        return redirect(url_for("admin.draf", slug=slug))
    db.session.commit()
    return redirect(url_for("admin.formulir", slug=slug, nama=nama))


@bp.post("/draf/<slug>/hapus/<path:nama>")
@perlu_admin_platform
def hapus(slug, nama):
    draf = _draf_atau_404(slug)
    form = FormRevisi()
    if form.validate_on_submit():
        try:
            layanan_draf.hapus_berkas(draf, nama, _revisi(form))
        except layanan_draf.DrafDitolak as e:
            flash(str(e), "galat")
        else:
            db.session.commit()
            flash(_("Berkas %(nama)s dihapus dari draf.", nama=nama), "info")
    return redirect(url_for("admin.draf", slug=slug))


@bp.post("/draf/<slug>/unggah")
@perlu_admin_platform
def unggah(slug):
    draf = _draf_atau_404(slug)
    form = FormUnggah()
    if not form.validate_on_submit():
        for galat in form.berkas.errors:
            flash(str(galat), "galat")
        return redirect(url_for("admin.draf", slug=slug))
    try:
        diabaikan = layanan_draf.ganti_dengan_zip(draf, form.berkas.data.read(layanan_draf.BATAS_UNGGAHAN + 1),
                                                  _revisi(form))
    except layanan_draf.DrafDitolak as e:
        flash(str(e), "galat")
        return redirect(url_for("admin.draf", slug=slug))
    db.session.commit()
    flash(_("Zip diunggah; berkas draf diganti dengan isinya."), "info")
    if diabaikan:
        flash(_("Diabaikan (bukan bagian format standar): %(daftar)s", daftar=", ".join(diabaikan)), "info")
    return redirect(url_for("admin.draf", slug=slug))


@bp.get("/draf/<slug>/pratinjau/<kode>")
@perlu_admin_platform
def pratinjau(slug, kode):
    draf = _draf_atau_404(slug)
    hasil = layanan_draf.pratinjau(draf, kode)
    if hasil is None:
        tolak(404, _("Layanan '%(kode)s' belum ada atau belum valid di draf ini; perbaiki dulu berkasnya.", kode=kode))
    kantor, isi = hasil
    return render_template(
        "admin/onboarding/pratinjau.html", draf=draf, kantor=kantor, versi=None, untuk_kantor=True,
        **tampilan.konteks(isi, kantor)
    )


@bp.post("/draf/<slug>/terbitkan")
@perlu_admin_platform
def terbitkan(slug):
    draf = _draf_atau_404(slug)
    form = FormRevisi()
    if not form.validate_on_submit() or _revisi(form) != draf.revisi:
        flash(_("Draf berubah sejak halaman ini dibuka; periksa lagi sebelum menerbitkan."), "galat")
        return redirect(url_for("admin.draf", slug=slug), code=303)
    try:
        tenant, laporan = layanan_draf.terbitkan(draf)
    except GagalMuat as e:
        db.session.rollback()
        flash(_("Belum dapat diterbitkan: %(n)s kesalahan. Tidak ada yang dimuat.", n=len(e.kesalahan)), "galat")
        return redirect(url_for("admin.draf", slug=slug), code=303)
    db.session.commit()
    flash(_("%(nama)s diterbitkan: %(laporan)s", nama=tenant.nama, laporan="; ".join(b.strip() for b in laporan)), "info")
    return redirect(url_for("admin.daftar"))


@bp.post("/draf/<slug>/buang")
@perlu_admin_platform
def buang(slug):
    draf = _draf_atau_404(slug)
    if FormRevisi().validate_on_submit():
        layanan_draf.buang(draf)
        db.session.commit()
        flash(_("Draf %(slug)s dibuang.", slug=slug), "info")
    return redirect(url_for("admin.daftar"))


@bp.route("/draf/<slug>/formulir/<path:nama>", methods=["GET", "POST"])
@perlu_admin_platform
def formulir(slug, nama):
    """The form editor of one file of the draft; every button applies the form onto the YAML and saves."""
    draf = _draf_atau_404(slug)
    if nama not in draf.berkas:
        tolak(404, _("Berkas %(nama)s tidak ada di draf ini.", nama=nama))
    form = FormRevisi()
    if form.validate_on_submit():
        try:
            teks = sunting.terapkan(draf.berkas[nama], nama, request.form, request.form.get("aksi"))
            layanan_draf.simpan_berkas(draf, nama, teks, _revisi(form))
        except (sunting.SuntingDitolak, layanan_draf.DrafDitolak) as e:
            flash(str(e), "galat")
            return redirect(url_for("admin.formulir", slug=slug, nama=nama), code=303)
        db.session.commit()
        flash(_("Berkas %(nama)s disimpan di draf.", nama=nama), "info")
        return redirect(url_for("admin.formulir", slug=slug, nama=nama), code=303)
    if form.is_submitted():
        flash(_("Formulir kedaluwarsa; muat ulang halaman lalu ulangi."), "galat")
    try:
        dok = sunting.baca(draf.berkas[nama])
    except sunting.SuntingDitolak as e:
        flash(str(e), "galat")
        return redirect(url_for("admin.berkas", slug=slug, nama=nama))
    _data, semua = layanan_draf.periksa_draf(draf)
    kesalahan = [k for k in semua if k.berkas == nama]
    provinsi = [(t.slug, t.nama) for t in db.session.scalars(
        select(Tenant).where(Tenant.tingkat == "provinsi").order_by(Tenant.nama))]
    bidang, sisa = sunting.formulir(dok, sunting.skema_untuk(nama), kesalahan, provinsi=provinsi)
    return render_template("admin/onboarding/formulir.html", draf=draf, nama=nama, bidang=bidang, sisa=sisa,
                           total=len(kesalahan))
