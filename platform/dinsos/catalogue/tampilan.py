"""How a stored standard reads on the public page and in its PDF: labels for codes, dates, the clock rule.

Pure functions over the plain data of a version (``VersiLayanan.isi``), so the
public page, the admin's preview of a draft and the PDF say the same thing.
"""
from datetime import date

from flask_babel import lazy_gettext as _l

from .skema.asal import peta_asal
from .skema.hitung import periksa_hitungan
from .skema.kosakata import KOMPONEN_PENGELOLAAN, KOMPONEN_PENYAMPAIAN

TAMPIL_ASAL = ("tandai", "sembunyikan")

NAMA_AKTOR = {
    "pelapor": _l("Pelapor"),
    "klien": _l("Klien / penerima manfaat"),
    "mitra": _l("Mitra Dinas Sosial"),
    "petugas_pelayanan": _l("Petugas Pelayanan"),
    "pekerja_sosial": _l("Pekerja Sosial"),
    "sakti_peksos": _l("Sakti Peksos"),
    "pendamping_rehsos": _l("Pendamping Rehsos"),
    "fungsional_peksos": _l("Fungsional Pekerja Sosial"),
    "kepala_bidang": _l("Kepala Bidang"),
    "kepala_dinas": _l("Kepala Dinas"),
}

NAMA_KANAL = {
    "ruang_pelayanan": _l("Ruang pelayanan"),
    "email": _l("Email"),
    "telepon": _l("Telepon"),
    "fax": _l("Faks"),
    "sms": _l("SMS"),
    "whatsapp": _l("WhatsApp"),
    "website": _l("Situs web"),
    "instagram": _l("Instagram"),
    "kotak_saran": _l("Kotak saran"),
    "tatap_muka": _l("Tatap muka"),
    "sp4n_lapor": _l("SP4N-LAPOR!"),
}

NAMA_DOKUMEN_KELUARAN = {
    "berita_acara_serah_terima": _l("Berita acara serah terima"),
    "nomor_register": _l("Nomor register"),
    "surat_tugas": _l("Surat tugas"),
    "form_asesmen": _l("Formulir asesmen"),
    "laporan_sosial": _l("Laporan sosial"),
    "form_rujukan": _l("Formulir rujukan"),
    "rekomendasi_penanganan": _l("Rekomendasi penanganan"),
    "surat_pengantar": _l("Surat pengantar"),
    "tanda_terima": _l("Tanda terima"),
    "laporan_perkembangan": _l("Laporan perkembangan"),
    "surat_keputusan_rehabilitasi": _l("Surat keputusan akhir rehabilitasi"),
    "permintaan_litmas": _l("Surat permintaan penelitian kemasyarakatan (litmas)"),
    "permohonan_biometrik": _l("Surat permohonan pengecekan biometrik"),
}

NAMA_JENIS_ISIAN = {
    "teks": _l("teks"),
    "teks_panjang": _l("teks panjang"),
    "tanggal": _l("tanggal"),
    "ya_tidak": _l("ya/tidak"),
    "pilihan": _l("pilihan"),
}

NAMA_MULAI = {
    "berkas_lengkap": _l("sejak berkas permohonan lengkap dan benar"),
    "penerimaan": _l("sejak klien atau rujukan diterima"),
}

NAMA_SATUAN = {"hari": _l("hari kalender"), "minggu": _l("minggu"), "bulan": _l("bulan"), "tahun": _l("tahun")}

NAMA_HARI = {
    "senin": _l("Senin"), "selasa": _l("Selasa"), "rabu": _l("Rabu"), "kamis": _l("Kamis"),
    "jumat": _l("Jumat"), "sabtu": _l("Sabtu"), "minggu": _l("Minggu"),
}

