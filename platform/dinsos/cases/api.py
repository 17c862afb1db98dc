"""REST API for cases under ``/api/t/<slug>/kasus`` (bearer token of the office).

Refusals name the field: marshmallow reports type errors, and the service's
own checks (NIK agreement, required step fields, version) come back in the
same shape, ``{"errors": {"json": {"klien": {"nik": ["..."]}}}}``.
"""
from datetime import datetime
from functools import wraps
from typing import Callable

import marshmallow as ma
from flask import Response, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from dinsos.audit.services import catat_peristiwa
from dinsos.auth.api import perlu_token
from dinsos.core.db import db
from dinsos.core.errors import jawaban_galat, tolak
from dinsos.core.extensions import csrf
from dinsos.documents.views import tanggapan_pdf

from . import daftar as daftar_svc
from .baca import muat_kasus, muat_lampiran, persyaratan_kurang
from .konstanta import JENIS_KELAMIN, JENIS_PELAPOR, KATEGORI_PPKS, STATUS_KASUS
from .nik import NikTidakValid, periksa_nik
from .penerimaan import terima_kasus, ubah_persyaratan, verifikasi_berkas
from .perubahan import KesalahanKasus, simpan
from .sop import catat_disposisi, selesaikan_langkah, unggah_lampiran
from .surat import boleh_buka_surat, muat_surat_kasus, surat_kasus, terbitkan_pemberitahuan_kekurangan
from .tampilan import data_rinci, data_ringkas, ringkasan_banyak, unduh
from .tindakan import catat_tindakan, ringkasan_tindakan


class _PenguraiMultipart(FlaskParser):
    """Reads a multipart body's file and form fields together.

    OpenAPI 3 has one request body per operation, so an upload and the form
    fields sent with it must be one schema; webargs' ``files`` location sees
    only the files, so here it sees both.
    """

    def load_files(self, req, schema):
        return MultiDictProxy(CombinedMultiDict([req.files, req.form]), schema)


blp = Blueprint("api_kasus", __name__, url_prefix="/api/t/<slug>/kasus", description="Kasus: penerimaan, langkah SOP, berkas")
blp.ARGUMENTS_PARSER = _PenguraiMultipart()
csrf.exempt(blp)


def _nik_struktur(nilai):
    if nilai:
        try:
            periksa_nik(nilai)
        except NikTidakValid as e:
            raise ma.ValidationError(str(e)) from None


class SkemaPelapor(ma.Schema):
    jenis = ma.fields.String(required=True, validate=ma.validate.OneOf(list(JENIS_PELAPOR)))
    nama = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))
    instansi = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))
    kontak = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=100))
    surat_nomor = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=120))
    surat_tanggal = ma.fields.Date(allow_none=True)


class SkemaAnggotaKeluarga(ma.Schema):
    nama = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    hubungan = ma.fields.String(required=True)
    wali = ma.fields.Boolean(load_default=False)
    kontak = ma.fields.String(allow_none=True)
    alamat = ma.fields.String(allow_none=True)


class SkemaKlienBaru(ma.Schema):
    nama = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))
    tanpa_identitas = ma.fields.Boolean(load_default=False)
    deskripsi = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=5000))
    nik = ma.fields.String(allow_none=True, validate=_nik_struktur)
    tanggal_lahir = ma.fields.Date(allow_none=True)
    umur_perkiraan = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(0, 120))
    jenis_kelamin = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(list(JENIS_KELAMIN)))
    alamat = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=1000))
    kode_wilayah = ma.fields.String(allow_none=True)
    kategori_ppks = ma.fields.Integer(allow_none=True, validate=ma.validate.OneOf(list(KATEGORI_PPKS)))
    keluarga = ma.fields.List(ma.fields.Nested(SkemaAnggotaKeluarga), load_default=list)


