"""Referral pages: outgoing and incoming lists, the detail pages and their actions, the referral form,
repatriation, partners, answer-time settings and the province overview. Thin: the work is in the services."""
from dataclasses import dataclass
from typing import Callable

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from dinsos.cases import akses as kasus_akses
from dinsos.cases.baca import muat_kasus
from dinsos.cases.konstanta import HUBUNGAN_KELUARGA, JENIS_KELAMIN, KATEGORI_PPKS
from dinsos.cases.perubahan import KesalahanKasus
from dinsos.catalogue.services import daftar_layanan
from dinsos.core.db import db
from dinsos.core.errors import tolak
from dinsos.core.penyimpanan import EKSTENSI
from dinsos.izin import boleh, perlu_izin

from . import forms as f
from . import penerimaan, pengawasan
from .dibagikan import BIDANG_KLIEN, bahan_kasus, periksa_kelengkapan
from .pemulangan import langkah_pemulangan, tujuan_pemulangan
from .pengawasan import JENIS_TINDAKAN
from .persetujuan import CARA_PERSETUJUAN, HUBUNGAN_PERSETUJUAN, catat_persetujuan, setujui_override
from .perujukan import buat_rujukan, catat_tanggapan_mitra, kirim_rujukan, lengkapi_rujukan, tarik_rujukan
from .rujukan import (
    KesalahanRujukan,
    daftar_keluar,
    kasus_dari,
    label_klien,
    muat_rujukan,
    nama_tujuan,
    nomor_tampil,
    riwayat,
    rujukan_kasus,
)
from .status import LABEL, LABEL_RIWAYAT, MENUNGGU, STATUS, aksi_tersedia
from .tujuan import Tujuan, cari_tujuan_layanan, cari_tujuan_mitra, layanan_tujuan, mitra_aktif, simpan_mitra

bp = Blueprint("rujukan", __name__, url_prefix="/t/<slug>")


def _kasus(kasus_id):
    kasus = muat_kasus(kasus_id)
    if kasus is None:
        tolak(404, _("Kasus tidak ditemukan."))
    return kasus


def _rujukan(rujukan_id, kunci: bool = False):
    r = muat_rujukan(rujukan_id, kunci=kunci)
    if r is None:
        tolak(404, _("Rujukan tidak ditemukan."))
    return r


def _masuk(masuk_id, kunci: bool = False):
    m = penerimaan.muat_masuk(masuk_id, kunci=kunci)
    if m is None:
        tolak(404, _("Rujukan masuk tidak ditemukan."))
    return m


def _galat_form(form) -> KesalahanRujukan:
    """A form's field errors as one refusal: 400 for a missing CSRF token, else 422."""
    kode = 400 if "csrf_token" in form.errors else 422
    return KesalahanRujukan(" ".join(str(e) for es in form.errors.values() for e in es), kode)


def _berkas_form(medan) -> list[tuple]:
    """Uploaded files of a file field (single or multiple) as (bytes, name)."""
    data = medan.data if isinstance(medan.data, list) else [medan.data]
    return [(b.read(), b.filename) for b in data if b and getattr(b, "filename", "")]


def _pilihan_berkas(nilai: str, dokumen_kode=None) -> dict | None:
    sumber, _t, sid = (nilai or "").partition(":")
    return {"sumber": sumber, "id": sid, "dokumen_kode": dokumen_kode} if sumber and sid else None


@dataclass(frozen=True)
class _Rinci:
    """A referral's detail page on one side (``keluar`` or ``masuk``), where its changes are posted from.

    ``muat(id, kunci=)`` loads the record (404 when there is none), ``halaman(record, galat=, kode=)`` shows the page,
    ``ke(id, hasil)`` is where the browser goes after a change (``hasil``: what the change returned).
    """

    sisi: str
    variabel: str
    muat: Callable
    halaman: Callable
    ke: Callable

    def aksi(self, jalur: str, izin: str, Form, pesan_ok):
        """Register the decorated ``kerja(record, form)`` as the change posted to ``/rujukan/<sisi>/<id>/<jalur>``.

        The record is loaded locked and the form checked; the change is committed and the browser redirected
        with ``pesan_ok``; on a refusal nothing is kept and the page comes again with why, under the refusal's status.
        """

        def daftar(kerja):
            @bp.post(f"/rujukan/{self.sisi}/<{self.variabel}>/{jalur}", endpoint=kerja.__name__)
            @perlu_izin(izin)
            def tampilan(slug, **jalur_id):
                objek_id, form = jalur_id[self.variabel], Form()
                objek = self.muat(objek_id, kunci=True)
                if not form.validate():
                    galat = _galat_form(form)
                    return self.halaman(objek, galat=galat, kode=galat.kode)
                try:
                    hasil = kerja(objek, form)
                    db.session.commit()
                except KesalahanRujukan as e:
                    db.session.rollback()
                    return self.halaman(self.muat(objek_id), galat=e, kode=e.kode)
                flash(str(pesan_ok), "info")
                return redirect(self.ke(objek_id, hasil))

            return tampilan

        return daftar