# Permensos 8/2012 (kept by Permensos 5/2019), in the official order; the file stores the ordinal.
JENIS_PPKS = (
    "Anak balita terlantar", "Anak terlantar", "Anak yang berhadapan dengan hukum", "Anak jalanan",
    "Anak dengan kedisabilitasan", "Anak korban tindak kekerasan atau diperlakukan salah",
    "Anak yang memerlukan perlindungan khusus", "Lanjut usia terlantar", "Penyandang disabilitas", "Tuna susila",
    "Gelandangan", "Pengemis", "Pemulung", "Kelompok minoritas", "Bekas warga binaan lembaga pemasyarakatan",
    "ODHA", "Korban penyalahgunaan NAPZA", "Korban trafficking", "Korban tindak kekerasan",
    "Pekerja migran bermasalah sosial", "Korban bencana alam", "Korban bencana sosial",
    "Perempuan rawan sosial ekonomi", "Fakir miskin", "Keluarga bermasalah sosial psikologis",
    "Komunitas adat terpencil",
)

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")


def tanggal_panjang(nilai) -> str:
    """``2023-06-05`` as ``5 Juni 2023`` (Indonesian, as decrees write it); empty for None."""
    if not nilai:
        return ""
    tanggal = nilai if isinstance(nilai, date) else date.fromisoformat(str(nilai))
    return f"{tanggal.day} {BULAN[tanggal.month - 1]} {tanggal.year}"


def uraian_aturan(aturan: dict) -> str:
    """The clock rule of a time limit in one Indonesian sentence."""
    jenis = aturan["jenis"]
    if jenis == "hari_kerja":
        jumlah = str(aturan["maksimal"]) if aturan["minimal"] == aturan["maksimal"] else f"{aturan['minimal']}-{aturan['maksimal']}"
        return str(_l("%(jumlah)s hari kerja %(mulai)s", jumlah=jumlah, mulai=NAMA_MULAI[aturan["mulai"]]))
    if jenis == "kalender":
        return str(_l("%(jumlah)s %(satuan)s %(mulai)s", jumlah=aturan["jumlah"], satuan=NAMA_SATUAN[aturan["satuan"]],
                      mulai=NAMA_MULAI[aturan["mulai"]]))
    return str(_l("Tanpa batas tetap: sampai %(selesai)s; perkembangan ditinjau setiap %(tinjauan)s",
                  selesai=aturan["selesai_saat"], tinjauan=aturan["tinjauan_berkala"]))


def nomor_langkah(isi: dict) -> dict[str, int]:
    """SOP step code -> its number in the table (1-based)."""
    return {l["kode"]: i for i, l in enumerate(isi["sop"]["langkah"], start=1)}


def _dari_kantor(kantor, nama: str):
    """An attribute of the office: a Tenant row, or a draft's tenant.yaml data in the admin preview."""
    return kantor.get(nama) if isinstance(kantor, dict) else getattr(kantor, nama, None)


def mode_asal(kantor) -> str:
    """How the office shows values the decree does not contain: ``tandai`` (labelled) or ``sembunyikan``."""
    mode = _dari_kantor(kantor, "tampil_asal")
    return mode if mode in TAMPIL_ASAL else "tandai"


def konteks(isi: dict, kantor=None) -> dict:
    """What the service templates need besides the data itself.

    ``asal`` maps a path of the file to its provenance marker; ``tampil_asal``
    is the office's choice for such values; ``peringatan_hitungan`` the
    warnings of the standard's own arithmetic (for the admin and the office,
    not the public).
    """
    aturan = (isi["penyampaian_pelayanan"]["jangka_waktu"] or {}).get("aturan")
    return {
        "isi": isi,
        "komponen_penyampaian": KOMPONEN_PENYAMPAIAN,
        "komponen_pengelolaan": KOMPONEN_PENGELOLAAN,
        "nama_aktor": NAMA_AKTOR,
        "nama_kanal": NAMA_KANAL,
        "nama_dokumen_keluaran": NAMA_DOKUMEN_KELUARAN,
        "nama_jenis_isian": NAMA_JENIS_ISIAN,
        "nama_hari": NAMA_HARI,
        "jenis_ppks": JENIS_PPKS,
        "nomor_langkah": nomor_langkah(isi),
        "aturan_waktu": uraian_aturan(aturan),
        "tanggal_panjang": tanggal_panjang,
        "asal": peta_asal(isi),
        "asal_kantor": peta_asal({"penanda_asal": _dari_kantor(kantor, "penanda_asal")}),
        "tampil_asal": mode_asal(kantor),
        "peringatan_hitungan": periksa_hitungan(isi),
    }
