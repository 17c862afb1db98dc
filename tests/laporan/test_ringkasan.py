"""The recap summary (migration 0021_ringkasan_rekap.py) against the cases it summarises.

Two checks after every kind of write: the table equals a fresh count of its
source view (the triggers lost nothing and counted nothing twice), and for
every dimension and pair of dimensions, every office and several periods,
the counts read from the summary equal the counts read from the cases (the
reading expressions mean what the case expressions mean). PostgreSQL only:
embedded SQLite keeps no summary and counts the cases.
"""
from datetime import date

import pytest
from alat_laporan import terima
from sqlalchemy import text

from dinsos_uji.alat_kasus import akun, di_kantor, wib

pytestmark = pytest.mark.postgres

ZONA_DI_CITUS = ("changing an office's zone rebuilds its summary as the owner (SECURITY DEFINER) in the editing "
                 "transaction; Citus refuses a second user on placements the app role already modified in it "
                 "('cannot perform query on placements that were modified in this transaction by a different user')")

KUNCI = "tenant_id, hari, kategori, layanan_id, wilayah, jenis_kelamin, kelompok_umur, hasil, ketepatan, batas"
PERIODE = [
    {"periode": "tahun", "tahun": "2026"},
    {"periode": "rentang", "dari": "2026-05-04", "sampai": "2026-05-06"},
]


def _tabel_sama_dengan_sumbernya(mesin_pemilik):
    with mesin_pemilik.begin() as c:
        c.execute(text("SELECT dinsos_ikat_pemilik()"))
        simpan = {tuple(r[:-1]): r[-1] for r in c.execute(text(f"SELECT {KUNCI}, jumlah FROM ringkasan_rekap"))}
        hitung = {tuple(r[:-1]): r[-1] for r in c.execute(text(
            f"SELECT {KUNCI}, count(*) FROM ringkasan_rekap_sumber GROUP BY {KUNCI}"))}
        kasus = c.execute(text("SELECT count(*) FROM kasus")).scalar()
    assert simpan == hitung
    assert sum(simpan.values()) == kasus and kasus > 0
    assert all(n > 0 for n in simpan.values())  # a row that reached zero is gone


def _semua_dimensi_sama(data, pada):
    from dinsos.core.tenant import lintas_tenant
    from dinsos.laporan.dimensi import DIMENSI
    from dinsos.laporan.periode import baca_periode
    from dinsos.laporan.rekap import hitung_kasus, hitung_ringkasan

    kantor = data["kantor"]
    app = kantor["kabupaten-magetan"].app
    ids = [k.id for k in kantor.values()]
    lingkup_ = [ids, [kantor["kabupaten-magetan"].id], [kantor["kabupaten-ngawi"].id]]
    # Every dimension alone, then each as rows and as columns of another (each expression both ways).
    nama = list(DIMENSI)
    pasangan = [(d, None) for d in nama] + [(d, nama[(i + 1) % len(nama)]) for i, d in enumerate(nama)]
    diperiksa = 0
    with app.app_context(), lintas_tenant("uji", catat=False):
        for arg in PERIODE:
            periode = baca_periode(arg, "Asia/Jakarta", date(2026, 6, 3))
            for b, k in pasangan:
                d_b, d_k = DIMENSI[b], DIMENSI[k] if k else None
                for lingkup in lingkup_:
                    dari_kasus = hitung_kasus(lingkup, periode, d_b, d_k, pada)
                    assert hitung_ringkasan(lingkup, periode, d_b, d_k, pada) == dari_kasus, (arg, b, k, lingkup)
                    diperiksa += bool(dari_kasus)
    assert diperiksa > 40  # most pairs hold cases: not an empty comparison


def _periksa(data, mesin_pemilik, pada=None):
    _tabel_sama_dengan_sumbernya(mesin_pemilik)
    _semua_dimensi_sama(data, pada or wib(2026, 6, 3, 9))


def test_ringkasan_sama_dengan_kasus_setelah_penerimaan(data, mesin_pemilik):
    _periksa(data, mesin_pemilik)
    # Whether a running clock is past due is decided when the recap is read: before any due time, none is.
    _semua_dimensi_sama(data, wib(2026, 4, 1, 9))


