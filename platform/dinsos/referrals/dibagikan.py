"""What of a case the sender shares: client fields, finished steps' answers, case files, letters and new uploads.

Each shared file is an item of the referral's ``dibagikan`` snapshot, mapped
(``dokumen_kode``) to a requirement of the receiving service and checked
against those requirements before the referral goes. Uploads are stored
under this office's keys; storage is not transactional, so the keys written
inside ``core.penyimpanan.kunci_dihapus_bila_gagal`` are deleted again when the change fails.
"""
import hashlib
from datetime import datetime

from sqlalchemy import select

from dinsos.cases import klien as klien_svc
from dinsos.cases.baca import lampiran, tanggal_lokal, versi_kasus
from dinsos.cases.isian import tampilkan
from dinsos.cases.models import Kasus, LampiranKasus
from dinsos.core.db import db
from dinsos.core.penyimpanan import BerkasDitolak, penyimpanan, periksa_berkas
from dinsos.documents.models import SuratTerbit
from dinsos.documents.surat import JENIS_SURAT

from .rujukan import KesalahanRujukan, sebagai_uuid

# What of the client a sender may choose to share; everything else stays in the sending office.
BIDANG_KLIEN = {
    "nama": "Nama",
    "nik": "NIK",
    "tanggal_lahir": "Tanggal lahir / umur",
    "jenis_kelamin": "Jenis kelamin",
    "alamat": "Alamat dan kode wilayah",
    "kategori_ppks": "Kategori PPKS",
    "deskripsi": "Deskripsi / ciri-ciri",
    "keluarga": "Keluarga / wali",
}
MAKS_BERKAS = 30


def surat_kasus(kasus: Kasus) -> list[SuratTerbit]:
    """Letters already issued about the case or its steps (PDF not loaded)."""
    langkah = [str(l.id) for l in kasus.langkah]
    return db.session.scalars(
        select(SuratTerbit).where(
            ((SuratTerbit.objek_jenis == "kasus") & (SuratTerbit.objek_id == str(kasus.id)))
            | ((SuratTerbit.objek_jenis == "langkah_kasus") & (SuratTerbit.objek_id.in_(langkah or ["-"])))
        ).order_by(SuratTerbit.diterbitkan_pada)
    ).all()


def bahan_kasus(kasus: Kasus) -> dict:
    """What the sender may pick from: the case's files, its letters and its finished steps with answers."""
    v = versi_kasus(kasus)
    langkah = []
    for l in kasus.langkah:
        if l.status != "selesai":
            continue
        definisi = v.langkah(l.kode) or {"kegiatan": l.kode}
        langkah.append({"id": l.id, "kode": l.kode, "kegiatan": definisi["kegiatan"], "selesai_pada": l.selesai_pada,
                        "ada_isian": bool(definisi.get("isian")) or bool(l.catatan)})
    return {
        "lampiran": [{"id": l.id, "nama": l.nama_berkas, "jenis_mime": l.jenis_mime, "ukuran": l.ukuran,
                      "persyaratan_kode": l.persyaratan_kode} for l in lampiran(kasus)],
        "surat": [{"id": s.id, "nama": f"{JENIS_SURAT[s.jenis].judul} {s.nomor}" if s.jenis in JENIS_SURAT else s.nomor,
                   "jenis": s.jenis} for s in surat_kasus(kasus)],
        "langkah": langkah,
    }


