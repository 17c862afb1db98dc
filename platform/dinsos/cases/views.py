"""Case pages under ``/t/<slug>/kasus``: lists, intake, the case page and its forms. Thin: the work is in ``penerimaan``, ``sop`` and ``kelola``."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from dinsos.catalogue.services import daftar_layanan, layanan_dari_kode, versi_terbaru
from dinsos.core.db import db, sekarang
from dinsos.core.errors import tolak
from dinsos.core.registri import Registri
from dinsos.documents.surat import JENIS_SURAT
from dinsos.documents.views import tanggapan_pdf
from dinsos.izin import boleh, perlu_izin
from dinsos.sla.views import tenggat_untuk

from . import akses, baca, kelola
from . import daftar as daftar_svc
from . import forms as f
from . import pelacak as pelacak_svc
from .konstanta import (
    JENIS_JEDA,
    JENIS_KELAMIN,
    JENIS_PELAPOR,
    LABEL_STATUS,
    STATUS_KASUS,
    STATUS_PERSYARATAN,
)
from .penerimaan import calon_duplikat, menunggu_verifikasi, terima_kasus, ubah_persyaratan, verifikasi_berkas
from .perubahan import KesalahanKasus, simpan
from .sop import catat_disposisi, catat_perkembangan, disposisi_langkah, giliran_disposisi, selesaikan_langkah, unggah_lampiran
from .surat import boleh_buka_surat, data_pemberitahuan_kekurangan, surat_kasus, terbitkan_pemberitahuan_kekurangan
from .tampilan import catat_buka, data_klien, peta_staf, ringkasan_banyak, riwayat_langkah, unduh, unduh_foto
from .tenggat import status_per_kasus
from .tindakan import catat_tindakan, definisi_tindakan, ringkasan_tindakan

bp = Blueprint("kasus", __name__, url_prefix="/t/<slug>/kasus")

# The timeline's label of each kind of event. Capabilities that put their own events on a case
# register their labels here during set-up (referrals does); an unknown kind shows as its code.
LABEL_PERISTIWA: Registri = Registri("label peristiwa kasus", {
    "penerimaan": _l("Penerimaan kasus"),
    "jam_mulai": _l("Jam layanan mulai berjalan"),
    "berkas_lengkap": _l("Berkas persyaratan lengkap"),
    "nomor_register": _l("Nomor register diberikan"),
    "berkas_diverifikasi": _l("Verifikasi berkas"),
    "disposisi": _l("Disposisi"),
    "persyaratan_diubah": _l("Persyaratan diperbarui"),
    "langkah_mulai": _l("Langkah dimulai"),
    "langkah_selesai": _l("Langkah selesai"),
    "catatan": _l("Catatan perkembangan"),
    "lampiran": _l("Lampiran ditambahkan"),
    "dijeda": _l("Kasus dijeda"),
    "dilanjutkan": _l("Kasus dilanjutkan"),
    "ditugaskan": _l("Kasus ditugaskan"),
    "langkah_ditugaskan": _l("Langkah ditugaskan"),
    "ditutup": _l("Kasus ditutup"),
    "dibuka_kembali": _l("Kasus dibuka kembali"),
    "surat_terbit": _l("Surat diterbitkan"),
})


# Sections other capabilities add to the case page: key -> (template, function(case) -> its data). The page
# calls each function before rendering and the template reads the result as ``data`` (referrals registers one).
PANEL_KASUS: Registri = Registri("panel halaman kasus")


def _kasus(kasus_id):
    kasus = baca.muat_kasus(kasus_id)
    if kasus is None:
        tolak(404, _("Kasus tidak ditemukan."))
    return kasus


def _durasi(menit) -> str:
    if menit is None:
        return ""
    hari, sisa = divmod(int(menit), 60 * 24)
    jam, mnt = divmod(sisa, 60)
    bagian = [f"{hari} hari"] if hari else []
    bagian += [f"{jam} jam"] if jam else []
    bagian += [f"{mnt} menit"] if mnt or not bagian else []
    return " ".join(bagian)


@bp.app_template_filter("durasi")
def _filter_durasi(menit):
    return _durasi(menit)


# --- lists ------------------------------------------------------------------------------


def _baris_daftar(daftar_kasus):
    staf = peta_staf()
    tempo = status_per_kasus([k.id for k in daftar_kasus], sekarang())
    baris = []
    for k, r in zip(daftar_kasus, ringkasan_banyak(daftar_kasus, current_user)):
        r["penanggung_jawab"] = staf.get(k.penanggung_jawab_id, "")
        r["label_status"] = LABEL_STATUS[k.status]
        r["tenggat"] = tempo.get(k.id)
        baris.append(r)
    return baris


@bp.get("/")
@perlu_izin("kasus.lihat")
def daftar(slug):
    """All cases of the office, filtered, newest first, keyset-paginated."""
    a = request.args
    try:
        setelah = daftar_svc.baca_kursor(a.get("setelah"))
    except ValueError:
        tolak(400, _("Tautan halaman berikutnya tidak valid; buka daftar dari awal."))
    try:
        pj = daftar_svc.baca_penanggung_jawab(a.get("penanggung_jawab") or None, current_user.id)
    except ValueError:
        tolak(400, _("Filter penanggung jawab tidak valid."))
    status = a.get("status") if a.get("status") in STATUS_KASUS else None
    baris, lanjut = daftar_svc.daftar_kasus(layanan=a.get("layanan") or None, status=status, langkah=a.get("langkah") or None,
                                     penanggung_jawab=pj, nik=a.get("nik") or None, lewat_waktu=bool(a.get("lewat_waktu")),
                                     setelah=setelah)
    filter_ = {k: v for k, v in a.items() if k != "setelah" and v}
    return render_template(
        "kasus/daftar.html", judul=_("Daftar kasus"), baris=_baris_daftar(baris), filter_=filter_,
        berikutnya=url_for("kasus.daftar", setelah=daftar_svc.tulis_kursor(lanjut), **filter_) if lanjut else None,
        semua_layanan=daftar_layanan(), staf=kelola.staf_penerima_tugas(), label_status=LABEL_STATUS, dengan_filter=True,
    )


@bp.get("/saya")
@perlu_izin("kasus.kerjakan")
def saya(slug):
    """The user's inbox: open cases or running steps assigned to them."""
    return render_template("kasus/daftar.html", judul=_("Kasus saya"), baris=_baris_daftar(daftar_svc.kasus_saya(current_user)),
                           filter_={}, berikutnya=None, dengan_filter=False)


