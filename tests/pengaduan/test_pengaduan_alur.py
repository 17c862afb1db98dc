"""Complaints end to end: filed publicly or by staff, tracked by code, worked through each office's own steps."""
import re

import pytest
from sqlalchemy import func, select

from dinsos.audit.models import CatatanAudit
from dinsos.complaints.models import LangkahPengaduan, Pengaduan
from dinsos.core.db import db
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos_uji.bantuan import buat_staf, masuk, token_csrf


def _jumlah(app, model, **syarat):
    with app.app_context(), lintas_tenant("uji", catat=False):
        q = select(func.count()).select_from(model)
        for k, v in syarat.items():
            q = q.where(getattr(model, k) == v)
        return db.session.scalar(q)


def _kirim_publik(klien, slug, **isian):
    halaman = klien.get(f"/t/{slug}/pengaduan/")
    assert halaman.status_code == 200
    return klien.post(f"/t/{slug}/pengaduan/", data={"csrf_token": token_csrf(halaman.get_data(as_text=True)), **isian})


def _kode_dari(html: str) -> str:
    m = re.search(r"<strong>([2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5})</strong>", html)
    assert m, "no tracking code on the page"
    return m.group(1)


def _lacak(klien, slug, kode):
    halaman = klien.get(f"/t/{slug}/pengaduan/lacak")
    return klien.post(f"/t/{slug}/pengaduan/lacak", data={"csrf_token": token_csrf(halaman.get_data(as_text=True)), "kode": kode})


def _id_pengaduan(app, tenant_id, kode):
    with app.app_context(), dalam_tenant(tenant_id):
        return db.session.scalar(select(Pengaduan.id).where(Pengaduan.kode_lacak == kode.replace("-", "")))


def _kerjakan(klien, slug, pid, aksi, catatan=""):
    halaman = klien.get(f"/t/{slug}/pengaduan/kelola/{pid}")
    html = halaman.get_data(as_text=True)
    langkah_id = re.search(r'name="langkah_id" type="hidden" value="([^"]*)"', html).group(1)
    return klien.post(
        f"/t/{slug}/pengaduan/kelola/{pid}/langkah",
        data={"csrf_token": token_csrf(html), "langkah_id": langkah_id, "catatan": catatan, "aksi": aksi},
    )


def _tutup(klien, slug, pid, jawaban):
    html = klien.get(f"/t/{slug}/pengaduan/kelola/{pid}").get_data(as_text=True)
    return klien.post(f"/t/{slug}/pengaduan/kelola/{pid}/tutup", data={"csrf_token": token_csrf(html), "jawaban": jawaban})


def test_kota_metro_complaint_filed_tracked_worked_and_answered(app, kantor_seed):
    metro = kantor_seed["kota-metro"].id
    publik = app.test_client()
    r = _kirim_publik(publik, "kota-metro", layanan="penanganan-ppks-terlantar",
                      isi="Petugas tidak datang saat kami melaporkan orang terlantar di pasar.",
                      nama="Siti Rahma", kontak="0812-1111-2222")
    assert r.status_code == 201
    kode = _kode_dari(r.get_data(as_text=True))

    # Tracked in lower case and without the dash, as people type it.
    status = _lacak(publik, "kota-metro", kode.lower().replace("-", " "))
    html = status.get_data(as_text=True)
    assert status.status_code == 200
    assert "Sedang diproses" in html and "Penanganan PPKS Terlantar" in html
    assert "Siti Rahma" not in html and "0812-1111-2222" not in html

    buat_staf(kantor_seed["kota-metro"], "petugas_pelayanan", "petugas@metro.uji")
    staf = app.test_client()
    masuk(staf, "kota-metro", "petugas@metro.uji")
    pid = _id_pengaduan(app, metro, kode)
    rincian = staf.get(f"/t/kota-metro/pengaduan/kelola/{pid}").get_data(as_text=True)
    for nama in ("Verifikasi aduan", "Mediasi", "Koordinasi dan cek lokasi", "Penyelesaian/Sanksi"):
        assert nama in rincian
    assert "Siti Rahma" in rincian

    for catatan in ("Aduan benar, petugas piket tidak hadir.", "Mediasi dengan pelapor.", "Cek lokasi pasar.", "Teguran tertulis."):
        assert _kerjakan(staf, "kota-metro", pid, "selesai", catatan).status_code == 302
    assert _tutup(staf, "kota-metro", pid, "Petugas piket telah diberi teguran dan jadwal piket diperbaiki.").status_code == 302

    with app.app_context(), dalam_tenant(metro):
        p = db.session.get(Pengaduan, (metro, pid))
        assert p.status == "selesai" and p.kanal == "website"
        assert [(l.kode, l.status) for l in p.langkah] == [
            ("verifikasi-aduan", "selesai"), ("mediasi", "selesai"),
            ("koordinasi-cek-lokasi", "selesai"), ("penyelesaian-sanksi", "selesai"),
        ]
        assert p.langkah[1].catatan == "Mediasi dengan pelapor."

    akhir = _lacak(publik, "kota-metro", kode).get_data(as_text=True)
    assert "Selesai, sudah dijawab" in akhir
    assert "jadwal piket diperbaiki" in akhir
    assert "Siti Rahma" not in akhir and "Mediasi dengan pelapor" not in akhir  # internal notes stay internal