class SkemaPenerimaan(ma.Schema):
    layanan = ma.fields.String(required=True, metadata={"description": "Kode layanan, mis. pengiriman-anjal-at"})
    pelapor = ma.fields.Nested(SkemaPelapor, required=True)
    klien = ma.fields.Nested(SkemaKlienBaru)
    klien_id = ma.fields.UUID(metadata={"description": "Klien yang sudah ada; isi tepat satu dari `klien` atau `klien_id`"})
    persyaratan = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.String(validate=ma.validate.OneOf(["dilihat", "belum"])),
        load_default=dict, metadata={"description": "kode persyaratan -> dilihat/belum; pindaian lewat POST .../lampiran"},
    )

    @ma.validates_schema
    def _satu_klien(self, data, **kwargs):
        if ("klien" in data) == ("klien_id" in data):
            raise ma.ValidationError("Isi tepat satu dari 'klien' (klien baru) atau 'klien_id'.", "klien")


class SkemaFilter(ma.Schema):
    layanan = ma.fields.String()
    status = ma.fields.String(validate=ma.validate.OneOf(STATUS_KASUS))
    langkah = ma.fields.String()
    penanggung_jawab = ma.fields.String(metadata={"description": "id petugas, 'saya' atau 'belum'"})
    nik = ma.fields.String(metadata={"description": "NIK klien (dicari lewat sidik berkunci)"})
    setelah = ma.fields.String(
        validate=ma.validate.Regexp(r"^[A-Za-z0-9_-]+={0,2}$", error="Kursor tidak valid."),
        metadata={"description": "Kursor halaman berikutnya: nilai `berikutnya` dari halaman sebelumnya, dikirim apa adanya "
                                 "(teks base64url buram). Kursor lain ditolak 422."})
    batas = ma.fields.Integer(load_default=25, validate=ma.validate.Range(1, 100))
    lang = ma.fields.String(validate=ma.validate.OneOf(["id", "en"]), metadata={"description": "Bahasa pesan / language"})


class SkemaRingkas(ma.Schema):
    id = ma.fields.UUID()
    nomor_register = ma.fields.String(allow_none=True)
    layanan = ma.fields.String()
    versi_layanan = ma.fields.Integer()
    status = ma.fields.String()
    langkah = ma.fields.String(allow_none=True)
    klien = ma.fields.String(metadata={"description": "Nama klien; disamarkan untuk kasus rahasia bila Anda bukan penangannya"})
    rahasia = ma.fields.Boolean()
    penanggung_jawab_id = ma.fields.UUID(allow_none=True)
    diterima_pada = ma.fields.DateTime()
    jam_mulai_pada = ma.fields.DateTime(allow_none=True)
    versi = ma.fields.Integer(metadata={"description": "Kirim kembali saat mengubah kasus (penguncian optimistis)"})


class SkemaHalaman(ma.Schema):
    data = ma.fields.List(ma.fields.Nested(SkemaRingkas))
    berikutnya = ma.fields.String(allow_none=True)


class SkemaHasilPenerimaan(SkemaRingkas):
    kurang = ma.fields.List(ma.fields.Dict(), metadata={"description": "Persyaratan wajib yang belum diterima"})
    kemungkinan_duplikat = ma.fields.List(ma.fields.Dict())


class SkemaSurat(ma.Schema):
    id = ma.fields.UUID()
    jenis = ma.fields.String()
    nomor = ma.fields.String()
    diterbitkan_pada = ma.fields.DateTime()
    url_verifikasi = ma.fields.String(metadata={"description": "Alamat publik yang dibuka kode QR surat"})
    unduh = ma.fields.String(metadata={"description": "Alamat API untuk mengunduh PDF surat"})


class SkemaRinci(SkemaRingkas):
    klien_rinci = ma.fields.Dict(allow_none=True)
    pelapor = ma.fields.Dict()
    persyaratan = ma.fields.List(ma.fields.Dict())
    langkah_berjalan = ma.fields.Dict(allow_none=True)
    riwayat_langkah = ma.fields.List(ma.fields.Dict())
    peristiwa = ma.fields.List(ma.fields.Dict())
    lampiran = ma.fields.List(ma.fields.Dict())
    hasil_akhir = ma.fields.String(allow_none=True)
    surat = ma.fields.List(ma.fields.Nested(SkemaSurat), metadata={"description": "Surat kasus ini; kosong bila Anda tidak berhak membukanya"})
    tindakan = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Tindakan dan keluaran standar layanan (sop.tindakan): batas waktu, kapan dicatat, boleh dicatat Anda"})
    catatan_terakhir = ma.fields.DateTime(allow_none=True, metadata={"description": "Waktu catatan perkembangan terakhir"})


