"""Complaint deadlines on each office's working calendar, and the one deadline sweep with injected time.

Hand computations use the default office hours (Mon-Thu 07:30-16:00, Fri
07:30-16:30 WIB = UTC+7); 2-4 March 2026 are ordinary working days.
"""
from datetime import datetime, timezone

from sqlalchemy import select

from dinsos.catalogue.models import Layanan
from dinsos.catalogue.services import simpan_standar, versi_terbaru
from dinsos.complaints.models import Pengaduan
from dinsos.complaints.services import (
    WAKTU_PENYELESAIAN_BAWAAN,
    lewati_langkah,
    selesaikan_langkah,
    terima_pengaduan,
    tutup_pengaduan,
)
from dinsos.core.db import db
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos.sla.models import PemberitahuanTenggat, Tenggat
from dinsos.sla.services import cari_tenggat, sapu_tenggat
from dinsos.tenancy.models import Tenant
from dinsos_uji.bantuan import buat_tenant


def utc(*a):
    return datetime(*a, tzinfo=timezone.utc)


SENIN_09_WIB = utc(2026, 3, 2, 2, 0)


def tempo(jenis: str, objek) -> Tenggat:
    """The deadline clock of a complaint ("pengaduan") or of one of its steps ("langkah_pengaduan")."""
    return cari_tenggat(jenis, objek.id)


def terkirim(app) -> set[tuple]:
    """(office, clock kind, complaint step id or None, notice kind) of every notice recorded so far."""
    with app.app_context(), lintas_tenant("uji", catat=False):
        baris = db.session.execute(
            select(Tenggat.tenant_id, Tenggat.objek_jenis, Tenggat.objek_id, PemberitahuanTenggat.jenis)
            .join(PemberitahuanTenggat, (PemberitahuanTenggat.tenggat_id == Tenggat.id) & (PemberitahuanTenggat.tenant_id == Tenggat.tenant_id))
        ).all()
        return {(t, j, o if j == "langkah_pengaduan" else None, k) for t, j, o, k in baris}


def _beri_waktu_verifikasi(tenant_id: int, kode_layanan: str, waktu: str) -> Layanan:
    """Give the first follow-up step of a service a time standard (a new version of its standard)."""
    layanan = db.session.scalar(select(Layanan).where(Layanan.kode == kode_layanan))
    isi = dict(versi_terbaru(layanan).isi)
    pengaduan = dict(isi["penyampaian_pelayanan"]["pengaduan"])
    pengaduan["tindak_lanjut"] = [{**pengaduan["tindak_lanjut"][0], "waktu": waktu}] + pengaduan["tindak_lanjut"][1:]
    isi["penyampaian_pelayanan"] = {**isi["penyampaian_pelayanan"], "pengaduan": pengaduan}
    simpan_standar(db.session.get(Tenant, tenant_id), isi)
    return layanan


def test_the_default_is_fourteen_calendar_days():
    assert WAKTU_PENYELESAIAN_BAWAAN == "14 hari kalender"


def test_step_and_complaint_deadlines_are_stored_from_the_working_calendar(app, kantor_seed):
    metro = kantor_seed["kota-metro"].id
    with app.app_context(), dalam_tenant(metro):
        layanan = _beri_waktu_verifikasi(metro, "penanganan-ppks-terlantar", "2 hari kerja")
        p = terima_pengaduan(isi="Aduan.", kanal="telepon", layanan=layanan, pada=SENIN_09_WIB)
        db.session.commit()
        verifikasi, mediasi = p.langkah[0], p.langkah[1]
        assert verifikasi.waktu_standar == "2 hari kerja" and verifikasi.mulai_pada == SENIN_09_WIB
        # 2 working days from Monday 09:00 WIB: Wednesday 09:00 WIB.
        assert tempo("langkah_pengaduan", verifikasi).due_at == utc(2026, 3, 4, 2, 0)
        # 75% of the 17 office hours between (7 Mon + 8.5 Tue + 1.5 Wed) = 12h45: Tuesday 13:15 WIB.
        assert tempo("langkah_pengaduan", verifikasi).warn_at == utc(2026, 3, 3, 6, 15)
        # The whole complaint: 14 calendar days; warning at 10.5 days.
        keseluruhan = tempo("pengaduan", p)
        assert keseluruhan.due_at == utc(2026, 3, 16, 2, 0) and keseluruhan.warn_at == utc(2026, 3, 12, 14, 0)
        assert tempo("langkah_pengaduan", mediasi) is None and mediasi.status == "menunggu"

        selesaikan_langkah(p, verifikasi.id, "Aduan benar.", None, pada=utc(2026, 3, 3, 3, 0))
        db.session.commit()
        # Done Tuesday 10:00 WIB: 7 working hours on Monday and 2.5 on Tuesday of its 17 used.
        assert tempo("langkah_pengaduan", verifikasi).menit_aktual == 570
        # No time standard of its own: due with the complaint; warning at 75% of the 311 hours left.
        assert mediasi.status == "berjalan" and mediasi.mulai_pada == utc(2026, 3, 3, 3, 0)
        assert tempo("langkah_pengaduan", mediasi).due_at == keseluruhan.due_at
        assert tempo("langkah_pengaduan", mediasi).warn_at == utc(2026, 3, 12, 20, 15)
        assert tempo("langkah_pengaduan", mediasi).eskalasi_at == keseluruhan.eskalasi_at == utc(2026, 3, 30, 2, 0)


