"""Kota Metro's two seeds executed as written (issue 16): the ABH deliverables and SPPA stages with their
clocks, and every branch of the PPKS terlantar procedure, each letter read back from its PDF.

Times are WIB (UTC+7). The law's clocks (3x24 jam, 7 and 30 hari kalender) run on the calendar.
"""
from datetime import timedelta

import pytest

from dinsos.cases import tenggat
from dinsos.cases.kelola import tugaskan_kasus, tutup_kasus
from dinsos.cases.penerimaan import terima_kasus
from dinsos.cases.perubahan import KesalahanKasus, simpan
from dinsos.cases.sop import catat_perkembangan
from dinsos.cases.surat import muat_surat_kasus, surat_kasus
from dinsos.cases.tindakan import catat_tindakan, ringkasan_tindakan
from dinsos.sla.services import tenggat_induk
from dinsos_uji.alat_kasus import PDF, Staf, akun, di_kantor, teks_pdf, wib
from dinsos_uji.alat_kasus import kasus as muat
from dinsos_uji.alat_kasus import selesaikan as _langkah
from dinsos_uji.bantuan import buat_staf

POLRES = {"jenis": "kepolisian", "nama": "Bripka Anton", "instansi": "Polres Metro", "surat_nomor": "B/77/V/2026/Reskrim",
          "surat_tanggal": "2026-05-04"}
RIZKY = {"nama": "Rizky Pratama", "tanggal_lahir": "2011-02-03", "jenis_kelamin": "L", "kategori_ppks": 3,
         "alamat": "Jl. Contoh 1, Metro"}
BAPAS = {"tujuan_surat": "Kepala Bapas Kelas II Metro", "alamat_tujuan": "Jl. Jenderal Sudirman, Metro"}


def _terima(kantor, staf, layanan, pelapor, klien, persyaratan, pada):
    with di_kantor(kantor):
        hasil = terima_kasus(layanan, pelapor=pelapor, klien=klien, persyaratan=persyaratan, pengguna=akun(staf), pada=pada)
        simpan()
        return hasil.kasus.id


def _tindakan(kantor, staf, kid, kode, pada, **kw):
    with di_kantor(kantor):
        k = muat(kid)
        t = catat_tindakan(k, versi=k.versi, kode=kode, pengguna=akun(staf), pada=pada, **kw)
        simpan()
        return t.id, t.surat_id


def _ditolak(kantor, fungsi, staf, kid, pesan, **kw):
    with di_kantor(kantor):
        k = muat(kid)
        with pytest.raises(KesalahanKasus, match=pesan):
            fungsi(k, versi=k.versi, pengguna=akun(staf), **kw)


def _tutup(kantor, staf, kid, hasil, pada, catatan=None):
    with di_kantor(kantor):
        k = muat(kid)
        tutup_kasus(k, versi=k.versi, hasil_akhir=hasil, pengguna=akun(staf), catatan=catatan, pada=pada)
        simpan()


def _jam(kantor, kid) -> dict:
    """The case's clocks by kind (case acts by their code)."""
    with di_kantor(kantor):
        return {t.langkah_kode or t.objek_jenis: {k: getattr(t, k) for k in (
            "objek_jenis", "durasi", "berulang", "putaran", "mulai_pada", "due_at", "selesai_pada", "dihentikan", "menit_aktual",
            "judul", "dijeda_pada")} for t in tenggat_induk(kid)}


def _surat(kantor, kid, surat_id) -> str:
    with di_kantor(kantor):
        return teks_pdf(muat_surat_kasus(muat(kid), surat_id).pdf)


def _sakti(kantor) -> Staf:
    pid, email = buat_staf(kantor, "sakti_peksos", nama="Dewi Sakti Lestari")
    return Staf(kantor, "sakti_peksos", pid, email)