# --- intake -------------------------------------------------------------------------------


@bp.get("/baru")
@perlu_izin("kasus.terima")
def pilih_layanan(slug):
    return render_template("kasus/pilih_layanan.html", semua_layanan=daftar_layanan())


_BIDANG_FORM = {
    "pelapor.jenis": "pelapor_jenis", "pelapor.nama": "pelapor_nama", "pelapor.surat_tanggal": "surat_tanggal",
    "klien.foto": "foto",
}


def _tempel_galat(form, e: KesalahanKasus, dokumen) -> None:
    """Put the service's field errors next to the form fields they concern."""
    indeks = {f"persyaratan.{d['kode']}": f"berkas_{i}" for i, d in enumerate(dokumen)}
    for kunci, pesan in e.kesalahan.items():
        nama = _BIDANG_FORM.get(kunci) or indeks.get(kunci) or kunci.removeprefix("klien.")
        medan = getattr(form, nama, None) if "." not in nama else None
        if medan is not None:
            medan.errors = list(medan.errors or []) + [pesan]


def _berkas(medan):
    berkas = medan.data
    if berkas and getattr(berkas, "filename", ""):
        return berkas.read(), berkas.filename
    return None


@bp.route("/baru/<layanan_kode>", methods=["GET", "POST"])
@perlu_izin("kasus.terima")
def terima(slug, layanan_kode):
    """Penerimaan baru: reporter, requirement checklist, client. Warns about likely duplicate clients before saving."""
    layanan = layanan_dari_kode(layanan_kode)
    if layanan is None:
        tolak(404, _("Layanan tidak ditemukan."))
    versi = versi_terbaru(layanan)
    dokumen = versi.persyaratan("pemohon")
    form = f.form_penerimaan(dokumen)
    # In the error summary an upload reads with its document's name ("Pindaian" alone says which?).
    judul_galat = {f"berkas_{i}": f"{d['nama']}: {_('pindaian')}" for i, d in enumerate(dokumen)}
    konteks = dict(layanan=layanan, versi=versi, dokumen=dokumen, duplikat=[], jenis_pelapor=JENIS_PELAPOR, judul_galat=judul_galat)
    if request.method == "GET" or form.kode_wilayah.perbarui:  # the region picker's no-script round trip: show, don't save
        return render_template("kasus/terima.html", form=form, **konteks)
    if not form.validate():
        return render_template("kasus/terima.html", form=form, **konteks), 422
    klien = {
        "nama": form.nama.data, "tanpa_identitas": form.tanpa_identitas.data, "deskripsi": form.deskripsi.data,
        "nik": form.nik.data, "tanggal_lahir": form.tanggal_lahir.data, "umur_perkiraan": form.umur_perkiraan.data,
        "jenis_kelamin": form.jenis_kelamin.data, "alamat": form.alamat.data, "kode_wilayah": form.kode_wilayah.data,
        "kategori_ppks": form.kategori_ppks.data, "keluarga": [a.data for a in form.keluarga.entries],
    }
    pilihan = form.klien_pilihan.data or ""
    if not pilihan:
        duplikat = calon_duplikat(klien)
        if duplikat:
            konteks["duplikat"] = _uraikan_duplikat(duplikat)
            flash(_("Kemungkinan klien ini sudah tercatat. Periksa daftar di bawah, lalu pilih klien yang ada atau tetap buat klien baru."), "galat")
            return render_template("kasus/terima.html", form=form, **konteks), 200
    unggahan = {d["kode"]: b for i, d in enumerate(dokumen) if (b := _berkas(getattr(form, f"berkas_{i}")))}
    status = {d["kode"]: getattr(form, f"status_{i}").data for i, d in enumerate(dokumen) if d["kode"] not in unggahan}
    try:
        hasil = terima_kasus(
            layanan_kode, pelapor={"jenis": form.pelapor_jenis.data, "nama": form.pelapor_nama.data, "instansi": form.pelapor_instansi.data,
                                   "kontak": form.pelapor_kontak.data, "surat_nomor": form.surat_nomor.data,
                                   "surat_tanggal": form.surat_tanggal.data},
            klien=None if pilihan not in ("", "baru") else klien, klien_id=pilihan if pilihan not in ("", "baru") else None,
            persyaratan=status, unggahan=unggahan, foto=_berkas(form.foto) if pilihan in ("", "baru") else None,
            pengguna=current_user,
        )
        simpan()
    except KesalahanKasus as e:
        db.session.rollback()
        _tempel_galat(form, e, dokumen)
        flash(e.pesan, "galat")
        return render_template("kasus/terima.html", form=form, **konteks), e.kode
    kasus = hasil.kasus
    if kasus.status == "berkas_belum_lengkap":
        flash(_("Kasus diterima, tetapi berkas belum lengkap: jam layanan belum berjalan. "
                "Cetak pemberitahuan kekurangan berkas untuk pemohon dari halaman ini."), "galat")
    elif kasus.nomor_register:
        flash(_("Kasus diterima dengan nomor register %(nomor)s.", nomor=kasus.nomor_register), "info")
    else:
        flash(_("Kasus diterima; nomor register diberikan pada langkah register kasus."), "info")
    return redirect(url_for("kasus.rinci", kasus_id=kasus.id))