def test_the_offices_own_holidays_move_the_deadline(app, kantor_seed):
    from dinsos.core.tenant import lintas_tenant

    metro = kantor_seed["kota-metro"].id
    with app.app_context():
        with lintas_tenant("uji", catat=False):
            t = db.session.get(Tenant, metro)
            t.hari_libur_daerah = [{"tanggal": "2026-03-03", "keterangan": "Hari jadi kota (uji)"}]
            db.session.commit()
        with dalam_tenant(metro):
            layanan = _beri_waktu_verifikasi(metro, "penanganan-ppks-terlantar", "2 hari kerja")
            p = terima_pengaduan(isi="Aduan.", kanal="email", layanan=layanan, pada=SENIN_09_WIB)
            # Tuesday is the office's holiday: Monday 09:00 + 2 working days = Thursday 09:00 WIB.
            assert tempo("langkah_pengaduan", p.langkah[0]).due_at == utc(2026, 3, 5, 2, 0)
            db.session.rollback()


def test_the_one_sweep_warns_and_escalates_complaints_across_offices_once(app, kantor_seed):
    metro, banten = kantor_seed["kota-metro"].id, kantor_seed["provinsi-banten"].id
    with app.app_context():
        with dalam_tenant(metro):
            layanan = _beri_waktu_verifikasi(metro, "penanganan-ppks-terlantar", "2 hari kerja")
            pm = terima_pengaduan(isi="Aduan Metro.", kanal="telepon", layanan=layanan, pada=SENIN_09_WIB)
            db.session.commit()
            verifikasi_id = str(pm.langkah[0].id)
        with dalam_tenant(banten):
            pb = terima_pengaduan(isi="Aduan Banten.", kanal="tatap_muka", pada=SENIN_09_WIB)
            db.session.commit()
            pb_id, pejabat_id = pb.id, str(pb.langkah[0].id)

    with app.app_context():
        assert sapu_tenggat(utc(2026, 3, 3, 6, 14)) == 0
        assert sapu_tenggat(utc(2026, 3, 3, 6, 15)) == 1
    assert terkirim(app) == {(metro, "langkah_pengaduan", verifikasi_id, "peringatan")}

    with app.app_context():
        # At the deadline: the overdue notice and the escalation to the head of division, once.
        assert sapu_tenggat(utc(2026, 3, 4, 2, 0)) == 2
        assert sapu_tenggat(utc(2026, 3, 4, 2, 0)) == 0
        sebelum = terkirim(app)
        # 12 March 21:00 WIB: both complaints reach their own warning; Banten's step (no time standard
        # of its own, due with the complaint) too. Metro's verification is twice over: the kepala dinas.
        assert sapu_tenggat(utc(2026, 3, 12, 14, 0)) == 4
    assert terkirim(app) - sebelum == {
        (metro, "langkah_pengaduan", verifikasi_id, "eskalasi_kadis"),
        (banten, "langkah_pengaduan", pejabat_id, "peringatan"),
        (metro, "pengaduan", None, "peringatan"),
        (banten, "pengaduan", None, "peringatan"),
    }

    # Closed complaints leave the sweep.
    with app.app_context(), dalam_tenant(banten):
        pb = db.session.get(Pengaduan, (banten, pb_id))
        for l in list(pb.langkah):
            if l.opsional:
                lewati_langkah(pb, l.id, "Tidak perlu rapat.", None, pada=utc(2026, 3, 5, 3, 0))
            else:
                selesaikan_langkah(pb, l.id, None, None, pada=utc(2026, 3, 5, 3, 0))
        tutup_pengaduan(pb, "Sudah dijawab.", None, pada=utc(2026, 3, 5, 4, 0))
        db.session.commit()
        assert tempo("pengaduan", pb).selesai_pada == utc(2026, 3, 5, 4, 0)
    sebelum = terkirim(app)
    with app.app_context():
        assert sapu_tenggat(utc(2026, 3, 17, 0, 0)) == 2
    assert terkirim(app) - sebelum == {(metro, "pengaduan", None, "terlambat"), (metro, "pengaduan", None, "eskalasi_kabid")}


