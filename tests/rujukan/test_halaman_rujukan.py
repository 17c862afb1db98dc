"""The referral pages: sending through the form, the inbox, isolation between offices, the province overview."""

from alat_rujukan import (
    DOKUMEN_BANTEN,
    antar_semua,
    kasus_magetan,
    lampiran_baru,
    notifikasi,
    rujuk_ke_banten,
    semua_masuk,
    tanggapi,
)
from sqlalchemy import select

from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos.referrals.models import Rujukan
from dinsos.referrals.perujukan import buat_rujukan
from dinsos.referrals.rujukan import nomor_tampil
from dinsos.referrals.tujuan import cari_tujuan_mitra, simpan_mitra
from dinsos_uji.alat_kasus import di_kantor, klien_masuk
from dinsos_uji.bantuan import token_csrf

TUJUAN = "layanan:provinsi-banten:rehabilitasi-anak-terlantar-panti"


def _data_form(html: str, lampiran: dict, **lain) -> dict:
    data = {"csrf_token": token_csrf(html), "tujuan": TUJUAN, "alasan": "Anak terlantar butuh pengasuhan panti",
            "bidang_klien": ["nama", "tanggal_lahir", "jenis_kelamin"], "persetujuan_nama": "Sumarni",
            "persetujuan_hubungan": "orang_tua", "persetujuan_cara": "tertulis", "persetujuan_tanggal": "2026-05-04"}
    for i, kode in enumerate(DOKUMEN_BANTEN):
        if kode in lampiran:
            data[f"dok_{i}"] = f"lampiran:{lampiran[kode]}"
    data.update(lain)
    return data


def test_budi_refers_through_the_form_and_dedi_accepts_through_the_inbox(app, seed):
    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    budi = klien_masuk(staf["kabupaten-magetan"]["pekerja_sosial"])
    halaman = budi.get(f"/t/kabupaten-magetan/kasus/{kasus_id}").get_data(as_text=True)
    assert f"/t/kabupaten-magetan/kasus/{kasus_id}/rujuk" in halaman
    pilih = budi.get(f"/t/kabupaten-magetan/kasus/{kasus_id}/rujuk").get_data(as_text=True)
    assert TUJUAN in pilih and "Dinas Sosial Provinsi Banten" in pilih
    url = f"/t/kabupaten-magetan/kasus/{kasus_id}/rujuk?tujuan={TUJUAN}"
    form = budi.get(url).get_data(as_text=True)
    # Banten asks the referring office for its two documents; the other three are Banten's own, made at its steps.
    assert "Surat persetujuan untuk mendapatkan Rehabilitasi Sosial" in form and "Berita acara serah terima penempatan" not in form

    # Checking first: the page names what is missing; sending with it missing is refused and writes nothing.
    sebagian = {k: v for k, v in lampiran.items() if k == "surat-permohonan"}
    r = budi.post(f"/t/kabupaten-magetan/kasus/{kasus_id}/rujuk", data=_data_form(form, sebagian, aksi="periksa"))
    assert r.status_code == 200
    teks = r.get_data(as_text=True)
    assert "Dokumen wajib yang belum dilampirkan" in teks and "Surat persetujuan untuk mendapatkan" in teks
    r = budi.post(f"/t/kabupaten-magetan/kasus/{kasus_id}/rujuk", data=_data_form(form, sebagian, aksi="kirim"))
    assert r.status_code == 422 and "Dokumen wajib layanan tujuan belum dilampirkan" in r.get_data(as_text=True)
    with di_kantor(kantor["kabupaten-magetan"]):
        assert db.session.scalar(select(Rujukan.id)) is None

    r = budi.post(f"/t/kabupaten-magetan/kasus/{kasus_id}/rujuk", data=_data_form(form, lampiran, aksi="kirim"))
    assert r.status_code == 302, r.get_data(as_text=True)
    rinci = budi.get(r.headers["Location"]).get_data(as_text=True)
    assert "Dikirim" in rinci and "Sumarni" in rinci
    antar_semua(app)

    dedi = klien_masuk(staf["provinsi-banten"]["pekerja_sosial"])
    kotak = dedi.get("/t/provinsi-banten/rujukan/masuk").get_data(as_text=True)
    [m] = semua_masuk(kantor["provinsi-banten"])
    assert f"/t/provinsi-banten/rujukan/masuk/{m['id']}" in kotak and "Dinas Sosial Kabupaten Magetan" in kotak
    assert "Rina Lestari" not in kotak  # a child's name is masked in lists
    rinci = dedi.get(f"/t/provinsi-banten/rujukan/masuk/{m['id']}").get_data(as_text=True)
    for nama in ("Surat permohonan dari dinas sosial", "Surat persetujuan untuk mendapatkan", "Terima dan buka kasus", "Rina Lestari"):
        assert nama in rinci
    berkas = m["isi"]["berkas"][0]
    unduh = dedi.get(f"/t/provinsi-banten/rujukan/masuk/{m['id']}/berkas/{berkas['id']}")
    assert unduh.status_code == 200 and unduh.data.startswith(b"%PDF")
    r = dedi.post(f"/t/provinsi-banten/rujukan/masuk/{m['id']}/terima", data={"csrf_token": token_csrf(rinci)})
    assert r.status_code == 302 and "/t/provinsi-banten/kasus/" in r.headers["Location"]
    r = dedi.post(f"/t/provinsi-banten/rujukan/masuk/{m['id']}/terima", data={"csrf_token": token_csrf(rinci)})
    assert r.status_code == 409 and "tidak dapat diterima dua kali" in r.get_data(as_text=True)
    antar_semua(app)
    assert "Diterima" in budi.get(f"/t/kabupaten-magetan/kasus/{kasus_id}").get_data(as_text=True)
    inggris = budi.get("/t/kabupaten-magetan/rujukan/keluar?lang=en").get_data(as_text=True)
    assert "<h1>Outgoing referrals</h1>" in inggris and "Received" in inggris


