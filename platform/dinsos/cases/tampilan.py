"""What a user is shown of a case, shared by the pages and the API: masking, access log, downloads."""
from flask import Response
from flask_babel import gettext as _

from dinsos.audit.services import catat_peristiwa
from dinsos.catalogue.services import IdentitasVersi, identitas_versi
from dinsos.core.db import db, sekarang
from dinsos.core.errors import tolak
from dinsos.core.penyimpanan import EKSTENSI, BerkasTidakAda, penyimpanan
from dinsos.izin import boleh

from . import akses
from .baca import lampiran, langkah_berjalan, muat_lampiran, peristiwa, semua_staf, tanggal_lokal, versi_kasus
from .isian import isian_langkah, tampilkan
from .klien import umur
from .konstanta import HUBUNGAN_KELUARGA, KATEGORI_PPKS
from .nik import NikTidakValid, periksa_nik
from .tenggat import durasi_menit, info_langkah


def peta_staf() -> dict:
    return {p.id: p.nama for p in semua_staf()}


def ringkasan_banyak(daftar: list, pengguna) -> list[dict]:
    """List rows of many cases, with what every row needs read once for all (a few queries, not a few per row)."""
    # The user itself, not Flask-Login's proxy: every row asks it several things, and each proxied access costs.
    pengguna = getattr(pengguna, "_get_current_object", lambda: pengguna)()
    versi = identitas_versi({k.versi_layanan_id for k in daftar})
    perlu_penangan = any(k.rahasia for k in daftar) and not boleh(pengguna, "kasus.lihat_semua_identitas")
    penangan = akses.penangan_banyak(daftar) if perlu_penangan else {}
    return [data_ringkas(k, pengguna, versi[k.versi_layanan_id], penangan.get(k.id)) for k in daftar]


def data_ringkas(kasus, pengguna, versi: IdentitasVersi | None = None, penangan_kasus: set | None = None) -> dict:
    """A case as a list row: the client's name masked where the user may not see it.

    ``versi`` (the standard's code, name and number) and ``penangan_kasus``
    are given by ``ringkasan_banyak``; alone, the row reads them itself.
    """
    versi = versi or identitas_versi({kasus.versi_layanan_id})[kasus.versi_layanan_id]
    return {
        "id": kasus.id,
        "nomor_register": kasus.nomor_register,
        "layanan": versi.kode,
        "nama_layanan": versi.nama,
        "versi_layanan": versi.versi,
        "status": kasus.status,
        "langkah": kasus.langkah_kode,
        "klien": akses.nama_tampil(pengguna, kasus, di_daftar=True, penangan_kasus=penangan_kasus),
        "rahasia": kasus.rahasia,
        "penanggung_jawab_id": kasus.penanggung_jawab_id,
        "diterima_pada": kasus.diterima_pada,
        "jam_mulai_pada": kasus.jam_mulai_pada,
        "versi": kasus.versi,
    }


def catat_buka(kasus, pengguna) -> None:
    """Every opening of a case record goes to the audit log (UU 27/2022: processing is recorded)."""
    catat_peristiwa("buka_kasus", objek_jenis="kasus", objek_id=kasus.id, aktor=pengguna.label_audit,
                    rahasia=kasus.rahasia or None)


def data_klien(kasus, pengguna) -> dict | None:
    """The client's record, or None when the user may not see this client's identity."""
    if not akses.boleh_lihat_identitas(pengguna, kasus):
        return None
    k = kasus.klien
    return {
        "nama": k.nama, "tanpa_identitas": k.tanpa_identitas, "deskripsi": k.deskripsi, "nik": k.nik, "nik_wilayah": wilayah_nik(k.nik),
        "tanggal_lahir": k.tanggal_lahir.isoformat() if k.tanggal_lahir else None,
        "umur": umur(k, tanggal_lokal(sekarang())), "umur_perkiraan": k.umur_perkiraan,
        "jenis_kelamin": k.jenis_kelamin, "alamat": k.alamat, "kode_wilayah": k.kode_wilayah,
        "kategori_ppks": k.kategori_ppks, "nama_kategori_ppks": KATEGORI_PPKS.get(k.kategori_ppks),
        "ada_foto": bool(k.foto_kunci),
        "keluarga": [{"nama": a.nama, "hubungan": a.hubungan, "label_hubungan": str(HUBUNGAN_KELUARGA.get(a.hubungan, a.hubungan)),
                      "wali": a.wali, "kontak": a.kontak, "alamat": a.alamat} for a in k.keluarga],
    }


def wilayah_nik(nik: str | None) -> str | None:
    """Where a NIK was issued, in words (the region may predate a split, so an unknown code is shown as it is)."""
    if not nik:
        return None
    try:
        info = periksa_nik(nik)
    except NikTidakValid:
        return None
    daerah = {"kabupaten": "kabupaten", "kota": "kota"}.get(info.jenis_daerah, "daerah")
    return f"{info.nama_provinsi or 'provinsi ' + info.kode_provinsi}, {daerah} {info.kode_kabupaten_kota}, kecamatan {info.kode_kecamatan}"


