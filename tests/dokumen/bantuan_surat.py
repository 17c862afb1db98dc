"""Helpers for the letter tests: a sample case's data, issuing a letter, reading a PDF back."""
import io
from dataclasses import dataclass
from datetime import datetime, timezone

import pypdf

from dinsos_uji.alat_kasus import teks_pdf  # noqa: F401  (the letter tests import it from here)

# 24 Nov 2026 17:30 UTC is 25 Nov 2026 00:30 in Magetan (WIB): the letter's date is the local one.
PADA = datetime(2026, 11, 24, 17, 30, tzinfo=timezone.utc)

DATA = {
    "nomor_register": "460/17/403.107/2026",
    "layanan": {"nama": "Pengiriman Anak Jalanan dan Anak Terlantar ke Balai Rehabilitasi"},
    "klien": {"nama": "Bagas Pratama", "umur": 12, "jenis_kelamin": "L", "alamat": "Terminal Maospati, Magetan"},
    "pelapor": {"nama": "Bripka Agus Salim", "instansi": "Polres Magetan", "jabatan": "Banit Reskrim"},
    "petugas": [{"nama": "Sri Wahyuningsih", "nip": "19800101 200501 2 003", "jabatan": "Petugas Pelayanan"}],
    "isian": {"Kondisi fisik": "Sehat, ada luka lecet", "Barang bawaan": ["Tas ransel", "Sandal"], "Bersekolah": False},
    "catatan": "Klien ditemukan tidur di terminal tanpa kartu identitas.",
    "untuk": "mengantar klien ke Balai Rehabilitasi Sosial",
    "tujuan": {"nama": "Balai Rehabilitasi Sosial Anak Handayani", "alamat": "Jl. PPA Bambu Apus, Jakarta Timur"},
    "daftar_kekurangan": [{"nama": "Surat keterangan hilang identitas", "keterangan": "dari kepolisian"}],
    "daftar_diterima": ["Surat keterangan kepolisian", "Buku register"],
    "tanggal": "2026-11-25",
    "disposisi": [
        {"dari": "Kepala Dinas", "nama": "Parminto Budi Utomo", "nip": "19721221 199302 1 002",
         "waktu": datetime(2026, 11, 25, 1, 15, tzinfo=timezone.utc), "isi": "Tugaskan Kabid Rehsos"},
        {"dari": "Kepala Bidang", "nama": "Endang Lestari", "nip": None,
         "waktu": datetime(2026, 11, 25, 1, 40, tzinfo=timezone.utc), "isi": "Fungsional: asesmen lengkap"},
    ],
    "hasil_akhir": "Diterima Balai Rehabilitasi",
    "tautan_survei": "http://localhost/t/kabupaten-magetan/survei/pengiriman-anjal-at?token=uji-token",
}


@dataclass(frozen=True)
class Surat:
    """An issued letter as plain data, read back after the commit."""

    id: str
    jenis: str
    nomor: str
    kode: str
    sidik: str
    url: str
    pdf: bytes


def terbitkan(app, kantor_id, jenis, data=None, objek_jenis="uji_kasus", objek_id="kasus-1", **lain) -> Surat:
    """Issue and commit one letter as office ``kantor_id``."""
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant
    from dinsos.documents.surat import terbitkan_surat

    with app.app_context(), dalam_tenant(kantor_id):
        s = terbitkan_surat(jenis, data=DATA if data is None else data, objek_jenis=objek_jenis, objek_id=objek_id,
                            pada=lain.pop("pada", PADA), **lain)
        hasil = Surat(str(s.id), s.jenis, s.nomor, s.kode, s.sidik, s.url_verifikasi, s.pdf)
        db.session.commit()
        return hasil


def gambar_pdf(pdf: bytes) -> list:
    """The distinct images in a PDF (pages may share one image resource)."""
    unik = {}
    for halaman in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for g in halaman.images:
            unik.setdefault(g.data, g.image)
    return list(unik.values())


def matriks_gambar(gambar, tepi: int = 4) -> list[list[int]]:
    """The QR modules of a one-pixel-per-module image (1 = dark), without its quiet zone."""
    hitam_putih = gambar.convert("L")
    lebar, tinggi = hitam_putih.size
    return [[1 if hitam_putih.getpixel((x, y)) < 128 else 0 for x in range(tepi, lebar - tepi)]
            for y in range(tepi, tinggi - tepi)]