def test_banten_complaint_from_sp4n_lapor_follows_banten_flow_with_optional_meeting(app, kantor_seed):
    banten = kantor_seed["provinsi-banten"].id
    buat_staf(kantor_seed["provinsi-banten"], "kepala_bidang", "kabid@banten.uji")
    staf = app.test_client()
    masuk(staf, "provinsi-banten", "kabid@banten.uji")
    form = staf.get("/t/provinsi-banten/pengaduan/kelola/baru").get_data(as_text=True)
    r = staf.post("/t/provinsi-banten/pengaduan/kelola/baru", data={
        "csrf_token": token_csrf(form), "kanal": "sp4n_lapor", "nomor_referensi": "LAPOR-7788123",
        "layanan": "", "isi": "Anak di panti tidak mendapat sekolah.", "nama": "", "kontak": "",
    })
    assert r.status_code == 302
    pid = r.headers["Location"].rstrip("/").split("/")[-1]
    with app.app_context(), dalam_tenant(banten):
        p = db.session.scalar(select(Pengaduan))
        # The flow's first box is the complainant filing: not a step the office works.
        assert [(l.kode, l.opsional) for l in p.langkah] == [
            ("pejabat-unit-pengaduan", False), ("penjawab-aduan", False), ("rapat-pembahasan", True),
        ]
        assert p.nomor_referensi == "LAPOR-7788123" and p.anonim and p.layanan_id is None
        kode = p.kode_lacak

    # A mandatory step cannot be skipped.
    ditolak = _kerjakan(staf, "provinsi-banten", pid, "lewati", "tidak perlu")
    assert ditolak.status_code == 400 and "tidak dapat dilewati" in ditolak.get_data(as_text=True)
    assert _kerjakan(staf, "provinsi-banten", pid, "selesai", "Diteruskan ke unit pengaduan.").status_code == 302
    assert _kerjakan(staf, "provinsi-banten", pid, "selesai", "Jawaban disusun.").status_code == 302
    # The meeting "if needed" can be skipped, but only with a reason.
    tanpa_alasan = _kerjakan(staf, "provinsi-banten", pid, "lewati", "  ")
    assert tanpa_alasan.status_code == 400 and "alasan" in tanpa_alasan.get_data(as_text=True)
    assert _kerjakan(staf, "provinsi-banten", pid, "lewati", "Tidak perlu rapat: jawaban sudah jelas.").status_code == 302
    kosong = _tutup(staf, "provinsi-banten", pid, "   ")
    assert kosong.status_code == 400 and "Jawaban wajib diisi" in kosong.get_data(as_text=True)
    assert _tutup(staf, "provinsi-banten", pid, "Anak telah didaftarkan di SD terdekat.").status_code == 302

    with app.app_context(), dalam_tenant(banten):
        p = db.session.scalar(select(Pengaduan))
        assert [l.status for l in p.langkah] == ["selesai", "selesai", "dilewati"]
        assert p.langkah[2].catatan.startswith("Tidak perlu rapat")
    html = _lacak(app.test_client(), "provinsi-banten", kode).get_data(as_text=True)
    assert "didaftarkan di SD terdekat" in html and "Dilewati" in html


