"""The work queue ("Tugas saya") and the hand-off notices: who sees what, in which order, told once."""
from datetime import timedelta

from sqlalchemy import func, select

from dinsos.cases.baca import peristiwa
from dinsos.cases.kelola import tugaskan_kasus, tugaskan_langkah
from dinsos.cases.perubahan import simpan
from dinsos.core.db import db
from dinsos.core.outbox import PesanOutbox
from dinsos.notify.models import Notifikasi
from dinsos_uji.alat_kasus import akun, di_kantor, wib
from dinsos_uji.alat_kasus import kasus as muat
from dinsos_uji.alat_tugas import ISIAN_MAGETAN
from dinsos_uji.alat_tugas import antrean as _antrean
from dinsos_uji.alat_tugas import disposisi as _disposisi
from dinsos_uji.alat_tugas import langkah as _langkah
from dinsos_uji.alat_tugas import notifikasi as _notifikasi
from dinsos_uji.alat_tugas import terima as _terima
from dinsos_uji.bantuan import buat_staf, masuk


def test_magetan_case_every_step_lands_in_the_next_persons_queue_and_inbox_exactly_once(seed, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example")  # e-mail is on: each notice also goes out by e-mail
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    fo2, _ = buat_staf(mg, "petugas_pelayanan", email="fo2@magetan.uji", nama="Rina")
    ps2, _ = buat_staf(mg, "pekerja_sosial", email="ps2@magetan.uji", nama="Hendra")
    kid = _terima(mg, s["petugas_pelayanan"], pada=wib(2026, 5, 4, 11, 30))
    # The file is complete at Sri's desk: the first step is hers (and the front office's), nobody is paged for it.
    assert ("langkah", "serah-terima", kid) in [x[:3] for x in _antrean(mg, s["petugas_pelayanan"].id)]
    assert ("langkah", "serah-terima", kid) in [x[:3] for x in _antrean(mg, fo2)]
    assert _antrean(mg, s["fungsional_peksos"].id) == [] and _notifikasi(mg) == []
    # Cases nobody is assigned to wait for the head of division.
    assert [x[:3] for x in _antrean(mg, s["kepala_bidang"].id)] == [("penugasan", None, kid)]

    pada = wib(2026, 5, 4, 11, 42)
    _langkah(mg, s["petugas_pelayanan"].id, kid, pada)
    # register-kasus is the fungsional peksos's: in their queue and inbox, gone from the front office's.
    assert [x[:3] for x in _antrean(mg, s["fungsional_peksos"].id, pada)] == [("langkah", "register-kasus", kid)]
    assert all(x[1] != "serah-terima" for x in _antrean(mg, fo2, pada))
    n = _notifikasi(mg)
    assert [(p, j) for p, j, _t, _k in n] == [(s["fungsional_peksos"].id, "Giliran Anda: Register kasus (langkah 2 dari 9)")]
    assert n[0][2] == f"/t/kabupaten-magetan/kasus/{kid}#langkah-kini" and "langkah 2 dari 9" in n[0][1]

    # The head of division assigns the case to Hendra's colleague (pekerja sosial): she is told, once.
    with di_kantor(mg):
        k = muat(kid)
        tugaskan_kasus(k, versi=k.versi, penanggung_jawab_id=s["pekerja_sosial"].id, pengguna=akun(s["kepala_bidang"]),
                           pada=pada + timedelta(minutes=5))
        simpan()
    # Magetan numbers the register at step 2, not yet recorded: the notice names no number.
    assert muat_nomor(mg, kid) is None
    assert [j for p, j, *_ in _notifikasi(mg, s["pekerja_sosial"].id)] == ["Kasus ditugaskan kepada Anda"]
    assert ("penugasan", None, kid) not in [x[:3] for x in _antrean(mg, s["kepala_bidang"].id, pada)]

    urutan = [("fungsional_peksos", "penugasan"), ("fungsional_peksos", "asesmen"), ("pekerja_sosial", "laporan-sosial"),
              ("pekerja_sosial", "koordinasi-balai"), ("fungsional_peksos", "pengiriman"), ("pekerja_sosial", "penerimaan-balai")]
    for peran, berikutnya in urutan:
        pada += timedelta(minutes=30)
        _disposisi(mg, s, kid, pada)  # penugasan: the head of office and of division first, as the standard says
        with di_kantor(mg):
            kini = muat(kid).langkah_kode
        _langkah(mg, s[peran].id, kid, pada, isian=ISIAN_MAGETAN.get(kini))
        with di_kantor(mg):
            langkah = muat(kid).langkah[-1]
            kode, pj = langkah.kode, langkah.penanggung_jawab_id
            assert kode == berikutnya
        if pj:
            # The assignee may do it: it is hers alone, not her colleague's.
            assert [x[:3] for x in _antrean(mg, pj, pada)][0] == ("langkah", berikutnya, kid)
            assert all(x[1] != berikutnya for x in _antrean(mg, ps2, pada))
    # Every step started notified its people once; nobody got a notice twice for one hand-off.
    with di_kantor(mg):
        kunci = list(db.session.scalars(select(Notifikasi.kunci)))
        assert len(kunci) == len(set(kunci))
        # Each notice goes out on each of its recipient's channels once, through the outbox.
        keluar = list(db.session.scalars(select(PesanOutbox.kunci).where(PesanOutbox.kunci.like("notifikasi:%"))))
        assert len(keluar) == len(set(keluar)) == len(kunci) and all(k.endswith(":email") for k in keluar)
    ps_judul = [j for _p, j, *_ in _notifikasi(mg, s["pekerja_sosial"].id)]
    # Her turns that someone else handed her (the steps she followed on herself are no news to her).
    assert ps_judul[1:] == ["Giliran Anda: Asesmen (langkah 4 dari 9)", "Giliran Anda: Pengiriman (langkah 8 dari 9)"]
    assert all("Tanpa identitas" not in j for _p, j, *_ in _notifikasi(mg))
    # Redoing the same hand-off (a retry of the listener) adds nothing.
    with di_kantor(mg):
        from dinsos.tugas.serah_terima import saat_peristiwa

        k = muat(kid)
        sebelum = db.session.scalar(select(func.count()).select_from(Notifikasi))
        for p in peristiwa(k):
            saat_peristiwa(k, p)
        db.session.flush()
        assert db.session.scalar(select(func.count()).select_from(Notifikasi)) == sebelum


def muat_nomor(kantor, kid):
    with di_kantor(kantor):
        return muat(kid).nomor_register


def test_queue_is_most_urgent_first_and_carries_due_time(seed):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    lama = _terima(mg, s["petugas_pelayanan"], pada=wib(2026, 5, 4, 9, 0))
    baru = _terima(mg, s["petugas_pelayanan"], pada=wib(2026, 5, 4, 11, 0))
    # At 11:10 the 9:00 case's 15-minute step is overdue, the 11:00 one is at risk (past 75%? no: on time).
    antre = _antrean(mg, s["petugas_pelayanan"].id, wib(2026, 5, 4, 11, 10))
    langkah = [x for x in antre if x[0] == "langkah"]
    assert [x[2] for x in langkah] == [lama, baru]
    assert [x[4] for x in langkah] == ["terlambat", "tepat"]
    antre = _antrean(mg, s["petugas_pelayanan"].id, wib(2026, 5, 4, 11, 13))
    assert [x[4] for x in antre if x[0] == "langkah"] == ["terlambat", "berisiko"]


def test_queue_never_crosses_offices_and_masks_a_confidential_clients_name(seed):
    kantor, staf = seed
    mg, mt = kantor["kabupaten-magetan"], kantor["kota-metro"]
    s_mt = staf["kota-metro"]
    fo2, _ = buat_staf(mt, "petugas_pelayanan", email="fo2@metro.uji", nama="Rina")
    kid = _terima(mt, s_mt["petugas_pelayanan"], "penanganan-ppks-terlantar",
                  pelapor={"jenis": "satpol_pp", "instansi": "Satpol PP Kota Metro"},
                  klien={"nama": "Rudi Hartono", "umur_perkiraan": 15, "jenis_kelamin": "L", "kategori_ppks": 4},
                  persyaratan={"surat-keterangan-penyerahan": "dilihat"})
    # Magetan's front office never sees Metro's case.
    assert all(x[2] != kid for x in _antrean(mg, staf["kabupaten-magetan"]["petugas_pelayanan"].id))
    # The intake officer handles it and reads the name; her colleague may do the step but reads initials.
    sendiri = [x for x in _antrean(mt, s_mt["petugas_pelayanan"].id) if x[2] == kid]
    rekan = [x for x in _antrean(mt, fo2) if x[2] == kid]
    assert "Rudi Hartono" in sendiri[0][3]
    assert "R*** H***" in rekan[0][3] and "Rudi" not in rekan[0][3]
    # Once the head assigns the step to the intake officer, it leaves the colleague's queue.
    with di_kantor(mt):
        k = muat(kid)
        tugaskan_langkah(k, versi=k.versi, penanggung_jawab_id=s_mt["petugas_pelayanan"].id,
                             pengguna=akun(s_mt["kepala_bidang"]))
        simpan()
    assert [x for x in _antrean(mt, fo2) if x[2] == kid] == []
    assert [j for _p, j, *_ in _notifikasi(mt, s_mt["petugas_pelayanan"].id)] == [
        "Langkah ditugaskan kepada Anda: Penyerahan"]


def test_queue_page_menu_count_and_dashboard_lead_with_the_users_work(seed, klien):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    kid = _terima(mg, s["petugas_pelayanan"])
    _langkah(mg, s["petugas_pelayanan"].id, kid)
    masuk(klien, mg.slug, s["fungsional_peksos"].email)
    html = klien.get(f"/t/{mg.slug}/tugas/").get_data(as_text=True)
    assert "Register kasus" in html
    assert f"/t/{mg.slug}/kasus/{kid}#langkah-kini" in html and "langkah 2 dari 9" in html
    dasbor = klien.get(f"/t/{mg.slug}/dasbor").get_data(as_text=True)
    assert 'class="lencana"' in dasbor and ">1<" in dasbor  # the menu's count
    # The dashboard leads with the queue: its panel comes before every other panel.
    assert dasbor.index('id="panel-tugas"') < dasbor.index('id="panel-tenggat"')
    assert dasbor.index("Tugas saya") < dasbor.index("Kasus")


def _angka(kantor, staf_id, pada):
    """(queue, SQL count) of the menu's badge: the queue's items and overdue ones, and what the menu counts in SQL."""
    from flask import g

    from dinsos.auth.models import Pengguna
    from dinsos.tugas.services import angka_dari_hitungan, kueri_hitungan, tugas_saya

    with di_kantor(kantor):
        g.slug_tenant = kantor.slug
        orang = db.session.get(Pengguna, (kantor.id, staf_id))
        daftar = tugas_saya(orang, pada)  # reads the office's SOP versions, as the first page of a process does
        kolom = kueri_hitungan(orang, pada)
        baris = db.session.execute(select(*(q.scalar_subquery().label(n) for n, q in kolom.items()))).one()
        hitungan = dict(zip(kolom, baris, strict=True))
        assert hitungan["tugas_versi_baru"] == 0
        return (len(daftar), sum(1 for t in daftar if t.status == "terlambat")), angka_dari_hitungan(hitungan)


def test_the_menus_count_in_sql_agrees_with_the_queue_for_every_role_on_time_and_overdue(seed, klien):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    lama = _terima(mg, s["petugas_pelayanan"], pada=wib(2026, 5, 4, 9, 0))
    _terima(mg, s["petugas_pelayanan"], pada=wib(2026, 5, 4, 11, 0))
    _langkah(mg, s["petugas_pelayanan"].id, lama, wib(2026, 5, 4, 9, 10))
    with di_kantor(mg):
        k = muat(lama)
        tugaskan_langkah(k, versi=k.versi, penanggung_jawab_id=s["fungsional_peksos"].id, pengguna=akun(s["kepala_bidang"]))
        simpan()
    for pada in (wib(2026, 5, 4, 11, 5), wib(2026, 5, 4, 11, 20), wib(2026, 5, 20, 9, 0)):
        for peran in ("petugas_pelayanan", "fungsional_peksos", "kepala_bidang", "pekerja_sosial"):
            antre, sql = _angka(mg, s[peran].id, pada)
            assert antre == sql, (peran, pada)
    # Weeks later every clock is overdue: the figures are not all zero, so the comparison above meant something.
    assert _angka(mg, s["kepala_bidang"].id, wib(2026, 5, 20, 9, 0))[1][1] > 0
    assert _angka(mg, s["petugas_pelayanan"].id, wib(2026, 5, 20, 9, 0))[1] == (1, 1)
    # And the page's badge shows them: one statement for the menu's counts, the overdue mark included.
    masuk(klien, mg.slug, s["petugas_pelayanan"].email)
    html = klien.get(f"/t/{mg.slug}/kasus/").get_data(as_text=True)
    assert 'class="lencana lencana-terlambat"' in html and "1 tugas menunggu, 1 terlambat" in html


def _langkah_di_menu(kantor, staf_id, pada) -> int:
    """The menu's figure of running steps that are the user's turn (the count query, beside the list)."""
    from dinsos.auth.models import Pengguna
    from dinsos.tugas.pelaksana import sop_kantor
    from dinsos.tugas.services import kueri_hitungan

    with di_kantor(kantor):
        sop_kantor()
        q = kueri_hitungan(db.session.get(Pengguna, (kantor.id, staf_id)), pada).get("tugas_langkah")
        return db.session.scalar(q) if q is not None else 0


def test_a_disposition_chain_is_one_persons_turn_at_a_time(seed):
    """Magetan's step 3: the Kepala Dinas disposes, then the Kepala Bidang, then the Fungsional records the step.
    Each link is in one queue (and its count) and paged once; the earlier link's notice is then done."""
    from dinsos.cases.sop import catat_disposisi

    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    pada = wib(2026, 5, 4, 11, 30)
    kid = _terima(mg, s["petugas_pelayanan"], pada=pada)
    _langkah(mg, s["petugas_pelayanan"].id, kid, pada)
    _langkah(mg, s["fungsional_peksos"].id, kid, pada)
    kadis, kabid, fung = s["kepala_dinas"].id, s["kepala_bidang"].id, s["fungsional_peksos"].id

    def giliran_siapa():
        return [p for p in (kadis, kabid, fung)
                if ("langkah", "penugasan", kid) in [x[:3] for x in _antrean(mg, p, pada)] and _langkah_di_menu(mg, p, pada) == 1]

    def berlaku(pid):  # the "your turn" notices of the step that still ask for action
        with di_kantor(mg):
            return [n.judul for n in db.session.scalars(select(Notifikasi).where(
                Notifikasi.penerima_id == pid, Notifikasi.kelompok == f"langkah:{kid}:penugasan", Notifikasi.usang_pada.is_(None)))]

    assert giliran_siapa() == [kadis]
    assert berlaku(kadis) == ["Giliran Anda: Penugasan (langkah 3 dari 9)"] and berlaku(kabid) == berlaku(fung) == []
    for oleh, berikutnya in ((kadis, kabid), (kabid, fung)):
        with di_kantor(mg):
            k = muat(kid)
            catat_disposisi(k, versi=k.versi, pengguna=akun(next(o for o in s.values() if o.id == oleh)), instruksi="Segera.", pada=pada)
            simpan()
        assert giliran_siapa() == [berikutnya]
        assert berlaku(oleh) == [] and berlaku(berikutnya) == ["Giliran Anda: Penugasan (langkah 3 dari 9)"]
    # Assigned to another fungsional, the last link is his alone, as any step's.
    fung2, _ = buat_staf(mg, "fungsional_peksos", email="fung2@magetan.uji", nama="Hendra")
    with di_kantor(mg):
        k = muat(kid)
        tugaskan_langkah(k, versi=k.versi, penanggung_jawab_id=fung2, pengguna=akun(s["kepala_bidang"]), pada=pada)
        simpan()
    assert giliran_siapa() == []
    assert ("langkah", "penugasan", kid) in [x[:3] for x in _antrean(mg, fung2, pada)] and _langkah_di_menu(mg, fung2, pada) == 1
    # Budi records the step all the same (the chain's last act): nobody is paged for it any more, Hendra included.
    with di_kantor(mg):
        sebelum = db.session.scalar(select(func.count()).select_from(Notifikasi))
    _langkah(mg, fung, kid, pada)
    with di_kantor(mg):
        baru = db.session.scalars(select(Notifikasi.judul).order_by(Notifikasi.dibuat_pada).offset(sebelum)).all()
    assert all("Penugasan" not in j for j in baru), baru
    assert berlaku(fung) == berlaku(fung2) == []


def test_a_long_office_queue_still_shows_every_step_that_is_the_users_turn(seed, monkeypatch):
    # The queue reads at most BATAS steps; it must pick them by whose turn they are, as the menu counts them, and
    # not stop at the first steps of the user's role that colleagues hold (the office had 622 such, the menu said
    # 200 and the dashboard 163).
    import dinsos.tugas.services as tugas

    monkeypatch.setattr(tugas, "BATAS", 2)
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    fo2, _ = buat_staf(mg, "petugas_pelayanan", email="fo2@magetan.uji", nama="Rina")
    pada = wib(2026, 5, 4, 8, 0)
    for i in range(4):  # the oldest steps of the front office's role are Rina's
        kid = _terima(mg, s["petugas_pelayanan"], pada=pada + timedelta(minutes=i))
        with di_kantor(mg):
            k = muat(kid)
            tugaskan_langkah(k, versi=k.versi, penanggung_jawab_id=fo2, pengguna=akun(s["kepala_bidang"]))
            simpan()
    milik = {_terima(mg, s["petugas_pelayanan"], pada=pada + timedelta(hours=1, minutes=i)) for i in range(2)}
    langkah = [x for x in _antrean(mg, s["petugas_pelayanan"].id, pada + timedelta(hours=2)) if x[0] == "langkah"]
    assert {x[2] for x in langkah} == milik
    assert _angka(mg, s["petugas_pelayanan"].id, pada + timedelta(hours=2))[1][0] == 2


def test_a_capped_queue_keeps_the_most_urgent_not_the_oldest(seed, monkeypatch):
    # Of more unassigned cases than the queue holds, the head of division must see the overdue one even when
    # older cases wait without being late (in the 1,000,000-case data: 1,578 unassigned, 44 overdue, the first
    # of them the 700th oldest; the dashboard said 2 overdue).
    import dinsos.tugas.services as tugas
    from dinsos.sla.models import Tenggat

    monkeypatch.setattr(tugas, "BATAS", 1)
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    lama = _terima(mg, s["petugas_pelayanan"], pada=wib(2026, 5, 4, 8, 0))
    baru = _terima(mg, s["petugas_pelayanan"], pada=wib(2026, 5, 4, 9, 0))
    with di_kantor(mg):  # the older case's time limit is far off
        jam = db.session.scalar(select(Tenggat).where(Tenggat.objek_jenis == "kasus", Tenggat.induk_id == lama))
        jam.warn_at, jam.due_at = jam.warn_at + timedelta(days=300), jam.due_at + timedelta(days=300)
        db.session.commit()
        due_baru = db.session.scalar(select(Tenggat.due_at).where(Tenggat.objek_jenis == "kasus", Tenggat.induk_id == baru))
    antre = [x for x in _antrean(mg, s["kepala_bidang"].id, due_baru + timedelta(hours=1)) if x[0] == "penugasan"]
    assert [(x[2], x[4]) for x in antre] == [(baru, "terlambat")]
