"""Kabupaten Magetan's SOP (seed 002) executed as written: verification before any step, the register number as the
Fungsional Peksos' act, the disposition chain, the referral branch and the Balai's receipt, with each letter read
back from its PDF and the clocks checked (issue 16)."""
from datetime import timedelta

import pytest

from dinsos.cases import tenggat
from dinsos.cases.baca import peristiwa
from dinsos.cases.penerimaan import menunggu_verifikasi, terima_kasus, ubah_persyaratan, verifikasi_berkas
from dinsos.cases.perubahan import KesalahanKasus, simpan
from dinsos.cases.sop import catat_disposisi, selesaikan_langkah
from dinsos.core.db import db
from dinsos_uji.alat_kasus import PDF, akun, di_kantor, teks_surat_kantor, wib
from dinsos_uji.alat_kasus import kasus as muat
from dinsos_uji.alat_kasus import selesaikan as _langkah

pytestmark = pytest.mark.slow  # renders about ten letters

LAYANAN = "pengiriman-anjal-at"
PELAPOR = {"jenis": "kepolisian", "nama": "Bripka Anton", "instansi": "Polres Magetan", "surat_nomor": "B/12/V/2026/Reskrim"}
ANAK = {"tanpa_identitas": True, "deskripsi": "Anak laki-laki, sekitar 12 tahun, tidur di terminal", "umur_perkiraan": 12,
        "jenis_kelamin": "L"}
ASESMEN = {"tanggal_asesmen": "2026-05-05", "kondisi_fisik": "Sehat, kurang gizi ringan",
           "kondisi_psikososial": "Takut, menolak pulang", "keluarga": "Keluarga tidak diketahui",
           "kebutuhan": "Tempat tinggal aman dan sekolah"}
LAPORAN = {"ringkasan_masalah": "Anak jalanan tanpa keluarga diketahui", "hasil_pendampingan": "Anak mau dirujuk",
           "rencana_tindak_lanjut": "Rujuk ke balai rehabilitasi"}
REKOMENDASI = {"balai_tujuan": "UPT PSAB Pasuruan", "hasil_koordinasi": "Balai siap menerima 6 Mei",
               "rekomendasi": "Rehabilitasi sosial dalam balai"}
BALAI = {"tujuan_surat": "UPT Pelayanan Sosial Asuhan Balita Pasuruan", "alamat_tujuan": "Jl. Raya Pasuruan 1"}


def _jalan(kantor, staf, kid, fungsi, **kw):
    with di_kantor(kantor):
        k = muat(kid)
        hasil = fungsi(k, versi=k.versi, pengguna=akun(staf), **kw)
        simpan()
        return hasil


def _tolak(kantor, staf, kid, fungsi, pola, kode, **kw):
    with di_kantor(kantor):
        k = muat(kid)
        with pytest.raises(KesalahanKasus, match=pola) as e:
            fungsi(k, versi=k.versi, pengguna=akun(staf), **kw)
        assert e.value.kode == kode
        db.session.rollback()


def _terima(mg, s, pada, persyaratan):
    with di_kantor(mg):
        h = terima_kasus(LAYANAN, pelapor=PELAPOR, klien=ANAK, persyaratan=persyaratan, pengguna=akun(s["petugas_pelayanan"]), pada=pada)
        simpan()
        return h.kasus.id


def _sampai_laporan_sosial(mg, s, kid, pada):
    """Verified file -> steps 1 to 4, the disposition chain included; returns the time after step 4."""
    _jalan(mg, s["petugas_pelayanan"], kid, verifikasi_berkas, benar=True, pada=pada)
    _langkah(mg, s["petugas_pelayanan"], kid, pada + timedelta(minutes=10), catatan="Diserahkan Bripka Anton")
    _langkah(mg, s["fungsional_peksos"], kid, pada + timedelta(hours=1))
    _jalan(mg, s["kepala_dinas"], kid, catat_disposisi, instruksi="Tangani segera", pada=pada + timedelta(hours=2))
    _jalan(mg, s["kepala_bidang"], kid, catat_disposisi, instruksi="Asesmen lengkap", pada=pada + timedelta(hours=2, minutes=5))
    _langkah(mg, s["fungsional_peksos"], kid, pada + timedelta(hours=2, minutes=10), catatan="Dilaksanakan")
    _langkah(mg, s["pekerja_sosial"], kid, pada + timedelta(hours=3), isian=ASESMEN)
    return pada + timedelta(hours=4)