def test_office_level_complaint_uses_the_union_of_its_services_steps(app, kantor_seed):
    r = _kirim_publik(app.test_client(), "kota-metro", layanan="", isi="Ruang tunggu panas.")
    assert r.status_code == 201
    with app.app_context(), dalam_tenant(kantor_seed["kota-metro"].id):
        p = db.session.scalar(select(Pengaduan))
        assert p.layanan_id is None and p.anonim
        assert [l.kode for l in p.langkah] == ["verifikasi-aduan", "mediasi", "koordinasi-cek-lokasi", "penyelesaian-sanksi"]
        assert p.langkah[0].status == "berjalan" and all(l.status == "menunggu" for l in p.langkah[1:])


def test_steps_stay_as_copied_when_the_standard_changes(app, kantor_seed):
    from dinsos.catalogue.models import Layanan
    from dinsos.catalogue.services import simpan_standar, versi_terbaru
    from dinsos.tenancy.models import Tenant

    metro = kantor_seed["kota-metro"].id
    assert _kirim_publik(app.test_client(), "kota-metro", layanan="pendampingan-abh", isi="Pendamping terlambat.").status_code == 201
    with app.app_context(), dalam_tenant(metro):
        layanan = db.session.scalar(select(Layanan).where(Layanan.kode == "pendampingan-abh"))
        isi = dict(versi_terbaru(layanan).isi)
        isi["penyampaian_pelayanan"] = {**isi["penyampaian_pelayanan"], "pengaduan": {
            **isi["penyampaian_pelayanan"]["pengaduan"], "tindak_lanjut": [{"kode": "klarifikasi", "nama": "Klarifikasi"}]}}
        simpan_standar(db.session.get(Tenant, metro), isi)
        db.session.commit()
    assert _kirim_publik(app.test_client(), "kota-metro", layanan="pendampingan-abh", isi="Kedua kalinya.").status_code == 201
    with app.app_context(), dalam_tenant(metro):
        lama, baru = db.session.scalars(select(Pengaduan).order_by(Pengaduan.mulai_pada)).all()
        assert len(lama.langkah) == 4 and [l.kode for l in baru.langkah] == ["klarifikasi"]


def test_magetan_single_follow_up_step(app, kantor_seed):
    assert _kirim_publik(app.test_client(), "kabupaten-magetan", layanan="pengiriman-anjal-at", isi="Berkas lama diproses.").status_code == 201
    with app.app_context(), dalam_tenant(kantor_seed["kabupaten-magetan"].id):
        p = db.session.scalar(select(Pengaduan))
        assert [l.nama for l in p.langkah] == ["Tindak lanjut penanganan melalui Bidang Pelayanan dan Rehabilitasi Sosial"]


@pytest.mark.parametrize("isian, pesan", [
    ({"layanan": "", "isi": "   "}, "Isi pengaduan wajib diisi"),
    ({"layanan": "tidak-ada", "isi": "Ada isinya."}, "Pilih layanan yang diadukan"),
])
def test_bad_public_complaint_is_refused_and_nothing_stored(app, kantor_seed, isian, pesan):
    r = _kirim_publik(app.test_client(), "kota-metro", **isian)
    assert r.status_code == 400 and pesan in r.get_data(as_text=True)
    assert _jumlah(app, Pengaduan) == 0 and _jumlah(app, LangkahPengaduan) == 0


def test_sp4n_lapor_needs_its_reference_number(app, kantor_seed):
    buat_staf(kantor_seed["kabupaten-magetan"], "petugas_pelayanan", "p@mgt.uji")
    staf = app.test_client()
    masuk(staf, "kabupaten-magetan", "p@mgt.uji")
    form = staf.get("/t/kabupaten-magetan/pengaduan/kelola/baru").get_data(as_text=True)
    r = staf.post("/t/kabupaten-magetan/pengaduan/kelola/baru", data={
        "csrf_token": token_csrf(form), "kanal": "sp4n_lapor", "nomor_referensi": "", "layanan": "", "isi": "Lambat.",
    })
    assert r.status_code == 400 and "nomor tiket" in r.get_data(as_text=True)
    assert _jumlah(app, Pengaduan) == 0


def test_unknown_tracking_code_is_a_clear_404_and_stores_nothing(app, kantor_seed):
    sebelum = _jumlah(app, CatatanAudit)
    for kode in ("ABCDE-23456", "0000011111", "x"):
        r = _lacak(app.test_client(), "kota-metro", kode)
        assert r.status_code == 404
        assert "tidak ditemukan di Dinas Sosial Kota Metro" in r.get_data(as_text=True)
    assert _jumlah(app, CatatanAudit) == sebelum and _jumlah(app, Pengaduan) == 0


