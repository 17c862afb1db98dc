"""Cases run their deadlines: every step with a time standard, the service's time limit, the law's ABH deadline.

Times are WIB (UTC+7) wall-clock on the default office hours (Mon-Thu
07:30-16:00, Fri 07:30-16:30); 4-8 May 2026 has no holiday.
"""
from datetime import timedelta

from dinsos.cases.baca import versi_kasus
from dinsos.cases.kelola import buka_kembali, jeda_kasus, lanjutkan_kasus, tugaskan_kasus, tugaskan_langkah, tutup_kasus
from dinsos.cases.penerimaan import terima_kasus, ubah_persyaratan, verifikasi_berkas
from dinsos.cases.perubahan import simpan
from dinsos.cases.sop import selesaikan_langkah
from dinsos.cases.tindakan import catat_tindakan
from dinsos.core.db import db
from dinsos.sla.services import sapu_tenggat, status_tenggat, tenggat_induk
from dinsos_uji.alat_kasus import SEMUA_MAGETAN, akun, di_kantor, wib
from dinsos_uji.alat_kasus import kasus as muat

PELAPOR_POLISI = {"jenis": "kepolisian", "nama": "Bripka Anton", "instansi": "Polres Magetan",
                  "surat_nomor": "B/12/V/2026/Reskrim", "surat_tanggal": "2026-05-04"}
ANAK = {"tanpa_identitas": True, "deskripsi": "Anak laki-laki, sekitar 12 tahun", "umur_perkiraan": 12, "jenis_kelamin": "L"}


def _terima(kantor, staf, layanan, pada, persyaratan, pelapor=PELAPOR_POLISI, klien=ANAK):
    with di_kantor(kantor):
        hasil = terima_kasus(layanan, pelapor=pelapor, klien=klien, persyaratan=persyaratan, pengguna=akun(staf), pada=pada)
        simpan()
        return hasil.kasus.id


def _ubah(kantor, kasus_id, fungsi, staf, **kw):
    with di_kantor(kantor):
        k = muat(kasus_id)
        hasil = fungsi(k, versi=k.versi, pengguna=akun(staf), **kw)
        simpan()
        return hasil


def _langkah(kantor, kasus_id, staf, pada, **kw):
    with di_kantor(kantor):
        k = muat(kasus_id)
        selesaikan_langkah(k, versi=k.versi, kode_langkah=k.langkah_kode, pengguna=akun(staf), pada=pada, **kw)
        simpan()


def _jam(kantor, kasus_id) -> dict:
    """The case's clocks as plain data, keyed by kind (steps by their code)."""
    with di_kantor(kantor):
        hasil = {}
        for t in tenggat_induk(kasus_id):
            hasil[t.langkah_kode or t.objek_jenis] = {
                k: getattr(t, k) for k in ("objek_jenis", "durasi", "berulang", "putaran", "mulai_pada", "warn_at", "due_at",
                                           "eskalasi_at", "selesai_pada", "dihentikan", "dijeda_pada", "penanggung_jawab_id",
                                           "menit_standar", "menit_aktual", "judul", "tautan")
            }
        return hasil