def test_both_offices_read_what_was_shared_and_the_history_in_words_not_field_names(app, seed):
    import re

    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    rid = rujuk_ke_banten(staf, kasus_id, lampiran)  # shares every client field
    antar_semua(app)
    [m] = semua_masuk(kantor["provinsi-banten"])
    dedi = klien_masuk(staf["provinsi-banten"]["pekerja_sosial"])
    teks = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dedi.get(f"/t/provinsi-banten/rujukan/masuk/{m['id']}").get_data(as_text=True)))
    for baris in ("Nama Rina Lestari", "Tanggal lahir / umur 2014-03-02", "Jenis kelamin Perempuan",
                  "Alamat Dusun Krajan, Magetan (35.20.01.2001)", "Kategori PPKS Anak terlantar",
                  "Keluarga Sumarni (Ibu, wali), 0812000111", "Sampai di kantor tujuan"):
        assert baris in teks, baris
    for kode in ("jenis_kelamin", "kategori_ppks", "kode_wilayah", "tanggal_lahir", "(ibu)", "sampai ("):
        assert kode not in teks, kode

    kabid = klien_masuk(staf["kabupaten-magetan"]["kepala_bidang"])  # may see the child's identity: the shared data is listed
    teks = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", kabid.get(f"/t/kabupaten-magetan/rujukan/keluar/{rid}").get_data(as_text=True)))
    assert ("Data klien: Nama, NIK, Tanggal lahir / umur, Jenis kelamin, Alamat dan kode wilayah, Kategori PPKS, "
            "Deskripsi / ciri-ciri, Keluarga / wali") in teks
    assert "Dibuat (Draf)" in teks and "Dikirim " in teks and "Laporan kantor tujuan (Sampai di kantor tujuan)" in teks
    assert "dibuat (" not in teks and "laporan_" not in teks
    assert "memenuhi Surat permohonan dari dinas sosial" in teks and "memenuhi surat-permohonan" not in teks  # Banten's words
    inggris = kabid.get(f"/t/kabupaten-magetan/rujukan/keluar/{rid}?lang=en").get_data(as_text=True)
    assert "Receiving office's report (Reached the receiving office)" in inggris and "Family / guardians" in inggris