def klien_dibagikan(kasus: Kasus, bidang: list[str], pada: datetime) -> dict:
    k = kasus.klien
    hari_ini = tanggal_lokal(pada)
    isi: dict = {"tanpa_identitas": not (k.nama and "nama" in bidang)}
    if "nama" in bidang:
        isi["nama"] = k.nama
    if "nik" in bidang:
        isi["nik"] = k.nik
    if "tanggal_lahir" in bidang:
        isi["tanggal_lahir"] = k.tanggal_lahir.isoformat() if k.tanggal_lahir else None
        isi["umur"] = klien_svc.umur(k, hari_ini)
    if "jenis_kelamin" in bidang:
        isi["jenis_kelamin"] = k.jenis_kelamin
    if "alamat" in bidang:
        isi["alamat"], isi["kode_wilayah"] = k.alamat, k.kode_wilayah
    if "kategori_ppks" in bidang:
        isi["kategori_ppks"] = k.kategori_ppks
    if "deskripsi" in bidang:
        isi["deskripsi"] = k.deskripsi
    if "keluarga" in bidang:
        isi["keluarga"] = [{"nama": a.nama, "hubungan": a.hubungan, "wali": a.wali, "kontak": a.kontak, "alamat": a.alamat}
                           for a in k.keluarga]
    return isi


def langkah_dibagikan(kasus: Kasus, pilihan: list) -> list[dict]:
    v = versi_kasus(kasus)
    dipilih = {sebagai_uuid(x) for x in pilihan or []}
    hasil = []
    for l in kasus.langkah:
        if l.id not in dipilih:
            continue
        if l.status != "selesai":
            raise KesalahanRujukan(f"Langkah '{l.kode}' belum selesai; hanya jawaban langkah yang selesai yang dapat dibagikan.",
                                   422, {"langkah": "Pilih langkah yang sudah selesai."})
        definisi = v.langkah(l.kode) or {"kegiatan": l.kode}
        jawaban = l.isian or {}
        hasil.append({
            "kode": l.kode, "kegiatan": definisi["kegiatan"], "selesai_pada": l.selesai_pada.isoformat(),
            "isian": [{"label": d["label"], "nilai": tampilkan(d, jawaban.get(d["nama"]))} for d in definisi.get("isian") or []],
            "catatan": l.catatan,
        })
        dipilih.discard(l.id)
    if dipilih:
        raise KesalahanRujukan("Langkah yang dipilih tidak ada pada kasus ini.", 422, {"langkah": "Pilih langkah kasus ini."})
    return hasil


# --- files -----------------------------------------------------------------------------------------------


def berkas_dari_kasus(kasus: Kasus, pilihan: list[dict], putaran: int) -> list[dict]:
    """Case files and letters the sender picked, as share items; ``pilihan``: [{sumber, id, dokumen_kode}]."""
    hasil = []
    for p in pilihan:
        sumber, sid, kode = p.get("sumber"), sebagai_uuid(p.get("id")), (p.get("dokumen_kode") or None)
        if sumber == "lampiran":
            lamp = db.session.scalar(select(LampiranKasus).where(LampiranKasus.id == sid, LampiranKasus.kasus_id == kasus.id)) \
                if sid else None
            if lamp is None:
                raise KesalahanRujukan("Lampiran yang dipilih tidak ada pada kasus ini.", 422, {"berkas": "Pilih lampiran kasus ini."})
            hasil.append({"sumber": "lampiran", "sumber_id": str(lamp.id), "kunci": lamp.kunci, "nama": lamp.nama_berkas,
                          "jenis_mime": lamp.jenis_mime, "ukuran": lamp.ukuran, "sha256": lamp.sha256})
        elif sumber == "surat":
            surat = next((s for s in surat_kasus(kasus) if s.id == sid), None) if sid else None
            if surat is None:
                raise KesalahanRujukan("Surat yang dipilih tidak diterbitkan untuk kasus ini.", 422, {"berkas": "Pilih surat kasus ini."})
            hasil.append(butir_surat(surat))
        else:
            raise KesalahanRujukan(f"Sumber berkas '{sumber}' tidak dikenal; pilih 'lampiran' atau 'surat'.", 422,
                                   {"berkas": "Sumber berkas tidak dikenal."})
        hasil[-1].update(dokumen_kode=kode, putaran=putaran)
    return hasil


def butir_surat(surat: SuratTerbit) -> dict:
    judul = JENIS_SURAT[surat.jenis].judul if surat.jenis in JENIS_SURAT else surat.jenis
    return {"sumber": "surat", "sumber_id": str(surat.id), "kunci": None, "nama": f"{judul} {surat.nomor}.pdf",
            "jenis_mime": "application/pdf", "ukuran": None, "sha256": surat.sidik}


