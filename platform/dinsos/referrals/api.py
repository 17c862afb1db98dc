"""REST API for referrals (bearer token of the office): the same operations as the pages.

Outgoing: ``/api/t/<slug>/rujukan/keluar`` (create from a case's own files
and letters, send, consent, override, withdraw, answer a question, partner's
answer). Incoming: ``/api/t/<slug>/rujukan/masuk`` (snapshot, files, accept,
decline, ask). Province: ``/api/t/<slug>/pengawasan/rujukan``. Files are
shared from the case (upload them first through the case API); refusals
come back as ``{"code", "message", "errors": {"json": {...}}}``.
"""
from dataclasses import dataclass
from functools import partial, wraps
from typing import Callable

import marshmallow as ma
from flask import Response, g, jsonify
from flask_login import current_user
from flask_smorest import Blueprint

from dinsos.auth.api import perlu_token
from dinsos.cases import akses as kasus_akses
from dinsos.cases.baca import muat_kasus
from dinsos.cases.perubahan import KesalahanKasus
from dinsos.core.db import db
from dinsos.core.errors import jawaban_galat, tolak
from dinsos.core.extensions import csrf
from dinsos.core.penyimpanan import EKSTENSI

from . import penerimaan, pengawasan
from .dibagikan import BIDANG_KLIEN, periksa_kelengkapan
from .models import JENIS_MITRA
from .pemulangan import tujuan_pemulangan
from .persetujuan import CARA_PERSETUJUAN, HUBUNGAN_PERSETUJUAN, catat_persetujuan, ringkas_persetujuan, setujui_override
from .perujukan import buat_rujukan, catat_tanggapan_mitra, kirim_rujukan, lengkapi_rujukan, tarik_rujukan
from .rujukan import KesalahanRujukan, daftar_keluar, label_klien, muat_rujukan, nama_tujuan, nomor_tampil, riwayat
from .status import LABEL, STATUS, aksi_tersedia
from .tujuan import Tujuan, cari_tujuan_layanan, cari_tujuan_mitra, layanan_tujuan, mitra_aktif, simpan_mitra

blp = Blueprint("api_rujukan", __name__, url_prefix="/api/t/<slug>", description="Rujukan antarkantor dan pengawasan provinsi")
csrf.exempt(blp)


class SkemaJson(ma.Schema):
    """A JSON object; its fields are described in the endpoint's text (the pages show the same data)."""

    class Meta:
        unknown = ma.INCLUDE


class SkemaBerkas(ma.Schema):
    sumber = ma.fields.String(required=True, validate=ma.validate.OneOf(["lampiran", "surat"]))
    id = ma.fields.UUID(required=True, metadata={"description": "Id lampiran kasus atau surat yang diterbitkan untuk kasus"})
    dokumen_kode = ma.fields.String(allow_none=True, metadata={"description": "Kode persyaratan layanan tujuan yang dipenuhi"})


class SkemaPersetujuan(ma.Schema):
    nama = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200),
                            metadata={"description": "Nama pemberi persetujuan"})
    hubungan = ma.fields.String(required=True, validate=ma.validate.OneOf(list(HUBUNGAN_PERSETUJUAN)), metadata={
        "description": "Hubungan pemberi persetujuan dengan klien. Bila klien masih anak pada tanggal kantor hari ini, "
                       "`klien` ditolak 422: persetujuan dari orang tua, wali atau pihak berwenang (UU 27/2022)."})
    cara = ma.fields.String(required=True, validate=ma.validate.OneOf(list(CARA_PERSETUJUAN)))
    tanggal = ma.fields.Date(required=True, metadata={
        "description": "Tanggal persetujuan diberikan; tidak boleh setelah hari ini menurut zona waktu kantor (422)."})


class SkemaTujuan(ma.Schema):
    jenis = ma.fields.String(required=True, validate=ma.validate.OneOf(["layanan", "mitra"]))
    kantor = ma.fields.String(metadata={"description": "Slug kantor tujuan (jenis layanan)"})
    layanan = ma.fields.String(metadata={"description": "Kode layanan tujuan (jenis layanan)"})
    mitra_id = ma.fields.UUID(metadata={"description": "Id mitra kantor ini (jenis mitra)"})


