"""The audit log in words: actions as sentences, actors by name, objects by what they are.

The log itself keeps stable codes (``tindakan``, ``pengguna:<id>``), which
exports and checks rely on; only what a person reads is turned into words.
"""
import re
import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dinsos.auth.models import AdminPlatform, Pengguna
from dinsos.core.db import db

TINDAKAN = {
    "masuk": _l("Masuk"), "masuk_gagal": _l("Gagal masuk"), "keluar": _l("Keluar"), "ganti_kata_sandi": _l("Mengganti kata sandi"),
    "buka_kasus": _l("Membuka berkas kasus"), "terima_kasus": _l("Menerima kasus baru"), "ubah_persyaratan": _l("Memperbarui persyaratan"),
    "selesaikan_langkah": _l("Mencatat langkah SOP selesai"), "catat_perkembangan": _l("Mencatat perkembangan"),
    "unggah_lampiran": _l("Mengunggah lampiran"), "jeda_kasus": _l("Menjeda kasus"), "lanjutkan_kasus": _l("Melanjutkan kasus"),
    "tugaskan_kasus": _l("Menugaskan kasus"), "tugaskan_langkah": _l("Menugaskan langkah"), "tutup_kasus": _l("Menutup kasus"),
    "buka_kembali_kasus": _l("Membuka kembali kasus"), "unduh_lampiran": _l("Mengunduh lampiran"),
    "unduh_foto_klien": _l("Mengunduh foto klien"), "unduh_surat": _l("Mengunduh surat"), "unduh_surat_ditolak": _l("Unduhan surat ditolak"),
    "lihat_identitas_pelapor": _l("Melihat identitas pelapor pengaduan"), "pengaduan_ditutup": _l("Menutup pengaduan"),
    "pengaduan_langkah_selesai": _l("Menyelesaikan langkah pengaduan"), "pengaduan_langkah_dilewati": _l("Melewati langkah pengaduan"),
    "buat_rujukan": _l("Membuat rujukan"), "kirim_rujukan": _l("Mengirim rujukan"), "terima_rujukan": _l("Menerima rujukan"),
    "tolak_rujukan": _l("Menolak rujukan"), "tarik_rujukan": _l("Menarik rujukan"), "minta_info_rujukan": _l("Meminta informasi rujukan"),
    "lengkapi_rujukan": _l("Melengkapi rujukan"), "buka_rujukan_masuk": _l("Membuka rujukan masuk"),
    "unduh_berkas_rujukan": _l("Mengunduh berkas rujukan"), "rujukan_sampai": _l("Rujukan sampai di kantor tujuan"),
    "rujukan_selesai": _l("Rujukan selesai"), "laporan_rujukan": _l("Laporan kantor tujuan rujukan diterima"),
    "akses_rujukan_berakhir": _l("Akses rujukan berakhir"), "catat_persetujuan_rujukan": _l("Mencatat persetujuan rujukan"),
    "override_persetujuan_rujukan": _l("Persetujuan pengganti (override) rujukan"),
    "eskalasi_rujukan_ke_provinsi": _l("Eskalasi rujukan ke provinsi"), "mitra_rujukan_didaftarkan": _l("Mendaftarkan mitra rujukan"),
    "pengaturan_rujukan_diubah": _l("Mengubah pengaturan rujukan"), "pengaturan_notifikasi_diubah": _l("Mengubah pengaturan notifikasi"),
    "profil_kantor_dimuat": _l("Profil kantor dimuat"), "standar_pelayanan_dimuat": _l("Standar pelayanan dimuat"),
    "ekspor_kantor": _l("Mengekspor data kantor"), "ubah_konfigurasi_survei": _l("Mengubah pengaturan survei"),
    "outbox_gagal": _l("Pengiriman latar belakang gagal"), "lintas_tenant": _l("Akses lintas kantor"),
}

OBJEK = {"kasus": _l("Kasus"), "rujukan": _l("Rujukan"), "rujukan_masuk": _l("Rujukan masuk"), "pengaduan": _l("Pengaduan"),
         "surat": _l("Surat"), "pengguna": _l("Pengguna"), "pengaturan_notifikasi": _l("Pengaturan notifikasi"),
         "layanan": _l("Layanan"), "tenant": _l("Kantor")}


def kata_tindakan(kode: str) -> str:
    """An action in words; an action not listed yet reads as its code in words, never as snake_case."""
    if kode in TINDAKAN:
        return str(TINDAKAN[kode])
    teks = kode.replace("_", " ").strip()
    return teks[:1].upper() + teks[1:]


def nama_aktor(baris: list) -> dict:
    """aktor label -> a name, for the labels of these log rows (two queries at most)."""
    pengguna, admin, hasil = set(), set(), {}
    for b in baris:
        jenis, _, nilai = b.aktor.partition(":")
        if jenis == "pengguna":
            try:
                pengguna.add(uuid.UUID(nilai))
            except ValueError:
                pass
        elif jenis == "admin" and nilai.isdigit():
            admin.add(int(nilai))
    if pengguna:
        for pid, nama in db.session.execute(select(Pengguna.id, Pengguna.nama).where(Pengguna.id.in_(pengguna))):
            hasil[f"pengguna:{pid}"] = nama
    if admin:
        for aid, nama in db.session.execute(select(AdminPlatform.id, AdminPlatform.nama).where(AdminPlatform.id.in_(admin))):
            hasil[f"admin:{aid}"] = f"{nama} ({_l('admin platform')})"
    for b in baris:
        if b.aktor not in hasil:
            hasil[b.aktor] = str(_l("Sistem")) if b.aktor in ("sistem", "system") or not re.search(r"[:@]", b.aktor) else \
                str(_l("Akun yang sudah dihapus")) if b.aktor.startswith("pengguna:") else b.aktor
    return hasil


def kata_objek(jenis: str | None) -> str:
    if not jenis:
        return ""
    return str(OBJEK.get(jenis) or jenis.replace("_", " ").capitalize())
