"""The small built-in vocabularies the demo generator draws from: names, places, texts.

Invented for demo data; none of it describes a real person. Region names are
made of common Javanese, Lampung and Sundanese place-name parts, so they look
local to the province they are generated under without being real regions.
"""

NAMA_DEPAN = {
    "L": (
        "Budi", "Agus", "Andi", "Dedi", "Hendra", "Joko", "Slamet", "Bambang", "Rudi", "Eko", "Wahyu", "Adi",
        "Rizky", "Fajar", "Dimas", "Arif", "Bayu", "Hadi", "Imam", "Yusuf", "Ahmad", "Muhammad", "Reza", "Dani",
        "Galih", "Ilham", "Teguh", "Yoga", "Gilang", "Satria", "Surya", "Aditya", "Anton", "Herman", "Sugeng",
        "Sutrisno", "Wawan", "Dwi", "Tri", "Heru", "Irfan", "Kevin", "Naufal", "Rafi", "Bagus", "Yudi", "Aris",
    ),
    "P": (
        "Sri", "Siti", "Dewi", "Ratna", "Yuli", "Wulan", "Ayu", "Putri", "Rina", "Lestari", "Fitri", "Nur",
        "Indah", "Rahayu", "Endang", "Ani", "Tuti", "Kartika", "Maya", "Intan", "Nanda", "Dian", "Eka", "Novi",
        "Citra", "Anisa", "Aisyah", "Nabila", "Salsabila", "Rani", "Lina", "Yanti", "Sulastri", "Suparmi",
        "Sumarni", "Kurnia", "Puspita", "Laras", "Mega", "Zahra", "Keisha", "Naura", "Tiara", "Winda",
    ),
}

NAMA_BELAKANG = {
    "L": (
        "Santoso", "Saputra", "Wijaya", "Pratama", "Setiawan", "Hidayat", "Nugroho", "Kurniawan", "Susanto",
        "Wibowo", "Gunawan", "Purnomo", "Hartono", "Siregar", "Nasution", "Harahap", "Lubis", "Firmansyah",
        "Ramadhan", "Hakim", "Maulana", "Syahputra", "Prasetyo", "Kusuma", "Permana", "Sanjaya", "Hermawan",
        "Suryadi", "Effendi", "Rahman",
    ),
    "P": (
        "Rahmawati", "Lestari", "Anggraini", "Maharani", "Handayani", "Suryani", "Utami", "Puspitasari",
        "Wulandari", "Safitri", "Yulianti", "Sari", "Amelia", "Permatasari", "Kusumawati", "Hidayati",
        "Nurhayati", "Susanti", "Fitriani", "Oktaviani", "Ramadhani", "Pertiwi", "Damayanti", "Kartini",
    ),
}

GELAR = ("S.Sos.", "S.H.", "S.Sos., M.Si.", "S.STP., M.AP.", "S.E., M.M.", "S.H., M.H.", "S.Sos., M.AP.")

JALAN = (
    "Jl. Merdeka", "Jl. Jenderal Sudirman", "Jl. Diponegoro", "Jl. Ahmad Yani", "Jl. Pahlawan", "Jl. Pemuda",
    "Jl. Veteran", "Jl. Kartini", "Jl. Gatot Subroto", "Jl. Imam Bonjol", "Jl. Cendana", "Jl. Melati",
    "Jl. Mawar", "Jl. Kenanga", "Jl. Flamboyan", "Jl. Pattimura", "Jl. Hasanuddin", "Jl. Teuku Umar",
)
DESA = (
    "Sukamaju", "Sidorejo", "Karanganyar", "Tegalsari", "Mulyorejo", "Banjarsari", "Purwosari", "Sumbersari",
    "Kedungsari", "Rejosari", "Margodadi", "Tanjungsari", "Srimulyo", "Wonorejo", "Bumirejo", "Sukarame",
    "Pasirsari", "Kertajaya", "Mekarsari", "Jatimulyo",
)

# Parts of place names by province code: (first parts, second parts, joined without a space?)
WILAYAH = {
    "35": (("Sumber", "Tegal", "Kali", "Banyu", "Wono", "Sido", "Karang", "Tulung", "Ngadi", "Purwo", "Jati", "Tanjung"),
           ("rejo", "mulyo", "sari", "agung", "harjo", "kerto", "wangi", "asri", "makmur", "luhur", "kidul", "lor"), True),
    "18": (("Way", "Tanjung", "Teluk", "Negeri", "Bumi", "Gunung", "Pesisir", "Sukadana", "Menggala"),
           ("Ratu", "Kanan", "Sekampung", "Jaya", "Agung", "Raya", "Sakti", "Indah", "Makmur", "Besai"), False),
    "36": (("Suka", "Ciba", "Cika", "Pasir", "Karang", "Cipta", "Mekar", "Sindang", "Panca", "Sukma"),
           ("jaya", "mulya", "sari", "wangi", "raharja", "asih", "laksana", "makmur", "galih", "resmi"), True),
}