class SkemaTindakanKasus(ma.Schema):
    versi = ma.fields.Integer(required=True)
    tindakan = ma.fields.String(required=True, metadata={"description": "Kode tindakan pada sop.tindakan standar layanan"})
    isian = ma.fields.Dict(keys=ma.fields.String(), load_default=dict)
    catatan = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20000))


class SkemaHasilTindakanKasus(ma.Schema):
    kasus = ma.fields.Nested(SkemaRingkas)
    tindakan = ma.fields.String()
    langkah_berjalan = ma.fields.String(allow_none=True, metadata={"description": "Langkah SOP tetap berjalan"})
    surat = ma.fields.Nested(SkemaSurat, allow_none=True, metadata={"description": "Surat yang diterbitkan tindakan ini"})


class SkemaLangkah(ma.Schema):
    versi = ma.fields.Integer(required=True)
    langkah = ma.fields.String(required=True, metadata={"description": "Kode langkah yang sedang berjalan"})
    isian = ma.fields.Dict(keys=ma.fields.String(), load_default=dict)
    catatan = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20000))
    cabang = ma.fields.String(allow_none=True, metadata={"description": "Kode langkah tujuan cabang, bila memilih cabang"})


class SkemaHasilLangkah(ma.Schema):
    kasus = ma.fields.Nested(SkemaRingkas)
    langkah_selesai = ma.fields.String()
    dokumen_keluaran = ma.fields.String(allow_none=True)
    langkah_berikutnya = ma.fields.String(allow_none=True)
    surat = ma.fields.Nested(SkemaSurat, allow_none=True, metadata={"description": "Surat yang diterbitkan langkah ini"})


class SkemaVerifikasi(ma.Schema):
    versi = ma.fields.Integer(required=True)
    benar = ma.fields.Boolean(required=True, metadata={"description": "true: berkas lengkap dan benar; false: dikembalikan kepada pemohon"})
    catatan = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000),
                               metadata={"description": "Wajib bila benar=false; dicetak pada pemberitahuan kekurangan berkas"})
    persyaratan_salah = ma.fields.List(ma.fields.String(), load_default=list,
                                       metadata={"description": "Kode persyaratan yang tidak benar (kembali ke 'belum')"})


class SkemaHasilVerifikasi(ma.Schema):
    kasus = ma.fields.Dict()
    surat = ma.fields.Dict(allow_none=True)


class SkemaDisposisi(ma.Schema):
    versi = ma.fields.Integer(required=True)
    instruksi = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))


class SkemaPersyaratan(ma.Schema):
    versi = ma.fields.Integer(required=True)
    perubahan = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.String(validate=ma.validate.OneOf(["dilihat", "belum"])), required=True
    )


class SkemaUnggah(ma.Schema):
    berkas = Upload(required=True)
    versi = ma.fields.Integer(required=True)
    persyaratan = ma.fields.String(metadata={"description": "Kode persyaratan yang dipenuhi pindaian ini (opsional)"})


class SkemaLampiran(ma.Schema):
    id = ma.fields.UUID()
    jenis_mime = ma.fields.String()
    ukuran = ma.fields.Integer()
    sha256 = ma.fields.String()
    versi_kasus = ma.fields.Integer()


def _kasus_atau_404(kasus_id):
    kasus = muat_kasus(kasus_id)
    if kasus is None:
        tolak(404, _("Kasus tidak ditemukan."))
    return kasus