def test_the_receiver_cannot_open_the_senders_case_files_or_a_withdrawn_referral(app, seed):
    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    rid = rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    [m] = semua_masuk(kantor["provinsi-banten"])
    dedi = klien_masuk(staf["provinsi-banten"]["kepala_bidang"])
    lamp = next(iter(lampiran.values()))
    for url in (f"/t/provinsi-banten/kasus/{kasus_id}", f"/t/provinsi-banten/kasus/{kasus_id}/lampiran/{lamp}",
                f"/t/provinsi-banten/rujukan/keluar/{rid}", f"/t/provinsi-banten/kasus/{kasus_id}/rujuk"):
        assert dedi.get(url).status_code == 404, url
    # Banten's login is anonymous under Magetan's address.
    r = dedi.get(f"/t/kabupaten-magetan/kasus/{kasus_id}")
    assert r.status_code in (302, 401) and "/masuk" in r.headers.get("Location", "/masuk")
    # And Magetan cannot open Banten's copy.
    budi = klien_masuk(staf["kabupaten-magetan"]["kepala_bidang"])
    assert budi.get(f"/t/kabupaten-magetan/rujukan/masuk/{m['id']}").status_code == 404

    rinci = budi.get(f"/t/kabupaten-magetan/rujukan/keluar/{rid}").get_data(as_text=True)
    r = budi.post(f"/t/kabupaten-magetan/rujukan/keluar/{rid}/tarik", data={"csrf_token": token_csrf(rinci), "alasan": "Keluarga ditemukan"})
    assert r.status_code == 302
    antar_semua(app)
    halaman = dedi.get(f"/t/provinsi-banten/rujukan/masuk/{m['id']}")
    teks = halaman.get_data(as_text=True)
    assert halaman.status_code == 200 and "sudah berakhir" in teks
    assert "Rina Lestari" not in teks and "Terima dan buka kasus" not in teks
    for b in m["isi"]["berkas"]:
        r = dedi.get(f"/t/provinsi-banten/rujukan/masuk/{m['id']}/berkas/{b['id']}")
        assert r.status_code == 410 and "sudah berakhir" in r.get_data(as_text=True)
    r = dedi.post(f"/t/provinsi-banten/rujukan/masuk/{m['id']}/terima", data={"csrf_token": token_csrf(teks)})
    assert r.status_code == 409
    assert semua_masuk(kantor["provinsi-banten"])[0]["kasus_id"] is None


def test_a_partner_referral_letter_is_downloadable_by_the_sender_only(seed):
    kantor, staf = seed
    s = staf["kabupaten-magetan"]
    kasus_id, lampiran = kasus_magetan(staf, berkas=("hasil-asesmen",))
    from alat_rujukan import PERSETUJUAN

    from dinsos_uji.alat_kasus import akun
    from dinsos_uji.alat_kasus import kasus as muat_kasus

    with di_kantor(kantor["kabupaten-magetan"]):
        mitra = simpan_mitra(nama="Panti Asuhan Harapan", jenis="panti", alamat="Magetan", kontak=None, pengguna=akun(s["kepala_bidang"]))
        r = buat_rujukan(muat_kasus(kasus_id), pengguna=akun(s["pekerja_sosial"]), tujuan=cari_tujuan_mitra(mitra.id),
                         alasan="Pengasuhan", bidang_klien=["nama"], persetujuan=PERSETUJUAN)
        db.session.commit()
        surat_id = r.surat_id
    budi = klien_masuk(s["pekerja_sosial"])
    unduh = budi.get(f"/t/kabupaten-magetan/surat/{surat_id}.pdf")
    assert unduh.status_code == 200 and unduh.data.startswith(b"%PDF")
    dedi = klien_masuk(staf["provinsi-banten"]["kepala_bidang"])
    assert dedi.get(f"/t/provinsi-banten/surat/{surat_id}.pdf").status_code == 404


def _nomor(rid) -> str:
    return nomor_tampil(rid)