def test_magetan_steps_and_the_service_limit_follow_the_case(app, seed):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    kurang = {k: v for k, v in SEMUA_MAGETAN.items() if k != "surat-keterangan-kehilangan"}
    kid = _terima(mg, s["petugas_pelayanan"], "pengiriman-anjal-at", wib(2026, 5, 4, 10, 5), kurang)
    assert _jam(mg, kid) == {}  # an incomplete file starts no clock

    _ubah(mg, kid, ubah_persyaratan, s["petugas_pelayanan"], perubahan={"surat-keterangan-kehilangan": "dilihat"},
          pada=wib(2026, 5, 4, 11, 30))
    assert _jam(mg, kid) == {}  # complete but not yet found correct: still no clock
    _ubah(mg, kid, verifikasi_berkas, s["petugas_pelayanan"], benar=True, pada=wib(2026, 5, 4, 11, 30))
    jam = _jam(mg, kid)
    # "1 sampai 2 hari kerja sejak berkas lengkap": due at the upper bound, Wednesday 11:30.
    assert jam["kasus"]["durasi"] == "2 hari kerja" and jam["kasus"]["due_at"] == wib(2026, 5, 6, 11, 30)
    with di_kantor(mg):
        assert muat(kid).nomor_register is None  # the number is issued at step 2 (register-kasus)
    assert jam["kasus"]["judul"].startswith("Jangka waktu layanan kasus Pengiriman Anak Jalanan")
    assert jam["kasus"]["judul"].endswith("(belum bernomor register)")
    assert jam["kasus"]["tautan"] == f"/t/kabupaten-magetan/kasus/{kid}"
    # The first SOP step: 15 minutes, warned at 75% (11.25 minutes), twice over at 12:00.
    serah = jam["serah-terima"]
    assert (serah["mulai_pada"], serah["warn_at"], serah["due_at"], serah["eskalasi_at"]) == (
        wib(2026, 5, 4, 11, 30), wib(2026, 5, 4, 11, 30) + timedelta(minutes=11.25), wib(2026, 5, 4, 11, 45),
        wib(2026, 5, 4, 12, 0))
    assert serah["judul"].startswith("Pelapor menyerahkan") and serah["menit_standar"] == 15

    # Sri records the handover at 11:42 (the timeline shows 12 minutes): done on time; the next step starts.
    _langkah(mg, kid, s["petugas_pelayanan"], wib(2026, 5, 4, 11, 42))
    jam = _jam(mg, kid)
    assert jam["serah-terima"]["selesai_pada"] == wib(2026, 5, 4, 11, 42) and jam["serah-terima"]["menit_aktual"] == 12
    assert jam["register-kasus"]["due_at"] == wib(2026, 5, 5, 11, 42)  # 1 working day
    assert jam["register-kasus"]["penanggung_jawab_id"] is None  # nobody assigned yet: notices go to the kepala bidang

    # The kepala bidang assigns Budi: the case's and the running step's notices now go to him.
    budi = s["fungsional_peksos"].id
    _ubah(mg, kid, tugaskan_kasus, s["kepala_bidang"], penanggung_jawab_id=budi, pada=wib(2026, 5, 4, 12))
    jam = _jam(mg, kid)
    assert jam["kasus"]["penanggung_jawab_id"] == budi == jam["register-kasus"]["penanggung_jawab_id"]

    # Waiting on the police from Monday 13:00 to Tuesday 07:30: both clocks stop and resume with what was left.
    _ubah(mg, kid, jeda_kasus, s["fungsional_peksos"], jenis="menunggu_instansi", alasan="Menunggu surat",
          pada=wib(2026, 5, 4, 13))
    with di_kantor(mg):
        assert {status_tenggat(t, wib(2026, 5, 5, 12)) for t in tenggat_induk(kid) if t.selesai_pada is None} == {"dijeda"}
    _ubah(mg, kid, lanjutkan_kasus, s["fungsional_peksos"], pada=wib(2026, 5, 5, 7, 30))
    jam = _jam(mg, kid)
    # Step: 180 + 252 minutes were left; from Tuesday 07:30 that is 14:42. Case: 930 minutes -> Wednesday 14:30.
    assert jam["register-kasus"]["due_at"] == wib(2026, 5, 5, 14, 42) and jam["register-kasus"]["dijeda_pada"] is None
    assert jam["kasus"]["due_at"] == wib(2026, 5, 6, 14, 30)

    # Closed early by the kepala bidang: the case's limit is met, the unfinished step's clock is stopped, not done.
    _ubah(mg, kid, tutup_kasus, s["kepala_bidang"], hasil_akhir=_hasil(mg, kid), catatan="Anak dijemput keluarga",
          pada=wib(2026, 5, 5, 15))
    jam = _jam(mg, kid)
    assert jam["kasus"]["selesai_pada"] == wib(2026, 5, 5, 15) and not jam["kasus"]["dihentikan"]
    assert jam["register-kasus"]["dihentikan"] and jam["register-kasus"]["menit_aktual"] is None
    with app_sapu(app) as sapu:
        assert sapu(wib(2026, 6, 1, 9)) == 0  # nothing of a closed case is ever due

    # Reopened: the time limit starts again from the reopening, and so does the step that runs again.
    _ubah(mg, kid, buka_kembali, s["kepala_bidang"], alasan="Keluarga menolak", pada=wib(2026, 5, 6, 9))
    with di_kantor(mg):
        semua = tenggat_induk(kid)
        kasus_ = next(t for t in semua if t.objek_jenis == "kasus")
        assert (kasus_.putaran, kasus_.selesai_pada, kasus_.due_at) == (2, None, wib(2026, 5, 8, 9))
        register = [t for t in semua if t.langkah_kode == "register-kasus"]
        assert len(register) == 2 and register[-1].due_at == wib(2026, 5, 7, 9) and register[-1].selesai_pada is None