# --- outgoing ------------------------------------------------------------------------------------------


@bp.get("/rujukan/keluar")
@perlu_izin("rujukan.lihat")
def keluar_daftar(slug):
    status = request.args.get("status") if request.args.get("status") in STATUS else None
    daftar = daftar_keluar(status)
    kasus = kasus_dari(r.kasus_id for r in daftar)
    baris = [{"r": r, "nomor": nomor_tampil(r.id), "tujuan": nama_tujuan(r), "kasus": kasus[r.kasus_id],
              "klien": label_klien(kasus[r.kasus_id], current_user)} for r in daftar]
    return render_template("rujukan/keluar_daftar.html", baris=baris, label=LABEL, status=status, semua_status=STATUS)


def _halaman_keluar(r, *, galat: KesalahanRujukan | None = None, kode: int = 200):
    kasus = muat_kasus(r.kasus_id)
    mitra = r.jenis_tujuan == "mitra"
    aksi = aksi_tersedia(r.status, mitra=mitra)
    form_lengkapi = f.FormLengkapi()
    bahan = bahan_kasus(kasus)
    form_lengkapi.tambahan.choices = f.pilihan([(f"lampiran:{l['id']}", l["nama"]) for l in bahan["lampiran"]]
                                               + [(f"surat:{s['id']}", s["nama"]) for s in bahan["surat"]])
    identitas = kasus_akses.boleh_lihat_identitas(current_user, kasus)
    return render_template(
        "rujukan/keluar_rinci.html", r=r, kasus=kasus, nomor=nomor_tampil(r.id), label=LABEL, aksi=aksi, mitra=mitra,
        tujuan=nama_tujuan(r), riwayat=riwayat("keluar", r.id), label_riwayat=LABEL_RIWAYAT,
        dibagikan=r.dibagikan if identitas else None,
        bidang_klien=BIDANG_KLIEN, hubungan=HUBUNGAN_PERSETUJUAN, cara=CARA_PERSETUJUAN,
        klien=label_klien(kasus, current_user), galat=galat,
        bisa_kirim=boleh(current_user, "rujukan.kirim"), bisa_override=boleh(current_user, "rujukan.override_persetujuan"),
        form_persetujuan=f.FormPersetujuan(), form_alasan=f.FormAlasan(), form_lengkapi=form_lengkapi,
        form_mitra=f.FormTanggapanMitra(), form_kosong=f.FormKosong(),
    ), kode


@bp.get("/rujukan/keluar/<rujukan_id>")
@perlu_izin("rujukan.lihat")
def keluar_rinci(slug, rujukan_id):
    return _halaman_keluar(_rujukan(rujukan_id))


_KELUAR = _Rinci("keluar", "rujukan_id", _rujukan, _halaman_keluar,
                 lambda rujukan_id, _hasil: url_for("rujukan.keluar_rinci", rujukan_id=rujukan_id))


@_KELUAR.aksi("kirim", "rujukan.kirim", f.FormKosong, _l("Rujukan dikirim."))
def keluar_kirim(r, form):
    kirim_rujukan(r, pengguna=current_user)


@_KELUAR.aksi("persetujuan", "rujukan.kirim", f.FormPersetujuan, _l("Persetujuan dicatat."))
def keluar_persetujuan(r, form):
    catat_persetujuan(r, pengguna=current_user, persetujuan=form.data_persetujuan())


@_KELUAR.aksi("override", "rujukan.override_persetujuan", f.FormAlasan, _l("Persetujuan pengganti (override) dicatat."))
def keluar_override(r, form):
    setujui_override(r, pengguna=current_user, alasan=form.alasan.data)


@_KELUAR.aksi("tarik", "rujukan.kirim", f.FormAlasan, _l("Rujukan ditarik."))
def keluar_tarik(r, form):
    tarik_rujukan(r, pengguna=current_user, alasan=form.alasan.data)