def periksa_unggahan(isi: bytes, nama: str) -> str:
    """The media type of an uploaded file; refused (the storage check's status) for a wrong kind or size."""
    from flask import current_app

    try:
        return periksa_berkas(isi, current_app.config["MAX_UPLOAD_BYTES"])
    except BerkasDitolak as e:
        raise KesalahanRujukan(f"Berkas '{nama}': {e}", e.kode, {"unggahan": str(e)}) from None


def simpan_unggahan(unggahan: list[tuple], putaran: int, baru: list[str]) -> list[dict]:
    """Files uploaded for the referral itself, stored under this office's keys; ``unggahan``: [(bytes, name, dokumen_kode)]."""
    hasil = []
    for isi, nama, kode in unggahan:
        mime = periksa_unggahan(isi, nama)
        kunci = penyimpanan().simpan(isi, "rujukan")
        baru.append(kunci)
        hasil.append({"sumber": "unggahan", "sumber_id": None, "kunci": kunci, "nama": (nama or "berkas").strip()[:200] or "berkas",
                      "jenis_mime": mime, "ukuran": len(isi), "sha256": hashlib.sha256(isi).hexdigest(),
                      "dokumen_kode": kode or None, "putaran": putaran})
    return hasil


# --- the receiving service's requirements ----------------------------------------------------------------


def periksa_kelengkapan(persyaratan: list[dict], berkas: list[dict]) -> dict:
    """Match the receiving service's requirements against the files to be shared.

    Returns ``{"terpenuhi": {kode: [file names]}, "kurang_wajib": [req], "kurang_opsional": [req], "tak_dikenal": [codes]}``.
    """
    per_kode: dict[str, list[str]] = {}
    for b in berkas:
        if b.get("dokumen_kode"):
            per_kode.setdefault(b["dokumen_kode"], []).append(b["nama"])
    dikenal = {d["kode"] for d in persyaratan}
    return {
        "terpenuhi": {k: v for k, v in per_kode.items() if k in dikenal},
        "kurang_wajib": [d for d in persyaratan if d["wajib"] and d["kode"] not in per_kode],
        "kurang_opsional": [d for d in persyaratan if not d["wajib"] and d["kode"] not in per_kode],
        "tak_dikenal": sorted(set(per_kode) - dikenal),
    }


def tolak_persyaratan_asing(tak_dikenal: list[str]) -> None:
    """Refuse files matched to requirement codes the receiving service does not have."""
    if tak_dikenal:
        raise KesalahanRujukan("Berkas dipasangkan ke persyaratan yang tidak ada pada layanan tujuan: "
                               + ", ".join(tak_dikenal) + ".", 422, {"berkas": "Persyaratan tidak dikenal."})


def tolak_jika_kurang(hasil: dict, abaikan_opsional: bool) -> None:
    tolak_persyaratan_asing(hasil["tak_dikenal"])
    if hasil["kurang_wajib"]:
        nama = "; ".join(d["nama"] for d in hasil["kurang_wajib"])
        raise KesalahanRujukan(f"Dokumen wajib layanan tujuan belum dilampirkan: {nama}. Rujukan belum dikirim.", 422,
                               {f"persyaratan.{d['kode']}": f"{d['nama']}: wajib dilampirkan." for d in hasil["kurang_wajib"]})
    if hasil["kurang_opsional"] and not abaikan_opsional:
        nama = "; ".join(d["nama"] for d in hasil["kurang_opsional"])
        raise KesalahanRujukan(f"Dokumen tidak wajib belum dilampirkan: {nama}. Lampirkan, atau pilih 'tetap kirim' "
                               "untuk mengirim tanpa dokumen tersebut.", 422,
                               {f"persyaratan.{d['kode']}": f"{d['nama']}: tidak wajib, belum dilampirkan." for d in hasil["kurang_opsional"]})