def _uraikan_duplikat(duplikat: list[dict]) -> list[dict]:
    """Likely duplicates with the latest case of each, named only as far as the user may see."""
    from sqlalchemy import select

    from .models import Kasus

    hasil = []
    for d in duplikat:
        kasus = db.session.scalars(select(Kasus).where(Kasus.klien_id == d["klien_id"]).order_by(Kasus.dibuat_pada.desc())).first()
        hasil.append({"klien_id": d["klien_id"], "alasan": d["alasan"],
                      "nama": akses.nama_tampil(current_user, kasus, di_daftar=True) if kasus else "",
                      "kasus": kasus})
    return hasil


# --- the case page ------------------------------------------------------------------------------


def _rantai_disposisi(kasus, berjalan, definisi) -> dict | None:
    """The running step's disposition chain as the page shows it: acts so far, whose turn, whether it is the user's."""
    if not definisi or not definisi.get("disposisi") or kasus.status != "berjalan":
        return None
    sudah = disposisi_langkah(kasus, berjalan)
    giliran = giliran_disposisi(definisi, sudah)
    peran = akses.peran_untuk_langkah({"pelaksana": [giliran]}) if giliran else frozenset()
    return {
        "sudah": sudah, "giliran": giliran, "terakhir": definisi["disposisi"][-1],
        "label_giliran": akses.label_pelaksana({"pelaksana": [giliran]}) if giliran else "",
        "giliran_saya": bool(set(current_user.peran) & peran) and boleh(current_user, "kasus.kerjakan")
        and current_user.id not in {p.aktor_id for p in sudah},
    }