def test_ibu_yuli_sees_her_kabupatens_referrals_without_names_and_reminds_banten(app, seed):
    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    rid = rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    yuli = klien_masuk(staf["provinsi-jawa-timur"]["kepala_bidang"])
    assert "/t/provinsi-jawa-timur/pengawasan/rujukan" in yuli.get("/t/provinsi-jawa-timur/dasbor").get_data(as_text=True)
    halaman = yuli.get("/t/provinsi-jawa-timur/pengawasan/rujukan")
    teks = halaman.get_data(as_text=True)
    assert halaman.status_code == 200
    assert _nomor(rid) in teks and "Dinas Sosial Kabupaten Magetan" in teks and "Dinas Sosial Provinsi Banten" in teks
    assert "Rehabilitasi Sosial Dasar Anak Terlantar Dalam Panti" in teks
    assert "Rina" not in teks and "Sumarni" not in teks
    # Another province sees nothing of it; a kota office has no oversight page.
    lampung = klien_masuk(staf["provinsi-lampung"]["kepala_bidang"])
    teks_lampung = lampung.get("/t/provinsi-lampung/pengawasan/rujukan").get_data(as_text=True)
    assert _nomor(rid) not in teks_lampung
    metro = klien_masuk(staf["kota-metro"]["kepala_bidang"])
    assert metro.get("/t/kota-metro/pengawasan/rujukan").status_code == 403
    assert "/pengawasan/rujukan" not in metro.get("/t/kota-metro/dasbor").get_data(as_text=True)

    [m] = semua_masuk(kantor["provinsi-banten"])
    kunci = m["kunci_kirim"]
    r = yuli.post("/t/provinsi-jawa-timur/pengawasan/rujukan/tindakan",
                  data={"csrf_token": token_csrf(teks), "kunci_kirim": kunci, "jenis": "pengingat"})
    assert r.status_code == 302
    r = yuli.post("/t/provinsi-jawa-timur/pengawasan/rujukan/tindakan",
                  data={"csrf_token": token_csrf(teks), "kunci_kirim": kunci, "jenis": "pengingat"})
    assert r.status_code == 409 and "sudah dikirim hari ini" in r.get_data(as_text=True)
    r = lampung.post("/t/provinsi-lampung/pengawasan/rujukan/tindakan",
                     data={"csrf_token": token_csrf(teks_lampung), "kunci_kirim": kunci, "jenis": "eskalasi"})
    assert r.status_code == 404 and "tidak ditemukan" in r.get_data(as_text=True)
    antar_semua(app)
    pengingat = notifikasi(staf["provinsi-banten"]["kepala_bidang"])
    assert f"Pengingat dari Dinas Sosial Provinsi Jawa Timur: rujukan {_nomor(rid)}" in pengingat
    assert notifikasi(staf["provinsi-banten"]["kepala_dinas"]) == []
    r = yuli.post("/t/provinsi-jawa-timur/pengawasan/rujukan/tindakan",
                  data={"csrf_token": token_csrf(teks), "kunci_kirim": kunci, "jenis": "eskalasi", "catatan": "Sudah 4 hari kerja"})
    antar_semua(app)
    assert any(j.startswith("Eskalasi dari Dinas Sosial Provinsi Jawa Timur") for j in notifikasi(staf["provinsi-banten"]["kepala_dinas"]))
    # Every look across offices is in the audit log.
    from alat_rujukan import konteks_app

    from dinsos.audit.models import CatatanAudit

    with konteks_app(app), lintas_tenant("uji", catat=False):  # the audit log of every office
        alasan = set(db.session.scalars(select(CatatanAudit.lintas_tenant).where(CatatanAudit.tindakan == "lintas_tenant")))
    assert {"pengawasan provinsi: rujukan kabupaten/kota", "rujukan: menyampaikan ke kantor tujuan",
            "pengawasan provinsi: pengingat rujukan"} <= alasan


