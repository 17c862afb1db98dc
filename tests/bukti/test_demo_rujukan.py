"""The demo generator's referrals between offices: states, pages, answer clocks, determinism.

The dataset is the one of ``data_demo`` (made once per session, see conftest).
"""
from collections import Counter

import pytest
from data_demo import BENIH, KOLOM_JAM, PADA, ROOT, SANDI, aplikasi, di_kantor, kolom_jam, lintas, sapu_sampai
from sqlalchemy import delete, select

from dinsos_uji import bantuan


def _pasangan():
    """Every generated referral as (sender's row, receiver's row), read across offices."""
    from dinsos.core.db import db
    from dinsos.referrals.models import Rujukan, RujukanMasuk

    with lintas():
        masuk = {m.asal_rujukan_id: m for m in db.session.scalars(select(RujukanMasuk))}
        return [(r, masuk.get(r.id)) for r in db.session.scalars(select(Rujukan).order_by(Rujukan.dikirim_pada))]


def test_referrals_exist_in_several_states_with_both_records_in_step(demo):
    from dinsos.auth.models import Pengguna
    from dinsos.cases.models import Kasus
    from dinsos.core.db import db
    from dinsos.izin import IZIN
    from dinsos.referrals.models import RiwayatRujukan
    from dinsos.referrals.status import AKSES_TUJUAN
    from dinsos.tenancy.models import Tenant

    app, hasil = demo
    with app.app_context():
        pasangan = _pasangan()
        status = Counter(r.status for r, _m in pasangan)
        assert {"diterima_tujuan", "ditolak", "ditarik"} <= set(status), status
        assert len(pasangan) <= 0.04 * 1200, status  # a small share of the cases
        with lintas():
            tenant = {t.id: t for t in db.session.scalars(select(Tenant))}
            for r, m in pasangan:
                assert m is not None and m.tenant_id == r.tujuan_tenant_id != r.tenant_id
                assert m.kunci_kirim == f"{r.tenant_id}:{r.id}" and m.asal_tenant_id == r.tenant_id
                assert m.status == r.status and m.urutan_status == r.urutan_laporan
                kasus = db.session.scalar(select(Kasus).where(Kasus.tenant_id == r.tenant_id, Kasus.id == r.kasus_id))
                assert kasus is not None and (kasus.ditutup_pada is None or kasus.ditutup_pada > r.dikirim_pada)
                assert r.persetujuan_pada is not None and r.persetujuan_pada <= r.dikirim_pada
                assert r.dikirim_pada <= r.sampai_pada == m.sampai_pada < PADA
                # access to the snapshot ends on a decline or a withdrawal, as ``penerimaan.cabut_akses`` leaves it
                assert (m.akses_berakhir_pada is None) == (m.status in AKSES_TUJUAN)
                assert ("klien" in m.isi) == (m.status in AKSES_TUJUAN)
                if r.status == "ditolak":
                    assert m.tanggapan["alasan_tolak"] == r.laporan["alasan_tolak"] and m.ditanggapi_oleh_id
                    penanggap = db.session.scalar(select(Pengguna).where(Pengguna.tenant_id == m.tenant_id,
                                                                         Pengguna.id == m.ditanggapi_oleh_id))
                    assert set(penanggap.peran) & IZIN["rujukan.tanggapi"]
                if r.status == "ditarik":
                    assert r.laporan["alasan_tarik"]
                # the target is an office's service that accepts referrals, in the same province when one exists there
                assert tenant[m.tenant_id].kode_wilayah.split(".")[0] == tenant[r.tenant_id].kode_wilayah.split(".")[0] \
                    or tenant[r.tenant_id].kode_wilayah.startswith(("35", "18"))
                keluar = [h.jenis for h in db.session.scalars(select(RiwayatRujukan).where(
                    RiwayatRujukan.tenant_id == r.tenant_id, RiwayatRujukan.objek_id == r.id).order_by(RiwayatRujukan.waktu))]
                sisi_masuk = [h.jenis for h in db.session.scalars(select(RiwayatRujukan).where(
                    RiwayatRujukan.tenant_id == m.tenant_id, RiwayatRujukan.objek_id == m.id).order_by(RiwayatRujukan.waktu))]
                assert keluar[:3] == ["dibuat", "dikirim", "laporan_diterima_tujuan"] and sisi_masuk[0] == "sampai"


