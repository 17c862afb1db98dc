"""The demo generator's deadline clocks: what the live engine would hold, on the dashboard, under the sweep.

The dataset is the one of ``data_demo`` (made once per session, see conftest).
"""
import re
from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from data_demo import BENIH, KOLOM_JAM, PADA, ROOT, SANDI, aplikasi, di_kantor, kolom_jam, lintas, sapu_sampai
from sqlalchemy import delete, select

from dinsos_uji import bantuan


def _tenant(slug):
    from dinsos.core.db import db
    from dinsos.tenancy.models import Tenant

    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def _beda(kini: dict, dulu: dict) -> dict:
    """Per clock, the columns that differ (replayed, generated): a readable failure."""
    return {k: {c: (kini.get(k, {}).get(c), dulu.get(k, {}).get(c)) for c in KOLOM_JAM
                if kini.get(k, {}).get(c) != dulu.get(k, {}).get(c)} for k in set(kini) | set(dulu) if kini.get(k) != dulu.get(k)}


# --- the live engine, replayed on a sample ------------------------------------------------------------


def _catatan(tenggat_ids) -> set:
    from dinsos.core.db import db
    from dinsos.sla.models import PemberitahuanTenggat

    with lintas():
        return {(p.tenggat_id, p.jenis, p.putaran, p.dikirim_pada) for p in db.session.scalars(
            select(PemberitahuanTenggat).where(PemberitahuanTenggat.tenggat_id.in_(tenggat_ids)))}


def _sampel_kasus(tid) -> list:
    """Per state a few cases of the office, and a few with a past pause or closed early."""
    from dinsos.cases.models import JedaKasus, Kasus, PeristiwaKasus
    from dinsos.core.db import db

    pilih = []
    for status in ("berkas_belum_lengkap", "berjalan", "dijeda", "ditutup"):
        pilih += db.session.scalars(select(Kasus.id).where(Kasus.tenant_id == tid, Kasus.status == status)
                                    .order_by(Kasus.id).limit(4)).all()
    pilih += db.session.scalars(select(JedaKasus.kasus_id).where(JedaKasus.tenant_id == tid, JedaKasus.selesai.is_not(None))
                                .order_by(JedaKasus.kasus_id).limit(4)).all()
    awal = [p.kasus_id for p in db.session.scalars(select(PeristiwaKasus).where(
        PeristiwaKasus.tenant_id == tid, PeristiwaKasus.jenis == "ditutup")) if "langkah_dihentikan" in (p.rincian or {})]
    return list(dict.fromkeys(pilih + sorted(awal)[:3]))