def test_the_overview_puts_overdue_referrals_first_with_their_age_in_working_days(app, seed):
    from datetime import timedelta

    from dinsos.referrals import penerimaan, pengawasan
    from dinsos.tenancy.models import Tenant

    kantor, staf = seed
    k1, l1 = kasus_magetan(staf)
    k2, l2 = kasus_magetan(staf, klien={"nama": "Dewi", "tanggal_lahir": "2013-01-01", "jenis_kelamin": "P"})
    r1 = rujuk_ke_banten(staf, k1, l1)
    antar_semua(app)
    r2 = rujuk_ke_banten(staf, k2, l2)
    antar_semua(app)
    masuk = {m["asal_rujukan_id"]: m for m in semua_masuk(kantor["provinsi-banten"])}
    with di_kantor(kantor["provinsi-banten"]):
        t2 = penerimaan.tenggat_masuk(penerimaan.muat_masuk(masuk[r2]["id"]))
        t2.due_at = t2.due_at - timedelta(days=10)  # the second one is long overdue
        db.session.commit()
        due = penerimaan.tenggat_masuk(penerimaan.muat_masuk(masuk[r1]["id"])).due_at
    tanggapi(staf["provinsi-banten"]["pekerja_sosial"], masuk[r1]["id"], "minta_info", pertanyaan="Mohon surat sehat terbaru")
    with di_kantor(kantor["provinsi-jawa-timur"]):
        data = pengawasan.ringkasan(db.session.get(Tenant, kantor["provinsi-jawa-timur"].id), pada=due + timedelta(days=3))
    assert [b["nomor"] for b in data["baris"]] == [_nomor(r2), _nomor(r1)]
    assert [b["keadaan_tenggat"] for b in data["baris"]] == ["terlambat", "dijeda"]
    assert data["baris"][0]["umur_hari_kerja"] >= 3 and data["jumlah"] == {"semua": 2, "menunggu": 2, "terlambat": 1}
    [magetan] = [k for k in data["per_kantor"] if k["kantor"] == "Dinas Sosial Kabupaten Magetan"]
    assert magetan["keluar"] == 2 and magetan["masuk"] == 0
    assert data["matriks"]["sel"] == {"Dinas Sosial Kabupaten Magetan\u2192Dinas Sosial Provinsi Banten": {"jumlah": 2, "terlambat": 1}}
    assert all("klien" not in b for b in data["baris"])


def test_an_overdue_answer_to_a_referral_is_named_on_the_receivers_deadline_dashboard(app, seed):
    from datetime import timedelta

    from dinsos.referrals import penerimaan

    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    [m] = semua_masuk(kantor["provinsi-banten"])
    with di_kantor(kantor["provinsi-banten"]):
        t = penerimaan.tenggat_masuk(penerimaan.muat_masuk(m["id"]))
        t.warn_at, t.due_at = t.warn_at - timedelta(days=10), t.due_at - timedelta(days=10)
        db.session.commit()
    kabid = klien_masuk(staf["provinsi-banten"]["kepala_bidang"])
    halaman = kabid.get("/t/provinsi-banten/dasbor/tenggat").get_data(as_text=True)
    terlambat = halaman[halaman.index('id="judul-terlambat"'):halaman.index('id="judul-berisiko"')]
    assert "Tanggapan rujukan masuk" in terlambat and "rujukan_masuk" not in terlambat
    # an incoming referral is answered by whoever handles referrals here, not by one assigned person
    assert "petugas rujukan kantor ini" in terlambat and "belum ditugaskan" not in terlambat
    assert "Answer to an incoming referral" in kabid.get("/t/provinsi-banten/dasbor/tenggat?lang=en").get_data(as_text=True)