def test_flood_of_complaints_from_one_address_is_stopped(app, kantor_seed):
    semula = app.config["PENGADUAN_RATE_LIMIT"]
    app.config["PENGADUAN_RATE_LIMIT"] = "3 per hour"
    try:
        klien = app.test_client()
        kode = [_kirim_publik(klien, "kota-metro", layanan="", isi=f"Aduan ke-{i}").status_code for i in range(4)]
        assert kode == [201, 201, 201, 429]
        r = _kirim_publik(klien, "kota-metro", layanan="", isi="lagi")
        assert r.status_code == 429 and "Terlalu banyak pengaduan" in r.get_data(as_text=True)
        assert _jumlah(app, Pengaduan) == 3
        # Another address is not affected.
        lain = app.test_client()
        lain.environ_base["REMOTE_ADDR"] = "10.9.8.7"
        assert _kirim_publik(lain, "kota-metro", layanan="", isi="Dari alamat lain").status_code == 201
    finally:
        app.config["PENGADUAN_RATE_LIMIT"] = semula


def test_identity_only_for_complaint_handlers_and_each_view_is_audited(app, kantor_seed):
    metro = kantor_seed["kota-metro"].id
    kantor = kantor_seed["kota-metro"]
    buat_staf(kantor, "pekerja_sosial", "peksos@metro.uji")
    buat_staf(kantor, "kepala_dinas", "kadis@metro.uji")
    _kirim_publik(app.test_client(), "kota-metro", layanan="", isi="Aduan dengan identitas.", nama="Budi Santoso", kontak="budi@contoh.id")
    with app.app_context(), dalam_tenant(metro):
        pid = db.session.scalar(select(Pengaduan.id))

    peksos = app.test_client()
    masuk(peksos, "kota-metro", "peksos@metro.uji")
    html = peksos.get(f"/t/kota-metro/pengaduan/kelola/{pid}").get_data(as_text=True)
    assert "Aduan dengan identitas." in html and "Budi Santoso" not in html and "budi@contoh.id" not in html
    assert "Dirahasiakan" in html and 'name="aksi"' not in html
    assert _jumlah(app, CatatanAudit, tindakan="lihat_identitas_pelapor") == 0
    assert peksos.post(f"/t/kota-metro/pengaduan/kelola/{pid}/tutup", data={"jawaban": "x"}).status_code in (400, 403)

    kadis = app.test_client()
    masuk(kadis, "kota-metro", "kadis@metro.uji")
    html = kadis.get(f"/t/kota-metro/pengaduan/kelola/{pid}").get_data(as_text=True)
    assert "Budi Santoso" in html and "budi@contoh.id" in html
    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        catatan = db.session.scalars(select(CatatanAudit).where(CatatanAudit.tindakan == "lihat_identitas_pelapor")).all()
        assert [(c.objek_jenis, c.objek_id, c.tenant_id) for c in catatan] == [("pengaduan", str(pid), metro)]
        assert catatan[0].aktor.startswith("pengguna:")


def test_only_the_running_step_can_be_moved_and_closing_waits_for_all_steps(app, kantor_seed):
    metro = kantor_seed["kota-metro"].id
    buat_staf(kantor_seed["kota-metro"], "petugas_pelayanan", "p@metro.uji")
    _kirim_publik(app.test_client(), "kota-metro", layanan="", isi="Aduan.")
    staf = app.test_client()
    masuk(staf, "kota-metro", "p@metro.uji")
    with app.app_context(), dalam_tenant(metro):
        p = db.session.scalar(select(Pengaduan))
        pid, langkah_kedua = p.id, p.langkah[1].id
    html = staf.get(f"/t/kota-metro/pengaduan/kelola/{pid}").get_data(as_text=True)
    basi = staf.post(f"/t/kota-metro/pengaduan/kelola/{pid}/langkah",
                     data={"csrf_token": token_csrf(html), "langkah_id": str(langkah_kedua), "catatan": "", "aksi": "selesai"})
    assert basi.status_code == 409 and "muat ulang" in basi.get_data(as_text=True)
    dini = staf.post(f"/t/kota-metro/pengaduan/kelola/{pid}/tutup", data={"csrf_token": token_csrf(html), "jawaban": "Selesai."})
    assert dini.status_code == 409 and "belum dapat ditutup" in dini.get_data(as_text=True)
    with app.app_context(), dalam_tenant(metro):
        p = db.session.get(Pengaduan, (metro, pid))
        assert p.status == "diproses" and [l.status for l in p.langkah][:2] == ["berjalan", "menunggu"]