def _hasil(kantor, kasus_id):
    with di_kantor(kantor):
        return versi_kasus(muat(kasus_id)).isi["sop"]["hasil_akhir"][0]["kode"]


class app_sapu:
    """Run the sweep in its own app context."""

    def __init__(self, app):
        self.app = app

    def __enter__(self):
        self.ctx = self.app.app_context()
        self.ctx.push()
        return sapu_tenggat

    def __exit__(self, *exc):
        db.session.rollback()
        self.ctx.pop()


def test_an_overdue_step_warns_its_assignee_then_escalates_once(app, seed):
    from sqlalchemy import select

    from dinsos.notify.models import Notifikasi

    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    kid = _terima(mg, s["petugas_pelayanan"], "pengiriman-anjal-at", wib(2026, 5, 4, 9), SEMUA_MAGETAN)
    _ubah(mg, kid, verifikasi_berkas, s["petugas_pelayanan"], benar=True, pada=wib(2026, 5, 4, 9))
    # The step itself (not the case) is assigned to Sri: its notices follow the step's assignee.
    _ubah(mg, kid, tugaskan_langkah, s["kepala_bidang"], penanggung_jawab_id=s["petugas_pelayanan"].id, pada=wib(2026, 5, 4, 9, 1))
    jam = _jam(mg, kid)
    assert jam["serah-terima"]["penanggung_jawab_id"] == s["petugas_pelayanan"].id and jam["kasus"]["penanggung_jawab_id"] is None
    with app_sapu(app) as sapu:
        assert sapu(wib(2026, 5, 4, 9, 12)) == 1  # 75% of 15 minutes: the warning to Sri
        assert sapu(wib(2026, 5, 4, 9, 15)) == 2  # the deadline: overdue to Sri, escalation to the kepala bidang
        assert sapu(wib(2026, 5, 4, 9, 30)) == 1  # twice over: the kepala dinas
        assert sapu(wib(2026, 5, 4, 9, 45)) == 0
        db.session.commit()
    with di_kantor(mg):
        diterima = [(n.penerima_id, n.judul.split(":")[0]) for n in db.session.scalars(select(Notifikasi).order_by(Notifikasi.dibuat_pada))]
    assert diterima == [
        (s["petugas_pelayanan"].id, "Langkah ditugaskan kepada Anda"),  # the hand-off itself (dinsos.tugas)
        (s["petugas_pelayanan"].id, "Segera jatuh tempo"), (s["petugas_pelayanan"].id, "Lewat batas waktu"),
        (s["kepala_bidang"].id, "Eskalasi"), (s["kepala_dinas"].id, "Eskalasi kedua"),
    ]

    def berdiri():  # (recipient, title prefix) of the deadline's notices that still ask for attention
        with di_kantor(mg):
            return sorted((n.penerima_id, n.judul.split(":")[0]) for n in db.session.scalars(
                select(Notifikasi).where(Notifikasi.kelompok.like("tenggat:%"), Notifikasi.usang_pada.is_(None))))

    # One standing line per deadline and reader: Sri's overdue notice replaced her warning; the escalations stand.
    assert berdiri() == sorted([(s["petugas_pelayanan"].id, "Lewat batas waktu"), (s["kepala_bidang"].id, "Eskalasi"),
                                (s["kepala_dinas"].id, "Eskalasi kedua")])
    with di_kantor(mg):
        peringatan = db.session.scalar(select(Notifikasi).where(Notifikasi.judul.startswith("Segera jatuh tempo")))
        assert peringatan.usang_alasan == "Diganti pemberitahuan berikutnya: Lewat batas waktu." and peringatan.dibaca_pada
    # The step is done at last: none of its deadline's notices asks for anything any more.
    _langkah(mg, kid, s["petugas_pelayanan"], wib(2026, 5, 4, 9, 50))
    assert berdiri() == []
    with di_kantor(mg):
        assert {n.usang_alasan for n in db.session.scalars(select(Notifikasi).where(Notifikasi.judul.startswith("Eskalasi")))} == {
            "Tenggat ini sudah dipenuhi."}