def _tindakan_halaman(kasus, form_tindakan=None) -> list[dict]:
    """The case acts for the page, each the user may record with its form (a refused one keeps its answers)."""
    hasil = []
    for r in ringkasan_tindakan(kasus, current_user):
        if r["boleh_catat"]:
            r["form"] = form_tindakan if form_tindakan is not None and form_tindakan._prefix == r["kode"] + "-" \
                else f.form_tindakan(r["definisi"])
        hasil.append(r)
    return hasil


def _halaman(kasus, *, galat: KesalahanKasus | None = None, kode: int = 200, form_langkah=None, form_tindakan=None):
    # Audited in the page's own transaction, committed once the page is built: a commit before would expire
    # the case and the office and read them again.
    catat_buka(kasus, current_user)
    v = baca.versi_kasus(kasus)
    berjalan = baca.langkah_berjalan(kasus)
    definisi = v.langkah(berjalan.kode) if berjalan else None
    staf = peta_staf()
    bisa_langkah = definisi is not None and kasus.status == "berjalan" and akses.boleh_kerjakan(current_user, definisi, kasus)
    rantai = _rantai_disposisi(kasus, berjalan, definisi)
    if rantai:
        # A disposition step: each officer records their own act; the last records the step.
        bisa_langkah = bisa_langkah and rantai["giliran"] == rantai["terakhir"] and rantai["giliran_saya"]
    if bisa_langkah and form_langkah is None:
        form_langkah = f.form_langkah(definisi)
        form_langkah.langkah.data = berjalan.kode
    # Pickers start empty and name each person's role and open cases; an outcome is never chosen for the user.
    penerima = f.pilihan(pelacak_svc.pilihan_staf(kelola.staf_penerima_tugas()))
    form_tugas = f.FormTugaskan()
    form_tugas.penanggung_jawab_id.choices = penerima
    form_tugas_langkah = f.FormTugaskanLangkah()
    form_tugas_langkah.pj_langkah_id.choices = penerima
    form_tutup = f.FormTutup()
    form_tutup.hasil_akhir.choices = f.pilihan([("", _("— pilih hasil akhir —"))] + [(h["kode"], h["nama"]) for h in v.isi["sop"]["hasil_akhir"]])
    bisa_urus = akses.boleh_urus(current_user, kasus)
    lacak = pelacak_svc.pelacak(kasus, v.isi, staf)
    aksi_utama = pelacak_svc.aksi_utama(kasus, current_user, bisa_langkah=bisa_langkah, bisa_urus=bisa_urus,
                                        semua_selesai=lacak["semua_selesai"])
    surat = surat_kasus(kasus) if boleh_buka_surat(current_user, kasus) else []
    # The page shows the whole timeline anyway: its last progress note is read from it, not asked for again.
    linimasa = baca.peristiwa(kasus)
    halaman = render_template(
        "kasus/rinci.html",
        kasus=kasus, v=v, layanan={"kode": v.isi["kode"], "nama": v.isi["nama"]},
        staf_teks={str(k): n for k, n in staf.items()}, klien=data_klien(kasus, current_user),
        nama_klien=akses.nama_tampil(current_user, kasus), staf=staf, berjalan=berjalan, definisi=definisi,
        riwayat=riwayat_langkah(kasus, v, staf), peristiwa=linimasa, lampiran=baca.lampiran(kasus),
        kurang=baca.persyaratan_kurang(kasus), label_status=LABEL_STATUS, label_persyaratan=STATUS_PERSYARATAN,
        label_peristiwa=LABEL_PERISTIWA, jenis_kelamin=JENIS_KELAMIN, jenis_pelapor=JENIS_PELAPOR, jenis_jeda=JENIS_JEDA,
        identitas=akses.boleh_lihat_identitas(current_user, kasus), bisa_langkah=bisa_langkah,
        bisa_urus=bisa_urus, lacak=lacak, aksi_utama=aksi_utama, hasil_akhir={h["kode"]: h["nama"] for h in v.isi["sop"]["hasil_akhir"]},
        bisa_tugaskan=boleh(current_user, "kasus.tugaskan"),
        bisa_kerjakan=boleh(current_user, "kasus.kerjakan"), pelaksana=akses.label_pelaksana(definisi) if definisi else "",
        form_langkah=form_langkah, form_persyaratan=f.FormPersyaratan(), form_catatan=f.FormCatatan(),
        form_lampiran=f.FormLampiran(), form_jeda=f.FormJeda(), form_lanjut=f.FormLanjut(), form_tugas=form_tugas,
        form_tugas_langkah=form_tugas_langkah, form_tutup=form_tutup, form_buka=f.FormBukaKembali(),
        galat=galat, pemberitahuan=data_pemberitahuan_kekurangan(kasus) if kasus.status == "berkas_belum_lengkap" else None,
        rantai=rantai, form_disposisi=f.FormDisposisi(), form_verifikasi=f.FormVerifikasi(),
        bisa_verifikasi=bool(v.verifikasi_berkas) and kasus.status == "berkas_belum_lengkap"
        and akses.boleh_kerjakan(current_user, v.verifikasi_berkas, kasus),
        menunggu_verifikasi=menunggu_verifikasi(kasus), catatan_kantor=v.persyaratan("kantor"),
        surat=surat, surat_per_id={str(s.id): s for s in surat}, judul_surat={k: j.judul for k, j in JENIS_SURAT.items()},
        tindakan=_tindakan_halaman(kasus, form_tindakan), catatan_terakhir=max((p.waktu for p in linimasa if p.jenis == "catatan"), default=None),
        bisa_catatan=kasus.status not in ("ditutup", "berkas_belum_lengkap") and (bisa_langkah or bisa_urus),
        daftar_tenggat=tenggat_untuk(kasus.id),
        panel_kasus=[{"template": t, "data": data(kasus)} for t, data in PANEL_KASUS.values()],
    )
    # The page is built: the audit's commit need not expire what it read, or the request's end reads the user again.
    sesi = db.session()
    semula, sesi.expire_on_commit = sesi.expire_on_commit, False
    try:
        sesi.commit()
    finally:
        sesi.expire_on_commit = semula
    return halaman, kode