# Telephone area codes of each province, for office contacts.
KODE_AREA = {"35": ("0351", "0352", "0353", "0354", "0355", "0356", "0357", "0358"),
             "18": ("0721", "0722", "0724", "0725", "0726", "0727", "0728", "0729"),
             "36": ("0252", "0253", "0254")}

ISI_PENGADUAN = (
    "Petugas tidak ada di ruang pelayanan pada jam kerja, kami menunggu lebih dari satu jam.",
    "Pengiriman anak ke balai rehabilitasi belum juga dilakukan, sudah lewat dua hari kerja sejak berkas lengkap.",
    "Papan informasi persyaratan layanan tidak terbaca dan tidak ada brosur.",
    "Telepon kantor tidak dapat dihubungi selama tiga hari berturut-turut.",
    "Kami tidak mendapat kabar perkembangan pendampingan anak kami sejak bulan lalu.",
    "Ada warga terlantar di depan pasar yang belum juga dijemput petugas.",
    "Ruang tunggu panas dan tidak ada kursi yang cukup untuk lansia.",
    "Petugas meminta fotokopi dokumen berulang kali padahal sudah diserahkan.",
    "Mohon kejelasan jadwal kunjungan keluarga ke panti.",
    "Surat pengantar pemulangan keluarga kami salah menulis alamat desa.",
    "Terima kasih atas pelayanannya, namun proses asesmen terasa lama.",
    "Laporan kami melalui WhatsApp tidak dibalas.",
)
JAWABAN_PENGADUAN = (
    "Terima kasih atas laporannya. Aduan telah diverifikasi dan petugas terkait telah diberi pembinaan.",
    "Kami mohon maaf atas keterlambatan. Kasus telah ditindaklanjuti dan keluarga telah dihubungi petugas.",
    "Informasi persyaratan telah diperbarui di ruang pelayanan dan di laman resmi dinas.",
    "Saluran telepon telah diperbaiki. Pengaduan juga dapat disampaikan melalui WhatsApp dan email dinas.",
    "Petugas telah melakukan cek lokasi dan PPKS telah dijemput untuk mendapatkan pelayanan.",
)
KOMENTAR_SURVEI = (
    "Pelayanan cepat dan petugas ramah.",
    "Petugas sabar menjelaskan persyaratan.",
    "Ruang tunggu perlu diperbaiki.",
    "Proses agak lama tetapi jelas.",
    "Terima kasih, anak kami sudah ditangani dengan baik.",
    "Mohon informasi perkembangan lebih sering disampaikan.",
)
# What a head writes on a disposition sheet for the next officer in the chain.
INSTRUKSI_DISPOSISI = (
    "Segera ditindaklanjuti sesuai SOP.",
    "Mohon dikoordinasikan dan dilaporkan hasilnya.",
    "Untuk dilakukan asesmen lengkap.",
    "Pelajari dan siapkan pendampingan.",
)
CATATAN_LANGKAH = (
    "Klien kooperatif; dokumen lengkap diserahkan.",
    "Koordinasi dengan pihak kepolisian telah dilakukan.",
    "Klien dalam kondisi sehat, sudah makan dan beristirahat.",
    "Keluarga telah dihubungi melalui perangkat desa.",
    "Asesmen lanjutan dijadwalkan minggu depan.",
    "Berkas telah diverifikasi petugas.",
)
CATATAN_PERKEMBANGAN = (
    "Kunjungan rumah dilakukan; anak tinggal bersama nenek dan bersekolah kembali.",
    "Pendampingan pada pemeriksaan di kepolisian; anak didampingi orang tua.",
    "Mengikuti musyawarah diversi; kesepakatan tercapai dan dilaporkan ke pengadilan.",
    "Anak mengikuti bimbingan sosial dan konseling kelompok di panti.",
    "Perkembangan baik; anak aktif mengikuti kegiatan keterampilan.",
)
ALASAN_JEDA = {
    "menunggu_pemohon": ("Menunggu surat keterangan dari pelapor.", "Menunggu keluarga datang ke kantor."),
    "menunggu_instansi": ("Menunggu jadwal penerimaan dari balai rehabilitasi.", "Menunggu hasil pengecekan biometrik Disdukcapil."),
}
NOMOR_SURAT_POLISI = "B/{n}/{romawi}/{yyyy}/Reskrim"