def test_abh_gets_the_law_deadline_from_the_request_and_a_monthly_review(app, seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    diterima = wib(2026, 5, 4, 9)
    pelapor = {"jenis": "kepolisian", "instansi": "Polres Metro", "surat_nomor": "B/77/2026", "surat_tanggal": "2026-05-04"}
    kid = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", diterima, {"surat-kepolisian": "dilihat"}, pelapor=pelapor,
                  klien={"nama": "Rizky Pratama", "tanggal_lahir": "2011-02-03", "jenis_kelamin": "L", "kategori_ppks": 3})
    jam = _jam(mt, kid)
    # UU 11/2012: the social report within 3x24 hours of the request, on the clock (weekends included); since
    # issue 16 it is a deliverable of its own (a case act), beside the litmas request.
    lapsos = jam["laporan-sosial"]
    assert lapsos["objek_jenis"] == "tindakan_kasus" and lapsos["durasi"] == "3x24 jam" and lapsos["mulai_pada"] == diterima
    assert lapsos["due_at"] == diterima + timedelta(hours=72)
    assert "Rizky" not in lapsos["judul"] and lapsos["judul"] == "Laporan sosial (kasus REG/1/DINSOS/05/2026)"
    # Open-ended accompaniment: a review every month, not a deadline.
    assert jam["kasus"]["berulang"] and jam["kasus"]["durasi"] == "1 bulan" and jam["kasus"]["due_at"] == wib(2026, 6, 4, 9)
    assert set(jam) == {"laporan-sosial", "permintaan-litmas", "kasus"}  # the ABH SOP gives no step a time standard

    _langkah(mt, kid, s["petugas_pelayanan"], wib(2026, 5, 4, 10), isian={"nomor_surat": "B/77/2026", "tanggal_surat": "2026-05-04"})
    _langkah(mt, kid, s["kepala_bidang"], wib(2026, 5, 4, 11))
    # A pause does not stop the law's clock.
    _ubah(mt, kid, jeda_kasus, s["kepala_bidang"], jenis="menunggu_instansi", alasan="Menunggu BAP", pada=wib(2026, 5, 4, 12))
    jam = _jam(mt, kid)
    assert jam["laporan-sosial"]["dijeda_pada"] is None and jam["kasus"]["dijeda_pada"] == wib(2026, 5, 4, 12)
    _ubah(mt, kid, lanjutkan_kasus, s["kepala_bidang"], pada=wib(2026, 5, 5, 9))
    with app_sapu(app) as sapu:
        assert sapu(wib(2026, 5, 6, 14, 59)) == 0
        # 54 of 72 hours, the pause included: the warnings of the social report and the litmas request.
        assert sapu(wib(2026, 5, 6, 15)) == 2
        db.session.commit()
    # The social report is issued in time while the accompaniment goes on: the law's clock is done, on time.
    with di_kantor(mt):
        k = muat(kid)
        catat_tindakan(k, versi=k.versi, kode="laporan-sosial", pengguna=akun(s["pekerja_sosial"]), pada=wib(2026, 5, 6, 16),
                       isian={"kondisi_anak": "Baik", "hasil_asesmen": "Kooperatif", "rekomendasi": "Diversi"})
        simpan()
        assert muat(kid).langkah_kode == "pendampingan"
    jam = _jam(mt, kid)
    assert jam["laporan-sosial"]["selesai_pada"] == wib(2026, 5, 6, 16) and not jam["laporan-sosial"]["dihentikan"]
    assert jam["laporan-sosial"]["menit_aktual"] == 55 * 60 and jam["kasus"]["selesai_pada"] is None