def test_answer_clocks_are_what_the_live_engine_makes(demo):
    """Delete each incoming referral's clock and notices, start it again as delivery does (``penerimaan``'s answer
    time and title, ``sla.mulai_tenggat``), pause or end it as asking, declining or a withdrawal does, with the real
    sweep between: the clocks and the notices recorded as sent come out exactly as generated."""
    from dinsos.core.db import db
    from dinsos.referrals import penerimaan
    from dinsos.referrals.models import RiwayatRujukan
    from dinsos.sla import services as sla
    from dinsos.sla.models import PemberitahuanTenggat, Tenggat
    from dinsos.tenancy.models import Tenant

    app, _hasil = demo
    dilihat = Counter()
    with app.app_context():
        for r, m in _pasangan():
            oid = str(m.id)
            with di_kantor(m.tenant_id):
                dulu = db.session.scalar(select(Tenggat).where(Tenggat.objek_jenis == "rujukan_masuk", Tenggat.objek_id == oid))
                jam_dulu = kolom_jam(dulu)
                catatan_dulu = {(p.jenis, p.putaran, p.dikirim_pada) for p in db.session.scalars(
                    select(PemberitahuanTenggat).where(PemberitahuanTenggat.tenggat_id == dulu.id))}
                db.session.execute(delete(PemberitahuanTenggat).where(PemberitahuanTenggat.tenggat_id == dulu.id))
                db.session.execute(delete(Tenggat).where(Tenggat.id == dulu.id))
                riwayat = [(h.jenis, h.waktu) for h in db.session.scalars(select(RiwayatRujukan).where(
                    RiwayatRujukan.objek_id == m.id).order_by(RiwayatRujukan.waktu))]
                layanan = penerimaan.layanan_masuk(m)
                durasi = penerimaan.batas_tanggapan(layanan.kode)
                asal = db.session.get(Tenant, m.asal_tenant_id).nama
                nomor = penerimaan.nomor(m)
                sla.mulai_tenggat("rujukan_masuk", m.id, durasi=durasi, mulai=m.sampai_pada, tautan=penerimaan.tautan(m),
                                  induk_id=m.id, judul=f"Tanggapi rujukan {nomor} dari {asal} ({layanan.nama})")
            for jenis, waktu in riwayat[1:]:
                sapu_sampai(waktu, objek_id=oid)
                with di_kantor(m.tenant_id):
                    if jenis == "minta_info":
                        sla.jeda_tenggat("rujukan_masuk", m.id, waktu)
                    elif jenis in ("ditolak", "ditarik"):
                        sla.selesaikan_tenggat("rujukan_masuk", m.id, waktu)
            sapu_sampai(PADA, objek_id=oid)
            with di_kantor(m.tenant_id):
                kini = db.session.scalar(select(Tenggat).where(Tenggat.objek_jenis == "rujukan_masuk", Tenggat.objek_id == oid))
                jam_kini = kolom_jam(kini)
                catatan_kini = {(p.jenis, p.putaran, p.dikirim_pada) for p in db.session.scalars(
                    select(PemberitahuanTenggat).where(PemberitahuanTenggat.tenggat_id == kini.id))}
            assert jam_kini == jam_dulu, (r.status, {k: (jam_kini[k], jam_dulu[k]) for k in KOLOM_JAM if jam_kini[k] != jam_dulu[k]})
            if kini.selesai_pada is None:  # notices of ended clocks are not reproduced
                assert catatan_kini == catatan_dulu, r.status
                dilihat["pemberitahuan"] += len(catatan_dulu)
            dilihat[(r.status, kini.selesai_pada is None, kini.dijeda_pada is not None)] += 1
    assert dilihat[("diterima_tujuan", True, False)] and dilihat[("ditolak", False, False)], dilihat