@pytest.mark.slow
def test_ringkasan_ikut_perubahan_klien_penutupan_jeda_dan_penghapusan(data, mesin_pemilik):
    from sqlalchemy import select

    from dinsos.cases.kelola import jeda_kasus, tutup_kasus
    from dinsos.cases.models import Kasus, Klien
    from dinsos.cases.perubahan import simpan
    from dinsos.core.db import db

    mg = data["kantor"]["kabupaten-magetan"]
    kabid = data["staf"]["kabupaten-magetan"]["kepala_bidang"]
    kasus = data["kasus"]
    with di_kantor(mg):  # a client's category, sex, birth date and address change: every case of theirs moves
        c = db.session.get(Kasus, (mg.id, kasus["C"]))
        klien = db.session.scalar(select(Klien).where(Klien.id == c.klien_id))
        klien.kategori_ppks, klien.jenis_kelamin, klien.tanggal_lahir, klien.kode_wilayah = 3, "L", date(1960, 1, 1), None
        simpan()
    _tabel_sama_dengan_sumbernya(mesin_pemilik)
    with di_kantor(mg):  # closed early by the head: outcome and clock both change
        b = db.session.get(Kasus, (mg.id, kasus["B"]))
        tutup_kasus(b, versi=b.versi, hasil_akhir="diterima-balai", pengguna=akun(kabid), catatan="Dikembalikan ke keluarga",
                    pada=wib(2026, 5, 5, 10))
        simpan()
    with di_kantor(mg):  # paused: its clock stops running
        d = db.session.get(Kasus, (mg.id, kasus["D"]))
        jeda_kasus(d, versi=d.versi, jenis="menunggu_pemohon", alasan="Menunggu KK", pengguna=akun(kabid), pada=wib(2026, 5, 6, 10))
        simpan()
    _tabel_sama_dengan_sumbernya(mesin_pemilik)
    # One more case late in the evening; then a clock and a whole case removed outright (as psql would).
    fo = data["staf"]["kabupaten-magetan"]["petugas_pelayanan"]
    terima(mg, fo, {"tanpa_identitas": True, "deskripsi": "Anak perempuan", "umur_perkiraan": 15, "jenis_kelamin": "P",
                    "kategori_ppks": 2}, wib(2026, 5, 9, 23, 30))  # 23:30 WIB: the 9th in Magetan, the 9th in UTC too
    _tabel_sama_dengan_sumbernya(mesin_pemilik)
    with mesin_pemilik.begin() as c:
        c.execute(text("SELECT dinsos_ikat_pemilik()"))
        c.execute(text("DELETE FROM tenggat WHERE objek_jenis = 'kasus' AND induk_id = :k"), {"k": kasus["C"]})
    _tabel_sama_dengan_sumbernya(mesin_pemilik)
    with mesin_pemilik.begin() as c:
        c.execute(text("SELECT dinsos_ikat_pemilik()"))
        anak = c.execute(text("SELECT table_name FROM information_schema.columns WHERE column_name = 'kasus_id' "
                              "AND table_schema = 'public' AND table_name NOT LIKE 'ringkasan%'")).scalars().all()
        c.execute(text("SET LOCAL session_replication_role = replica"))  # the case's history: past its append-only guards
        for tabel in anak:
            c.execute(text(f'DELETE FROM "{tabel}" WHERE kasus_id = :k'), {"k": kasus["A"]})
        c.execute(text("SET LOCAL session_replication_role = origin"))  # the summary's triggers fire from here
        c.execute(text("DELETE FROM tenggat WHERE induk_id = :k"), {"k": kasus["A"]})
        c.execute(text("DELETE FROM kasus WHERE id = :k"), {"k": kasus["A"]})
    _tabel_sama_dengan_sumbernya(mesin_pemilik)