def test_complaint_notices_reach_the_head_of_division_with_a_link(app, kantor_seed):
    from dinsos.notify.models import Notifikasi
    from dinsos_uji.bantuan import buat_staf

    metro = kantor_seed["kota-metro"]
    kabid, _ = buat_staf(metro, "kepala_bidang", "ratna@metro.uji")
    with app.app_context(), dalam_tenant(metro.id):
        p = terima_pengaduan(isi="Aduan.", kanal="telepon", pada=SENIN_09_WIB)
        db.session.commit()
        pid, kode = p.id, p.kode_lacak
    with app.app_context():
        sapu_tenggat(utc(2026, 3, 16, 2, 0))
    with app.app_context(), dalam_tenant(metro.id):
        judul = {n.judul: n.tautan for n in db.session.scalars(select(Notifikasi).where(Notifikasi.penerima_id == kabid))}
    tautan = f"/t/kota-metro/pengaduan/kelola/{pid}"
    assert judul[f"Lewat batas waktu: Penyelesaian pengaduan {kode[:5]}-{kode[5:]}"] == tautan
    assert judul[f"Eskalasi: Penyelesaian pengaduan {kode[:5]}-{kode[5:]}"] == tautan


def test_sweep_does_not_log_an_audit_row_per_run(app, kantor_seed):
    from sqlalchemy import func

    from dinsos.audit.models import CatatanAudit

    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        sebelum = db.session.scalar(select(func.count()).select_from(CatatanAudit))
        sapu_tenggat(utc(2030, 1, 1))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(CatatanAudit)) == sebelum


def test_office_without_standards_gets_the_default_steps(app):
    kantor = buat_tenant(app, "kota-baru", zona="Asia/Makassar")
    with app.app_context(), dalam_tenant(kantor.id):
        p = terima_pengaduan(isi="Aduan.", kanal="whatsapp", pada=SENIN_09_WIB)
        assert [l.kode for l in p.langkah] == ["penelaahan-aduan", "tindak-lanjut-aduan"]
        # 14 calendar days from Monday 10:00 WITA is 10:00 WITA two weeks later.
        assert tempo("pengaduan", p).due_at == utc(2026, 3, 16, 2, 0)
        db.session.rollback()


def test_a_step_started_after_the_complaints_deadline_is_overdue_but_escalates_with_the_complaint(app):
    kantor = buat_tenant(app, "kota-lambat")
    with app.app_context(), dalam_tenant(kantor.id):
        p = terima_pengaduan(isi="Aduan.", kanal="telepon", pada=SENIN_09_WIB)
        selesaikan_langkah(p, p.langkah[0].id, None, None, pada=utc(2026, 3, 17, 2, 0))  # a day past the 14 days
        db.session.commit()
        kedua = tempo("langkah_pengaduan", p.langkah[1])
        assert kedua.due_at == kedua.warn_at == utc(2026, 3, 16, 2, 0) and kedua.eskalasi_at == utc(2026, 3, 30, 2, 0)
    with app.app_context():
        sapu_tenggat(utc(2026, 3, 17, 2, 1))
    assert {(j, k) for _t, j, _o, k in terkirim(app)} == {
        ("langkah_pengaduan", "terlambat"), ("langkah_pengaduan", "eskalasi_kabid"),
        ("pengaduan", "terlambat"), ("pengaduan", "eskalasi_kabid"),
    }
