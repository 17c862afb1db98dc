"""A "your turn" notice stops asking once the step is done by someone else, or handed to someone else."""
from sqlalchemy import select

from dinsos.cases.kelola import tugaskan_langkah
from dinsos.cases.perubahan import simpan
from dinsos.core.db import db
from dinsos.notify.models import Notifikasi
from dinsos_uji.alat_kasus import akun, di_kantor, wib
from dinsos_uji.alat_kasus import kasus as muat
from dinsos_uji.alat_tugas import langkah as _langkah
from dinsos_uji.alat_tugas import terima as _terima
from dinsos_uji.bantuan import buat_staf, masuk


def _kotak(kantor, pid):
    """(title, superseded reason or None) of one person's notices, oldest first."""
    with di_kantor(kantor):
        return [(n.judul, n.usang_alasan) for n in db.session.scalars(
            select(Notifikasi).where(Notifikasi.penerima_id == pid).order_by(Notifikasi.dibuat_pada))]


def test_a_step_done_by_a_colleague_supersedes_the_others_notice(seed, app):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    f2, email_f2 = buat_staf(mg, "fungsional_peksos", email="f2@magetan.uji", nama="Wulan Sari")
    kid = _terima(mg, s["petugas_pelayanan"], pada=wib(2026, 5, 4, 11, 30))
    _langkah(mg, s["petugas_pelayanan"].id, kid, wib(2026, 5, 4, 11, 42))
    judul = "Giliran Anda: Register kasus (langkah 2 dari 9)"
    assert _kotak(mg, f2) == [(judul, None)] and _kotak(mg, s["fungsional_peksos"].id) == [(judul, None)]
    # Wulan registers the case: Budi's notice no longer asks him, and says who did it.
    _langkah(mg, f2, kid, wib(2026, 5, 4, 12, 0))
    budi = _kotak(mg, s["fungsional_peksos"].id)
    assert budi[0] == (judul, "Langkah ini sudah diselesaikan oleh Wulan Sari.")
    # The next step (Penugasan) opens with the Kepala Dinas's disposition: his turn, not yet Budi's.
    assert budi[1:] == []
    assert _kotak(mg, s["kepala_dinas"].id) == [("Giliran Anda: Penugasan (langkah 3 dari 9)", None)]
    assert _kotak(mg, f2)[0][1] == "Langkah ini sudah diselesaikan oleh Wulan Sari."
    web = app.test_client()
    masuk(web, "kabupaten-magetan", email_f2)
    halaman = web.get("/t/kabupaten-magetan/notifikasi/").get_data(as_text=True)
    assert "Tidak perlu ditindaklanjuti lagi" in halaman and "0 notifikasi belum dibaca." in halaman


def test_a_step_handed_to_one_person_supersedes_everyone_elses_notice(seed):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    f2, _ = buat_staf(mg, "fungsional_peksos", email="f2@magetan.uji", nama="Wulan Sari")
    kid = _terima(mg, s["petugas_pelayanan"], pada=wib(2026, 5, 4, 11, 30))
    _langkah(mg, s["petugas_pelayanan"].id, kid, wib(2026, 5, 4, 11, 42))
    with di_kantor(mg):
        k = muat(kid)
        tugaskan_langkah(k, versi=k.versi, penanggung_jawab_id=f2, pengguna=akun(s["kepala_bidang"]),
                         pada=wib(2026, 5, 4, 11, 50))
        simpan()
    budi = _kotak(mg, s["fungsional_peksos"].id)
    assert budi == [("Giliran Anda: Register kasus (langkah 2 dari 9)", "Sudah ditugaskan kepada Wulan Sari.")]
    wulan = _kotak(mg, f2)
    assert [alasan for _j, alasan in wulan] == [None, None]  # her turn notice and the assignment both stand
    assert wulan[1][0] == "Langkah ditugaskan kepada Anda: Register kasus"