class SkemaBuat(ma.Schema):
    kasus_id = ma.fields.UUID(required=True)
    tujuan = ma.fields.Nested(SkemaTujuan, required=True)
    alasan = ma.fields.String(required=True, validate=ma.validate.Length(max=5000))
    bidang_klien = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(list(BIDANG_KLIEN))), load_default=list)
    langkah = ma.fields.List(ma.fields.UUID(), load_default=list, metadata={"description": "Id langkah kasus yang selesai"})
    berkas = ma.fields.List(ma.fields.Nested(SkemaBerkas), load_default=list)
    persetujuan = ma.fields.Nested(SkemaPersetujuan, allow_none=True)
    override_alasan = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))
    kirim = ma.fields.Boolean(load_default=True, metadata={"description": "false: simpan sebagai draf"})
    abaikan_opsional = ma.fields.Boolean(load_default=False)
    pemulangan = ma.fields.Boolean(load_default=False)


class SkemaPeriksa(ma.Schema):
    tujuan = ma.fields.Nested(SkemaTujuan, required=True)
    berkas = ma.fields.List(ma.fields.Nested(SkemaBerkas), load_default=list)


class SkemaAlasan(ma.Schema):
    alasan = ma.fields.String(required=True, validate=ma.validate.Length(max=2000))


class SkemaTerima(ma.Schema):
    klien_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "Salah satu `klien_serupa` dari rincian rujukan masuk, untuk membuka kasus pada klien yang sudah "
                       "tercatat; kosong: klien baru dari data rujukan"})


class SkemaLengkapi(ma.Schema):
    catatan = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))
    berkas = ma.fields.List(ma.fields.Nested(SkemaBerkas), load_default=list)


class SkemaMitraTanggapan(ma.Schema):
    aksi = ma.fields.String(required=True, validate=ma.validate.OneOf(["terima", "tolak", "selesai"]))
    catatan = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))
    nomor_berita_acara = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=120))


class SkemaPertanyaan(ma.Schema):
    pertanyaan = ma.fields.String(required=True, validate=ma.validate.Length(max=5000))


class SkemaMitraBaru(ma.Schema):
    nama = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    jenis = ma.fields.String(required=True, validate=ma.validate.OneOf(list(JENIS_MITRA)))
    alamat = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))
    kontak = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))


class SkemaTindakan(ma.Schema):
    kunci_kirim = ma.fields.String(required=True)
    jenis = ma.fields.String(required=True, validate=ma.validate.OneOf(list(pengawasan.JENIS_TINDAKAN)))
    catatan = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))


class SkemaPemulangan(ma.Schema):
    kode_wilayah = ma.fields.String(required=True)


class SkemaFilter(ma.Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUS))
    lang = ma.fields.String(validate=ma.validate.OneOf(["id", "en"]), metadata={"description": "Bahasa pesan / language"})


def _tujuan(data: dict) -> Tujuan:
    if data["jenis"] == "mitra":
        return cari_tujuan_mitra(data.get("mitra_id"))
    return cari_tujuan_layanan(data.get("kantor") or "", data.get("layanan") or "")


def _berkas(daftar: list[dict]) -> list[dict]:
    return [{"sumber": b["sumber"], "id": str(b["id"]), "dokumen_kode": b.get("dokumen_kode")} for b in daftar]


def data_keluar(r) -> dict:
    """An outgoing referral for the API: the sender's own record (what was shared only to those who see the client)."""
    kasus = muat_kasus(r.kasus_id)
    identitas = kasus_akses.boleh_lihat_identitas(current_user, kasus)
    isi = r.dibagikan or {}
    return {
        "id": str(r.id), "nomor": nomor_tampil(r.id), "kasus_id": str(r.kasus_id), "status": r.status, "label_status": LABEL[r.status],
        "jenis_tujuan": r.jenis_tujuan, "tujuan": nama_tujuan(r), "layanan_tujuan": r.tujuan_layanan_kode,
        "pemulangan": r.pemulangan, "klien": label_klien(kasus, current_user),
        "dikirim_pada": r.dikirim_pada.isoformat() if r.dikirim_pada else None,
        "persetujuan": ringkas_persetujuan(r) if (r.persetujuan_pada or r.override_pada) else None,
        "laporan": r.laporan or {}, "aksi": aksi_tersedia(r.status, mitra=r.jenis_tujuan == "mitra"),
        "berkas": [{"id": b["id"], "nama": b["nama"], "dokumen_kode": b.get("dokumen_kode"), "putaran": b.get("putaran"),
                    "dokumen_nama": (isi.get("persyaratan_tujuan") or {}).get(b.get("dokumen_kode")),
                    "diterima_tujuan": b["id"] in (r.berkas_terkirim or [])} for b in isi.get("berkas", [])],
        "dibagikan": {k: isi.get(k) for k in ("klien", "langkah", "tambahan")} if identitas else None,
        "surat_id": str(r.surat_id) if r.surat_id else None,
        "riwayat": [{"jenis": h.jenis, "status": h.status, "waktu": h.waktu.isoformat()} for h in riwayat("keluar", r.id)],
    }