def test_the_other_pages_partners_settings_drafts_questions_and_repatriation(app, seed, tmp_path):
    from kantor_uji import onboard
    from test_pemulangan import KELUARGA, _kasus_metro

    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    kabid = klien_masuk(staf["kabupaten-magetan"]["kepala_bidang"])
    halaman = kabid.get("/t/kabupaten-magetan/rujukan/mitra").get_data(as_text=True)
    r = kabid.post("/t/kabupaten-magetan/rujukan/mitra", data={"csrf_token": token_csrf(halaman), "nama": "Balai Anak Bina Remaja",
                                                               "jenis": "balai", "alamat": "Madiun"})
    assert r.status_code == 302 and "Balai Anak Bina Remaja" in kabid.get("/t/kabupaten-magetan/rujukan/mitra").get_data(as_text=True)
    r = kabid.post("/t/kabupaten-magetan/rujukan/mitra", data={"csrf_token": token_csrf(halaman), "nama": "Balai Anak Bina Remaja",
                                                               "jenis": "balai"})
    assert r.status_code == 422 and "sudah terdaftar" in r.get_data(as_text=True)
    budi = klien_masuk(staf["kabupaten-magetan"]["pekerja_sosial"])
    halaman = budi.get("/t/kabupaten-magetan/rujukan/mitra").get_data(as_text=True)
    assert budi.post("/t/kabupaten-magetan/rujukan/mitra", data={"csrf_token": token_csrf(halaman), "nama": "X", "jenis": "lks"}).status_code == 403
    # A draft without consent shows the consent form, and to a kepala bidang the override form.
    rid = rujuk_ke_banten(staf, kasus_id, lampiran, kirim=False, persetujuan=None)
    rinci = kabid.get(f"/t/kabupaten-magetan/rujukan/keluar/{rid}").get_data(as_text=True)
    assert "Catat persetujuan" in rinci and "Beri persetujuan pengganti (override)" in rinci
    r = kabid.post(f"/t/kabupaten-magetan/rujukan/keluar/{rid}/kirim", data={"csrf_token": token_csrf(rinci)})
    assert r.status_code == 422 and "Persetujuan klien atau wali belum dicatat" in r.get_data(as_text=True)
    r = kabid.post(f"/t/kabupaten-magetan/rujukan/keluar/{rid}/persetujuan", data={
        "csrf_token": token_csrf(rinci), "persetujuan_nama": "Sumarni", "persetujuan_hubungan": "orang_tua",
        "persetujuan_cara": "cap_jempol", "persetujuan_tanggal": "2026-05-04"})
    assert r.status_code == 302
    assert kabid.post(f"/t/kabupaten-magetan/rujukan/keluar/{rid}/kirim", data={"csrf_token": token_csrf(rinci)}).status_code == 302
    antar_semua(app)
    [m] = semua_masuk(kantor["provinsi-banten"])
    dedi = klien_masuk(staf["provinsi-banten"]["pekerja_sosial"])
    assert "1 rujukan menunggu tanggapan" in dedi.get("/t/provinsi-banten/dasbor").get_data(as_text=True)
    rinci_b = dedi.get(f"/t/provinsi-banten/rujukan/masuk/{m['id']}").get_data(as_text=True)
    for aksi in ("terima", "tolak", "minta-info"):  # every form needs its CSRF token
        assert dedi.post(f"/t/provinsi-banten/rujukan/masuk/{m['id']}/{aksi}", data={"alasan": "x", "pertanyaan": "x"}).status_code == 400
    assert semua_masuk(kantor["provinsi-banten"])[0]["status"] == "diterima_tujuan"
    r = dedi.post(f"/t/provinsi-banten/rujukan/masuk/{m['id']}/minta-info", data={"csrf_token": token_csrf(rinci_b), "pertanyaan": ""})
    assert r.status_code == 422
    r = dedi.post(f"/t/provinsi-banten/rujukan/masuk/{m['id']}/minta-info",
                  data={"csrf_token": token_csrf(rinci_b), "pertanyaan": "Mohon surat sehat terbaru"})
    assert r.status_code == 302 and "dijeda menunggu pengirim" in dedi.get(r.headers["Location"]).get_data(as_text=True)
    antar_semua(app)
    rinci = budi.get(f"/t/kabupaten-magetan/rujukan/keluar/{rid}").get_data(as_text=True)
    assert "Mohon surat sehat terbaru" in rinci and "Kirim jawaban" in rinci
    r = budi.post(f"/t/kabupaten-magetan/rujukan/keluar/{rid}/lengkapi", data={
        "csrf_token": token_csrf(rinci), "catatan": "Terlampir", "tambahan": [f"lampiran:{lampiran_baru(staf, kasus_id, 'surat-sehat')}"]})
    assert r.status_code == 302
    antar_semua(app)
    assert semua_masuk(kantor["provinsi-banten"])[0]["status"] == "diterima_tujuan"

    # Banten's kepala dinas sets the answer time; a bad one is refused with the reason.
    kadis = klien_masuk(staf["provinsi-banten"]["kepala_dinas"])
    halaman = kadis.get("/t/provinsi-banten/rujukan/pengaturan").get_data(as_text=True)
    r = kadis.post("/t/provinsi-banten/rujukan/pengaturan", data={"csrf_token": token_csrf(halaman), "batas_tanggapan": "segera"})
    assert r.status_code == 422 and "segera" in r.get_data(as_text=True) and "Pengaturan tidak disimpan" in r.get_data(as_text=True)
    r = kadis.post("/t/provinsi-banten/rujukan/pengaturan", data={
        "csrf_token": token_csrf(halaman), "batas_tanggapan": "3 hari kerja", "batas_rehabilitasi-anak-terlantar-panti": "5 hari kerja"})
    assert r.status_code == 302 and 'value="5 hari kerja"' in kadis.get("/t/provinsi-banten/rujukan/pengaturan").get_data(as_text=True)
    assert dedi.get("/t/provinsi-banten/rujukan/pengaturan").status_code == 403

    # Kota Metro's repatriation page finds the family's office and leads to the referral form.
    onboard(app, tmp_path)
    kid = _kasus_metro(staf)
    peksos = klien_masuk(staf["kota-metro"]["pekerja_sosial"])
    assert "Pemulangan: rujuk ke kantor daerah keluarga" in peksos.get(f"/t/kota-metro/kasus/{kid}").get_data(as_text=True)
    halaman = peksos.get(f"/t/kota-metro/kasus/{kid}/pemulangan").get_data(as_text=True)
    assert f'value="{KELUARGA}"' in halaman
    r = peksos.post(f"/t/kota-metro/kasus/{kid}/pemulangan", data={"csrf_token": token_csrf(halaman), "kode_wilayah": "35.20.01.2001"})
    assert r.status_code == 404 and "belum memiliki layanan yang menerima rujukan" in r.get_data(as_text=True)
    r = peksos.post(f"/t/kota-metro/kasus/{kid}/pemulangan", data={"csrf_token": token_csrf(halaman), "kode_wilayah": KELUARGA})
    assert r.status_code == 302 and "pemulangan=1" in r.headers["Location"]
    form = peksos.get(r.headers["Location"]).get_data(as_text=True)
    assert "Rujukan pemulangan: surat pengantar diterbitkan" in form and "Fotocopy KTP" in form