def test_abh_deliverables_run_their_own_clocks_while_the_accompaniment_continues(app, seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    dewi = _sakti(mt)
    diterima = wib(2026, 5, 4, 9)
    kid = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", POLRES, RIZKY, {"surat-kepolisian": "dilihat"}, diterima)
    jam = _jam(mt, kid)
    # UU 11/2012: the social report within 3x24 hours of the request; the litmas request beside it; a monthly review.
    assert set(jam) == {"kasus", "laporan-sosial", "permintaan-litmas"}
    for kode in ("laporan-sosial", "permintaan-litmas"):
        assert (jam[kode]["objek_jenis"], jam[kode]["durasi"], jam[kode]["mulai_pada"], jam[kode]["due_at"]) == (
            "tindakan_kasus", "3x24 jam", diterima, diterima + timedelta(hours=72))
        assert "Rizky" not in jam[kode]["judul"]
    assert jam["kasus"]["berulang"] and jam["kasus"]["due_at"] == wib(2026, 6, 4, 9)

    _langkah(mt, s["petugas_pelayanan"], kid, wib(2026, 5, 4, 10), isian={"nomor_surat": "B/77/V/2026/Reskrim",
                                                                             "tanggal_surat": "2026-05-04"})
    assert _langkah(mt, s["kepala_bidang"], kid, wib(2026, 5, 4, 11)) == "pendampingan"
    with di_kantor(mt):
        k = muat(kid)
        tugaskan_kasus(k, versi=k.versi, penanggung_jawab_id=dewi.id, pengguna=akun(s["kepala_bidang"]), pada=wib(2026, 5, 4, 12))
        simpan()

    # Only the social workers (Pekerja Sosial, Sakti Peksos) write the report; the front office cannot.
    _ditolak(mt, catat_tindakan, s["petugas_pelayanan"], kid, "hanya dapat dicatat oleh", kode="laporan-sosial",
             isian={"kondisi_anak": "x", "hasil_asesmen": "y", "rekomendasi": "z"})
    # Dewi, the Sakti Peksos, issues the social report on day 3 while the accompaniment goes on.
    _, sid = _tindakan(mt, dewi, kid, "laporan-sosial", wib(2026, 5, 6, 16), isian={
        "kondisi_anak": "Anak tinggal bersama nenek", "hasil_asesmen": "Anak kooperatif, menyesal",
        "rekomendasi": "Diupayakan diversi"}, catatan="Disampaikan kepada penyidik")
    isi = _surat(mt, kid, sid)
    assert "LAPORAN SOSIAL" in isi and "R*** P***" in isi and "Rizky" not in isi
    for potongan in ("Anak tinggal bersama nenek", "Anak kooperatif, menyesal", "Diupayakan diversi", "Dewi Sakti Lestari",
                     "Bripka Anton", "Polres Metro", "REG/1/DINSOS/05/2026", "Disampaikan kepada penyidik"):
        assert potongan in isi, potongan
    jam = _jam(mt, kid)
    assert jam["laporan-sosial"]["selesai_pada"] == wib(2026, 5, 6, 16) and jam["laporan-sosial"]["menit_aktual"] == 55 * 60
    with di_kantor(mt):
        k = muat(kid)
        assert k.langkah_kode == "pendampingan" and k.status == "berjalan"  # the accompaniment continues

    # The litmas request: a letter to the Bapas citing the police request; the Bapas's answer is owed in 3x24 hours.
    _, sid = _tindakan(mt, dewi, kid, "permintaan-litmas", wib(2026, 5, 7, 8), isian={"keperluan": "Bahan musyawarah diversi", **BAPAS})
    isi = _surat(mt, kid, sid)
    for potongan in ("Permintaan Penelitian Kemasyarakatan (Litmas)", "Kepala Bapas Kelas II Metro", "Jl. Jenderal Sudirman, Metro",
                     "B/77/V/2026/Reskrim", "4 Mei 2026", "Bahan musyawarah diversi", "R*** P***", "Dewi Sakti Lestari"):
        assert potongan in isi, potongan
    jam = _jam(mt, kid)
    assert jam["permintaan-litmas"]["selesai_pada"] == wib(2026, 5, 7, 8) and jam["permintaan-litmas"]["menit_aktual"] == 71 * 60
    assert jam["hasil-litmas"]["due_at"] == wib(2026, 5, 10, 8)
    _tindakan(mt, dewi, kid, "hasil-litmas", wib(2026, 5, 9, 9), isian={"nomor_litmas": "W8.PAS.12/2026", "tanggal_litmas": "2026-05-09"})
    # A second litmas result is refused (it is owed once); a second social report is allowed (updated per stage).
    _ditolak(mt, catat_tindakan, dewi, kid, "sudah dicatat", kode="hasil-litmas", isian={"nomor_litmas": "x", "tanggal_litmas": "2026-05-09"})

    # Progress notes are the monthly review: the review clock's next round starts from the note, and the
    # case knows when the last one was written.
    with di_kantor(mt):
        k = muat(kid)
        catat_perkembangan(k, versi=k.versi, catatan="Kunjungan rumah", pengguna=akun(dewi), pada=wib(2026, 5, 20, 10))
        simpan()
        assert tenggat.catatan_terakhir(kid) == wib(2026, 5, 20, 10)
    jam = _jam(mt, kid)
    assert (jam["kasus"]["mulai_pada"], jam["kasus"]["due_at"], jam["kasus"]["putaran"]) == (
        wib(2026, 5, 20, 10), wib(2026, 6, 20, 10), 2)


def test_abh_sppa_stages_their_diversion_clocks_and_an_outcome_that_must_agree(app, seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    peksos = s["pekerja_sosial"]
    kid = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", POLRES, RIZKY, {"surat-kepolisian": "dilihat"}, wib(2026, 5, 4, 9))
    _langkah(mt, s["petugas_pelayanan"], kid, wib(2026, 5, 4, 10), isian={"nomor_surat": "B/77", "tanggal_surat": "2026-05-04"})
    _langkah(mt, s["kepala_bidang"], kid, wib(2026, 5, 4, 11))

    # The diversion's result cannot come before its attempt, nor the attempt before the stage.
    _ditolak(mt, catat_tindakan, peksos, kid, "baru dapat dicatat setelah: Tahap penyidikan dimulai", kode="upaya-diversi-penyidikan",
             isian={"tanggal_musyawarah": "2026-05-06"})
    # Investigation starts: the law gives 7 days to attempt diversion (art. 29(1)).
    _tindakan(mt, peksos, kid, "tahap-penyidikan", wib(2026, 5, 5, 9), isian={"tanggal_mulai": "2026-05-05", "penyidik": "Aiptu Budi"})
    jam = _jam(mt, kid)
    assert (jam["upaya-diversi-penyidikan"]["durasi"], jam["upaya-diversi-penyidikan"]["due_at"]) == ("7 hari kalender", wib(2026, 5, 12, 9))
    _tindakan(mt, peksos, kid, "upaya-diversi-penyidikan", wib(2026, 5, 8, 9), isian={"tanggal_musyawarah": "2026-05-08"})
    jam = _jam(mt, kid)
    assert jam["upaya-diversi-penyidikan"]["selesai_pada"] == wib(2026, 5, 8, 9)
    # ... and 30 days to conclude it (art. 29(2)). It fails, with its minutes attached.
    assert jam["hasil-diversi-penyidikan"]["due_at"] == wib(2026, 6, 7, 9)
    _tindakan(mt, peksos, kid, "hasil-diversi-penyidikan", wib(2026, 5, 20, 9), unggahan=[(PDF, "ba_diversi_gagal.pdf")],
              isian={"hasil": "Diversi gagal", "tanggal_hasil": "2026-05-20"})
    # A failed diversion is no "diversi berhasil", and no verdict has been recorded.
    _langkah(mt, peksos, kid, wib(2026, 5, 21, 9), isian={"catatan_perkembangan": "Berlanjut ke penuntutan"})
    _ditolak(mt, tutup_kasus, peksos, kid, "Diversi berhasil.*tidak sesuai.*Hasil diversi di tingkat penyidikan' \\(hasil = Kesepakatan diversi\\)",
             hasil_akhir="diversi-berhasil")
    _ditolak(mt, tutup_kasus, peksos, kid, "belum ada tindakan 'Putusan pengadilan' \\(jenis_putusan = Pidana\\)", hasil_akhir="putusan-pidana")

    # Prosecution: 7 days from the file's receipt (art. 42(1)); this time the parties agree.
    _tindakan(mt, peksos, kid, "tahap-penuntutan", wib(2026, 5, 25, 9), isian={"tanggal_mulai": "2026-05-25"})
    assert _jam(mt, kid)["upaya-diversi-penuntutan"]["due_at"] == wib(2026, 6, 1, 9)
    _tindakan(mt, peksos, kid, "upaya-diversi-penuntutan", wib(2026, 5, 28, 9), isian={"tanggal_musyawarah": "2026-05-28"})
    _tindakan(mt, peksos, kid, "hasil-diversi-penuntutan", wib(2026, 6, 2, 9), isian={
        "hasil": "Kesepakatan diversi", "nomor_kesepakatan": "12/Pen.Div/2026/PN Met", "tanggal_hasil": "2026-06-02"})
    with di_kantor(mt):
        ringkas = {r["kode"]: r for r in ringkasan_tindakan(muat(kid))}
        assert ringkas["hasil-diversi-penuntutan"]["terakhir"].isian["nomor_kesepakatan"] == "12/Pen.Div/2026/PN Met"
        assert not ringkas["upaya-diversi-persidangan"]["boleh_catat"] and ringkas["tahap-persidangan"]["boleh_catat"]
    _tutup(mt, peksos, kid, "diversi-berhasil", wib(2026, 6, 3, 9))
    jam = _jam(mt, kid)
    # The litmas request never made: its clock is stopped, not done; the review clock is met by closing.
    assert jam["permintaan-litmas"]["dihentikan"] and jam["laporan-sosial"]["dihentikan"]
    assert jam["kasus"]["selesai_pada"] == wib(2026, 6, 3, 9) and not jam["kasus"]["dihentikan"]
    with di_kantor(mt):
        k = muat(kid)
        assert {t.kode: t.status for t in k.tindakan}["permintaan-litmas"] == "dihentikan"
        selesai = [x for x in surat_kasus(k) if x.jenis == "surat_selesai_layanan"][0]
        assert "Diversi berhasil (kesepakatan diversi)" in teks_pdf(muat_surat_kasus(k, selesai.id).pdf)
    _ditolak(mt, catat_tindakan, peksos, kid, "sudah ditutup", kode="tahap-persidangan", isian={"tanggal_mulai": "2026-06-04"})


def test_abh_court_stage_verdict_and_return_to_parents(app, seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    peksos = s["pekerja_sosial"]
    kid = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", POLRES, RIZKY, {"surat-kepolisian": "dilihat"}, wib(2026, 5, 4, 9))
    _langkah(mt, s["petugas_pelayanan"], kid, wib(2026, 5, 4, 10), isian={"nomor_surat": "B/77", "tanggal_surat": "2026-05-04"})
    _langkah(mt, s["kepala_bidang"], kid, wib(2026, 5, 4, 11))
    for kode, pada in (("tahap-penyidikan", wib(2026, 5, 5, 9)), ("tahap-penuntutan", wib(2026, 5, 20, 9)),
                       ("tahap-persidangan", wib(2026, 6, 1, 9))):
        _tindakan(mt, peksos, kid, kode, pada, isian={"tanggal_mulai": pada.date().isoformat()})
    # Judge appointed: 7 days to attempt diversion (art. 52(2)), 30 to conclude (art. 52(3)).
    assert _jam(mt, kid)["upaya-diversi-persidangan"]["due_at"] == wib(2026, 6, 8, 9)
    _tindakan(mt, peksos, kid, "upaya-diversi-persidangan", wib(2026, 6, 3, 9), isian={"tanggal_musyawarah": "2026-06-03"})
    _tindakan(mt, peksos, kid, "hasil-diversi-persidangan", wib(2026, 6, 10, 9), isian={"hasil": "Diversi gagal", "tanggal_hasil": "2026-06-10"})
    _tindakan(mt, peksos, kid, "putusan", wib(2026, 7, 1, 9), unggahan=[(PDF, "putusan.pdf")], isian={
        "nomor_putusan": "5/Pid.Sus-Anak/2026/PN Met", "tanggal_putusan": "2026-07-01",
        "jenis_putusan": "Pengembalian kepada orang tua/wali"})
    _langkah(mt, peksos, kid, wib(2026, 7, 2, 9), isian={"catatan_perkembangan": "Anak kembali ke orang tua"})
    _ditolak(mt, tutup_kasus, peksos, kid, "tidak sesuai", hasil_akhir="putusan-tindakan")
    _tutup(mt, peksos, kid, "dikembalikan-kepada-orang-tua", wib(2026, 7, 2, 10))
    with di_kantor(mt):
        assert muat(kid).hasil_akhir == "dikembalikan-kepada-orang-tua"
        # The court's diversion clocks were met; the attempts never made at the earlier stages end stopped, not done.
        jam = {t.langkah_kode: t for t in tenggat_induk(kid) if t.langkah_kode and "diversi" in t.langkah_kode}
        assert {k for k, t in jam.items() if t.selesai_pada and not t.dihentikan} == {"upaya-diversi-persidangan",
                                                                                       "hasil-diversi-persidangan"}
        assert {k for k, t in jam.items() if t.dihentikan} == {"upaya-diversi-penyidikan", "upaya-diversi-penuntutan"}


SATPOL = {"jenis": "satpol_pp", "nama": "Agus Wibowo", "instansi": "Satpol PP Kota Metro"}
TANPA_IDENTITAS = {"tanpa_identitas": True, "deskripsi": "Laki-laki sekitar 45 tahun, ditemukan di Pasar Cendrawasih",
                   "umur_perkiraan": 45, "jenis_kelamin": "L"}


def _ppks_sampai_kroscek(mt, s, pada):
    kid = _terima(mt, s["petugas_pelayanan"], "penanganan-ppks-terlantar", SATPOL, TANPA_IDENTITAS,
                  {"surat-keterangan-penyerahan": "dilihat"}, pada)
    _langkah(mt, s["petugas_pelayanan"], kid, pada + timedelta(minutes=10), isian={"pihak_penyerah": "Satpol PP"})
    _langkah(mt, s["petugas_pelayanan"], kid, pada + timedelta(minutes=20))
    _langkah(mt, s["pekerja_sosial"], kid, pada + timedelta(minutes=40))
    assert _langkah(mt, s["pekerja_sosial"], kid, pada + timedelta(hours=2), isian={"cek_biometrik": "ya"}) == "kroscek-alamat"
    return kid


def test_ppks_biometric_check_cross_checks_shelter_log_then_family_and_panti(app, seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    peksos = s["pekerja_sosial"]
    kid = _ppks_sampai_kroscek(mt, s, wib(2026, 5, 4, 9))

    # The shelter log while the person is in the office's care: as often as needed.
    for jam_, sehat in ((12, "Sehat"), (18, "Demam ringan, diberi obat")):
        _tindakan(mt, s["petugas_pelayanan"], kid, "catatan-penampungan", wib(2026, 5, 4, jam_),
                  isian={"makan": "ya", "bersih_diri": "ya", "kesehatan": sehat})
    # The biometric check: the request letter to Disdukcapil, then its result, which gives the client a NIK.
    _ditolak(mt, catat_tindakan, peksos, kid, "setelah: Permohonan pengecekan biometrik", kode="hasil-biometrik",
             isian={"hasil": "NIK tidak ditemukan"})
    _, sid = _tindakan(mt, peksos, kid, "permintaan-biometrik", wib(2026, 5, 5, 8), isian={
        "ciri_ciri": "Tinggi 165 cm, tahi lalat di pipi kiri",
        "tujuan_surat": "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Metro", "alamat_tujuan": "Jl. AH Nasution, Metro"})
    isi = _surat(mt, kid, sid)
    for potongan in ("Permohonan Pengecekan Data Kependudukan (Biometrik)", "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Metro",
                     "Jl. AH Nasution, Metro", "Tanpa identitas", "Tinggi 165 cm, tahi lalat di pipi kiri", "Staf pekerja_sosial",
                     "NIK ditemukan atau tidak ditemukan"):
        assert potongan in isi, potongan
    _ditolak(mt, catat_tindakan, peksos, kid, "NIK: NIK harus 16 angka", kode="hasil-biometrik",
             isian={"hasil": "NIK ditemukan", "nik": "18720115"})
    _tindakan(mt, peksos, kid, "hasil-biometrik", wib(2026, 5, 6, 10), isian={
        "hasil": "NIK ditemukan", "nik": "1872011505800001", "alamat_kependudukan": "Hadimulyo Barat, Metro Pusat"})
    with di_kantor(mt):
        klien = muat(kid).klien
        assert (klien.nik, klien.tanpa_identitas, klien.kode_wilayah_nik) == ("1872011505800001", False, "18.72.01")
    # The TKSK cross-check and the social-media notice are recorded acts.
    _tindakan(mt, peksos, kid, "kroscek-tksk", wib(2026, 5, 6, 11), isian={
        "nama_tksk": "Suparman", "kecamatan": "Metro Pusat", "hasil": "Alamat sesuai"})
    _tindakan(mt, peksos, kid, "informasi-media-sosial", wib(2026, 5, 6, 12), isian={
        "media": "Facebook Dinsos Metro", "tanggal_unggah": "2026-05-06"})
    with di_kantor(mt):
        ringkas = {r["kode"]: r for r in ringkasan_tindakan(muat(kid))}
        assert len(ringkas["catatan-penampungan"]["dicatat"]) == 2 and ringkas["catatan-penampungan"]["boleh_catat"]
        assert not ringkas["permintaan-biometrik"]["boleh_catat"]  # done once

    # Family found: the cover letter to the village, then the hand-over minutes to the family ...
    assert _langkah(mt, peksos, kid, wib(2026, 5, 7, 9), cabang="surat-pengantar") == "surat-pengantar"
    _langkah(mt, s["petugas_pelayanan"], kid, wib(2026, 5, 7, 10), isian={
        "tujuan_surat": "Kepala Kelurahan Hadimulyo Barat", "alamat_tujuan": "Hadimulyo Barat, Metro Pusat"})
    # ... and, "dan atau", on to a panti as well (the family asks for continued care).
    assert _langkah(mt, peksos, kid, wib(2026, 5, 8, 9), cabang="koordinasi-rujukan-panti", isian={
        "hubungan_keluarga": "Kakak kandung", "tujuan_surat": "Sutarno", "alamat_tujuan": "Hadimulyo Barat, Metro Pusat"}
    ) == "koordinasi-rujukan-panti"
    with di_kantor(mt):
        k = muat(kid)
        ba_keluarga = [x for x in k.langkah if x.kode == "pemulangan"][0].surat_id
    isi = _surat(mt, kid, ba_keluarga)
    for potongan in ("BERITA ACARA SERAH TERIMA", "Sutarno", "Kakak kandung", "Hadimulyo Barat, Metro Pusat", "Staf pekerja_sosial",
                     "Dinas Sosial Kota Metro", "PIHAK KEDUA"):
        assert potongan in isi, potongan
    # Closing as "returned to family" only is refused while the panti branch has not been finished.
    _langkah(mt, peksos, kid, wib(2026, 5, 9, 9), isian={"tujuan_surat": "UPTD Panti Sosial Lampung", "alamat_tujuan": "Natar"})
    _ditolak(mt, tutup_kasus, s["kepala_bidang"], kid, "belum ada langkah 'PPKS diantarkan ke Panti Sosial'",
             hasil_akhir="keluarga-dan-panti-sosial", catatan="uji")
    _langkah(mt, s["petugas_pelayanan"], kid, wib(2026, 5, 10, 9), isian={"tujuan_surat": "UPTD Panti Sosial Lampung",
                                                                           "alamat_tujuan": "Natar"})
    _tutup(mt, peksos, kid, "keluarga-dan-panti-sosial", wib(2026, 5, 10, 10))
    _ditolak(mt, catat_tindakan, s["petugas_pelayanan"], kid, "sudah ditutup", kode="catatan-penampungan",
             isian={"makan": "ya", "bersih_diri": "ya", "kesehatan": "Sehat"})


def test_ppks_returned_to_family_may_end_there_and_its_outcome_must_agree(app, seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    peksos = s["pekerja_sosial"]
    kid = _ppks_sampai_kroscek(mt, s, wib(2026, 5, 4, 9))
    _langkah(mt, peksos, kid, wib(2026, 5, 5, 9), cabang="surat-pengantar")
    _langkah(mt, s["petugas_pelayanan"], kid, wib(2026, 5, 5, 10), isian={"tujuan_surat": "Kepala Desa", "alamat_tujuan": "Desa"})
    # The last branch is optional: no choice ends the SOP here.
    assert _langkah(mt, peksos, kid, wib(2026, 5, 6, 9), isian={
        "hubungan_keluarga": "Istri", "tujuan_surat": "Sri Wahyuni", "alamat_tujuan": "Desa"}) is None
    _ditolak(mt, tutup_kasus, peksos, kid, "tidak sesuai dengan jalannya kasus", hasil_akhir="di-panti-sosial")
    _tutup(mt, peksos, kid, "kembali-ke-keluarga", wib(2026, 5, 6, 10))
    with di_kantor(mt):
        assert muat(kid).hasil_akhir == "kembali-ke-keluarga"


def test_the_panti_branch_cannot_close_as_returned_to_family(app, seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    peksos = s["pekerja_sosial"]
    kid = _ppks_sampai_kroscek(mt, s, wib(2026, 5, 4, 9))
    _tindakan(mt, peksos, kid, "permintaan-biometrik", wib(2026, 5, 5, 8), isian={"tujuan_surat": "Disdukcapil", "alamat_tujuan": "Metro"})
    _tindakan(mt, peksos, kid, "hasil-biometrik", wib(2026, 5, 6, 8), isian={"hasil": "NIK tidak ditemukan"})
    with di_kantor(mt):
        assert muat(kid).klien.tanpa_identitas and muat(kid).klien.nik is None
    _langkah(mt, peksos, kid, wib(2026, 5, 7, 9), cabang="koordinasi-rujukan-panti")
    _langkah(mt, peksos, kid, wib(2026, 5, 7, 10), isian={"tujuan_surat": "UPTD Panti Sosial", "alamat_tujuan": "Natar"})
    _langkah(mt, s["petugas_pelayanan"], kid, wib(2026, 5, 8, 10), isian={"tujuan_surat": "UPTD Panti Sosial", "alamat_tujuan": "Natar"})
    _ditolak(mt, tutup_kasus, peksos, kid, "belum ada langkah 'PPKS dipulangkan ke alamat keluarga'", hasil_akhir="kembali-ke-keluarga")
    _tutup(mt, peksos, kid, "di-panti-sosial", wib(2026, 5, 8, 11))


def test_the_case_page_lists_the_acts_records_one_and_shows_the_last_progress_note(app, seed):
    from dinsos_uji.alat_kasus import klien_masuk, versi_di
    from dinsos_uji.bantuan import token_csrf

    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kid = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", POLRES, RIZKY, {"surat-kepolisian": "dilihat"}, wib(2026, 5, 4, 9))
    _langkah(mt, s["petugas_pelayanan"], kid, wib(2026, 5, 4, 10), isian={"nomor_surat": "B/77", "tanggal_surat": "2026-05-04"})
    _langkah(mt, s["kepala_bidang"], kid, wib(2026, 5, 4, 11))
    peksos = klien_masuk(s["pekerja_sosial"])
    url = f"/t/kota-metro/kasus/{kid}"
    halaman = peksos.get(url).get_data(as_text=True)
    assert "Keluaran dan tindakan selama layanan" in halaman and 'id="tindakan-laporan-sosial"' in halaman
    assert "UU 11/2012 (SPPA) - laporan sosial dalam 3x24 jam" in halaman
    assert "Catatan perkembangan terakhir" in halaman and f'action="{url}/tindakan/laporan-sosial"' in halaman
    # An act refused (a required answer missing) shows why and changes nothing.
    data = {"laporan-sosial-csrf_token": token_csrf(halaman), "laporan-sosial-versi": versi_di(halaman),
            "laporan-sosial-isian_kondisi_anak": "Tinggal bersama nenek", "laporan-sosial-isian_hasil_asesmen": "Kooperatif"}
    r = peksos.post(f"{url}/tindakan/laporan-sosial", data=data)
    assert r.status_code == 422 and "Rekomendasi Pekerja Sosial: wajib diisi." in r.get_data(as_text=True)
    r = peksos.post(f"{url}/tindakan/laporan-sosial", data={**data, "laporan-sosial-isian_rekomendasi": "Diversi"})
    assert r.status_code == 302
    halaman = peksos.get(url).get_data(as_text=True)
    assert "Laporan Sosial nomor" in halaman and "Laporan sosial dicatat." in halaman
    # A progress note from the page: the last one's time is shown.
    r = peksos.post(f"{url}/catatan", data={"csrf_token": token_csrf(halaman), "versi": versi_di(halaman),
                                          "catatan_perkembangan": "Kunjungan rumah"})
    assert r.status_code == 302
    with di_kantor(mt):
        terakhir = tenggat.catatan_terakhir(kid)
    assert terakhir is not None
    assert peksos.post(f"{url}/tindakan/tidak-ada", data={}).status_code in (400, 404)


def test_a_version_from_before_case_acts_keeps_the_old_social_report_rule(app, seed):
    """A standard written before acts existed (its last step outputs the report) still runs the old clock."""
    import copy

    from dinsos.catalogue.services import simpan_standar
    from dinsos.catalogue.skema.baca import periksa_data
    from dinsos.catalogue.skema.layanan import LayananSchema
    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant
    from dinsos.tenancy.models import Tenant

    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    with di_kantor(mt):
        from dinsos.catalogue.services import layanan_dari_kode, versi_terbaru

        isi = copy.deepcopy(versi_terbaru(layanan_dari_kode("pendampingan-abh")).isi)
        del isi["sop"]["tindakan"]
        isi["sop"]["hasil_akhir"] = [{"kode": "kasus-selesai", "nama": "Kasus ABH selesai"}]
        isi["sop"]["langkah"][-1]["dokumen_keluaran"] = "laporan_sosial"
        bersih, galat = periksa_data(isi, LayananSchema)
        assert galat == []
        with lintas_tenant("uji", catat=False):
            simpan_standar(db.session.get(Tenant, mt.id), bersih)
        db.session.commit()
    kid = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", POLRES, RIZKY, {"surat-kepolisian": "dilihat"}, wib(2026, 5, 4, 9))
    assert set(_jam(mt, kid)) == {"kasus", "laporan_sosial"}
    _langkah(mt, s["petugas_pelayanan"], kid, wib(2026, 5, 4, 10), isian={"nomor_surat": "B/77", "tanggal_surat": "2026-05-04"})
    _langkah(mt, s["kepala_bidang"], kid, wib(2026, 5, 4, 11))
    # Progress notes continue after the last step is done (the accompaniment is open until closed).
    _langkah(mt, s["pekerja_sosial"], kid, wib(2026, 5, 6, 16), isian={"catatan_perkembangan": "Laporan diserahkan"})
    assert _jam(mt, kid)["laporan_sosial"]["selesai_pada"] == wib(2026, 5, 6, 16)
    with di_kantor(mt):
        k = muat(kid)
        assert k.langkah_kode is None and ringkasan_tindakan(k) == []
        catat_perkembangan(k, versi=k.versi, catatan="Sidang ditunda", pengguna=akun(s["pekerja_sosial"]), pada=wib(2026, 6, 1, 9))
        simpan()
    assert _jam(mt, kid)["kasus"]["due_at"] == wib(2026, 7, 1, 9)
    _tutup(mt, s["pekerja_sosial"], kid, "kasus-selesai", wib(2026, 7, 2, 9))


def test_the_api_lists_the_acts_and_records_one_with_its_letter(app, seed, klien):
    from dinsos_uji.alat_kasus import token_api

    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kid = _terima(mt, s["petugas_pelayanan"], "penanganan-ppks-terlantar", SATPOL, TANPA_IDENTITAS,
                  {"surat-keterangan-penyerahan": "dilihat"}, wib(2026, 5, 4, 9))
    api, peksos = f"/api/t/kota-metro/kasus/{kid}", token_api(s["pekerja_sosial"])
    rinci = klien.get(api, headers=peksos).json
    tindakan = {t["kode"]: t for t in rinci["tindakan"]}
    assert tindakan["permintaan-biometrik"]["boleh_catat"] and tindakan["hasil-biometrik"]["menunggu"] == ["permintaan-biometrik"]
    r = klien.post(f"{api}/tindakan", headers=peksos, json={"versi": rinci["versi"], "tindakan": "permintaan-biometrik", "isian": {
        "tujuan_surat": "Disdukcapil Kota Metro", "alamat_tujuan": "Metro"}})
    assert r.status_code == 201 and r.json["surat"]["jenis"] == "permohonan_biometrik" and r.json["langkah_berjalan"] == "penyerahan"
    assert "Disdukcapil Kota Metro" in teks_pdf(klien.get(r.json["surat"]["unduh"], headers=peksos).data)
    r = klien.post(f"{api}/tindakan", headers=peksos, json={"versi": r.json["kasus"]["versi"], "tindakan": "hasil-biometrik",
                                                            "isian": {"hasil": "NIK entah"}})
    assert r.status_code == 422 and "Hasil pengecekan: pilih salah satu dari NIK ditemukan, NIK tidak ditemukan" in r.get_data(as_text=True)