def test_magetan_every_branch_every_letter_and_the_clocks(seed):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]

    # Intake: the office's own records are never asked of the applicant.
    with di_kantor(mg):
        with pytest.raises(KesalahanKasus, match="Buku Register: catatan kantor yang dibuat platform") as e:
            terima_kasus(LAYANAN, pelapor=PELAPOR, klien=ANAK, persyaratan={"buku-register": "dilihat"},
                         pengguna=akun(s["petugas_pelayanan"]))
        assert "persyaratan.buku-register" in e.value.kesalahan
        db.session.rollback()
    masuk = wib(2026, 5, 4, 10, 5)
    kid = _terima(mg, s, masuk, {"surat-keterangan-kepolisian": "dilihat"})
    with di_kantor(mg):
        k = muat(kid)
        assert [p.kode for p in k.persyaratan] == ["surat-keterangan-kepolisian", "surat-keterangan-kehilangan"]
        lengkap = ubah_persyaratan(k, versi=k.versi, pengguna=akun(s["petugas_pelayanan"]), pada=masuk + timedelta(minutes=20),
                                   unggahan={"surat-keterangan-kehilangan": (PDF, "kehilangan.pdf")})
        simpan()
        # The checklist is complete, but "lengkap dan benar" is the verifier's ruling: no clock, no step, no number.
        assert lengkap is False
    with di_kantor(mg):
        k = muat(kid)
        assert (k.status, k.jam_mulai_pada, k.nomor_register, k.langkah) == ("berkas_belum_lengkap", None, None, [])
        assert menunggu_verifikasi(k)
    _tolak(mg, s["petugas_pelayanan"], kid, selesaikan_langkah, "Berkas persyaratan belum lengkap", 409, kode_langkah="serah-terima")
    _tolak(mg, s["pekerja_sosial"], kid, verifikasi_berkas, "hanya dapat dicatat oleh: Petugas Pelayanan", 403, benar=True)
    _tolak(mg, s["petugas_pelayanan"], kid, verifikasi_berkas, "Tandai persyaratan", 422, benar=False, catatan="Stempel tidak ada")

    # The verifier finds the police statement incorrect: back to the reporter with the notice, before any step.
    salah = masuk + timedelta(minutes=30)
    _jalan(mg, s["petugas_pelayanan"], kid, verifikasi_berkas, benar=False, pada=salah,
                   catatan="Surat keterangan kepolisian tanpa stempel dan tanda tangan",
                   persyaratan_salah=["surat-keterangan-kepolisian"])
    [pemberitahuan] = teks_surat_kantor(mg, "pemberitahuan_kekurangan_berkas")
    for harus in ("Yth. Bripka Anton", "Polres Magetan", "belum lengkap dan/atau belum benar", "hasil verifikasi petugas",
                  "Surat Keterangan dari Kepolisian tentang Orang Terlantar",
                  "Hasil verifikasi: Surat keterangan kepolisian tanpa stempel dan tanda tangan", "Dinas Sosial Kabupaten Magetan"):
        assert harus in pemberitahuan, harus
    assert "Buku Register" not in pemberitahuan and "List kendali" not in pemberitahuan
    with di_kantor(mg):
        k = muat(kid)
        assert {p.kode: p.status for p in k.persyaratan}["surat-keterangan-kepolisian"] == "belum"
        assert (k.status, k.langkah, k.jam_mulai_pada) == ("berkas_belum_lengkap", [], None)
        ubah_persyaratan(k, versi=k.versi, pengguna=akun(s["petugas_pelayanan"]), pada=salah + timedelta(hours=1),
                         perubahan={"surat-keterangan-kepolisian": "dilihat"})
        simpan()

    # Corrected and found correct: the clock starts at the ruling; step 1 issues the minutes without a number.
    benar = salah + timedelta(hours=1, minutes=5)
    _jalan(mg, s["petugas_pelayanan"], kid, verifikasi_berkas, benar=True, pada=benar)
    _tolak(mg, s["petugas_pelayanan"], kid, verifikasi_berkas, "sudah dinyatakan lengkap dan benar", 409, benar=True)
    with di_kantor(mg):
        k = muat(kid)
        assert (k.status, k.jam_mulai_pada, k.berkas_lengkap_pada, k.nomor_register) == ("berjalan", benar, benar, None)
        info = tenggat.info_jam_kasus(k)
        assert info["aturan"]["mulai"] == "berkas_lengkap" and info["jam_mulai_pada"] == benar
    assert _langkah(mg, s["petugas_pelayanan"], kid, benar + timedelta(minutes=12), catatan="Diserahkan Bripka Anton") == "register-kasus"
    [ba] = teks_surat_kantor(mg, "berita_acara_serah_terima")
    assert "Bripka Anton" in ba and "Staf petugas_pelayanan" in ba and "Nomor register" not in ba
    assert ba.index("Bripka Anton") < ba.index("PIHAK PERTAMA") < ba.index("Staf petugas_pelayanan") < ba.index("PIHAK KEDUA")

    # Step 2: only the Fungsional Peksos registers; the number is theirs.
    t2 = benar + timedelta(hours=2)
    _tolak(mg, s["kepala_bidang"], kid, selesaikan_langkah, "hanya dapat dicatat oleh: Fungsional Pekerja Sosial", 403,
           kode_langkah="register-kasus")
    assert _langkah(mg, s["fungsional_peksos"], kid, t2) == "penugasan"
    with di_kantor(mg):
        k = muat(kid)
        assert k.nomor_register == "460/1/403.107/2026"
        [nomor] = [p for p in peristiwa(k) if p.jenis == "nomor_register"]
        assert nomor.aktor_id == s["fungsional_peksos"].id and nomor.waktu == t2

    # Step 3: Kepala Dinas -> Kepala Bidang -> Fungsional, each their own act, in order.
    t3 = t2 + timedelta(minutes=30)
    _tolak(mg, s["kepala_bidang"], kid, catat_disposisi, "Giliran disposisi langkah ini: Kepala Dinas", 403, instruksi="x")
    _tolak(mg, s["fungsional_peksos"], kid, selesaikan_langkah, "bagian berikutnya dicatat oleh: Kepala Dinas", 409,
           kode_langkah="penugasan")
    _jalan(mg, s["kepala_dinas"], kid, catat_disposisi, instruksi="Tugaskan Kabid Rehsos, segera", pada=t3)
    _tolak(mg, s["kepala_dinas"], kid, catat_disposisi, "Giliran disposisi langkah ini: Kepala Bidang", 403, instruksi="lagi")
    _jalan(mg, s["kepala_bidang"], kid, catat_disposisi, instruksi="Fungsional: asesmen lengkap", pada=t3 + timedelta(minutes=5))
    _tolak(mg, s["kepala_bidang"], kid, selesaikan_langkah, "Giliran disposisi langkah ini: Fungsional Pekerja Sosial", 403,
           kode_langkah="penugasan")
    _tolak(mg, s["fungsional_peksos"], kid, catat_disposisi, "dicatat dengan menyelesaikan langkah", 409, instruksi="x")
    assert _langkah(mg, s["fungsional_peksos"], kid, t3 + timedelta(minutes=14), catatan="Siap, dilaksanakan") == "asesmen"
    [lembar] = teks_surat_kantor(mg, "lembar_disposisi")
    assert "LEMBAR DISPOSISI" in lembar.upper() and "460/1/403.107/2026" in lembar
    urutan = [lembar.index(t) for t in ("Tugaskan Kabid Rehsos, segera", "Fungsional: asesmen lengkap", "Siap, dilaksanakan")]
    assert urutan == sorted(urutan)
    for nama in ("Staf kepala_dinas", "Staf kepala_bidang", "Staf fungsional_peksos", "pukul 14.15"):
        assert nama in lembar, nama
    with di_kantor(mg):
        rantai = [(p.rincian["peran"], p.aktor_id) for p in peristiwa(muat(kid)) if p.jenis == "disposisi"]
        assert rantai == [("kepala_dinas", s["kepala_dinas"].id), ("kepala_bidang", s["kepala_bidang"].id),
                          ("fungsional_peksos", s["fungsional_peksos"].id)]
    assert len(teks_surat_kantor(mg, "surat_tugas")) == 1

    # Step 4: the assessment form has real fields, required.
    t4 = t3 + timedelta(hours=1)
    _tolak(mg, s["pekerja_sosial"], kid, selesaikan_langkah, "Kondisi fisik dan kesehatan: wajib diisi", 422, kode_langkah="asesmen")
    assert _langkah(mg, s["pekerja_sosial"], kid, t4, isian=ASESMEN) == "laporan-sosial"
    [asesmen] = teks_surat_kantor(mg, "form_asesmen")
    assert "Takut, menolak pulang" in asesmen and "Keluarga tidak diketahui" in asesmen and "05-05-2026" in asesmen

    # Step 5 with a referral: the branch issues the Form Rujukan, then back to the usual path.
    assert _langkah(mg, s["pekerja_sosial"], kid, t4 + timedelta(minutes=50), isian=LAPORAN, cabang="form-rujukan") == "form-rujukan"
    [laporan] = teks_surat_kantor(mg, "laporan_sosial")
    assert "Anak jalanan tanpa keluarga diketahui" in laporan and "Rujuk ke balai rehabilitasi" in laporan
    assert _langkah(mg, s["fungsional_peksos"], kid, t4 + timedelta(hours=1),
                    isian={**BALAI, "alasan_rujukan": "Butuh rehabilitasi dalam balai"}) == "koordinasi-balai"
    [rujukan] = teks_surat_kantor(mg, "form_rujukan")
    assert BALAI["tujuan_surat"] in rujukan and "Butuh rehabilitasi dalam balai" in rujukan

    # Steps 6-8: recommendation, delivery, and the Balai's receipt of the child from the Dinas.
    t6 = t4 + timedelta(hours=3)
    assert _langkah(mg, s["fungsional_peksos"], kid, t6, isian=REKOMENDASI) == "pengiriman"
    [rekomendasi] = teks_surat_kantor(mg, "rekomendasi_penanganan")
    assert "UPT PSAB Pasuruan" in rekomendasi and "Rehabilitasi sosial dalam balai" in rekomendasi
    assert _langkah(mg, s["pekerja_sosial"], kid, t6 + timedelta(hours=2), isian=BALAI) == "penerimaan-balai"
    assert _langkah(mg, s["petugas_pelayanan"], kid, t6 + timedelta(hours=5), isian=BALAI, catatan="Diterima petugas balai") is None
    [terima] = teks_surat_kantor(mg, "tanda_terima")
    assert f"atas nama {BALAI['tujuan_surat']}" in terima and "telah menerima dari Dinas Sosial Kabupaten Magetan" in terima
    assert "Yang Menyerahkan, Dinas Sosial Kabupaten Magetan" in terima
    assert terima.index("Yang Menyerahkan") < terima.index("Yang Menerima,") and "diserahkan oleh Staf petugas_pelayanan" in terima
    assert "Telah diterima dari" not in terima  # not the police hand-over again

    with di_kantor(mg):
        k = muat(kid)
        runs = k.langkah
        assert [l.kode for l in runs] == ["serah-terima", "register-kasus", "penugasan", "asesmen", "laporan-sosial", "form-rujukan",
                                          "koordinasi-balai", "pengiriman", "penerimaan-balai"]
        assert tenggat.durasi_menit(k, runs[0]) == 12 and runs[0].waktu == "15 menit"
        assert tenggat.durasi_menit(k, runs[2]) == 44 and runs[2].waktu == "15 menit"  # the chain took longer than the SOP's 15


def test_magetan_without_a_referral_goes_straight_to_the_balai_coordination(seed):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    pada = wib(2026, 5, 6, 8)
    kid = _terima(mg, s, pada, {"surat-keterangan-kepolisian": "dilihat", "surat-keterangan-kehilangan": "dilihat"})
    t = _sampai_laporan_sosial(mg, s, kid, pada)
    assert _langkah(mg, s["pekerja_sosial"], kid, t, isian=LAPORAN) == "koordinasi-balai"
    assert teks_surat_kantor(mg, "form_rujukan") == []
    with di_kantor(mg):
        k = muat(kid)
        assert [l.kode for l in k.langkah][-2:] == ["laporan-sosial", "koordinasi-balai"]
        assert k.langkah[-2].cabang_ke is None and k.nomor_register == "460/1/403.107/2026"