def data_masuk(m, *, rinci: bool = False) -> dict:
    """An incoming referral for the API: status, the deadline, and (while access lasts) the snapshot."""
    t = penerimaan.tenggat_masuk(m)
    isi = {"id": str(m.id), "nomor": penerimaan.nomor(m), "asal": penerimaan.nama_asal(m), "status": m.status,
           "label_status": LABEL[m.status], "layanan": penerimaan.layanan_masuk(m).kode, "pemulangan": m.pemulangan,
           "klien": penerimaan.nama_klien(current_user, m, di_daftar=not rinci), "sampai_pada": m.sampai_pada.isoformat(),
           "batas_tanggapan": t.due_at.isoformat() if t else None, "kasus_id": str(m.kasus_id) if m.kasus_id else None,
           "akses_aktif": penerimaan.akses_aktif(m)}
    if rinci:
        aktif = penerimaan.akses_aktif(m) and penerimaan.boleh_lihat_identitas(current_user, m)
        snap = m.isi or {}
        isi.update(
            aksi=aksi_tersedia(m.status), tanggapan=m.tanggapan or {},
            dibagikan={k: snap.get(k) for k in ("klien", "langkah", "alasan", "persetujuan", "tambahan", "nomor_register_asal")} if aktif else None,
            berkas=[{k: b.get(k) for k in ("id", "nama", "jenis_mime", "ukuran", "dokumen_kode", "putaran")}
                    for b in snap.get("berkas", [])] if aktif else [],
            persyaratan=[{"kode": p["kode"], "nama": p["nama"], "wajib": p["wajib"], "berkas": [b["id"] for b in p["berkas"]]}
                         for p in penerimaan.kecocokan(m)] if penerimaan.akses_aktif(m) else [],
            riwayat=[{"jenis": h.jenis, "status": h.status, "waktu": h.waktu.isoformat()} for h in riwayat("masuk", m.id)],
            klien_serupa=[{"klien_id": str(c["klien_id"]), "alasan": c["alasan"], "nama": c["nama"], "kasus": c["kasus"],
                           "tanggal_lahir": c["tanggal_lahir"].isoformat() if c["tanggal_lahir"] else None}
                          for c in penerimaan.klien_serupa(m, current_user)],
        )
    return isi


def _rujukan(rujukan_id, kunci=False):
    r = muat_rujukan(rujukan_id, kunci=kunci)
    if r is None:
        tolak(404, "Rujukan tidak ditemukan.")
    return r


def _masuk(masuk_id, kunci=False):
    m = penerimaan.muat_masuk(masuk_id, kunci=kunci)
    if m is None:
        tolak(404, "Rujukan masuk tidak ditemukan.")
    return m


@dataclass(frozen=True)
class _Sisi:
    """One side of a referral in the API (``keluar`` or ``masuk``): its URL variable, how its record is loaded
    (``muat(id, kunci=)``, 404 when there is none) and how it is answered (``data(record)``)."""

    sisi: str
    variabel: str
    muat: Callable
    data: Callable

    def aksi(self, jalur: str, izin: str, skema: type[ma.Schema] | None = None):
        """Register the decorated ``kerja(record[, data])`` as ``POST /rujukan/<sisi>/<id>/<jalur>``.

        ``skema`` is the request body's schema, if any. The record is loaded locked, changed and committed; the
        answer is the record after the change, or the refusal with nothing kept. The function's name is the
        endpoint's and its docstring the operation's summary in the OpenAPI document.
        """

        def daftar(kerja):
            @wraps(kerja)
            def tampilan(*data, slug, **jalur_id):
                objek = self.muat(jalur_id[self.variabel], kunci=True)
                try:
                    kerja(objek, *data)
                    db.session.flush()
                    isi = self.data(objek)  # before the commit: a commit that went through is answered as such
                    db.session.commit()
                except KesalahanRujukan as e:
                    return jawaban_galat(e)
                return jsonify(isi)

            if skema is not None:
                tampilan = blp.arguments(skema)(tampilan)
            tampilan = blp.response(200, SkemaJson)(perlu_token(izin)(tampilan))
            return blp.route(f"/rujukan/{self.sisi}/<{self.variabel}>/{jalur}", methods=["POST"])(tampilan)

        return daftar