@bp.get("/<kasus_id>")
@perlu_izin("kasus.lihat")
def rinci(slug, kasus_id):
    """The case page; every opening is written to the audit log."""
    return _halaman(_kasus(kasus_id))


def _kirim(kasus_id, form, kerja, pesan_ok: str, form_langkah=None, form_tindakan=None):
    """Run one case change from a posted form: saved and redirected, or the page again with the reason."""
    kasus = _kasus(kasus_id)
    if not form.validate():
        galat = KesalahanKasus(" ".join(e for es in form.errors.values() for e in (es if isinstance(es, list) else [str(es)])), 422)
        csrf = any(k.endswith("csrf_token") for k in form.errors)
        return _halaman(kasus, galat=galat, kode=400 if csrf else 422, form_langkah=form_langkah, form_tindakan=form_tindakan)
    try:
        kerja(kasus)
        simpan()
    except KesalahanKasus as e:
        db.session.rollback()
        kasus = _kasus(kasus_id)
        return _halaman(kasus, galat=e, kode=e.kode, form_langkah=form_langkah, form_tindakan=form_tindakan)
    flash(pesan_ok, "info")
    return redirect(url_for("kasus.rinci", kasus_id=kasus_id))


def _aksi(jalur: str, izin: str, Form, pesan_ok):
    """Register the decorated ``kerja(kasus, form)`` as the change posted to ``/<kasus_id>/<jalur>``.

    The function's name is the endpoint's; ``_kirim`` runs it: saved and redirected with ``pesan_ok``,
    or the case page again with why.
    """

    def daftar(kerja):
        @bp.post(f"/<kasus_id>/{jalur}", endpoint=kerja.__name__)
        @perlu_izin(izin)
        def tampilan(slug, kasus_id):
            form = Form()
            return _kirim(kasus_id, form, lambda kasus: kerja(kasus, form), str(pesan_ok))

        return tampilan

    return daftar