def test_case_clocks_are_what_the_live_engine_makes_of_the_same_timeline(demo):
    """Delete a sample of cases' clocks and notices, replay their timelines through ``cases.tenggat.ikuti`` with the
    real sweep between events: the clocks and the notices recorded as sent come out exactly as generated."""
    from dinsos.cases.models import Kasus, PeristiwaKasus
    from dinsos.cases.tenggat import ikuti
    from dinsos.core.db import db
    from dinsos.sla.models import PemberitahuanTenggat, Tenggat

    app, hasil = demo
    dilihat = Counter()
    with app.app_context():
        for slug in hasil.kantor:
            with lintas():
                tid = _tenant(slug).id
                sampel = _sampel_kasus(tid)
            for kid in sampel:
                with di_kantor(tid):
                    dulu = {(t.objek_jenis, t.objek_id): t for t in db.session.scalars(select(Tenggat).where(Tenggat.induk_id == kid))}
                    jam_dulu = {k: kolom_jam(t) for k, t in dulu.items()}
                    kunci_dulu = {t.id: k for k, t in dulu.items()}
                catatan_dulu = {(kunci_dulu[i], j, p, w) for i, j, p, w in _catatan(list(kunci_dulu))}
                with di_kantor(tid):
                    db.session.execute(delete(PemberitahuanTenggat).where(PemberitahuanTenggat.tenggat_id.in_(list(kunci_dulu))))
                    db.session.execute(delete(Tenggat).where(Tenggat.induk_id == kid))
                    peristiwa = db.session.scalars(select(PeristiwaKasus).where(PeristiwaKasus.kasus_id == kid)
                                                   .order_by(PeristiwaKasus.urutan)).all()
                    urutan = [(p.urutan, p.waktu) for p in peristiwa]
                for n, w in urutan:
                    sapu_sampai(w, induk_id=kid)
                    with di_kantor(tid):
                        kasus = db.session.get(Kasus, (tid, kid))
                        ikuti(kasus, db.session.scalar(select(PeristiwaKasus).where(
                            PeristiwaKasus.kasus_id == kid, PeristiwaKasus.urutan == n)))
                sapu_sampai(PADA, induk_id=kid)
                with di_kantor(tid):
                    kini = {(t.objek_jenis, t.objek_id): t for t in db.session.scalars(select(Tenggat).where(Tenggat.induk_id == kid))}
                    jam_kini = {k: kolom_jam(t) for k, t in kini.items()}
                    hidup = {t.id: (k, t.putaran) for k, t in kini.items() if t.selesai_pada is None}
                assert jam_kini == jam_dulu, (slug, kid, _beda(jam_kini, jam_dulu))
                # notices: the generator records the current round's of the clocks still live
                catatan_kini = {(hidup[i][0], j, p, w) for i, j, p, w in _catatan(list(hidup)) if p == hidup[i][1]}
                assert catatan_kini == catatan_dulu, (slug, kid)
                for k, j in jam_dulu.items():
                    dilihat[(k[0], "hidup" if j["selesai_pada"] is None else "selesai", bool(j["dijeda_pada"]))] += 1
                dilihat["pemberitahuan"] += len(catatan_dulu)
    # the sample covered running, paused and ended clocks of every kind, and notices
    # No "laporan_sosial" here since issue 16: Metro's ABH standard declares the social report as a case act
    # (``tindakan_kasus``, opened by its own timeline event), which the generator does not simulate yet; the old
    # rule only runs on versions written before case acts.
    for jenis in ("langkah_kasus", "kasus"):
        assert dilihat[(jenis, "hidup", False)] and dilihat[(jenis, "selesai", False)], dilihat
    assert dilihat[("kasus", "hidup", True)] and dilihat["pemberitahuan"] > 5, dilihat


def test_complaint_clocks_are_what_the_live_complaint_functions_make(demo):
    """Re-enter a sample of complaints through the live functions (receive, step done or skipped, close) at the
    generated times, with the real sweep between: their clocks equal the generated ones."""
    from dinsos.catalogue.models import Layanan
    from dinsos.complaints import services as aduan
    from dinsos.complaints.models import LangkahPengaduan, Pengaduan
    from dinsos.core.db import db
    from dinsos.sla.models import Tenggat

    app, hasil = demo
    jumlah = Counter()
    with app.app_context():
        for slug in hasil.kantor:
            with lintas():
                tid = _tenant(slug).id
            with di_kantor(tid):
                sampel = db.session.scalars(select(Pengaduan.id).where(Pengaduan.layanan_id.is_not(None))
                                            .order_by(Pengaduan.mulai_pada.desc()).limit(6)).all()
            for pid in sampel:
                with di_kantor(tid):
                    p = db.session.get(Pengaduan, (tid, pid))
                    langkah = [(l.status, l.selesai_pada, l.catatan, l.dikerjakan_oleh) for l in p.langkah]
                    dulu = {(t.objek_jenis, t.langkah_kode): kolom_jam(t) for t in db.session.scalars(select(Tenggat).where(Tenggat.induk_id == pid))}
                    baru = aduan.terima_pengaduan(isi=p.isi, kanal=p.kanal, layanan=db.session.get(Layanan, (tid, p.layanan_id)),
                                                  nomor_referensi=p.nomor_referensi, dicatat_oleh=p.dicatat_oleh, pada=p.mulai_pada)
                    bid, kode, akhir = baru.id, p.kode_lacak, (p.status, p.jawaban, p.ditutup_oleh, p.ditutup_pada)
                for status, selesai, catatan, oleh in langkah:
                    if selesai is None:
                        break
                    sapu_sampai(selesai, induk_id=bid)
                    with di_kantor(tid):
                        b = db.session.get(Pengaduan, (tid, bid))
                        kerja = aduan.lewati_langkah if status == "dilewati" else aduan.selesaikan_langkah
                        kerja(b, b.langkah_berjalan.id, catatan, oleh, pada=selesai)
                if akhir[0] == "selesai":
                    sapu_sampai(akhir[3], induk_id=bid)
                    with di_kantor(tid):
                        aduan.tutup_pengaduan(db.session.get(Pengaduan, (tid, bid)), akhir[1], akhir[2], pada=akhir[3])
                sapu_sampai(PADA, induk_id=bid)
                with di_kantor(tid):
                    b = db.session.get(Pengaduan, (tid, bid))
                    kode_baru = b.kode_lacak
                    objek = {str(pid): str(bid)} | {str(l.id): str(lb.id) for l, lb in zip(
                        db.session.scalars(select(LangkahPengaduan).where(LangkahPengaduan.pengaduan_id == pid).order_by(LangkahPengaduan.urutan)),
                        b.langkah)}
                    kini = {(t.objek_jenis, t.langkah_kode): kolom_jam(t) for t in db.session.scalars(select(Tenggat).where(Tenggat.induk_id == bid))}
                for j in dulu.values():  # the same clocks under the new complaint's code, ids and link
                    j["judul"] = j["judul"].replace(aduan.tampilan_kode(kode), aduan.tampilan_kode(kode_baru))
                    j["tautan"] = j["tautan"].replace(str(pid), str(bid))
                    j["objek_id"], j["induk_id"] = objek[j["objek_id"]], bid
                assert kini == dulu, (slug, pid, _beda(kini, dulu))
                jumlah[akhir[0]] += 1
    assert jumlah["selesai"] and (jumlah["diproses"] or jumlah["menunggu_jawaban"]), jumlah


