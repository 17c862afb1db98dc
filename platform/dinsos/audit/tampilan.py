"""The audit log in words: actions as sentences, actors by name, objects by what they are.

The log itself keeps stable codes (``tindakan``, ``pengguna:<id>``), which
exports and checks rely on; only what a person reads is turned into words.
Actors are named by whoever keeps them: ``NAMA_AKTOR`` maps an actor kind
(``pengguna``, ``admin``) to a function from the labels' ids to names, which
``auth`` registers (audit never imports ``auth``: ``auth`` writes to the log).
"""
import re

from flask_babel import lazy_gettext as _l

from dinsos.core.registri import Registri

# actor kind (the label's part before ":") -> f(set of ids as written in the labels) -> {id text: name}
NAMA_AKTOR: Registri = Registri("nama aktor audit")

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
    "staf_ditambahkan": _l("Menambahkan staf"), "staf_dinonaktifkan": _l("Menonaktifkan staf"),
    "staf_diaktifkan": _l("Mengaktifkan kembali staf"), "kata_sandi_diatur_ulang": _l("Mengatur ulang kata sandi staf"),
    "staf_diubah": _l("Mengubah data staf"),
    "pemulihan_sandi_diminta": _l("Meminta tautan pemulihan kata sandi"),
    "kata_sandi_dipulihkan": _l("Memulihkan kata sandi lewat tautan email"),
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
    """aktor label -> a name, for the labels of these log rows (one query per actor kind at most)."""
    per_jenis, hasil = {}, {}
    for b in baris:
        jenis, _, nilai = b.aktor.partition(":")
        if jenis in NAMA_AKTOR and nilai:
            per_jenis.setdefault(jenis, set()).add(nilai)
    for jenis, nilai in per_jenis.items():
        for kunci, nama in NAMA_AKTOR[jenis](nilai).items():
            hasil[f"{jenis}:{kunci}"] = nama
    for b in baris:
        if b.aktor not in hasil:
            hasil[b.aktor] = str(_l("Sistem")) if b.aktor in ("sistem", "system") or not re.search(r"[:@]", b.aktor) else \
                str(_l("Akun yang sudah dihapus")) if b.aktor.startswith("pengguna:") else b.aktor
    return hasil


def kata_objek(jenis: str | None) -> str:
    if not jenis:
        return ""
    return str(OBJEK.get(jenis) or jenis.replace("_", " ").capitalize())