@_KELUAR.aksi("lengkapi", "rujukan.kirim", f.FormLengkapi, _l("Jawaban dikirim ke kantor tujuan."))
def keluar_lengkapi(r, form):
    pilihan = [p for p in (_pilihan_berkas(n) for n in request.form.getlist("tambahan")) if p]
    lengkapi_rujukan(r, pengguna=current_user, catatan=form.catatan.data, berkas=pilihan,
                     unggahan=[(isi, nama, None) for isi, nama in _berkas_form(form.unggah)])


@_KELUAR.aksi("mitra", "rujukan.kirim", f.FormTanggapanMitra, _l("Tanggapan mitra dicatat."))
def keluar_mitra(r, form):
    catat_tanggapan_mitra(r, aksi=form.aksi.data, pengguna=current_user, catatan=form.catatan.data,
                          nomor_berita_acara=form.nomor_berita_acara.data)


# --- making a referral ----------------------------------------------------------------------------------


def _tujuan_dari_pilihan(nilai: str) -> Tujuan:
    jenis, _t, sisa = (nilai or "").partition(":")
    if jenis == "layanan":
        kantor, _t, kode = sisa.partition(":")
        return cari_tujuan_layanan(kantor, kode)
    if jenis == "mitra":
        return cari_tujuan_mitra(sisa)
    raise KesalahanRujukan(_("Pilih tujuan rujukan: layanan kantor lain atau mitra."), 422, {"tujuan": _("Wajib dipilih.")})


def _data_rujukan(form, tujuan: Tujuan) -> dict:
    berkas, unggahan = [], []
    for i, d in enumerate(tujuan.persyaratan):
        file = _berkas_form(getattr(form, f"unggah_{i}"))
        if file:
            unggahan += [(isi, nama, d["kode"]) for isi, nama in file]
        elif (p := _pilihan_berkas(getattr(form, f"dok_{i}").data, d["kode"])) is not None:
            berkas.append(p)
    berkas += [p for p in (_pilihan_berkas(n) for n in form.tambahan.data or []) if p]
    unggahan += [(isi, nama, None) for isi, nama in _berkas_form(form.unggah_lain)]
    return {"alasan": form.alasan.data, "bidang_klien": form.bidang_klien.data or [], "langkah": form.langkah.data or [],
            "berkas": berkas, "unggahan": unggahan, "persetujuan": form.data_persetujuan(),
            "override_alasan": form.override_alasan.data, "abaikan_opsional": form.abaikan_opsional.data}


@bp.route("/kasus/<kasus_id>/rujuk", methods=["GET", "POST"])
@perlu_izin("rujukan.kirim")
def buat(slug, kasus_id):
    """Refer the case: pick the target, then what to share (checked against the target's requirements), consent, send."""
    kasus = _kasus(kasus_id)
    pilihan_tujuan = request.values.get("tujuan") or ""
    pemulangan = request.values.get("pemulangan") == "1"
    konteks = dict(kasus=kasus, layanan=layanan_tujuan(), mitra=mitra_aktif(), pilihan_tujuan=pilihan_tujuan,
                   pemulangan=pemulangan, klien=label_klien(kasus, current_user), bisa_override=boleh(current_user, "rujukan.override_persetujuan"))
    if not pilihan_tujuan:
        db.session.commit()  # the look at other offices' catalogues is audited
        return render_template("rujukan/buat.html", tujuan=None, form=None, **konteks)
    try:
        tujuan = _tujuan_dari_pilihan(pilihan_tujuan)
    except KesalahanRujukan as e:
        db.session.commit()  # nothing but the audited look was written
        return render_template("rujukan/buat.html", tujuan=None, form=None, galat=e, **konteks), e.kode
    db.session.commit()
    bahan = bahan_kasus(kasus)
    form = f.form_rujukan(tujuan.persyaratan, bahan)
    konteks.update(tujuan=tujuan, bahan=bahan, form=form)
    if request.method == "GET":
        form.bidang_klien.data = list(BIDANG_KLIEN)
        _pasang_bawaan(form, tujuan, bahan)
        return render_template("rujukan/buat.html", **konteks)
    if not form.validate():
        galat = _galat_form(form)
        return render_template("rujukan/buat.html", galat=galat, **konteks), galat.kode
    data = _data_rujukan(form, tujuan)
    aksi = request.form.get("aksi", "kirim")
    if aksi == "periksa":
        konteks["periksa"] = periksa_kelengkapan(tujuan.persyaratan, [
            {"nama": "", "dokumen_kode": b["dokumen_kode"]} for b in data["berkas"]] + [
            {"nama": n, "dokumen_kode": k} for _i, n, k in data["unggahan"]]) if tujuan.jenis == "layanan" else None
        return render_template("rujukan/buat.html", **konteks)
    try:
        r = buat_rujukan(kasus, pengguna=current_user, tujuan=tujuan, kirim=aksi == "kirim", pemulangan=pemulangan, **data)
        db.session.commit()
    except (KesalahanRujukan, KesalahanKasus) as e:
        db.session.rollback()
        return render_template("rujukan/buat.html", galat=e, **konteks), e.kode
    flash(_("Rujukan %(n)s dikirim.", n=nomor_tampil(r.id)) if r.status != "draf" else
          _("Rujukan %(n)s disimpan sebagai draf.", n=nomor_tampil(r.id)), "info")
    return redirect(url_for("rujukan.keluar_rinci", rujukan_id=r.id))