@_aksi("persyaratan", "kasus.kerjakan", f.FormPersyaratan, _l("Persyaratan diperbarui."))
def persyaratan(kasus, form):
    berkas = _berkas(form.berkas)
    lengkap = ubah_persyaratan(kasus, versi=form.versi.data, pengguna=current_user,
                                   perubahan=None if berkas else {form.kode.data: form.status.data},
                                   unggahan={form.kode.data: berkas} if berkas else None)
    if lengkap and kasus.nomor_register:
        flash(_("Berkas lengkap: jam layanan mulai berjalan dan nomor register %(nomor)s diberikan.", nomor=kasus.nomor_register), "info")
    elif lengkap:
        flash(_("Berkas lengkap: jam layanan mulai berjalan; nomor register diberikan pada langkah register kasus."), "info")


@_aksi("verifikasi", "kasus.kerjakan", f.FormVerifikasi, _l("Hasil verifikasi berkas dicatat."))
def verifikasi(kasus, form):
    surat = verifikasi_berkas(kasus, versi=form.versi.data, pengguna=current_user, benar=form.hasil_verifikasi.data == "benar",
                              catatan=form.catatan_verifikasi.data, persyaratan_salah=request.form.getlist("salah"))
    if surat is not None:
        flash(_("Berkas dikembalikan kepada pemohon; pemberitahuan kekurangan berkas nomor %(nomor)s diterbitkan.",
                nomor=surat.nomor), "info")


@_aksi("disposisi", "kasus.kerjakan", f.FormDisposisi, _l("Disposisi dicatat."))
def disposisi(kasus, form):
    catat_disposisi(kasus, versi=form.versi.data, pengguna=current_user, instruksi=form.isi_disposisi.data)


@bp.post("/<kasus_id>/langkah")
@perlu_izin("kasus.kerjakan")
def langkah(slug, kasus_id):
    # Not an ``_aksi``: the form is built from the running step's definition, so the case is read first.
    kasus = _kasus(kasus_id)
    berjalan = baca.langkah_berjalan(kasus)
    definisi = baca.versi_kasus(kasus).langkah(berjalan.kode) if berjalan else {"isian": [], "cabang": []}
    form = f.form_langkah(definisi)

    def kerja(kasus):
        unggahan = [(b.read(), b.filename) for b in (form.lampiran.data or []) if getattr(b, "filename", "")]
        selesaikan_langkah(kasus, versi=form.versi.data, kode_langkah=form.langkah.data, pengguna=current_user,
                               isian=f.jawaban_isian(form, definisi), catatan=form.catatan.data,
                               cabang=getattr(form, "cabang", None) and form.cabang.data or None, unggahan=unggahan)

    return _kirim(kasus_id, form, kerja, _("Langkah dicatat selesai."), form_langkah=form)


@bp.post("/<kasus_id>/tindakan/<kode>")
@perlu_izin("kasus.kerjakan")
def tindakan(slug, kasus_id, kode):
    """Record one case act (a deliverable, an SPPA stage, a shelter log entry); the SOP step is not moved."""
    kasus = _kasus(kasus_id)
    definisi = definisi_tindakan(baca.versi_kasus(kasus), kode)
    if definisi is None:
        tolak(404, _("Tindakan '%(kode)s' tidak ada pada standar layanan kasus ini.", kode=kode))
    form = f.form_tindakan(definisi)

    def kerja(kasus):
        unggahan = [(b.read(), b.filename) for b in (form.lampiran.data or []) if getattr(b, "filename", "")]
        catat_tindakan(kasus, versi=form.versi.data, kode=kode, pengguna=current_user, isian=f.jawaban_isian(form, definisi),
                       catatan=form.catatan.data, unggahan=unggahan)

    return _kirim(kasus_id, form, kerja, _("%(nama)s dicatat.", nama=definisi["nama"]), form_tindakan=form)


