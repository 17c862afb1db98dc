"""Two people completing the same step at once: exactly one wins, the other gets the conflict, nothing is applied twice."""
import threading

import pytest
from sqlalchemy import func, select

from dinsos.cases.baca import langkah_berjalan
from dinsos.cases.models import LangkahKasus, PeristiwaKasus
from dinsos.cases.perubahan import KonflikVersi, simpan
from dinsos.cases.sop import selesaikan_langkah
from dinsos.core.db import db
from dinsos.core.tenant import dalam_tenant
from dinsos_uji.alat_kasus import SEMUA_MAGETAN, akun, di_kantor, terima_langsung
from dinsos_uji.alat_kasus import kasus as muat


@pytest.fixture
def kasus_siap(seed):
    kantor, staf = seed
    s = staf["kabupaten-magetan"]
    kid = terima_langsung(s["petugas_pelayanan"], "pengiriman-anjal-at", {"nama": "Agus", "umur_perkiraan": 13}, SEMUA_MAGETAN)
    return kantor["kabupaten-magetan"], s, kid


def _akibat(kantor, kid):
    with di_kantor(kantor):
        return (db.session.scalar(select(func.count()).select_from(LangkahKasus)),
                db.session.scalar(select(func.count()).select_from(PeristiwaKasus).where(PeristiwaKasus.jenis == "langkah_selesai")),
                [(l.kode, l.status) for l in muat(kid).langkah])


def test_two_sessions_read_the_same_version_and_only_the_first_submit_counts(app, kasus_siap):
    kantor, s, kid = kasus_siap
    with app.app_context(), dalam_tenant(kantor.id):
        lambat = muat(kid)
        versi = lambat.versi
        assert langkah_berjalan(lambat).kode == "serah-terima"  # read, checked, not yet written
        with app.app_context():  # another request, another database session
            cepat = muat(kid)
            selesaikan_langkah(cepat, versi=versi, kode_langkah="serah-terima", pengguna=akun(s["petugas_pelayanan"]))
            simpan()
        with pytest.raises(KonflikVersi):
            selesaikan_langkah(lambat, versi=versi, kode_langkah="serah-terima", pengguna=akun(s["petugas_pelayanan"]),
                                   catatan="kedua")
        db.session.rollback()
    assert _akibat(kantor, kid) == (2, 1, [("serah-terima", "selesai"), ("register-kasus", "berjalan")])


def test_two_threads_submitting_the_same_step_at_once_one_wins(app, kasus_siap):
    kantor, s, kid = kasus_siap
    mulai = threading.Barrier(2)
    hasil = []

    def kerja(catatan):
        with app.app_context(), dalam_tenant(kantor.id):
            try:
                k = muat(kid)
                versi = k.versi
                mulai.wait()
                selesaikan_langkah(k, versi=versi, kode_langkah="serah-terima", pengguna=akun(s["petugas_pelayanan"]),
                                       catatan=catatan)
                simpan()
                hasil.append("menang")
            except KonflikVersi:
                db.session.rollback()
                hasil.append("konflik")
            except Exception as e:  # anything else is a failure of the test, reported below
                db.session.rollback()
                hasil.append(repr(e))

    benang = [threading.Thread(target=kerja, args=(c,)) for c in ("satu", "dua")]
    for t in benang:
        t.start()
    for t in benang:
        t.join(30)
    assert sorted(hasil) == ["konflik", "menang"]
    assert _akibat(kantor, kid) == (2, 1, [("serah-terima", "selesai"), ("register-kasus", "berjalan")])


@pytest.mark.postgres
def test_twenty_parallel_intakes_get_unique_gapless_register_numbers(seed):
    """Twenty front-office intakes with complete files at the same moment: numbers 1..20, none twice, none skipped."""
    kantor, staf = seed
    # Kota Metro numbers a case when its file is complete (Magetan at step 2: test_alur_layanan).
    petugas = staf["kota-metro"]["petugas_pelayanan"]
    serentak = threading.Barrier(20)
    galat = []

    def terima(i):
        try:
            serentak.wait()
            terima_langsung(petugas, "pendampingan-abh", {"nama": f"Anak {i}", "umur_perkiraan": 12}, {"surat-kepolisian": "dilihat"})
        except Exception as e:  # collected and asserted below
            galat.append(e)

    benang = [threading.Thread(target=terima, args=(i,)) for i in range(20)]
    [t.start() for t in benang]
    [t.join() for t in benang]
    assert not galat
    with di_kantor(kantor["kota-metro"]):
        from dinsos.cases.models import Kasus

        baris = db.session.execute(select(Kasus.nomor_register_urut, Kasus.nomor_register)).all()
    assert sorted(u for u, _n in baris) == list(range(1, 21)) and len({n for _u, n in baris}) == 20
