"""Complaint deadlines on each office's working calendar, and the due-item sweep with injected time.

Hand computations use the default office hours (Mon-Thu 07:30-16:00, Fri
07:30-16:30 WIB = UTC+7); 2-4 March 2026 are ordinary working days.
"""
from datetime import datetime, timezone

from sqlalchemy import select

from bantuan import buat_tenant
from dinsos.catalogue.models import Layanan
from dinsos.catalogue.services import simpan_standar, versi_terbaru
from dinsos.complaints.models import Pengaduan
from dinsos.complaints.services import (
    WAKTU_PENYELESAIAN_BAWAAN,
    lewati_langkah,
    pengaduan_jatuh_tempo,
    selesaikan_langkah,
    terima_pengaduan,
    tutup_pengaduan,
)
from dinsos.core.db import db
from dinsos.core.tenant import dalam_tenant
from dinsos.tenancy.models import Tenant


def utc(*a):
    return datetime(*a, tzinfo=timezone.utc)


SENIN_09_WIB = utc(2026, 3, 2, 2, 0)


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
        assert verifikasi.due_at == utc(2026, 3, 4, 2, 0)
        # 75% of the 17 office hours between (7 Mon + 8.5 Tue + 1.5 Wed) = 12h45: Tuesday 13:15 WIB.
        assert verifikasi.warn_at == utc(2026, 3, 3, 6, 15)
        # The whole complaint: 14 calendar days; warning at 10.5 days.
        assert p.due_at == utc(2026, 3, 16, 2, 0) and p.warn_at == utc(2026, 3, 12, 14, 0)
        assert mediasi.due_at is None and mediasi.status == "menunggu"

        selesaikan_langkah(p, verifikasi.id, "Aduan benar.", None, pada=utc(2026, 3, 3, 3, 0))
        db.session.commit()
        # No time standard of its own: due with the complaint; warning at 75% of the 311 hours left.
        assert mediasi.status == "berjalan" and mediasi.mulai_pada == utc(2026, 3, 3, 3, 0)
        assert mediasi.due_at == p.due_at and mediasi.warn_at == utc(2026, 3, 12, 20, 15)


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
            assert p.langkah[0].due_at == utc(2026, 3, 5, 2, 0)
            db.session.rollback()


def test_sweep_finds_warnings_and_overdue_steps_across_offices(app, kantor_seed):
    metro, banten = kantor_seed["kota-metro"].id, kantor_seed["provinsi-banten"].id
    with app.app_context():
        with dalam_tenant(metro):
            layanan = _beri_waktu_verifikasi(metro, "penanganan-ppks-terlantar", "2 hari kerja")
            pm = terima_pengaduan(isi="Aduan Metro.", kanal="telepon", layanan=layanan, pada=SENIN_09_WIB)
            db.session.commit()
            pm_id, verifikasi_id = pm.id, pm.langkah[0].id
        with dalam_tenant(banten):
            pb = terima_pengaduan(isi="Aduan Banten.", kanal="tatap_muka", pada=SENIN_09_WIB)
            db.session.commit()
            pb_id, pejabat_id = pb.id, pb.langkah[0].id

    with app.app_context():
        assert pengaduan_jatuh_tempo(utc(2026, 3, 3, 6, 14)) == []

        peringatan = pengaduan_jatuh_tempo(utc(2026, 3, 3, 6, 15))
        assert [(b["pengaduan_id"], b["langkah_id"], b["jenis"], b["tingkat"]) for b in peringatan] == [
            (pm_id, verifikasi_id, "peringatan", "langkah")
        ]
        assert peringatan[0]["tenant_id"] == metro and peringatan[0]["judul"] == "Verifikasi aduan"

        terlambat = pengaduan_jatuh_tempo(utc(2026, 3, 4, 2, 0))
        assert [(b["langkah_id"], b["jenis"]) for b in terlambat] == [(verifikasi_id, "terlambat")]
        assert terlambat[0]["kunci"] != peringatan[0]["kunci"]
        assert pengaduan_jatuh_tempo(utc(2026, 3, 4, 2, 0)) == terlambat  # same keys on the next sweep

        # 12 March 21:00 WIB: both complaints reach their own warning; Banten's step (no time
        # standard of its own, due with the complaint) too. Metro's verification is long overdue.
        semua = pengaduan_jatuh_tempo(utc(2026, 3, 12, 14, 0))
        assert {(b["tenant_id"], b["langkah_id"], b["jenis"], b["tingkat"]) for b in semua} == {
            (metro, verifikasi_id, "terlambat", "langkah"),
            (banten, pejabat_id, "peringatan", "langkah"),
            (metro, None, "peringatan", "pengaduan"),
            (banten, None, "peringatan", "pengaduan"),
        }
        assert len({b["kunci"] for b in semua}) == 4

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
    with app.app_context():
        sisa = pengaduan_jatuh_tempo(utc(2026, 3, 17, 0, 0))
        assert {b["tenant_id"] for b in sisa} == {metro}
        assert {(b["tingkat"], b["jenis"]) for b in sisa} == {("langkah", "terlambat"), ("pengaduan", "terlambat")}


def test_sweep_does_not_log_an_audit_row_per_run(app, kantor_seed):
    from sqlalchemy import func

    from dinsos.audit.models import CatatanAudit

    with app.app_context():
        sebelum = db.session.scalar(select(func.count()).select_from(CatatanAudit))
        pengaduan_jatuh_tempo(utc(2030, 1, 1))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(CatatanAudit)) == sebelum


def test_office_without_standards_gets_the_default_steps(app):
    kantor = buat_tenant("kota-baru", zona="Asia/Makassar")
    with app.app_context(), dalam_tenant(kantor.id):
        p = terima_pengaduan(isi="Aduan.", kanal="whatsapp", pada=SENIN_09_WIB)
        assert [l.kode for l in p.langkah] == ["penelaahan-aduan", "tindak-lanjut-aduan"]
        # 14 calendar days from Monday 10:00 WITA is 10:00 WITA two weeks later.
        assert p.due_at == utc(2026, 3, 16, 2, 0)
        db.session.rollback()