def test_pages_of_sender_receiver_and_province_show_the_generated_referrals(demo):
    from dinsos.core.db import db
    from dinsos.referrals.status import LABEL
    from dinsos.tenancy.models import Tenant

    app, hasil = demo
    with app.app_context():
        # plain values: the rows are read again by the pages, outside this context
        pasangan = [((r.tenant_id, r.id, r.status), (m.tenant_id, m.id, m.status)) for r, m in _pasangan()]
        with lintas():
            slug = {t.id: t.slug for t in db.session.scalars(select(Tenant))}
            provinsi = {t.slug for t in db.session.scalars(select(Tenant)) if t.tingkat == "provinsi"}
    per_kantor: dict = {}
    for r, m in pasangan:
        per_kantor.setdefault(slug[r[0]], []).append(("keluar", r))
        per_kantor.setdefault(slug[m[0]], []).append(("masuk", m))
    dilihat = Counter()
    for s, daftar in per_kantor.items():
        klien = app.test_client()
        assert bantuan.masuk(klien, s, hasil.akun[s]["kepala_bidang"], SANDI).status_code == 302
        for sisi in {x for x, _b in daftar}:
            halaman = klien.get(f"/t/{s}/rujukan/{sisi}")
            assert halaman.status_code == 200, (s, sisi)
        for sisi, (_t, bid, status) in daftar:
            halaman = klien.get(f"/t/{s}/rujukan/{sisi}/{bid}")
            assert halaman.status_code == 200, (s, sisi, status)
            assert LABEL[status] in halaman.get_data(as_text=True), (s, sisi, status)
            dilihat[sisi, status] += 1
        if s in provinsi:
            halaman = klien.get(f"/t/{s}/pengawasan/rujukan")
            assert halaman.status_code == 200
            teks = halaman.get_data(as_text=True)
            for status in {b[2] for _x, b in daftar}:
                assert LABEL[status] in teks, status
            dilihat["pengawasan"] += 1
    assert dilihat["pengawasan"] and dilihat["masuk", "diterima_tujuan"] and dilihat["keluar", "ditolak"], dilihat


def test_the_deadline_dashboard_of_the_receiver_lists_waiting_referrals(demo):
    app, hasil = demo
    with app.app_context():
        from dinsos.core.db import db
        from dinsos.tenancy.models import Tenant

        tunggu = [(m.tenant_id, m.id) for _r, m in _pasangan() if m.status == "diterima_tujuan"]
        with lintas():
            s = db.session.get(Tenant, tunggu[0][0]).slug
    klien = app.test_client()
    assert bantuan.masuk(klien, s, hasil.akun[s]["kepala_bidang"], SANDI).status_code == 302
    halaman = klien.get(f"/t/{s}/dasbor/tenggat")
    assert halaman.status_code == 200
    teks = halaman.get_data(as_text=True)
    assert any(f"/t/{s}/rujukan/masuk/{mid}" in teks for _t, mid in tunggu)


def test_the_same_seed_gives_the_same_referrals(templat, templat_lagi):
    from dinsos.core.db import db
    from dinsos.referrals.models import RiwayatRujukan
    from dinsos.sla.models import Tenggat

    def baca(app):
        with app.app_context():
            rujukan = [(r.id, r.kasus_id, r.status, r.dikirim_pada, r.ditanggapi_pada, r.alasan, r.dibagikan, m.id, m.status,
                        m.isi, m.tanggapan) for r, m in _pasangan()]
            with lintas():
                riwayat = sorted((h.id, h.jenis, h.waktu, h.catatan) for h in db.session.scalars(select(RiwayatRujukan)))
                jam = sorted((t.id, t.objek_id, t.due_at, t.selesai_pada) for t in db.session.scalars(
                    select(Tenggat).where(Tenggat.objek_jenis == "rujukan_masuk")))
            db.engine.dispose()
        return rujukan, riwayat, jam

    (folder, hasil), (folder2, hasil2) = templat, templat_lagi
    pertama = baca(aplikasi(folder, baru=False))
    assert pertama[0] and baca(aplikasi(folder2, baru=False)) == pertama
    assert hasil2.sidik == hasil.sidik


@pytest.mark.postgres
def test_generated_in_parallel_on_postgresql_as_the_app_role(app):
    """Offices in two worker processes, then the referrals in the parent: written under row-level security, each
    office's copy in that office, the same rows as from one process."""
    from dinsos.core.db import db
    from dinsos.demo.buat import buat_data_demo
    from dinsos.referrals.models import RujukanMasuk

    with app.app_context():
        hasil = buat_data_demo(jumlah_kantor=4, jumlah_kasus=400, benih=BENIH, pada=PADA, kata_sandi=SANDI,
                               akar=ROOT / "tenants", proses=2)
        with lintas():
            nilai = [(r.tujuan_tenant_id, r.status, m and m.tenant_id, m and m.status, m and m.id) for r, m in _pasangan()]
        assert nilai and hasil.jumlah["rujukan"] == len(nilai) == hasil.jumlah["rujukan_masuk"]
        for tujuan, status, tenant_masuk, status_masuk, mid in nilai:
            assert tenant_masuk == tujuan and status_masuk == status
            with di_kantor(tujuan):  # bound to the receiver, its own copy is visible under row-level security
                assert db.session.scalar(select(RujukanMasuk.id).where(RujukanMasuk.id == mid)) == mid