def _aksi(jalur: str, izin: str, skema: type[ma.Schema], skema_jawab: type[ma.Schema], jawab: Callable, *,
          metode: str = "POST", lokasi: str = "json", kode: int = 200):
    """Register the decorated ``kerja(kasus, data)`` as ``<metode> /<kasus_id>/<jalur>`` with the body ``skema``.

    The case is loaded (404 when there is none), changed and saved; the answer is ``jawab(kasus, hasil)`` with what
    ``kerja`` returned, under ``kode`` and documented as ``skema_jawab``, or the refusal with nothing kept. The
    function's name is the endpoint's and its docstring the operation's summary in the OpenAPI document.
    """

    def daftar(kerja):
        @wraps(kerja)
        def tampilan(data, slug, kasus_id):
            kasus = _kasus_atau_404(kasus_id)
            try:
                hasil = kerja(kasus, data)
                db.session.flush()
                # The answer is what this transaction wrote, built before the commit: a connection lost after a
                # commit that went through must not turn a saved change into an error the client would retry.
                jawaban = jawab(kasus, hasil)
                simpan()
            except KesalahanKasus as e:
                return jawaban_galat(e)
            return jawaban

        tampilan = blp.arguments(skema, location=lokasi)(blp.response(kode, skema_jawab)(tampilan))
        return blp.route(f"/<kasus_id>/{jalur}", methods=[metode])(perlu_token(izin)(tampilan))

    return daftar


def _surat(kasus, surat) -> dict:
    return {"id": surat.id, "jenis": surat.jenis, "nomor": surat.nomor, "diterbitkan_pada": surat.diterbitkan_pada,
            "url_verifikasi": surat.url_verifikasi,
            "unduh": url_for("api_kasus.unduh_surat", kasus_id=kasus.id, surat_id=surat.id)}


@blp.route("/")
@perlu_token("kasus.lihat")
@blp.arguments(SkemaFilter, location="query", unknown=ma.RAISE)  # a misspelt filter is a 422, not ignored
@blp.response(200, SkemaHalaman)
def daftar(filter_, slug):
    """Daftar kasus kantor ini, terbaru dulu, dengan kursor halaman."""
    try:
        setelah = daftar_svc.baca_kursor(filter_.get("setelah"))
    except ValueError:
        return jawaban_galat(KesalahanKasus("Kursor halaman tidak valid.", 422, {"setelah": "Kursor tidak valid."}))
    try:
        pj = daftar_svc.baca_penanggung_jawab(filter_.get("penanggung_jawab"), current_user.id)
    except ValueError:
        return jawaban_galat(KesalahanKasus("Penanggung jawab tidak valid.", 422, {"penanggung_jawab": "Bukan id petugas."}))
    baris, lanjut = daftar_svc.daftar_kasus(layanan=filter_.get("layanan"), status=filter_.get("status"), langkah=filter_.get("langkah"),
                                     penanggung_jawab=pj, nik=filter_.get("nik"), setelah=setelah, batas=filter_["batas"])
    return {"data": ringkasan_banyak(baris, current_user), "berikutnya": daftar_svc.tulis_kursor(lanjut)}


@blp.route("/", methods=["POST"])
@perlu_token("kasus.terima")
@blp.arguments(SkemaPenerimaan)
@blp.response(201, SkemaHasilPenerimaan)
def terima(data, slug):
    """Penerimaan baru: pelapor, klien, daftar persyaratan. Berkas tidak lengkap -> status berkas_belum_lengkap."""
    try:
        hasil = terima_kasus(data["layanan"], pelapor=data["pelapor"], klien=data.get("klien"), klien_id=data.get("klien_id"),
                                 persyaratan=data["persyaratan"], pengguna=current_user)
        db.session.flush()
        isi = data_ringkas(hasil.kasus, current_user)  # built before the commit, as in _aksi
        isi["kurang"] = [{"kode": p.kode, "nama": p.nama} for p in persyaratan_kurang(hasil.kasus)]
        isi["kemungkinan_duplikat"] = [{"klien_id": str(d["klien_id"]), "alasan": d["alasan"]} for d in hasil.duplikat]
        simpan()
    except KesalahanKasus as e:
        return jawaban_galat(e)
    return isi