_KELUAR = _Sisi("keluar", "rujukan_id", _rujukan, data_keluar)
_MASUK = _Sisi("masuk", "masuk_id", _masuk, partial(data_masuk, rinci=True))


# --- targets -----------------------------------------------------------------------------------------


@blp.route("/rujukan/tujuan")
@blp.response(200, SkemaJson)
@perlu_token("rujukan.kirim")
def tujuan(slug):
    """Layanan kantor lain yang menerima rujukan (dengan persyaratannya) dan mitra kantor ini."""
    layanan = layanan_tujuan()
    db.session.commit()
    return jsonify(layanan=layanan, mitra=[{"id": str(m.id), "nama": m.nama, "jenis": m.jenis} for m in mitra_aktif()])


@blp.route("/rujukan/periksa", methods=["POST"])
@blp.response(200, SkemaJson)
@perlu_token("rujukan.kirim")
@blp.arguments(SkemaPeriksa)
def periksa(data, slug):
    """Persyaratan layanan tujuan yang belum terpenuhi oleh berkas yang akan dibagikan (sebelum mengirim)."""
    try:
        t = _tujuan(data["tujuan"])
    except KesalahanRujukan as e:
        db.session.commit()  # nothing but the audited look at the other office was written
        return jawaban_galat(e)
    db.session.commit()
    berkas = [{"nama": str(b["id"]), "dokumen_kode": b.get("dokumen_kode")} for b in data["berkas"]]
    hasil = periksa_kelengkapan(t.persyaratan, berkas) if t.jenis == "layanan" else None
    return jsonify(tujuan=t.nama, persyaratan=t.persyaratan, hasil=hasil)


# --- outgoing ------------------------------------------------------------------------------------------


@blp.route("/rujukan/keluar")
@blp.response(200, SkemaJson)
@perlu_token("rujukan.lihat")
@blp.arguments(SkemaFilter, location="query", unknown=ma.RAISE)  # a misspelt filter is a 422, not ignored
def keluar_daftar(filter_, slug):
    """Rujukan keluar kantor ini, terbaru dulu."""
    return jsonify(data=[{k: v for k, v in data_keluar(r).items() if k not in ("dibagikan", "riwayat")}
                         for r in daftar_keluar(filter_.get("status"))])


@blp.route("/rujukan/keluar", methods=["POST"])
@blp.response(201, SkemaJson)
@perlu_token("rujukan.kirim")
@blp.arguments(SkemaBuat)
def keluar_buat(data, slug):
    """Merujuk kasus: tujuan, apa yang dibagikan, persetujuan; langsung dikirim kecuali 'kirim' false (draf)."""
    kasus = muat_kasus(data["kasus_id"])
    if kasus is None:
        tolak(404, "Kasus tidak ditemukan.")
    try:
        tujuan_ = _tujuan(data["tujuan"])
    except KesalahanRujukan as e:
        db.session.commit()  # nothing but the audited look at the other office was written
        return jawaban_galat(e)
    db.session.commit()
    try:
        persetujuan = data.get("persetujuan")
        r = buat_rujukan(
            kasus, pengguna=current_user, tujuan=tujuan_, alasan=data["alasan"], bidang_klien=data["bidang_klien"],
            langkah=[str(x) for x in data["langkah"]], berkas=_berkas(data["berkas"]), persetujuan=persetujuan,
            override_alasan=data.get("override_alasan"), kirim=data["kirim"], abaikan_opsional=data["abaikan_opsional"],
            pemulangan=data["pemulangan"],
        )
        isi = data_keluar(r)  # before the commit, as in _Sisi.aksi
        db.session.commit()
    except (KesalahanRujukan, KesalahanKasus) as e:
        return jawaban_galat(e)
    resp = jsonify(isi)
    resp.status_code = 201
    return resp


@blp.route("/rujukan/keluar/<rujukan_id>")
@blp.response(200, SkemaJson)
@perlu_token("rujukan.lihat")
def keluar_rinci(slug, rujukan_id):
    """Rincian rujukan keluar: status, laporan kantor tujuan, apa yang dibagikan."""
    return jsonify(data_keluar(_rujukan(rujukan_id)))