@pytest.mark.bukan_citus(ZONA_DI_CITUS)
def test_zona_kantor_berubah_ringkasannya_dibangun_ulang(data, mesin_pemilik):
    from sqlalchemy import update

    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant
    from dinsos.laporan.dimensi import DIMENSI
    from dinsos.laporan.periode import baca_periode
    from dinsos.laporan.rekap import _hitung, hitung_kasus
    from dinsos.tenancy.models import Tenant

    mg = data["kantor"]["kabupaten-magetan"]
    # Case B was received 4 May 09:00 WIB; at UTC-11 it is still 3 May.
    with mg.app.app_context(), lintas_tenant("uji", catat=False):
        db.session.execute(update(Tenant).where(Tenant.id == mg.id).values(zona_waktu="Pacific/Pago_Pago"))
        db.session.commit()
    _tabel_sama_dengan_sumbernya(mesin_pemilik)
    with mesin_pemilik.begin() as c:
        c.execute(text("SELECT dinsos_ikat_pemilik()"))
        hari = c.execute(text("SELECT min(hari) FROM ringkasan_rekap WHERE tenant_id = :t AND hari >= '2026-05-01'"),
                         {"t": mg.id}).scalar()
    assert hari == date(2026, 5, 3)
    # A recap in WIB reads that office from its cases (its summary's days are not WIB days), the others from the summary.
    with mg.app.app_context(), lintas_tenant("uji", catat=False):
        periode = baca_periode(PERIODE[1], "Asia/Jakarta", date(2026, 6, 3))
        ids = [k.id for k in data["kantor"].values()]
        d = DIMENSI["kategori"]
        assert _hitung(ids, periode, d, None, wib(2026, 6, 3, 9)) == hitung_kasus(ids, periode, d, None, wib(2026, 6, 3, 9))


@pytest.mark.bukan_citus(ZONA_DI_CITUS)
def test_zona_diubah_dari_ruang_platform_ringkasan_tetap_benar(data, app, mesin_pemilik):
    """The platform's scope may edit an office's row but sees none of its cases; the rebuild sees them, the caller not."""
    from sqlalchemy import func, select, update

    from dinsos.cases.models import Kasus
    from dinsos.core.db import db
    from dinsos.core.tenant import ruang_platform
    from dinsos.tenancy.models import Tenant

    ngawi = data["kantor"]["kabupaten-ngawi"]
    with app.app_context(), ruang_platform():
        db.session.execute(update(Tenant).where(Tenant.id == ngawi.id).values(zona_waktu="Pacific/Pago_Pago"))
        assert db.session.execute(select(func.count()).select_from(Kasus.__table__)).scalar() == 0  # still closed
        db.session.commit()
    _tabel_sama_dengan_sumbernya(mesin_pemilik)
    with mesin_pemilik.begin() as c:
        c.execute(text("SELECT dinsos_ikat_pemilik()"))
        assert c.execute(text("SELECT sum(jumlah) FROM ringkasan_rekap WHERE tenant_id = :t"), {"t": ngawi.id}).scalar() == 7


def test_rekap_kantor_membaca_ringkasan(data, monkeypatch):
    """On PostgreSQL an office's recap in its own zone never touches the cases."""
    from dinsos.laporan import rekap as modul
    from dinsos.laporan.periode import baca_periode

    def jangan(*a, **k):
        raise AssertionError("counted from the cases")

    monkeypatch.setattr(modul, "hitung_kasus", jangan)
    with di_kantor(data["kantor"]["kabupaten-magetan"]):
        periode = baca_periode(PERIODE[0], "Asia/Jakarta", date(2026, 6, 3))
        t = modul.rekap_kantor(periode, "kelompok_umur", "ketepatan", wib(2026, 6, 3, 9))
    assert t.total == 5  # A to E, as counted by hand (conftest)


def test_peran_aplikasi_hanya_melihat_ringkasan_kantornya(app, data):
    from sqlalchemy import create_engine

    mg = data["kantor"]["kabupaten-magetan"]
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.begin() as c:
            c.execute(text("SELECT dinsos_ikat(:r, :t, '')"), {"r": app.config["RAHASIA_IKATAN"], "t": mg.id})
            kantor = {r[0] for r in c.execute(text("SELECT DISTINCT tenant_id FROM ringkasan_rekap"))}
        with engine.begin() as c:
            tanpa = c.execute(text("SELECT count(*) FROM ringkasan_rekap")).scalar()
    finally:
        engine.dispose()
    assert kantor == {mg.id}
    assert tanpa == 0
    _semua_dimensi_sama(data, wib(2026, 6, 3, 9))
