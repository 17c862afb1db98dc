"""Fixed vocabularies of case work: statuses, reporters, PPKS categories, who may do which SOP actor's work."""
from flask_babel import lazy_gettext as _l

# berkas_belum_lengkap: waiting for requirement documents, no step runs yet.
# berjalan: the SOP runs. dijeda: waiting on the applicant or another agency.
# ditutup: closed with an outcome from the SOP's hasil_akhir.
STATUS_KASUS = ("berkas_belum_lengkap", "berjalan", "dijeda", "ditutup")
LABEL_STATUS = {
    "berkas_belum_lengkap": _l("Berkas belum lengkap"),
    "berjalan": _l("Berjalan"),
    "dijeda": _l("Dijeda"),
    "ditutup": _l("Ditutup"),
}

JENIS_PELAPOR = {
    "kepolisian": _l("Kepolisian"),
    "satpol_pp": _l("Satpol PP"),
    "kelurahan": _l("Kelurahan/Desa"),
    "masyarakat": _l("Masyarakat"),
    "dinas_lain": _l("Dinas/instansi lain"),
    "lainnya": _l("Lainnya"),
}

# diunggah: the scan is attached; dilihat: the paper original was seen; belum: not received.
STATUS_PERSYARATAN = {
    "diunggah": _l("Diterima (pindaian diunggah)"),
    "dilihat": _l("Diterima (asli dilihat)"),
    "belum": _l("Belum diterima"),
}
PERSYARATAN_DITERIMA = ("diunggah", "dilihat")

JENIS_JEDA = {
    "menunggu_pemohon": _l("Menunggu pemohon/pelapor"),
    "menunggu_instansi": _l("Menunggu instansi lain"),
}

JENIS_KELAMIN = {"L": _l("Laki-laki"), "P": _l("Perempuan")}

HUBUNGAN_KELUARGA = {
    "ayah": _l("Ayah"),
    "ibu": _l("Ibu"),
    "wali": _l("Wali"),
    "saudara": _l("Saudara kandung"),
    "kakek_nenek": _l("Kakek/nenek"),
    "pasangan": _l("Suami/istri"),
    "anak": _l("Anak"),
    "kerabat": _l("Kerabat lain"),
    "pengasuh": _l("Pengasuh"),
}

# Permensos 8/2012 (kept by Permensos 5/2019): 26 types, identified by their official ordinal.
KATEGORI_PPKS = {
    1: "Anak balita terlantar",
    2: "Anak terlantar",
    3: "Anak yang berhadapan dengan hukum",
    4: "Anak jalanan",
    5: "Anak dengan kedisabilitasan",
    6: "Anak korban tindak kekerasan atau diperlakukan salah",
    7: "Anak yang memerlukan perlindungan khusus",
    8: "Lanjut usia terlantar",
    9: "Penyandang disabilitas",
    10: "Tuna susila",
    11: "Gelandangan",
    12: "Pengemis",
    13: "Pemulung",
    14: "Kelompok minoritas",
    15: "Bekas warga binaan lembaga pemasyarakatan",
    16: "ODHA",
    17: "Korban penyalahgunaan NAPZA",
    18: "Korban trafficking",
    19: "Korban tindak kekerasan",
    20: "Pekerja migran bermasalah sosial",
    21: "Korban bencana alam",
    22: "Korban bencana sosial",
    23: "Perempuan rawan sosial ekonomi",
    24: "Fakir miskin",
    25: "Keluarga bermasalah sosial psikologis",
    26: "Komunitas adat terpencil",
}
KATEGORI_ABH = 3

# Children are under 18 (UU 35/2014); their identity, and that of every ABH case, stays confidential.
UMUR_DEWASA = 18

# Role names in service messages, which must read the same inside and outside a web request.
NAMA_PERAN = {
    "petugas_pelayanan": "Petugas Pelayanan (Front Office)",
    "pekerja_sosial": "Pekerja Sosial / Pendamping",
    "sakti_peksos": "Sakti Peksos (Satuan Bakti Pekerja Sosial)",
    "fungsional_peksos": "Fungsional Pekerja Sosial",
    "kepala_bidang": "Kepala Bidang",
    "kepala_dinas": "Kepala Dinas",
    "admin_tenant": "Admin kantor",
}

# Stands for "the case's assignee" among the roles allowed to record a step.
PENANGGUNG_JAWAB = "penanggung_jawab_kasus"

# The one table from SOP actors to the platform roles allowed to record their step.
# External actors (reporter, client, partner agency) do not log in: their part is
# recorded by the front office or by the case's assignee.
PERAN_PELAKSANA: dict[str, frozenset[str]] = {
    "petugas_pelayanan": frozenset({"petugas_pelayanan"}),
    "pekerja_sosial": frozenset({"pekerja_sosial"}),
    "sakti_peksos": frozenset({"sakti_peksos"}),
    "pendamping_rehsos": frozenset({"pekerja_sosial"}),
    "fungsional_peksos": frozenset({"fungsional_peksos"}),
    "kepala_bidang": frozenset({"kepala_bidang"}),
    "kepala_dinas": frozenset({"kepala_dinas"}),
    "pelapor": frozenset({"petugas_pelayanan", PENANGGUNG_JAWAB}),
    "klien": frozenset({"petugas_pelayanan", PENANGGUNG_JAWAB}),
    "mitra": frozenset({"petugas_pelayanan", PENANGGUNG_JAWAB}),
}

# When a service's time rule names no start, its clock starts when the file is complete.
MULAI_BAWAAN = "berkas_lengkap"