@_KELUAR.aksi("kirim", "rujukan.kirim")
def keluar_kirim(r):
    """Mengirim draf."""
    kirim_rujukan(r, pengguna=current_user)


@_KELUAR.aksi("persetujuan", "rujukan.kirim", SkemaPersetujuan)
def keluar_persetujuan(r, data):
    """Mencatat persetujuan klien atau wali pada draf."""
    catat_persetujuan(r, pengguna=current_user, persetujuan=data)


@_KELUAR.aksi("override", "rujukan.override_persetujuan", SkemaAlasan)
def keluar_override(r, data):
    """Persetujuan pengganti (override) oleh kepala bidang, dengan alasan."""
    setujui_override(r, pengguna=current_user, alasan=data["alasan"])


@_KELUAR.aksi("tarik", "rujukan.kirim", SkemaAlasan)
def keluar_tarik(r, data):
    """Menarik rujukan yang belum diterima."""
    tarik_rujukan(r, pengguna=current_user, alasan=data["alasan"])


@_KELUAR.aksi("lengkapi", "rujukan.kirim", SkemaLengkapi)
def keluar_lengkapi(r, data):
    """Menjawab permintaan informasi kantor tujuan (catatan dan berkas kasus)."""
    lengkapi_rujukan(r, pengguna=current_user, catatan=data["catatan"], berkas=_berkas(data["berkas"]))


@_KELUAR.aksi("mitra", "rujukan.kirim", SkemaMitraTanggapan)
def keluar_mitra(r, data):
    """Mencatat tanggapan mitra di luar platform (terima dengan nomor berita acara, tolak, selesai)."""
    catat_tanggapan_mitra(r, aksi=data["aksi"], pengguna=current_user, catatan=data.get("catatan"),
                          nomor_berita_acara=data.get("nomor_berita_acara"))


@blp.route("/kasus/<kasus_id>/pemulangan", methods=["POST"])
@blp.response(200, SkemaJson)
@perlu_token("rujukan.kirim")
@blp.arguments(SkemaPemulangan)
def pemulangan(data, slug, kasus_id):
    """Kantor daerah keluarga (dari kode wilayah) dan layanannya yang menerima rujukan, untuk rujukan pemulangan."""
    kasus = muat_kasus(kasus_id)
    if kasus is None:
        tolak(404, "Kasus tidak ditemukan.")
    try:
        kantor, layanan = tujuan_pemulangan(kasus, data["kode_wilayah"])
    except KesalahanRujukan as e:
        return jawaban_galat(e)
    db.session.commit()
    return jsonify(kantor={"slug": kantor.slug, "nama": kantor.nama, "kode_wilayah": kantor.kode_wilayah}, layanan=layanan)


# --- incoming ----------------------------------------------------------------------------------------------


@blp.route("/rujukan/masuk")
@blp.response(200, SkemaJson)
@perlu_token("rujukan.lihat")
@blp.arguments(SkemaFilter, location="query", unknown=ma.RAISE)  # a misspelt filter is a 422, not ignored
def masuk_daftar(filter_, slug):
    """Rujukan masuk kantor ini, terbaru dulu."""
    return jsonify(data=[data_masuk(m) for m in penerimaan.daftar_masuk(filter_.get("status"))])


@blp.route("/rujukan/masuk/<masuk_id>")
@blp.response(200, SkemaJson)
@perlu_token("rujukan.lihat")
def masuk_rinci(slug, masuk_id):
    """Rincian rujukan masuk (dicatat di log audit): yang dibagikan, kecocokan persyaratan, riwayat."""
    m = _masuk(masuk_id)
    penerimaan.catat_buka(m, current_user)
    isi = data_masuk(m, rinci=True)
    db.session.commit()
    return jsonify(isi)


@blp.route("/rujukan/masuk/<masuk_id>/berkas/<berkas_id>")
@blp.response(200, SkemaJson)
@perlu_token("rujukan.lihat")
def masuk_berkas(slug, masuk_id, berkas_id):
    """Salinan berkas yang dibagikan (dicatat di log audit); tidak tersedia lagi setelah ditolak atau ditarik."""
    m = _masuk(masuk_id)
    try:
        isi, butir = penerimaan.buka_berkas(m, berkas_id, current_user)
    except KesalahanRujukan as e:
        return jawaban_galat(e)
    db.session.commit()
    return Response(isi, mimetype=butir["jenis_mime"], headers={
        "Content-Disposition": f'attachment; filename="rujukan-{berkas_id[:8]}.{EKSTENSI.get(butir["jenis_mime"], "bin")}"',
        "Cache-Control": "private, no-store"})


