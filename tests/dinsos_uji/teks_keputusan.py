"""Decree texts for the import tests: the four seeds kept with the tests, and a damaged table written by hand."""
from pathlib import Path

# The seed decrees (public documents), kept beside the transcription tests so they run in a bare clone.
FOLDER_SEED = Path(__file__).resolve().parents[1] / "catalogue" / "seeds"

# A decree table in the PermenPAN-RB layout with OCR damage: split words, merged lines, stray page headers.
TABEL_RUSAK = """\
Lampiran II
Keputusan Kepala Dinas Sosial Kabupaten Contoh Nomor : 400/12/KPTS/2024
Tanggal : 3 Maret 2024
Standar Pelayanan Rehabilitasi Lanjut Usia Terlantar pada Dinas Sosial Kabupaten Contoh

NO\tKOMPONEN\tURAIAN
1.\tPersyaratan\t1. Surat pengantar dari Kelurahan; 2. Fotocopy KTP (jika ada); 3. Kartu Keluarga
2.\tSistem, mekanisme, dan prosedur\t1. Pemohon menyerahkan berkas kepada petugas; 2. Petugas memeriksa ber
\t\tkas persyaratan; 3. Pekerja Sosial melakukan asesmen terhadap klien
3.\tJangka waktu\t3 (tiga) hari kerja sejak berkas lengkap
\tpenyelesaian\t
4.\tBiaya/tarif\tGratis
5.\tProduk pelayanan\tLayanan rehabilitasi lanjut usia
- 7 -
NO\tKOMPONEN\tURAIAN
6.\tPenanganan pengaduan, saran, dan masukan\t1. E-mail: dinsos@contoh.go.id 2. Telepon: (0272) 123456 3. Kotak saran Tindak lanjut penanganan pengaduan adalah: 1. Verifikasi aduan; 2. Klarifikasi
7.\tDasar Hukum\tUndang-Undang Nomor 13 Tahun 1998 tentang Kesejahteraan Lanjut Usia Peraturan Menteri Sosial Nomor 5 Tahun 2018 tentang Standar Nasional Rehabilitasi Sosial
8.\tSarana, prasarana\ta. Ruang pelayanan; b. Kursi roda
9.\tKompetensi Pelaksana\ta. Memahami tugas pokok dan fungsi b. Mampu berkomunikasi dengan lanjut usia
10.\tPengawasan internal\tDilakukan oleh atasan langsung
11.\tJumlah pelaksana\t4 (empat) orang
12.\tJaminan pelayanan\tPelayanan sesuai standar yang ditetapkan
13.\tJaminan keamanan dan keselamatan pelayanan\tRuang pelayanan yang aman dan nyaman
14.\tEvaluasi kinerja pelaksana\tSurvei kepuasan masyarakat setiap semester
Halaman 3 dari 4
Ditetapkan di : Contoh
KEPALA DINAS SOSIAL KABUPATEN CONTOH,

BUDI SANTOSO, S.Sos., M.Si. Rembina Tingkat I
N1P. 19700101 199503 1 004
"""