@bp.post("/<kasus_id>/pemberitahuan-kekurangan")
@perlu_izin("kasus.kerjakan")
def pemberitahuan_kekurangan(slug, kasus_id):
    """Cetak pemberitahuan kekurangan berkas: the notice is issued, archived, and opened to print for the applicant."""
    kasus = _kasus(kasus_id)
    try:
        surat = terbitkan_pemberitahuan_kekurangan(kasus, current_user)
    except KesalahanKasus as e:
        db.session.rollback()
        return _halaman(_kasus(kasus_id), galat=e, kode=e.kode)
    db.session.commit()
    return tanggapan_pdf(surat, cetak=True)


@_aksi("catatan", "kasus.kerjakan", f.FormCatatan, _l("Catatan perkembangan disimpan."))
def catatan(kasus, form):
    catat_perkembangan(kasus, versi=form.versi.data, catatan=form.catatan_perkembangan.data, pengguna=current_user)


@_aksi("lampiran", "kasus.kerjakan", f.FormLampiran, _l("Lampiran diunggah."))
def lampiran(kasus, form):
    berkas = _berkas(form.berkas_lampiran)
    if berkas is None:
        raise KesalahanKasus(_("Pilih berkas yang akan diunggah."), 422, {"berkas": "Wajib dipilih."})
    unggah_lampiran(kasus, versi=form.versi.data, isi=berkas[0], nama_berkas=berkas[1], pengguna=current_user)


@bp.get("/<kasus_id>/lampiran/<lampiran_id>")
@perlu_izin("kasus.lihat")
def unduh_lampiran(slug, kasus_id, lampiran_id):
    return unduh(_kasus(kasus_id), lampiran_id, current_user)


@bp.get("/<kasus_id>/foto")
@perlu_izin("kasus.lihat")
def foto(slug, kasus_id):
    return unduh_foto(_kasus(kasus_id), current_user)


@_aksi("jeda", "kasus.kerjakan", f.FormJeda, _l("Kasus dijeda."))
def jeda(kasus, form):
    kelola.jeda_kasus(kasus, versi=form.versi.data, jenis=form.jenis_jeda.data, alasan=form.alasan_jeda.data, pengguna=current_user)


@_aksi("lanjut", "kasus.kerjakan", f.FormLanjut, _l("Kasus dilanjutkan."))
def lanjut(kasus, form):
    kelola.lanjutkan_kasus(kasus, versi=form.versi.data, catatan=form.catatan_lanjut.data, pengguna=current_user)


@_aksi("tugaskan", "kasus.tugaskan", f.FormTugaskan, _l("Penanggung jawab kasus diperbarui."))
def tugaskan(kasus, form):
    kelola.tugaskan_kasus(kasus, versi=form.versi.data, penanggung_jawab_id=form.penanggung_jawab_id.data, pengguna=current_user)


@_aksi("tugaskan-langkah", "kasus.tugaskan", f.FormTugaskanLangkah, _l("Penanggung jawab langkah diperbarui."))
def tugaskan_langkah(kasus, form):
    kelola.tugaskan_langkah(kasus, versi=form.versi.data, penanggung_jawab_id=form.pj_langkah_id.data, pengguna=current_user)


@_aksi("tutup", "kasus.kerjakan", f.FormTutup, _l("Kasus ditutup."))
def tutup(kasus, form):
    kelola.tutup_kasus(kasus, versi=form.versi.data, hasil_akhir=form.hasil_akhir.data, catatan=form.catatan_tutup.data,
                    pengguna=current_user)


@_aksi("buka-kembali", "kasus.tugaskan", f.FormBukaKembali, _l("Kasus dibuka kembali."))
def buka_kembali(kasus, form):
    kelola.buka_kembali(kasus, versi=form.versi.data, alasan=form.alasan_buka.data, pengguna=current_user)