def test_a_child_banten_already_knows_is_accepted_onto_her_existing_record(app, seed):
    """Banten took Rina in two years ago; accepting Magetan's referral opens the new case on that same client."""
    from alat_rujukan import BANTEN, KLIEN_ANAK

    from dinsos.cases.models import Kasus, Klien
    from dinsos_uji.alat_kasus import terima_langsung

    kantor, staf = seed
    banten = kantor["provinsi-banten"]
    dulu = terima_langsung(staf["provinsi-banten"]["petugas_pelayanan"], BANTEN[1],
                           {k: KLIEN_ANAK[k] for k in ("nama", "tanggal_lahir", "jenis_kelamin", "kategori_ppks")}, {})
    with di_kantor(banten):
        klien_lama = db.session.scalar(select(Kasus.klien_id).where(Kasus.id == dulu))
        jumlah_klien = len(db.session.scalars(select(Klien.id)).all())
    kasus_id, lampiran = kasus_magetan(staf)
    rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    [m] = semua_masuk(banten)

    dedi = klien_masuk(staf["provinsi-banten"]["pekerja_sosial"])
    rinci = dedi.get(f"/t/provinsi-banten/rujukan/masuk/{m['id']}").get_data(as_text=True)
    assert "Klien ini mungkin sudah tercatat di kantor ini" in rinci and f'value="{klien_lama}"' in rinci
    assert "R*** L***" in rinci and "nama mirip (100%) dan tanggal lahir sama" in rinci  # her old record, masked for him

    # A client who is not one of the matches is refused, and nothing is accepted.
    r = dedi.post(f"/t/provinsi-banten/rujukan/masuk/{m['id']}/terima",
                  data={"csrf_token": token_csrf(rinci), "klien_id": str(kasus_id)})
    assert r.status_code == 422 and "tidak cocok dengan data klien rujukan" in r.get_data(as_text=True)
    assert semua_masuk(banten)[0]["status"] == "diterima_tujuan"

    r = dedi.post(f"/t/provinsi-banten/rujukan/masuk/{m['id']}/terima", data={"csrf_token": token_csrf(rinci), "klien_id": str(klien_lama)})
    assert r.status_code == 302
    with di_kantor(banten):
        baru = db.session.scalar(select(Kasus).where(Kasus.id != dulu))
        assert baru.klien_id == klien_lama and len(db.session.scalars(select(Klien.id)).all()) == jumlah_klien