def _pasang_bawaan(form, tujuan: Tujuan, bahan: dict) -> None:
    """Pre-select, for each requirement, a case file uploaded under the same requirement code."""
    for i, d in enumerate(tujuan.persyaratan):
        cocok = next((l for l in bahan["lampiran"] if l["persyaratan_kode"] == d["kode"]), None)
        if cocok:
            getattr(form, f"dok_{i}").data = f"lampiran:{cocok['id']}"


@bp.route("/kasus/<kasus_id>/pemulangan", methods=["GET", "POST"])
@perlu_izin("rujukan.kirim")
def pemulangan(slug, kasus_id):
    """Repatriation: find the office of the family's region by kode wilayah, then refer to its service."""
    kasus = _kasus(kasus_id)
    form = f.FormPemulangan()
    identitas = kasus_akses.boleh_lihat_identitas(current_user, kasus)
    if request.method == "GET" and identitas:
        form.kode_wilayah.data = kasus.klien.kode_wilayah
    konteks = dict(kasus=kasus, form=form, klien=label_klien(kasus, current_user))
    if request.method == "GET":
        return render_template("rujukan/pemulangan.html", **konteks)
    if not form.validate():
        return render_template("rujukan/pemulangan.html", **konteks), 400 if "csrf_token" in form.errors else 422
    try:
        kantor, layanan = tujuan_pemulangan(kasus, form.kode_wilayah.data)
    except KesalahanRujukan as e:
        db.session.rollback()
        return render_template("rujukan/pemulangan.html", galat=e, **konteks), e.kode
    db.session.commit()  # the catalogue read is audited
    if len(layanan) == 1:
        return redirect(url_for("rujukan.buat", kasus_id=kasus.id, tujuan=f"layanan:{kantor.slug}:{layanan[0]['kode']}", pemulangan=1))
    return render_template("rujukan/pemulangan.html", kantor=kantor, layanan=layanan, **konteks)


# --- incoming -----------------------------------------------------------------------------------------------


@bp.get("/rujukan/masuk")
@perlu_izin("rujukan.lihat")
def masuk_daftar(slug):
    status = request.args.get("status") if request.args.get("status") in STATUS else None
    layanan = {l.id: l.nama for l in daftar_layanan()}
    baris = [{"m": m, "nomor": penerimaan.nomor(m), "asal": penerimaan.nama_asal(m), "layanan": layanan.get(m.layanan_id, ""),
              "klien": penerimaan.nama_klien(current_user, m, di_daftar=True), "tenggat": penerimaan.tenggat_masuk(m)}
             for m in penerimaan.daftar_masuk(status)]
    return render_template("rujukan/masuk_daftar.html", baris=baris, label=LABEL, status=status, semua_status=STATUS)