def test_abh_without_the_request_letter_gets_no_law_deadline(seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kid = _terima(mt, s["petugas_pelayanan"], "pendampingan-abh", wib(2026, 5, 4, 9), {"surat-kepolisian": "dilihat"},
                  pelapor={"jenis": "masyarakat", "nama": "Warga"})
    assert set(_jam(mt, kid)) == {"kasus"}


def test_banten_year_runs_from_intake_and_takes_the_register_number_in_its_title(seed):
    kantor, staf = seed
    bt, s = kantor["provinsi-banten"], staf["provinsi-banten"]
    # The referring office sends two documents; the other three are the office's own, made at its steps.
    docs = ["surat-permohonan", "surat-persetujuan"]
    diterima = wib(2026, 3, 2, 9)
    kid = _terima(bt, s["petugas_pelayanan"], "rehabilitasi-anak-terlantar-panti", diterima, {docs[0]: "dilihat"},
                  pelapor={"jenis": "dinas_lain", "instansi": "Dinas Sosial Kabupaten Serang", "surat_nomor": "460/88/2026"},
                  klien={"nama": "Siti Aminah", "tanggal_lahir": "2015-08-17", "jenis_kelamin": "P", "kategori_ppks": 2})
    jam = _jam(bt, kid)["kasus"]
    assert jam["durasi"] == "1 tahun" and jam["due_at"] == wib(2027, 3, 2, 9) and "belum bernomor register" in jam["judul"]
    _ubah(bt, kid, ubah_persyaratan, s["petugas_pelayanan"], perubahan={docs[1]: "dilihat"}, pada=diterima + timedelta(days=1))
    jam = _jam(bt, kid)["kasus"]
    assert jam["judul"] == "Jangka waktu layanan kasus 460/1/DINSOS/III/2026" and jam["due_at"] == wib(2027, 3, 2, 9)


def test_magetan_clocks_take_the_register_number_when_step_2_issues_it(seed):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    kid = _terima(mg, s["petugas_pelayanan"], "pengiriman-anjal-at", wib(2026, 5, 4, 9), SEMUA_MAGETAN)
    _ubah(mg, kid, verifikasi_berkas, s["petugas_pelayanan"], benar=True, pada=wib(2026, 5, 4, 9))
    _langkah(mg, kid, s["petugas_pelayanan"], wib(2026, 5, 4, 9, 10))
    assert _jam(mg, kid)["kasus"]["judul"].endswith("(belum bernomor register)")
    _langkah(mg, kid, s["fungsional_peksos"], wib(2026, 5, 4, 10))  # register-kasus: the number is issued
    with di_kantor(mg):
        nomor = muat(kid).nomor_register
    jam = _jam(mg, kid)
    assert nomor and jam["kasus"]["judul"] == f"Jangka waktu layanan kasus {nomor}"
    assert jam["penugasan"]["judul"].startswith("Kepala Dinas Sosial menugaskan") and nomor in jam["penugasan"]["judul"]
