"""Provinsi Banten's standard (seed 001) executed: the sending office sends two documents, the panti makes the other
three on its steps; the criterion that applies is recorded; quarterly progress letters; the year-end decision (an
extension, then termination and reunification) with its letter; each letter read back from its PDF (issue 16)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from dinsos.cases import tenggat
from dinsos.cases.kelola import tutup_kasus
from dinsos.cases.penerimaan import terima_kasus, ubah_persyaratan
from dinsos.cases.perubahan import KesalahanKasus, simpan
from dinsos.cases.sop import selesaikan_langkah
from dinsos.core.db import db
from dinsos.sla.models import Tenggat
from dinsos_uji.alat_kasus import akun, di_kantor, teks_surat_kantor, wib
from dinsos_uji.alat_kasus import kasus as muat
from dinsos_uji.alat_kasus import selesaikan as _langkah

pytestmark = pytest.mark.slow  # renders about ten letters

LAYANAN = "rehabilitasi-anak-terlantar-panti"
PELAPOR = {"jenis": "dinas_lain", "nama": "Drs. Hendra", "instansi": "Dinas Sosial Kabupaten Serang", "surat_nomor": "460/88/2026"}
SITI = {"nama": "Siti Aminah", "tanggal_lahir": "2015-08-17", "jenis_kelamin": "P", "kategori_ppks": 2}
KRITERIA = "Rentan mengalami tindak kekerasan dari lingkungannya"
KELUARGA = {"tujuan_surat": "Ibu Sumarni (bibi)", "alamat_tujuan": "Kp. Cikande RT 02/03, Serang"}


def test_banten_two_documents_from_the_sender_criterion_quarterly_letters_extension_then_reunification(seed):
    kantor, staf = seed
    bt, s = kantor["provinsi-banten"], staf["provinsi-banten"]
    diterima = wib(2026, 3, 2, 9)
    with di_kantor(bt):
        # The panti's own products are not asked of the sending office: no circular requirement.
        with pytest.raises(KesalahanKasus, match="Hasil asesmen dari Pekerja Sosial: catatan kantor"):
            terima_kasus(LAYANAN, pelapor=PELAPOR, klien=SITI, persyaratan={"hasil-asesmen": "dilihat"},
                         pengguna=akun(s["petugas_pelayanan"]))
        db.session.rollback()
        h = terima_kasus(LAYANAN, pelapor=PELAPOR, klien=SITI, persyaratan={"surat-permohonan": "dilihat"},
                         pengguna=akun(s["petugas_pelayanan"]), pada=diterima)
        simpan()
        kid = h.kasus.id
        assert [p["kode"] for p in h.pemberitahuan_kekurangan["kurang"]] == ["surat-persetujuan"]
    with di_kantor(bt):
        k = muat(kid)
        assert [p.kode for p in k.persyaratan] == ["surat-permohonan", "surat-persetujuan"]
        assert (k.status, k.jam_mulai_pada) == ("berkas_belum_lengkap", diterima)  # the year runs from intake
        assert ubah_persyaratan(k, versi=k.versi, perubahan={"surat-persetujuan": "dilihat"}, pengguna=akun(s["petugas_pelayanan"]),
                                pada=diterima + timedelta(hours=2))
        simpan()
    with di_kantor(bt):
        k = muat(kid)
        assert k.status == "berjalan" and k.nomor_register and k.langkah_kode == "permohonan"
        assert tenggat.info_jam_kasus(k)["aturan"] == {"jenis": "kalender", "jumlah": 1, "satuan": "tahun", "mulai": "penerimaan"}
        nomor = k.nomor_register

    # Step 1 records which criterion applies (one is enough: "dan/atau").
    t = diterima + timedelta(hours=3)
    with di_kantor(bt):
        k = muat(kid)
        with pytest.raises(KesalahanKasus, match="Kriteria penerima layanan yang dipenuhi: wajib diisi"):
            selesaikan_langkah(k, versi=k.versi, kode_langkah="permohonan", pengguna=akun(s["petugas_pelayanan"]))
        db.session.rollback()
    assert _langkah(bt, s["petugas_pelayanan"], kid, t, isian={"kriteria_terpenuhi": KRITERIA,
                                                               "uraian_kriteria": "Ayah tiri melakukan kekerasan"}) == "asesmen"
    [tanda] = teks_surat_kantor(bt, "tanda_terima")
    for harus in ("Dinas Sosial Kabupaten Serang", "Surat permohonan dari dinas sosial", KRITERIA, "Ayah tiri melakukan kekerasan"):
        assert harus in tanda, harus
    assert "Hasil asesmen" not in tanda  # not something the sender handed over

    # Steps 2-4 make the panti's own documents; the placement minutes: the sending office hands the child in.
    assert _langkah(bt, s["pekerja_sosial"], kid, t + timedelta(days=1)) == "keterangan-sehat"
    assert _langkah(bt, s["petugas_pelayanan"], kid, t + timedelta(days=2)) == "serah-terima-penempatan"
    assert _langkah(bt, s["petugas_pelayanan"], kid, t + timedelta(days=2, hours=1), catatan="Diantar Drs. Hendra") == "rehabilitasi"
    [ba] = teks_surat_kantor(bt, "berita_acara_serah_terima")
    assert ba.index("Drs. Hendra") < ba.index("PIHAK PERTAMA") < ba.index("Staf petugas_pelayanan") < ba.index("PIHAK KEDUA")

    # The year: a progress letter each quarter (the step's clock is 3 months).
    mulai_rehab = t + timedelta(days=2, hours=1)
    with di_kantor(bt):
        k = muat(kid)
        [jam] = db.session.scalars(select(Tenggat).where(Tenggat.induk_id == k.id, Tenggat.selesai_pada.is_(None),
                                                         Tenggat.objek_jenis == tenggat.LANGKAH)).all()
        assert jam.durasi == "3 bulan" and jam.mulai_pada == mulai_rehab
        assert mulai_rehab + timedelta(days=85) < jam.due_at < mulai_rehab + timedelta(days=95)
    pada = mulai_rehab
    for triwulan in ("I", "II", "III"):
        pada += timedelta(days=88)
        assert _langkah(bt, s["pekerja_sosial"], kid, pada, cabang="rehabilitasi",
                        isian={"triwulan": triwulan, "catatan_perkembangan": f"Triwulan {triwulan}: bersekolah"}) == "rehabilitasi"
    pada += timedelta(days=88)
    assert _langkah(bt, s["pekerja_sosial"], kid, pada, isian={"triwulan": "IV", "catatan_perkembangan": "Siap pulang"}) == "keputusan-akhir"
    laporan = teks_surat_kantor(bt, "laporan_perkembangan")
    assert [x for x in ("Triwulan I: bersekolah", "Triwulan II: bersekolah", "Triwulan III: bersekolah", "Siap pulang")
            if not any(x in lp for lp in laporan)] == []
    assert len(laporan) == 4 and all(nomor in lp and "Dinas Sosial Kabupaten Serang" in lp for lp in laporan)

    # Year end: first an extension (with its letter), one more quarter, then termination and reunification.
    pada += timedelta(days=2)
    assert _langkah(bt, s["kepala_bidang"], kid, pada, cabang="rehabilitasi",
                    isian={"keputusan": "Perpanjangan rehabilitasi satu tahun", "alasan": "Keluarga belum siap"}) == "rehabilitasi"
    pada += timedelta(days=80)
    assert _langkah(bt, s["pekerja_sosial"], kid, pada, isian={"triwulan": "I", "catatan_perkembangan": "Bibi siap"}) == "keputusan-akhir"
    assert _langkah(bt, s["kepala_bidang"], kid, pada + timedelta(days=1),
                    isian={"keputusan": "Terminasi dan reunifikasi dengan keluarga", "alasan": "Bibi siap mengasuh"}) == "reunifikasi"
    perpanjang, terminasi = teks_surat_kantor(bt, "surat_keputusan_rehabilitasi")
    assert "Perpanjangan rehabilitasi satu tahun" in perpanjang and "Keluarga belum siap" in perpanjang
    assert "Terminasi dan reunifikasi dengan keluarga" in terminasi and "Bibi siap mengasuh" in terminasi
    assert "Staf kepala_bidang" in terminasi and "S*** A***" in terminasi and "Siti Aminah" not in terminasi  # a child
    assert _langkah(bt, s["pekerja_sosial"], kid, pada + timedelta(days=3), isian=KELUARGA) is None
    _, kembali = teks_surat_kantor(bt, "berita_acara_serah_terima")
    assert kembali.index("Staf pekerja_sosial") < kembali.index("PIHAK PERTAMA") < kembali.index("Ibu Sumarni (bibi)")
    assert kembali.index("Ibu Sumarni (bibi)") < kembali.index("PIHAK KEDUA")
    with di_kantor(bt):
        k = muat(kid)
        tutup_kasus(k, versi=k.versi, hasil_akhir="reunifikasi-keluarga", pengguna=akun(s["pekerja_sosial"]), pada=pada + timedelta(days=3))
        simpan()
    with di_kantor(bt):
        k = muat(kid)
        assert k.hasil_akhir == "reunifikasi-keluarga"
        assert [l.kode for l in k.langkah].count("rehabilitasi") == 5 and [l.kode for l in k.langkah].count("keputusan-akhir") == 2