@blp.route("/<kasus_id>")
@perlu_token("kasus.lihat")
@blp.response(200, SkemaRinci)
def rinci(slug, kasus_id):
    """Rincian kasus (dicatat di log audit)."""
    kasus = _kasus_atau_404(kasus_id)
    isi = data_rinci(kasus, current_user)
    isi["surat"] = [_surat(kasus, s) for s in surat_kasus(kasus)] if boleh_buka_surat(current_user, kasus) else []
    identitas = boleh_buka_surat(current_user, kasus)
    isi["tindakan"] = [
        {"kode": r["kode"], "nama": r["nama"], "kelompok": r["kelompok"], "berulang": r["berulang"], "tenggat": r["tenggat"],
         "terbuka_sejak": r["terbuka"].dibuka_pada.isoformat() if r["terbuka"] else None,
         "dicatat": [{"pada": t.selesai_pada.isoformat(), "isian": t.isian if identitas else None,
                      "surat_id": str(t.surat_id) if t.surat_id else None} for t in r["dicatat"]],
         "boleh_catat": r["boleh_catat"], "menunggu": r["menunggu"]}
        for r in ringkasan_tindakan(kasus, current_user)]
    # The timeline is in the answer already: its last progress note is read from it, not asked for again.
    catatan = [p["waktu"] for p in isi["peristiwa"] if p["jenis"] == "catatan"]
    isi["catatan_terakhir"] = max(datetime.fromisoformat(w) for w in catatan) if catatan else None
    db.session.commit()
    return isi


def _hasil_langkah(kasus, hasil) -> dict:
    surat = muat_surat_kasus(kasus, hasil.langkah.surat_id) if hasil.langkah.surat_id else None
    return {"kasus": data_ringkas(kasus, current_user), "langkah_selesai": hasil.langkah.kode,
            "dokumen_keluaran": hasil.langkah.dokumen_keluaran,
            "langkah_berikutnya": hasil.berikutnya.kode if hasil.berikutnya else None,
            "surat": _surat(kasus, surat) if surat else None}


@_aksi("langkah", "kasus.kerjakan", SkemaLangkah, SkemaHasilLangkah, _hasil_langkah)
def langkah(kasus, data):
    """Menyelesaikan langkah SOP yang sedang berjalan (kirim 'versi' kasus yang dibaca)."""
    return selesaikan_langkah(kasus, versi=data["versi"], kode_langkah=data["langkah"], pengguna=current_user,
                                  isian=data["isian"], catatan=data.get("catatan"), cabang=data.get("cabang"))


def _hasil_tindakan(kasus, t) -> dict:
    surat = muat_surat_kasus(kasus, t.surat_id) if t.surat_id else None
    return {"kasus": data_ringkas(kasus, current_user), "tindakan": t.kode, "langkah_berjalan": kasus.langkah_kode,
            "surat": _surat(kasus, surat) if surat else None}


@_aksi("tindakan", "kasus.kerjakan", SkemaTindakanKasus, SkemaHasilTindakanKasus, _hasil_tindakan, kode=201)
def tindakan(kasus, data):
    """Mencatat tindakan kasus (laporan sosial, tahap SPPA, cek biometrik...) tanpa menyelesaikan langkah SOP."""
    return catat_tindakan(kasus, versi=data["versi"], kode=data["tindakan"], pengguna=current_user, isian=data["isian"],
                          catatan=data.get("catatan"))


def _ringkas(kasus, _hasil) -> dict:
    return data_ringkas(kasus, current_user)


@_aksi("persyaratan", "kasus.kerjakan", SkemaPersyaratan, SkemaRingkas, _ringkas, metode="PATCH")
def persyaratan(kasus, data):
    """Mengubah daftar persyaratan (dilihat/belum); berkas lengkap memulai jam layanan dan memberi nomor register."""
    ubah_persyaratan(kasus, versi=data["versi"], perubahan=data["perubahan"], pengguna=current_user)


def _hasil_verifikasi(kasus, surat) -> dict:
    return {"kasus": data_ringkas(kasus, current_user), "surat": _surat(kasus, surat) if surat else None}


@_aksi("verifikasi", "kasus.kerjakan", SkemaVerifikasi, SkemaHasilVerifikasi, _hasil_verifikasi)
def verifikasi(kasus, data):
    """Verifikasi berkas ("lengkap dan benar") sebelum langkah SOP, bila standar memintanya.

    Berkas yang tidak lengkap atau tidak benar dikembalikan kepada pemohon dengan pemberitahuan kekurangan berkas.
    """
    return verifikasi_berkas(kasus, versi=data["versi"], pengguna=current_user, benar=data["benar"], catatan=data.get("catatan"),
                             persyaratan_salah=data["persyaratan_salah"])