def _halaman_masuk(m, *, galat: KesalahanRujukan | None = None, kode: int = 200):
    penerimaan.catat_buka(m, current_user)
    db.session.commit()
    aktif = penerimaan.akses_aktif(m)
    identitas = aktif and penerimaan.boleh_lihat_identitas(current_user, m)
    return render_template(
        "rujukan/masuk_rinci.html", m=m, nomor=penerimaan.nomor(m), asal=penerimaan.nama_asal(m), label=LABEL,
        layanan=penerimaan.layanan_masuk(m), aktif=aktif, isi=m.isi if identitas else None,
        nama_klien=penerimaan.nama_klien(current_user, m), kecocokan=penerimaan.kecocokan(m) if aktif else [],
        riwayat=riwayat("masuk", m.id), label_riwayat=LABEL_RIWAYAT, tenggat=penerimaan.tenggat_masuk(m),
        aksi=aksi_tersedia(m.status),
        bisa_tanggapi=boleh(current_user, "rujukan.tanggapi"), galat=galat,
        form_terima=f.FormTerima(), form_alasan=f.FormAlasan(), form_info=f.FormMintaInfo(),
        klien_serupa=penerimaan.klien_serupa(m, current_user),
        kasus=muat_kasus(m.kasus_id) if m.kasus_id else None,
        jenis_kelamin=JENIS_KELAMIN, kategori_ppks=KATEGORI_PPKS, hubungan_keluarga=HUBUNGAN_KELUARGA,
    ), kode


@bp.get("/rujukan/masuk/<masuk_id>")
@perlu_izin("rujukan.lihat")
def masuk_rinci(slug, masuk_id):
    return _halaman_masuk(_masuk(masuk_id))


@bp.get("/rujukan/masuk/<masuk_id>/berkas/<berkas_id>")
@perlu_izin("rujukan.lihat")
def masuk_berkas(slug, masuk_id, berkas_id):
    m = _masuk(masuk_id)
    try:
        isi, butir = penerimaan.buka_berkas(m, berkas_id, current_user)
    except KesalahanRujukan as e:
        db.session.rollback()
        tolak(e.kode, e.pesan)
    db.session.commit()
    nama = f"rujukan-{penerimaan.nomor(m)}-{berkas_id[:8]}.{EKSTENSI.get(butir['jenis_mime'], 'bin')}"
    return Response(isi, mimetype=butir["jenis_mime"], headers={
        "Content-Disposition": f'attachment; filename="{nama}"', "Cache-Control": "private, no-store"})


def _setelah_tanggapan(masuk_id, kasus):
    if kasus is not None:  # accepted: the new case is where the work goes on
        return url_for("kasus.rinci", kasus_id=kasus.id)
    return url_for("rujukan.masuk_rinci", masuk_id=masuk_id)


_MASUK = _Rinci("masuk", "masuk_id", _masuk, _halaman_masuk, _setelah_tanggapan)


@_MASUK.aksi("terima", "rujukan.tanggapi", f.FormTerima, _l("Rujukan diterima; kasus dibuka."))
def masuk_terima(m, form):
    return penerimaan.terima(m, pengguna=current_user, klien_id=form.klien_id.data or None)


@_MASUK.aksi("tolak", "rujukan.tanggapi", f.FormAlasan, _l("Rujukan ditolak."))
def masuk_tolak(m, form):
    penerimaan.tolak(m, pengguna=current_user, alasan=form.alasan.data)


@_MASUK.aksi("minta-info", "rujukan.tanggapi", f.FormMintaInfo, _l("Permintaan informasi dikirim ke kantor pengirim."))
def masuk_minta_info(m, form):
    penerimaan.minta_info(m, pengguna=current_user, pertanyaan=form.pertanyaan.data)


# --- partners and settings ------------------------------------------------------------------------------------


def _halaman_form(form, simpan, pesan_ok: str, tampil):
    """A page with its own form. A POST is validated and saved: committed, flashed and redirected to the page again;
    otherwise, or when refused (the reason flashed), ``tampil()`` renders the page under the status that says why."""
    kode = 200
    if request.method == "POST":
        if not form.validate():
            kode = 400 if "csrf_token" in form.errors else 422
        else:
            try:
                simpan()
                db.session.commit()
                flash(pesan_ok, "info")
                return redirect(url_for(request.endpoint))
            except KesalahanRujukan as e:
                db.session.rollback()
                flash(e.pesan, "galat")
                kode = e.kode
    return tampil(), kode


@bp.route("/rujukan/mitra", methods=["GET", "POST"])
@login_required
def mitra(slug):
    # Whoever sees referrals reads the partners; the office admin, who registers them, may open the page too.
    if not (boleh(current_user, "rujukan.lihat") or boleh(current_user, "rujukan.kelola_mitra")):
        tolak(403, _("Halaman mitra rujukan hanya untuk staf yang menangani rujukan dan admin kantor."))
    form = f.FormMitra()
    if request.method == "POST" and not boleh(current_user, "rujukan.kelola_mitra"):
        tolak(403, _("Hanya kepala bidang atau admin kantor yang dapat mendaftarkan mitra."))
    return _halaman_form(
        form, lambda: simpan_mitra(nama=form.nama.data, jenis=form.jenis.data, alamat=form.alamat.data, kontak=form.kontak.data,
                                   pengguna=current_user),
        _("Mitra didaftarkan."),
        lambda: render_template("rujukan/mitra.html", daftar=mitra_aktif(), form=form, jenis=f.LABEL_JENIS_MITRA,
                                bisa_kelola=boleh(current_user, "rujukan.kelola_mitra")))