@_MASUK.aksi("terima", "rujukan.tanggapi", SkemaTerima)
def masuk_terima(m, data):
    """Menerima rujukan: kasus dibuka pada versi layanan yang berlaku, berisi hanya yang dibagikan (pada klien baru, atau
    pada salah satu `klien_serupa`)."""
    penerimaan.terima(m, pengguna=current_user, klien_id=data.get("klien_id"))


@_MASUK.aksi("tolak", "rujukan.tanggapi", SkemaAlasan)
def masuk_tolak(m, data):
    """Menolak rujukan dengan alasan; akses ke yang dibagikan berakhir."""
    penerimaan.tolak(m, pengguna=current_user, alasan=data["alasan"])


@_MASUK.aksi("minta-info", "rujukan.tanggapi", SkemaPertanyaan)
def masuk_minta_info(m, data):
    """Meminta informasi atau dokumen tambahan; batas waktu tanggapan berhenti sampai dijawab."""
    penerimaan.minta_info(m, pengguna=current_user, pertanyaan=data["pertanyaan"])


# --- partners and the province -------------------------------------------------------------------------------


@blp.route("/rujukan/mitra")
@blp.response(200, SkemaJson)
@perlu_token("rujukan.lihat")
def mitra_daftar(slug):
    """Mitra rujukan kantor ini (Balai, panti, LKS di luar platform)."""
    return jsonify(data=[{"id": str(m.id), "nama": m.nama, "jenis": m.jenis, "alamat": m.alamat, "kontak": m.kontak}
                         for m in mitra_aktif()])


@blp.route("/rujukan/mitra", methods=["POST"])
@blp.response(201, SkemaJson)
@perlu_token("rujukan.kelola_mitra")
@blp.arguments(SkemaMitraBaru)
def mitra_baru(data, slug):
    """Mendaftarkan mitra rujukan."""
    try:
        m = simpan_mitra(nama=data["nama"], jenis=data["jenis"], alamat=data.get("alamat"), kontak=data.get("kontak"),
                         pengguna=current_user)
        db.session.commit()
    except KesalahanRujukan as e:
        return jawaban_galat(e)
    resp = jsonify(id=str(m.id), nama=m.nama, jenis=m.jenis)
    resp.status_code = 201
    return resp


@blp.route("/pengawasan/rujukan")
@blp.response(200, SkemaJson)
@perlu_token("pengawasan.lihat")
@blp.arguments(SkemaFilter, location="query", unknown=ma.RAISE)  # a misspelt filter is a 422, not ignored
def pengawasan_rujukan(filter_, slug):
    """Rujukan ke dan dari kabupaten/kota provinsi ini: status, umur hari kerja, batas waktu, jumlah per kantor, matriks."""
    try:
        data = pengawasan.ringkasan(g.tenant, status=filter_.get("status"))
    except KesalahanRujukan as e:
        return jawaban_galat(e)
    db.session.commit()
    baris = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in b.items()} for b in data["baris"]]
    return jsonify(baris=baris, per_kantor=data["per_kantor"], matriks=data["matriks"], jumlah=data["jumlah"])


@blp.route("/pengawasan/rujukan/tindakan", methods=["POST"])
@blp.response(202, SkemaJson)
@perlu_token("pengawasan.lihat")
@blp.arguments(SkemaTindakan)
def pengawasan_tindakan(data, slug):
    """Pengingat (ke kepala bidang kantor tujuan) atau eskalasi (juga kepala dinas) untuk rujukan yang belum ditanggapi."""
    try:
        pengawasan.kirim_tindakan(g.tenant, kunci_kirim=data["kunci_kirim"], jenis=data["jenis"], pengguna=current_user,
                                  catatan=data.get("catatan"))
    except KesalahanRujukan as e:
        db.session.commit()  # a refusal writes nothing but the audited look at the other offices
        return jawaban_galat(e)
    db.session.commit()
    resp = jsonify(status="diantrekan", jenis=data["jenis"])
    resp.status_code = 202
    return resp