def test_other_offices_complaints_are_not_found(app, kantor_seed):
    metro = kantor_seed["kota-metro"].id
    r = _kirim_publik(app.test_client(), "kota-metro", layanan="", isi="Aduan Metro.", nama="Rahasia Metro")
    kode = _kode_dari(r.get_data(as_text=True))
    pid = _id_pengaduan(app, metro, kode)
    buat_staf(kantor_seed["provinsi-banten"], "kepala_dinas", "kadis@banten.uji")
    staf = app.test_client()
    masuk(staf, "provinsi-banten", "kadis@banten.uji")
    assert staf.get(f"/t/provinsi-banten/pengaduan/kelola/{pid}").status_code == 404
    daftar = staf.get("/t/provinsi-banten/pengaduan/kelola").get_data(as_text=True)
    assert kode not in daftar and "Rahasia Metro" not in daftar
    assert _lacak(app.test_client(), "provinsi-banten", kode).status_code == 404
    # A Metro session is anonymous under Banten's URLs.
    buat_staf(kantor_seed["kota-metro"], "kepala_dinas", "kadis@metro.uji")
    metro_staf = app.test_client()
    masuk(metro_staf, "kota-metro", "kadis@metro.uji")
    assert metro_staf.get(f"/t/provinsi-banten/pengaduan/kelola/{pid}").status_code in (302, 401)


def test_staff_list_filters(app, kantor_seed):
    from datetime import datetime, timezone

    from dinsos.catalogue.models import Layanan
    from dinsos.complaints.services import terima_pengaduan

    metro = kantor_seed["kota-metro"].id
    with app.app_context(), dalam_tenant(metro):
        abh = db.session.scalar(select(Layanan).where(Layanan.kode == "pendampingan-abh"))
        lama = terima_pengaduan(isi="Aduan lama lewat telepon.", kanal="telepon", layanan=abh,
                               pada=datetime(2024, 1, 8, 2, 0, tzinfo=timezone.utc))
        baru = terima_pengaduan(isi="Aduan baru lewat email.", kanal="email")
        db.session.commit()
        kode_lama, kode_baru = lama.kode_lacak, baru.kode_lacak
    buat_staf(kantor_seed["kota-metro"], "kepala_bidang", "kabid@metro.uji")
    staf = app.test_client()
    masuk(staf, "kota-metro", "kabid@metro.uji")

    def tampil(query):
        html = staf.get(f"/t/kota-metro/pengaduan/kelola?{query}").get_data(as_text=True)
        return {k for k in (kode_lama, kode_baru) if f"{k[:5]}-{k[5:]}" in html}

    assert tampil("") == {kode_lama, kode_baru}
    assert tampil("kanal=telepon") == {kode_lama}
    assert tampil("layanan=pendampingan-abh") == {kode_lama}
    assert tampil("layanan=umum") == {kode_baru}
    assert tampil("terlambat=1") == {kode_lama}
    assert tampil("status=selesai") == set()
    assert tampil("status=diproses") == {kode_lama, kode_baru}
    assert tampil("layanan=tidak-ada") == set()
    dasbor = staf.get("/t/kota-metro/dasbor").get_data(as_text=True)
    assert "Sedang diproses: 2" in dasbor and re.search(r'href="/t/kota-metro/pengaduan/kelola\?terlambat=1">Terlambat: 1<', dasbor)


def test_guessing_tracking_codes_is_rate_limited(app, kantor_seed):
    semula = app.config["PENGADUAN_LACAK_RATE_LIMIT"]
    app.config["PENGADUAN_LACAK_RATE_LIMIT"] = "2 per hour"
    try:
        klien = app.test_client()
        kode = [_lacak(klien, "kota-metro", f"ABCDE-2345{i}").status_code for i in range(3)]
        assert kode == [404, 404, 429]
        assert "Terlalu banyak pencarian kode pelacakan" in _lacak(klien, "kota-metro", "ABCDE-23459").get_data(as_text=True)
    finally:
        app.config["PENGADUAN_LACAK_RATE_LIMIT"] = semula