@bp.route("/rujukan/pengaturan", methods=["GET", "POST"])
@perlu_izin("rujukan.atur")
def pengaturan(slug):
    layanan = [l for l in daftar_layanan() if l.menerima_rujukan]
    form = f.form_pengaturan(layanan)
    if request.method == "GET" and (p := penerimaan.pengaturan()) is not None:
        form.batas_tanggapan.data = p.batas_tanggapan
        for l in layanan:
            getattr(form, f"batas_{l.kode}").data = (p.batas_per_layanan or {}).get(l.kode)
    return _halaman_form(
        form, lambda: penerimaan.simpan_pengaturan(batas_tanggapan=form.batas_tanggapan.data, pengguna=current_user,
                                                   per_layanan={l.kode: getattr(form, f"batas_{l.kode}").data for l in layanan}),
        _("Batas waktu tanggapan rujukan disimpan."),
        lambda: render_template("rujukan/pengaturan.html", form=form, layanan=layanan, bawaan=penerimaan.BATAS_TANGGAPAN_BAWAAN))


# --- province overview --------------------------------------------------------------------------------------------


def _halaman_pengawasan(galat: KesalahanRujukan | None = None, kode: int = 200):
    status = request.args.get("status") if request.args.get("status") in STATUS else None
    try:
        data = pengawasan.ringkasan(g.tenant, status=status)
    except KesalahanRujukan as e:
        db.session.rollback()
        tolak(e.kode, e.pesan)
    db.session.commit()  # the crossing is audited
    return render_template("rujukan/pengawasan.html", data=data, status=status, semua_status=STATUS, menunggu=MENUNGGU,
                           form=f.FormTindakanProvinsi(), jenis_tindakan=JENIS_TINDAKAN, galat=galat, label=LABEL), kode


@bp.get("/pengawasan/rujukan")
@perlu_izin("pengawasan.lihat")
def pengawasan_rujukan(slug):
    return _halaman_pengawasan()


@bp.post("/pengawasan/rujukan/tindakan")
@perlu_izin("pengawasan.lihat")
def pengawasan_tindakan(slug):
    form = f.FormTindakanProvinsi()
    if not form.validate():
        tolak(400 if "csrf_token" in form.errors else 422, _("Formulir tidak lengkap; muat ulang halaman pengawasan."))
    try:
        pengawasan.kirim_tindakan(g.tenant, kunci_kirim=form.kunci_kirim.data, jenis=form.jenis.data, pengguna=current_user,
                                  catatan=form.catatan.data)
    except KesalahanRujukan as e:
        db.session.commit()  # a refusal writes nothing but the audited look at the other offices
        return _halaman_pengawasan(galat=e, kode=e.kode)
    db.session.commit()
    flash(_("%(j)s dikirim ke kantor tujuan.", j=JENIS_TINDAKAN[form.jenis.data]), "info")
    return redirect(url_for("rujukan.pengawasan_rujukan"))


# --- the panel on the case page and the dashboard ------------------------------------------------------------------


def panel_kasus(kasus) -> dict:
    """What the case page shows of referrals: this case's referrals, whether it can be referred, where it came from."""
    from sqlalchemy import select

    from .models import RujukanMasuk

    daftar = [{"id": r.id, "nomor": nomor_tampil(r.id), "tujuan": nama_tujuan(r), "status": LABEL[r.status],
               "laporan": r.laporan or {}} for r in rujukan_kasus(kasus.id)]
    asal = db.session.scalar(select(RujukanMasuk).where(RujukanMasuk.kasus_id == kasus.id))
    bisa = boleh(current_user, "rujukan.kirim") and kasus.status in ("berjalan", "dijeda")
    return {"daftar": daftar, "bisa_rujuk": bisa, "pemulangan": bisa and langkah_pemulangan(kasus) is not None,
            "asal": {"id": asal.id, "nomor": penerimaan.nomor(asal), "kantor": penerimaan.nama_asal(asal)} if asal else None}


def jumlah_masuk_menunggu() -> int:
    return penerimaan.jumlah_menunggu()