@_aksi("disposisi", "kasus.kerjakan", SkemaDisposisi, SkemaRingkas, _ringkas)
def disposisi(kasus, data):
    """Mencatat satu bagian rantai disposisi langkah yang berjalan (bagian terakhir = menyelesaikan langkah)."""
    catat_disposisi(kasus, versi=data["versi"], pengguna=current_user, instruksi=data["instruksi"])


def _lampiran(kasus, lamp) -> dict:
    return {"id": lamp.id, "jenis_mime": lamp.jenis_mime, "ukuran": lamp.ukuran, "sha256": lamp.sha256, "versi_kasus": kasus.versi}


@_aksi("lampiran", "kasus.kerjakan", SkemaUnggah, SkemaLampiran, _lampiran, lokasi="files", kode=201)
def unggah(kasus, form):
    """Mengunggah lampiran (PDF, JPEG, PNG); dengan 'persyaratan' pindaian itu memenuhi persyaratan tersebut."""
    f = form["berkas"]
    isi = f.read()
    if form.get("persyaratan"):
        ubah_persyaratan(kasus, versi=form["versi"], unggahan={form["persyaratan"]: (isi, f.filename)}, pengguna=current_user)
        return muat_lampiran(kasus, next(p.lampiran_id for p in kasus.persyaratan if p.kode == form["persyaratan"]))
    return unggah_lampiran(kasus, versi=form["versi"], isi=isi, nama_berkas=f.filename, pengguna=current_user)


@blp.route("/<kasus_id>/lampiran/<lampiran_id>")
@perlu_token("kasus.lihat")
@blp.response(200, description="Isi berkas (PDF/JPEG/PNG); dicatat di log audit")
def unduh_lampiran(slug, kasus_id, lampiran_id) -> Response:
    """Mengunduh lampiran kasus."""
    kasus = _kasus_atau_404(kasus_id)
    return unduh(kasus, lampiran_id, current_user)


@blp.route("/<kasus_id>/pemberitahuan-kekurangan", methods=["POST"])
@perlu_token("kasus.kerjakan")
@blp.response(201, description="PDF pemberitahuan kekurangan berkas yang diterbitkan dan diarsipkan")
def pemberitahuan_kekurangan(slug, kasus_id) -> Response:
    """Menerbitkan pemberitahuan kekurangan berkas untuk pemohon (hanya bila berkas belum lengkap)."""
    kasus = _kasus_atau_404(kasus_id)
    try:
        surat = terbitkan_pemberitahuan_kekurangan(kasus, current_user)
    except KesalahanKasus as e:
        return jawaban_galat(e)
    db.session.commit()
    tanggapan = tanggapan_pdf(surat, kode=201)
    tanggapan.headers["Location"] = url_for("api_kasus.unduh_surat", kasus_id=kasus.id, surat_id=surat.id)
    return tanggapan


@blp.route("/<kasus_id>/surat/<surat_id>")
@perlu_token("kasus.lihat")
@blp.response(200, description="PDF surat kasus persis seperti diarsipkan; dicatat di log audit")
def unduh_surat(slug, kasus_id, surat_id) -> Response:
    """Mengunduh surat yang diterbitkan untuk kasus ini."""
    kasus = _kasus_atau_404(kasus_id)
    surat = muat_surat_kasus(kasus, surat_id)
    if surat is None:
        tolak(404, _("Surat tidak ditemukan pada kasus ini."))
    rincian = {"surat_id": str(surat.id), "nomor": surat.nomor, "jenis": surat.jenis}
    if not boleh_buka_surat(current_user, kasus):
        catat_peristiwa("unduh_surat_ditolak", objek_jenis="kasus", objek_id=kasus.id, **rincian)
        db.session.commit()
        tolak(403, _("Surat kasus rahasia ini hanya dapat diunduh oleh penangan kasus dan pimpinan."))
    catat_peristiwa("unduh_surat", objek_jenis="kasus", objek_id=kasus.id, **rincian)
    db.session.commit()
    return tanggapan_pdf(surat)