# --- the dashboard -------------------------------------------------------------------------------------


def test_the_deadline_dashboard_shows_what_the_rows_hold(demo, monkeypatch):
    from dinsos.core.db import db
    from dinsos.sla.models import Tenggat

    app, hasil = demo
    monkeypatch.setattr("dinsos.dasbor.views.sekarang", lambda: PADA)
    with app.app_context():
        with lintas():
            tenant = _tenant("kabupaten-magetan")
            tid, zona = tenant.id, ZoneInfo(tenant.zona_waktu)
        with di_kantor(tid):
            jalan = [t for t in db.session.scalars(select(Tenggat)) if t.selesai_pada is None and t.dijeda_pada is None]
            tengah_malam = datetime.combine(PADA.astimezone(zona).date() + timedelta(days=1), time(0), tzinfo=zona)
            harapan = {
                "hari_ini": sum(1 for t in jalan if PADA < t.due_at < tengah_malam),
                "berisiko": sum(1 for t in jalan if not t.berulang and t.warn_at <= PADA < t.due_at),
                "terlambat": sum(1 for t in jalan if not t.berulang and t.due_at <= PADA),
            }
            terlambat_pertama = min((t for t in jalan if not t.berulang and t.due_at <= PADA), key=lambda t: (t.due_at, t.id))
            judul = terlambat_pertama.judul
    assert all(harapan.values()), harapan

    klien = app.test_client()
    assert bantuan.masuk(klien, "kabupaten-magetan", hasil.akun["kabupaten-magetan"]["kepala_bidang"], SANDI).status_code == 302
    halaman = klien.get("/t/kabupaten-magetan/dasbor/tenggat")
    assert halaman.status_code == 200
    teks = halaman.get_data(as_text=True)
    angka = re.search(r"(\d+) jatuh tempo hari ini, (\d+) berisiko \(lewat titik peringatan\), (\d+) terlambat\.", teks)
    assert angka, teks[:3000]
    assert dict(zip(("hari_ini", "berisiko", "terlambat"), map(int, angka.groups()))) == harapan
    assert judul in teks  # the most overdue clock heads the overdue list


# --- the sweep -------------------------------------------------------------------------------------------


def test_the_sweep_sends_only_what_falls_due_after_the_reference_time(demo):
    _periksa_sapuan(demo[0])


