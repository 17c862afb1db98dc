"""The seed services driven from intake to outcome through the service layer (Magetan's own SOP: test_sop_magetan)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dinsos.cases import tenggat
from dinsos.cases.baca import langkah_berjalan, peristiwa, versi_kasus
from dinsos.cases.daftar import kasus_saya
from dinsos.cases.kelola import buka_kembali, jeda_kasus, lanjutkan_kasus, tugaskan_kasus, tugaskan_langkah, tutup_kasus
from dinsos.cases.models import Kasus, PeristiwaKasus
from dinsos.cases.penerimaan import terima_kasus, ubah_persyaratan
from dinsos.cases.perubahan import KesalahanKasus, KonflikVersi, simpan
from dinsos.cases.sop import catat_perkembangan, selesaikan_langkah
from dinsos.core.db import db
from dinsos_uji.alat_kasus import akun, di_kantor, verifikasi_bila_perlu, wib
from dinsos_uji.alat_kasus import kasus as muat

# Steps whose letter is addressed (surat pengantar, form rujukan) ask for the recipient.
TUJUAN = {"tujuan_surat": "Kepala Desa Hadimulyo", "alamat_tujuan": "Hadimulyo Barat, Metro Pusat"}

PELAPOR_POLISI = {"jenis": "kepolisian", "nama": "Bripka Anton", "instansi": "Polres Magetan",
                  "surat_nomor": "B/12/V/2026/Reskrim", "surat_tanggal": "2026-05-04"}


def _terima(kantor, staf, layanan, *, klien=None, persyaratan=None, unggahan=None, pada=None, pelapor=None):
    with di_kantor(kantor):
        hasil = terima_kasus(layanan, pelapor=pelapor or PELAPOR_POLISI, klien=klien or {"tanpa_identitas": True,
                                 "deskripsi": "Anak laki-laki, sekitar 12 tahun, ditemukan tidur di terminal", "umur_perkiraan": 12,
                                 "jenis_kelamin": "L"}, persyaratan=persyaratan, unggahan=unggahan, pengguna=akun(staf), pada=pada)
        verifikasi_bila_perlu(hasil.kasus, akun(staf), pada)  # Magetan: the file found correct, so its steps can run
        simpan()
        return hasil.kasus.id, hasil.pemberitahuan_kekurangan, hasil.duplikat


def _langkah(kantor, staf, kasus_id, pada, **kw):
    with di_kantor(kantor):
        k = muat(kasus_id)
        hasil = selesaikan_langkah(k, versi=k.versi, kode_langkah=k.langkah_kode, pengguna=akun(staf), pada=pada, **kw)
        simpan()
        return hasil.dokumen, hasil.berikutnya.kode if hasil.berikutnya else None


def _tutup(kantor, staf, kasus_id, hasil_akhir, pada, catatan=None):
    with di_kantor(kantor):
        k = muat(kasus_id)
        tutup_kasus(k, versi=k.versi, hasil_akhir=hasil_akhir, pengguna=akun(staf), catatan=catatan, pada=pada)
        simpan()


def _peristiwa(kantor, kasus_id):
    with di_kantor(kantor):
        return [(p.jenis, p.rincian) for p in peristiwa(muat(kasus_id))]


def test_kota_metro_ppks_family_found_goes_home_with_a_cover_letter(seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kid, kurang, _ = _terima(mt, s["petugas_pelayanan"], "penanganan-ppks-terlantar",
                             pelapor={"jenis": "satpol_pp", "instansi": "Satpol PP Kota Metro"},
                             klien={"nama": "Sutrisno", "umur_perkiraan": 60, "jenis_kelamin": "L", "kategori_ppks": 11},
                             persyaratan={"surat-keterangan-penyerahan": "dilihat"})
    assert kurang is None  # the ID copy is optional ("jika ada")
    with di_kantor(mt):
        k = muat(kid)
        assert k.rahasia is False and k.nomor_register.startswith("REG/1/DINSOS/")
    dok, nxt = _langkah(mt, s["petugas_pelayanan"], kid, None, isian={"pihak_penyerah": "Satpol PP"})
    assert dok["jenis"] == "berita_acara_serah_terima" and dok["isian"] == [
        {"nama": "pihak_penyerah", "label": "Pihak yang menyerahkan", "nilai": "Satpol PP"}]
    assert dok["klien"]["nama"] == "Sutrisno"  # an adult, not ABH: not masked
    _langkah(mt, s["petugas_pelayanan"], kid, None)  # buku-layanan: client's part, recorded by the front office
    _langkah(mt, s["pekerja_sosial"], kid, None)  # bersih-diri
    _langkah(mt, s["pekerja_sosial"], kid, None, isian={"cek_biometrik": "ya"})
    with di_kantor(mt):
        k = muat(kid)
        with pytest.raises(KesalahanKasus, match="bercabang: pilih kelanjutannya"):
            selesaikan_langkah(k, versi=k.versi, kode_langkah="kroscek-alamat", pengguna=akun(s["pekerja_sosial"]))
    _, nxt = _langkah(mt, s["pekerja_sosial"], kid, None, cabang="surat-pengantar")
    assert nxt == "surat-pengantar"
    dok, nxt = _langkah(mt, s["petugas_pelayanan"], kid, None, isian=TUJUAN)
    assert dok["jenis"] == "surat_pengantar" and nxt == "pemulangan"
    # Handing the person over to the family is a berita acara naming the family (issue 16).
    dok, nxt = _langkah(mt, s["petugas_pelayanan"], kid, None, isian={"hubungan_keluarga": "Anak", "tujuan_surat": "Sutarno",
                                                                      "alamat_tujuan": "Hadimulyo Barat"})
    assert dok["jenis"] == "berita_acara_serah_terima" and nxt is None
    _tutup(mt, s["pekerja_sosial"], kid, "kembali-ke-keluarga", None)
    with di_kantor(mt):
        k = muat(kid)
        assert [l.kode for l in k.langkah] == ["penyerahan", "buku-layanan", "bersih-diri", "asesmen-penelusuran",
                                              "kroscek-alamat", "surat-pengantar", "pemulangan"]
        assert k.langkah[4].cabang_ke == "surat-pengantar" and k.langkah[3].isian == {"cek_biometrik": True}
        assert k.hasil_akhir == "kembali-ke-keluarga"


def test_kota_metro_ppks_family_not_found_is_referred_to_a_panti(seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kid, _, _ = _terima(mt, s["petugas_pelayanan"], "penanganan-ppks-terlantar", pelapor={"jenis": "masyarakat", "nama": "Warga"},
                        klien={"tanpa_identitas": True, "deskripsi": "Perempuan lanjut usia, bingung", "umur_perkiraan": 70,
                               "jenis_kelamin": "P", "kategori_ppks": 8},
                        persyaratan={"surat-keterangan-penyerahan": "dilihat", "fotokopi-ktp": "belum"})
    _langkah(mt, s["petugas_pelayanan"], kid, None, isian={"pihak_penyerah": "Masyarakat"})
    _langkah(mt, s["petugas_pelayanan"], kid, None)
    _langkah(mt, s["pekerja_sosial"], kid, None)
    _langkah(mt, s["pekerja_sosial"], kid, None, isian={"cek_biometrik": False})
    _, nxt = _langkah(mt, s["pekerja_sosial"], kid, None, cabang="koordinasi-rujukan-panti")
    assert nxt == "koordinasi-rujukan-panti"
    dok, nxt = _langkah(mt, s["pekerja_sosial"], kid, None, isian={"tujuan_surat": "UPTD Panti Sosial", "alamat_tujuan": "Bandar Lampung"})
    assert dok["jenis"] == "form_rujukan" and nxt == "antar-ke-panti"
    dok, nxt = _langkah(mt, s["petugas_pelayanan"], kid, None, isian={"tujuan_surat": "UPTD Panti Sosial", "alamat_tujuan": "Bandar Lampung"})
    assert dok["jenis"] == "berita_acara_serah_terima" and nxt is None
    _tutup(mt, s["kepala_bidang"], kid, "di-panti-sosial", None)
    with di_kantor(mt):
        k = muat(kid)
        assert [l.kode for l in k.langkah][-3:] == ["kroscek-alamat", "koordinasi-rujukan-panti", "antar-ke-panti"]
        assert "surat-pengantar" not in [l.kode for l in k.langkah] and k.hasil_akhir == "di-panti-sosial"


def test_abh_is_confidential_open_ended_with_progress_notes(seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kid, _, _ = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", pelapor={"jenis": "kepolisian", "instansi": "Polres Metro",
                        "surat_nomor": "B/77/2026"}, klien={"nama": "Rizky Pratama", "tanggal_lahir": "2011-02-03", "jenis_kelamin": "L",
                                                           "kategori_ppks": 3, "alamat": "Jl. Contoh 1, Metro"},
                        persyaratan={"surat-kepolisian": "dilihat"}, pada=wib(2026, 5, 4, 9))
    with di_kantor(mt):
        k = muat(kid)
        assert k.rahasia and k.jam_mulai_pada == wib(2026, 5, 4, 9)
        assert tenggat.info_jam_kasus(k)["aturan"] == {"jenis": "terbuka", "selesai_saat": "kasus ABH selesai", "tinjauan_berkala": "1 bulan"}
    with di_kantor(mt):
        k = muat(kid)
        with pytest.raises(KesalahanKasus, match="Tanggal surat permohonan: wajib diisi"):
            selesaikan_langkah(k, versi=k.versi, kode_langkah="surat-permohonan", pengguna=akun(s["petugas_pelayanan"]),
                                   isian={"nomor_surat": "B/77/2026"})
    dok, _ = _langkah(mt, s["petugas_pelayanan"], kid, None, isian={"nomor_surat": "B/77/2026", "tanggal_surat": "2026-05-02"})
    assert dok["jenis"] == "nomor_register" and dok["kasus"]["nomor_register"] == "REG/1/DINSOS/05/2026"
    assert dok["klien"]["nama"] == "R*** P***" and dok["klien"]["alamat"] is None
    _langkah(mt, s["kepala_bidang"], kid, None)
    # Pak Hendra records visits for months without finishing the step.
    with di_kantor(mt):
        k = muat(kid)
        tugaskan_kasus(k, versi=k.versi, penanggung_jawab_id=s["pekerja_sosial"].id, pengguna=akun(s["kepala_bidang"]))
        simpan()
    for bulan in (6, 7):
        with di_kantor(mt):
            k = muat(kid)
            catat_perkembangan(k, versi=k.versi, catatan=f"Kunjungan bulan {bulan}", pengguna=akun(s["pekerja_sosial"]),
                                   pada=wib(2026, bulan, 1, 10))
            simpan()
    _langkah(mt, s["pekerja_sosial"], kid, None, isian={"catatan_perkembangan": "Diversi berhasil"})
    _tutup(mt, s["pekerja_sosial"], kid, "kasus-selesai", None)
    with di_kantor(mt):
        k = muat(kid)
        assert k.status == "ditutup" and k.langkah[-1].isian == {"catatan_perkembangan": "Diversi berhasil"}
        assert k.langkah[-1].penanggung_jawab_id == s["pekerja_sosial"].id
    assert [r["langkah"] for j, r in _peristiwa(mt, kid) if j == "catatan"] == ["pendampingan", "pendampingan"]


def test_cases_keep_their_service_version_after_the_standard_changes(seed):
    from dinsos.catalogue.models import VersiLayanan
    from dinsos.catalogue.services import simpan_standar
    from dinsos.core.tenant import lintas_tenant
    from dinsos.tenancy.models import Tenant

    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kid, _, _ = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", klien={"nama": "A B", "umur_perkiraan": 15},
                        persyaratan={"surat-kepolisian": "dilihat"})
    with di_kantor(mt):
        lama = versi_kasus(muat(kid))
        isi = dict(lama.isi, nama=lama.isi["nama"] + " (revisi)")
        with lintas_tenant("uji", catat=False):
            simpan_standar(db.session.get(Tenant, mt.id), isi)
        db.session.commit()
    with di_kantor(mt):
        assert versi_kasus(muat(kid)).versi == 1
        assert db.session.scalar(select(func.max(VersiLayanan.versi))) == 2


def test_wrong_role_out_of_order_and_stale_version_change_nothing(seed):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    semua = {"surat-keterangan-kepolisian": "dilihat", "surat-keterangan-kehilangan": "dilihat"}
    kid, _, _ = _terima(mg, s["petugas_pelayanan"], "pengiriman-anjal-at", persyaratan=semua)
    with di_kantor(mg):
        versi = muat(kid).versi
    # Each refused attempt is its own request: the caller rolls back what the service had begun.
    with di_kantor(mg), pytest.raises(KesalahanKasus, match="hanya dapat dicatat oleh: Petugas Pelayanan") as e:
        selesaikan_langkah(muat(kid), versi=versi, kode_langkah="serah-terima", pengguna=akun(s["pekerja_sosial"]))
    assert e.value.kode == 403
    with di_kantor(mg), pytest.raises(KesalahanKasus, match="'asesmen' bukan langkah yang sedang berjalan") as e:
        selesaikan_langkah(muat(kid), versi=versi, kode_langkah="asesmen", pengguna=akun(s["pekerja_sosial"]))
    assert e.value.kode == 409
    with di_kantor(mg), pytest.raises(KonflikVersi, match="sudah diubah oleh pengguna lain"):
        selesaikan_langkah(muat(kid), versi=versi - 1, kode_langkah="serah-terima", pengguna=akun(s["petugas_pelayanan"]))
    with di_kantor(mg):
        k = muat(kid)
        assert k.versi == versi and [(l.kode, l.status) for l in k.langkah] == [("serah-terima", "berjalan")]
        assert db.session.scalar(select(func.count()).select_from(PeristiwaKasus)) == 5  # with the file's verification


def test_pause_resume_assignment_early_close_and_reopen(seed):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    semua = {"surat-keterangan-kepolisian": "dilihat", "surat-keterangan-kehilangan": "dilihat"}
    t0 = wib(2026, 5, 4, 8)
    kid, _, _ = _terima(mg, s["petugas_pelayanan"], "pengiriman-anjal-at", persyaratan=semua, pada=t0)
    with di_kantor(mg):
        k = muat(kid)
        tugaskan_kasus(k, versi=k.versi, penanggung_jawab_id=s["fungsional_peksos"].id, pengguna=akun(s["kepala_bidang"]), pada=t0)
        with pytest.raises(KesalahanKasus, match="Hanya kepala bidang"):
            tugaskan_kasus(k, versi=k.versi, penanggung_jawab_id=s["pekerja_sosial"].id, pengguna=akun(s["petugas_pelayanan"]))
        jeda_kasus(k, versi=k.versi, jenis="menunggu_instansi", alasan="Menunggu Polres", pengguna=akun(s["fungsional_peksos"]),
                       pada=t0 + timedelta(minutes=10))
        with pytest.raises(KesalahanKasus, match="sedang dijeda"):
            selesaikan_langkah(k, versi=k.versi, kode_langkah="serah-terima", pengguna=akun(s["petugas_pelayanan"]))
        lanjutkan_kasus(k, versi=k.versi, pengguna=akun(s["fungsional_peksos"]), pada=t0 + timedelta(minutes=40))
        selesaikan_langkah(k, versi=k.versi, kode_langkah="serah-terima", pengguna=akun(s["petugas_pelayanan"]),
                               pada=t0 + timedelta(minutes=50))
        simpan()
    with di_kantor(mg):
        k = muat(kid)
        assert tenggat.interval_jeda(k) == [(t0 + timedelta(minutes=10), t0 + timedelta(minutes=40))]
        assert tenggat.durasi_menit(k, k.langkah[0]) == 20  # 50 minutes less the 30 paused
        # The next step (fungsional peksos) follows the case's assignee.
        assert tenggat.info_langkah(k.langkah[1])["penanggung_jawab_id"] == s["fungsional_peksos"].id
        assert [x.id for x in kasus_saya(akun(s["fungsional_peksos"]))] == [kid]
        with pytest.raises(KesalahanKasus, match="hanya kepala bidang atau kepala dinas yang dapat menutup kasus lebih awal"):
            tutup_kasus(k, versi=k.versi, hasil_akhir="diterima-balai", pengguna=akun(s["fungsional_peksos"]), catatan="x")
        with pytest.raises(KesalahanKasus, match="memerlukan alasan"):
            tutup_kasus(k, versi=k.versi, hasil_akhir="diterima-balai", pengguna=akun(s["kepala_bidang"]))
        tutup_kasus(k, versi=k.versi, hasil_akhir="diterima-balai", pengguna=akun(s["kepala_bidang"]), catatan="Dijemput keluarga")
        simpan()
    with di_kantor(mg):
        k = muat(kid)
        assert k.langkah[-1].status == "dihentikan" and k.status == "ditutup"
        buka_kembali(k, versi=k.versi, alasan="Keluarga membatalkan", pengguna=akun(s["kepala_bidang"]))
        simpan()
    with di_kantor(mg):
        k = muat(kid)
        assert k.status == "berjalan" and k.hasil_akhir is None
        assert [(l.kode, l.status) for l in k.langkah][-2:] == [("register-kasus", "dihentikan"), ("register-kasus", "berjalan")]
        jenis = [p.jenis for p in peristiwa(k)]
        assert {"ditugaskan", "dijeda", "dilanjutkan", "ditutup", "dibuka_kembali"} <= set(jenis)


def test_duplicate_clients_are_warned_about_not_blocked(seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    klien = {"nama": "Budi Santoso", "nik": "1872010302100001", "tanggal_lahir": "2010-02-03", "jenis_kelamin": "L"}
    _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", klien=klien, persyaratan={"surat-kepolisian": "dilihat"})
    _, _, dup = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", klien=dict(klien, nama="Lain Sekali"),
                        persyaratan={"surat-kepolisian": "dilihat"})
    assert [d["alasan"] for d in dup] == ["NIK sama"]
    _, _, dup = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", persyaratan={"surat-kepolisian": "dilihat"},
                        klien={"nama": "budi  santosa", "tanggal_lahir": "2010-02-03"})
    assert [d["alasan"] for d in dup] == ["nama mirip (92%) dan tanggal lahir sama"]  # not "Lain Sekali"
    _, _, dup = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", persyaratan={"surat-kepolisian": "dilihat"},
                        klien={"nama": "Budi Santoso", "tanggal_lahir": "2010-02-04"})
    assert dup == []
    with di_kantor(mt):
        assert db.session.scalar(select(func.count()).select_from(Kasus)) == 4


@pytest.mark.parametrize("klien, bidang, pesan", [
    ({"nama": "X", "nik": "1872010203"}, "klien.nik", "NIK harus 16 angka"),
    ({"nama": "X", "nik": "1872014302100001", "jenis_kelamin": "L"}, "klien.nik", "milik perempuan"),
    ({"nama": "X", "nik": "1872010302100001", "tanggal_lahir": "2010-03-02"}, "klien.nik", "NIK menyebut 03-02-2010"),
    ({}, "klien.nama", "Nama klien wajib diisi"),
    ({"tanpa_identitas": True}, "klien.deskripsi", "wajib diberi deskripsi"),
    ({"nama": "X", "kategori_ppks": 27}, "klien.kategori_ppks", "1 sampai 26"),
    ({"nama": "X", "keluarga": [{"nama": "Y", "hubungan": "tetangga"}]}, "klien.keluarga.0.hubungan", "hubungan harus"),
])
def test_bad_client_data_is_refused_naming_the_field_and_nothing_is_written(seed, klien, bidang, pesan):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    with di_kantor(mt):
        with pytest.raises(KesalahanKasus) as e:
            terima_kasus("pendampingan-abh", pelapor={"jenis": "kepolisian", "instansi": "Polres"}, klien=klien,
                             pengguna=akun(s["petugas_pelayanan"]))
        assert pesan in e.value.kesalahan[bidang]
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Kasus)) == 0


def test_magetan_register_numbers_are_the_fungsional_peksos_act_at_step_2_in_the_order_it_is_recorded(seed):
    """Magetan (sop.nomor_register: langkah): a complete file takes no number; step 2 gives it, once, in order."""
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    sebagian = {"surat-keterangan-kepolisian": "dilihat"}
    pada = wib(2026, 5, 4, 9)
    a, _, _ = _terima(mg, s["petugas_pelayanan"], "pengiriman-anjal-at", persyaratan=sebagian, pada=pada)
    b, _, _ = _terima(mg, s["petugas_pelayanan"], "pengiriman-anjal-at", pada=pada,
                      persyaratan=dict(sebagian, **{"surat-keterangan-kehilangan": "dilihat"}))
    with di_kantor(mg):
        assert (muat(a).nomor_register, muat(b).nomor_register, muat(b).status) == (None, None, "berjalan")
        k = muat(a)
        ubah_persyaratan(k, versi=k.versi, perubahan={"surat-keterangan-kehilangan": "dilihat"}, pengguna=akun(s["petugas_pelayanan"]),
                         pada=pada + timedelta(hours=1))
        simpan()
    with di_kantor(mg):
        k = muat(a)
        assert k.nomor_register is None and k.status == "berkas_belum_lengkap"
        verifikasi_bila_perlu(k, akun(s["petugas_pelayanan"]), pada + timedelta(hours=1))
        simpan()
    with di_kantor(mg):
        k = muat(a)
        assert k.nomor_register is None and k.status == "berjalan"
        with pytest.raises(KesalahanKasus, match="tidak dapat dikembalikan"):
            ubah_persyaratan(k, versi=k.versi, perubahan={"surat-keterangan-kepolisian": "belum"}, pengguna=akun(s["petugas_pelayanan"]))
        db.session.rollback()
    # Both hand-overs are recorded; case a reaches the register first, so it takes number 1.
    for kid in (a, b):
        _langkah(mg, s["petugas_pelayanan"], kid, pada + timedelta(hours=2))
    with di_kantor(mg):
        k = muat(a)
        # Only the Fungsional Peksos registers a case.
        with pytest.raises(KesalahanKasus, match="hanya dapat dicatat oleh: Fungsional Pekerja Sosial") as e:
            selesaikan_langkah(k, versi=k.versi, kode_langkah="register-kasus", pengguna=akun(s["petugas_pelayanan"]))
        assert e.value.kode == 403
        db.session.rollback()
        assert muat(a).nomor_register is None
    _langkah(mg, s["fungsional_peksos"], a, pada + timedelta(hours=3))
    _langkah(mg, s["fungsional_peksos"], b, pada + timedelta(hours=4))
    with di_kantor(mg):
        assert (muat(a).nomor_register, muat(b).nomor_register) == ("460/1/403.107/2026", "460/2/403.107/2026")
        assert muat(a).nomor_register_urut == 1


def test_other_offices_keep_the_number_at_the_complete_file(seed):
    """The default (no sop.nomor_register): a number when the file is complete, none while it is not."""
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kosong, _, _ = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", persyaratan={})
    lengkap, _, _ = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", persyaratan={"surat-kepolisian": "dilihat"})
    with di_kantor(mt):
        assert muat(kosong).nomor_register is None
        assert muat(lengkap).nomor_register and muat(lengkap).nomor_register_urut == 1
        assert "nomor_register" not in [p.jenis for p in peristiwa(muat(lengkap))]


def test_a_step_is_assigned_only_to_someone_allowed_to_do_it(seed):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    semua = {"surat-keterangan-kepolisian": "dilihat", "surat-keterangan-kehilangan": "dilihat"}
    kid, _, _ = _terima(mg, s["petugas_pelayanan"], "pengiriman-anjal-at", persyaratan=semua)
    _langkah(mg, s["petugas_pelayanan"], kid, None)  # now at register-kasus: fungsional peksos only
    with di_kantor(mg), pytest.raises(KesalahanKasus, match="hanya dapat ditugaskan kepada: Fungsional Pekerja Sosial"):
        k = muat(kid)
        tugaskan_langkah(k, versi=k.versi, penanggung_jawab_id=s["pekerja_sosial"].id, pengguna=akun(s["kepala_bidang"]))
    with di_kantor(mg), pytest.raises(KesalahanKasus, match="Hanya kepala bidang"):
        k = muat(kid)
        tugaskan_langkah(k, versi=k.versi, penanggung_jawab_id=s["fungsional_peksos"].id, pengguna=akun(s["fungsional_peksos"]))
    with di_kantor(mg):
        k = muat(kid)
        tugaskan_langkah(k, versi=k.versi, penanggung_jawab_id=s["fungsional_peksos"].id, pengguna=akun(s["kepala_dinas"]))
        simpan()
    with di_kantor(mg):
        k = muat(kid)
        assert langkah_berjalan(k).penanggung_jawab_id == s["fungsional_peksos"].id and k.penanggung_jawab_id is None
        assert [x.id for x in kasus_saya(akun(s["fungsional_peksos"]))] == [k.id]
        assert peristiwa(k)[-1].jenis == "langkah_ditugaskan"