def riwayat_langkah(kasus, v, staf: dict) -> list[dict]:
    hasil = []
    for l in kasus.langkah:
        definisi = v.langkah(l.kode) or {"kegiatan": l.kode, "isian": []}
        hasil.append({
            "id": str(l.id), "urutan": l.urutan, "kode": l.kode, "kegiatan": definisi["kegiatan"], "status": l.status,
            "mulai_pada": l.mulai_pada.isoformat(), "selesai_pada": l.selesai_pada.isoformat() if l.selesai_pada else None,
            "waktu": l.waktu, "durasi_menit": durasi_menit(kasus, l),
            "penanggung_jawab": staf.get(l.penanggung_jawab_id), "dikerjakan_oleh": staf.get(l.dikerjakan_oleh_id),
            "isian": [{"label": d["label"], "nilai": tampilkan(d, (l.isian or {}).get(d["nama"]))} for d in isian_langkah(definisi)],
            "catatan": l.catatan, "cabang_ke": l.cabang_ke, "dokumen_keluaran": l.dokumen_keluaran,
        })
    return hasil


def data_rinci(kasus, pengguna) -> dict:
    """A case in full for the API (identity only where allowed); the opening is audited."""
    catat_buka(kasus, pengguna)
    v = versi_kasus(kasus)
    staf = peta_staf()
    isi = data_ringkas(kasus, pengguna)
    isi["klien"] = akses.nama_tampil(pengguna, kasus)
    identitas = akses.boleh_lihat_identitas(pengguna, kasus)
    berjalan = langkah_berjalan(kasus)
    isi.update(
        klien_rinci=data_klien(kasus, pengguna),
        pelapor={"jenis": kasus.pelapor_jenis, "nama": kasus.pelapor_nama, "instansi": kasus.pelapor_instansi,
                 "kontak": kasus.pelapor_kontak if identitas else None, "surat_nomor": kasus.surat_nomor,
                 "surat_tanggal": kasus.surat_tanggal.isoformat() if kasus.surat_tanggal else None},
        persyaratan=[{"kode": p.kode, "nama": p.nama, "wajib": p.wajib, "status": p.status,
                      "lampiran_id": str(p.lampiran_id) if p.lampiran_id else None} for p in kasus.persyaratan],
        langkah_berjalan=info_langkah(berjalan) | {"isian": isian_langkah(v.langkah(berjalan.kode)),
                                                      "cabang": v.langkah(berjalan.kode).get("cabang") or [],
                                                      "berikutnya": v.langkah(berjalan.kode).get("berikutnya")} if berjalan else None,
        riwayat_langkah=riwayat_langkah(kasus, v, staf),
        peristiwa=[{"urutan": p.urutan, "jenis": p.jenis, "waktu": p.waktu.isoformat(), "oleh": staf.get(p.aktor_id),
                    "rincian": p.rincian, "catatan": p.catatan if identitas else None} for p in peristiwa(kasus)],
        lampiran=[{"id": str(l.id), "jenis_mime": l.jenis_mime, "ukuran": l.ukuran,
                   "persyaratan": l.persyaratan_kode} for l in lampiran(kasus)],
        hasil_akhir=kasus.hasil_akhir,
    )
    if berjalan:
        isi["langkah_berjalan"] = {k: (str(v_) if k.endswith("_id") and v_ else v_.isoformat() if hasattr(v_, "isoformat") else v_)
                                   for k, v_ in isi["langkah_berjalan"].items()}
    return isi


def _boleh_unduh(kasus, pengguna) -> None:
    if not akses.boleh_lihat_identitas(pengguna, kasus):
        tolak(403, _("Berkas kasus rahasia ini hanya dapat diunduh oleh penangan kasus dan pimpinan."))


def unduh(kasus, lampiran_id, pengguna) -> Response:
    """Send an attachment to a user who may open the case; the download is audited."""
    lamp = muat_lampiran(kasus, lampiran_id)
    if lamp is None:
        tolak(404, _("Lampiran tidak ditemukan."))
    _boleh_unduh(kasus, pengguna)
    try:
        isi = penyimpanan().buka(lamp.kunci)
    except BerkasTidakAda:
        tolak(404, _("Berkas lampiran tidak ada lagi di penyimpanan."))
    catat_peristiwa("unduh_lampiran", objek_jenis="kasus", objek_id=kasus.id, aktor=pengguna.label_audit, lampiran=str(lamp.id))
    db.session.commit()
    nama = f"lampiran-{kasus.nomor_register or 'kasus'}-{str(lamp.id)[:8]}.{EKSTENSI[lamp.jenis_mime]}".replace("/", "-")
    return Response(isi, mimetype=lamp.jenis_mime, headers={
        "Content-Disposition": f'attachment; filename="{nama}"', "Cache-Control": "private, no-store",
    })


def unduh_foto(kasus, pengguna) -> Response:
    """The client's photo, for those who may see the client's identity; audited."""
    _boleh_unduh(kasus, pengguna)
    k = kasus.klien
    if not k.foto_kunci:
        tolak(404, _("Klien ini tidak memiliki foto."))
    try:
        isi = penyimpanan().buka(k.foto_kunci)
    except BerkasTidakAda:
        tolak(404, _("Foto klien tidak ada lagi di penyimpanan."))
    catat_peristiwa("unduh_foto_klien", objek_jenis="kasus", objek_id=kasus.id, aktor=pengguna.label_audit)
    db.session.commit()
    return Response(isi, mimetype=k.foto_jenis, headers={"Cache-Control": "private, no-store"})