@pytest.mark.postgres
def test_generated_on_postgresql_as_the_app_role_and_swept_there(app):
    """Written with INSERTs under row-level security, swept with SKIP LOCKED: the same guarantees."""
    from dinsos.demo.buat import buat_data_demo

    with app.app_context():
        buat_data_demo(jumlah_kantor=3, jumlah_kasus=300, benih=BENIH, pada=PADA, kata_sandi=SANDI, akar=ROOT / "tenants")
    _periksa_sapuan(app)


def _periksa_sapuan(app):
    """No notice due by the reference time is sent again; a day later exactly the ones the rows say fall due."""
    from dinsos.core.db import db
    from dinsos.notify.models import Notifikasi
    from dinsos.sla.models import PemberitahuanTenggat, Tenggat
    from dinsos.sla.services import sapu_tenggat

    besok = PADA + timedelta(days=1)
    with app.app_context():
        with lintas():
            sudah = {(p.tenggat_id, p.putaran, p.jenis) for p in db.session.scalars(select(PemberitahuanTenggat))}
            kotak = db.session.scalars(select(Notifikasi.kunci)).all()
            jam = db.session.scalars(select(Tenggat)).all()
            # what the rows say is due in the next day and not yet sent
            harapan = set()
            for t in jam:
                if t.selesai_pada is not None or t.dijeda_pada is not None:
                    assert t.aksi_berikutnya_pada is None
                    continue
                # everything due by the reference time went out already; twice overdue, nothing is left to send
                assert t.aksi_berikutnya_pada > PADA if t.aksi_berikutnya_pada else t.eskalasi_at <= PADA
                if t.berulang:
                    harapan |= {(t.id, t.putaran, "tinjauan")} if t.due_at <= besok else set()
                    continue
                lewat = {j for j, saat in (("peringatan", t.warn_at), ("terlambat", t.due_at), ("eskalasi_kabid", t.due_at),
                                           ("eskalasi_kadis", t.eskalasi_at)) if saat <= besok}
                if "terlambat" in lewat:
                    lewat.discard("peringatan")
                harapan |= {(t.id, t.putaran, j) for j in lewat} - sudah
            # inbox keys are those of the recorded notices, one per recipient
            assert len(kotak) == len(set(kotak)) and {tuple(k.split(":")[1:4]) for k in kotak} == {
                (str(i), str(p), j) for i, p, j in sudah}
        assert sudah and harapan

        assert sapu_tenggat(pada=PADA) == 0
        assert sapu_tenggat(pada=besok) == len(harapan)
        with lintas():
            baru = {(p.tenggat_id, p.putaran, p.jenis) for p in db.session.scalars(select(PemberitahuanTenggat))} - sudah
            assert db.session.scalar(select(Notifikasi.kunci).where(Notifikasi.kunci.notin_(kotak)).limit(1))
        assert baru == harapan
        assert sapu_tenggat(pada=besok) == 0


# --- determinism -----------------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_clocks(templat, templat_lagi):
    from dinsos.catalogue.models import Layanan
    from dinsos.core.db import db
    from dinsos.notify.models import Notifikasi
    from dinsos.sla.models import PemberitahuanTenggat, Tenggat

    def baca(app):
        with app.app_context(), lintas():
            # services get their ids when the offices are loaded: compare them by code
            layanan = dict(db.session.execute(select(Layanan.id, Layanan.kode)).all())
            jam = sorted((t.id,) + tuple((kolom_jam(t) | {"layanan_id": layanan.get(t.layanan_id)}).values())
                         for t in db.session.scalars(select(Tenggat)))
            catatan = sorted((p.id, p.tenggat_id, p.jenis, p.putaran, p.dikirim_pada) for p in db.session.scalars(select(PemberitahuanTenggat)))
            kotak = sorted((n.kunci, n.judul, n.isi, n.dibaca_pada) for n in db.session.scalars(select(Notifikasi)))
            return jam, catatan, kotak

    (folder, hasil), (folder_lagi, hasil_lagi) = templat, templat_lagi
    assert hasil_lagi.sidik == hasil.sidik
    pertama, kedua = baca(aplikasi(folder, baru=False)), baca(aplikasi(folder_lagi, baru=False))
    assert pertama == kedua and len(pertama[0]) > 1000 and pertama[1] and pertama[2]
