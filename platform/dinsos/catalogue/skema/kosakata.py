"""Fixed vocabularies of the Standar Pelayanan format: actors, channels, output documents, levels, days,
field kinds, clock rules, number placeholders, and the official names of the 14 components.

Plain tuples and dicts; the schemas refuse anything else and the public pages
label these codes (``catalogue.tampilan``).
"""

AKTOR = (
    "pelapor",
    "klien",
    "mitra",
    "petugas_pelayanan",
    "pekerja_sosial",
    # Satuan Bakti Pekerja Sosial (Kemensos' contracted social workers): Metro's ABH seed lists them.
    "sakti_peksos",
    "pendamping_rehsos",
    "fungsional_peksos",
    "kepala_bidang",
    "kepala_dinas",
)

JENIS_KANAL = (
    "ruang_pelayanan",
    "email",
    "telepon",
    "fax",
    "sms",
    "whatsapp",
    "website",
    "instagram",
    "kotak_saran",
    "tatap_muka",
    "sp4n_lapor",
)

DOKUMEN_KELUARAN = (
    "berita_acara_serah_terima",
    "nomor_register",
    "surat_tugas",
    "form_asesmen",
    "laporan_sosial",
    "form_rujukan",
    "rekomendasi_penanganan",
    "surat_pengantar",
    "tanda_terima",
    "laporan_perkembangan",
    "surat_keputusan_rehabilitasi",
    "permintaan_litmas",
    "permohonan_biometrik",
)

# Where a case act's clock starts: the intake; the intake of a case that came with the authority's request
# letter (ABH: the law counts from the request); or (any other value) when the named act is recorded.
SEJAK_AWAL = ("penerimaan", "surat_permohonan")
# Client fields a case act's answer may update (the biometric check finds the NIK).
MEDAN_KLIEN = ("nik",)

TINGKAT = ("provinsi", "kabupaten", "kota")
HARI = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
JENIS_ISIAN = ("teks", "teks_panjang", "tanggal", "ya_tidak", "pilihan")
MULAI_JAM = ("berkas_lengkap", "penerimaan")
# Whose a requirement is: the applicant brings it, or the office keeps it (its
# register book, its verification list) and the platform produces it.
PIHAK_PERSYARATAN = ("pemohon", "kantor")
# When a case takes its register number: when the file is complete and correct
# (the default), or when the SOP step whose output is the register number is
# recorded (Magetan: the Fungsional Peksos registers the case at step 2).
SAAT_NOMOR_REGISTER = ("berkas_lengkap", "langkah")
# Which way a hand-over letter (berita acara, tanda terima) goes: to the office
# (masuk) or from the office to a partner such as a balai (keluar).
ARAH_SERAH_TERIMA = ("masuk", "keluar")
SATUAN_KALENDER = ("hari", "minggu", "bulan", "tahun")
PLACEHOLDER_NOMOR = ("n", "mm", "yyyy", "romawi")
JUMLAH_JENIS_PPKS = 26  # Permensos 8/2012, kept by Permensos 5/2019

# The official component names, in the order the regulation lists them; the
# public page and the error messages use these labels.
KOMPONEN_PENYAMPAIAN = {
    "persyaratan": "Persyaratan",
    "prosedur": "Sistem, mekanisme, dan prosedur",
    "jangka_waktu": "Jangka waktu penyelesaian",
    "biaya": "Biaya/tarif",
    "produk": "Produk pelayanan",
    "pengaduan": "Penanganan pengaduan, saran, dan masukan",
}
KOMPONEN_PENGELOLAAN = {
    "dasar_hukum": "Dasar hukum",
    "sarana_prasarana": "Sarana, prasarana, dan/atau fasilitas",
    "kompetensi_pelaksana": "Kompetensi pelaksana",
    "pengawasan_internal": "Pengawasan internal",
    "jumlah_pelaksana": "Jumlah pelaksana",
    "jaminan_pelayanan": "Jaminan pelayanan",
    "jaminan_keamanan_keselamatan": "Jaminan keamanan dan keselamatan pelayanan",
    "evaluasi_kinerja": "Evaluasi kinerja pelaksana",
}
