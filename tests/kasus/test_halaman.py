"""The case pages, driven as people use them: Sri's intake, Budi's steps, refusals, masking, the access log."""
import html
import io
import re

import pytest
from sqlalchemy import func, select

from dinsos.audit.models import CatatanAudit
from dinsos.cases import daftar as daftar_svc
from dinsos.cases.baca import peristiwa
from dinsos.cases.models import Kasus, LampiranKasus
from dinsos.cases.perubahan import simpan
from dinsos.cases.sop import unggah_lampiran
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos_uji.alat_kasus import (
    PDF,
    PNG,
    SEMUA_MAGETAN,
    akun,
    di_kantor,
    klien_masuk,
    terima_langsung,
    versi_di,
)
from dinsos_uji.alat_kasus import (
    kasus as muat,
)
from dinsos_uji.bantuan import token_csrf

MG = "/t/kabupaten-magetan/kasus"


def teks(r) -> str:
    return html.unescape(r.get_data(as_text=True))

LANGKAH_HTTP = [
    ("serah-terima", "petugas_pelayanan"),
    ("register-kasus", "fungsional_peksos"),
    ("penugasan", "fungsional_peksos"),  # after the Kepala Dinas' and Kepala Bidang's dispositions
    ("asesmen", "pekerja_sosial"),
    ("laporan-sosial", "fungsional_peksos"),
    ("koordinasi-balai", "pekerja_sosial"),
    ("pengiriman", "pekerja_sosial"),
    ("penerimaan-balai", "fungsional_peksos"),  # a partner's step, recorded by the case's assignee
]


ISIAN_HTTP = {
    "asesmen": {"isian_tanggal_asesmen": "2026-05-05", "isian_kondisi_fisik": "Sehat", "isian_kondisi_psikososial": "Tenang",
                "isian_keluarga": "Keluarga tidak diketahui", "isian_kebutuhan": "Tempat tinggal"},
    "laporan-sosial": {"isian_ringkasan_masalah": "Anak jalanan", "isian_hasil_pendampingan": "Kooperatif",
                       "isian_rencana_tindak_lanjut": "Ke balai"},
    "koordinasi-balai": {"isian_balai_tujuan": "UPT PSAB", "isian_hasil_koordinasi": "Siap menerima", "isian_rekomendasi": "Rehabilitasi"},
}


def _formulir_terima(halaman: str, **lain) -> dict:
    data = {
        "csrf_token": token_csrf(halaman), "pelapor_jenis": "kepolisian", "pelapor_nama": "Bripka Anton",
        "pelapor_instansi": "Polres Magetan", "surat_nomor": "B/12/V/2026", "surat_tanggal": "2026-05-04",
        "tanpa_identitas": "y", "deskripsi": "Anak laki-laki sekitar 12 tahun, tidur di terminal", "umur_perkiraan": "12",
        "jenis_kelamin": "L", "kategori_ppks": "4",
        "status_0": "dilihat", "status_1": "belum",
        "keluarga-0-nama": "", "keluarga-0-hubungan": "",
    }
    data.update(lain)
    return data


def _kirim_langkah(k, kasus_id, kode, **lain):
    halaman = k.get(f"{MG}/{kasus_id}").get_data(as_text=True)
    data = {"csrf_token": token_csrf(halaman), "versi": versi_di(halaman), "langkah": kode, "catatan": f"selesai {kode}"}
    data.update(lain)
    return k.post(f"{MG}/{kasus_id}/langkah", data=data, content_type="multipart/form-data")


def test_magetan_through_the_web_from_incomplete_file_to_closed(seed):
    kantor, staf = seed
    s = staf["kabupaten-magetan"]
    sri = klien_masuk(s["petugas_pelayanan"])
    assert "pengiriman-anjal-at" in sri.get(f"{MG}/baru").get_data(as_text=True)
    halaman = sri.get(f"{MG}/baru/pengiriman-anjal-at").get_data(as_text=True)
    assert "Surat Keterangan Kehilangan" in halaman
    r = sri.post(f"{MG}/baru/pengiriman-anjal-at", data=_formulir_terima(halaman), content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)
    kasus_id = r.headers["Location"].rsplit("/", 1)[1]
    halaman = sri.get(f"{MG}/{kasus_id}").get_data(as_text=True)
    assert "Berkas belum lengkap" in halaman and "Surat Keterangan Kehilangan (kehilangan KTP/ identitas)" in halaman
    assert "belum berjalan" in halaman
    with di_kantor(kantor["kabupaten-magetan"]):
        k = muat(kasus_id)
        assert (k.status, k.jam_mulai_pada, k.klien.tanpa_identitas, k.rahasia) == ("berkas_belum_lengkap", None, True, True)

    # The statement arrives: Sri uploads the scan.
    r = sri.post(f"{MG}/{kasus_id}/persyaratan", content_type="multipart/form-data", data={
        "csrf_token": token_csrf(halaman), "versi": versi_di(halaman), "kode": "surat-keterangan-kehilangan", "status": "dilihat",
        "berkas": (io.BytesIO(PDF), "surat_kehilangan.pdf")})
    assert r.status_code == 302
    halaman = sri.get(f"{MG}/{kasus_id}").get_data(as_text=True)
    # The office's records are not on the applicant's checklist; the file waits for the verifier.
    assert "Menunggu verifikasi berkas" in halaman and 'name="kode" value="buku-register"' not in halaman
    assert 'id="catatan-kantor"' in halaman and "Buku Register" in halaman
    r = sri.post(f"{MG}/{kasus_id}/verifikasi", data={"csrf_token": token_csrf(halaman), "versi": versi_di(halaman),
                                                     "hasil_verifikasi": "benar"})
    assert r.status_code == 302, teks(r)[:2000]
    halaman = sri.get(f"{MG}/{kasus_id}").get_data(as_text=True)
    assert "Berkas belum lengkap" not in halaman and "(nomor register belum diberikan)" in halaman

    # The head of division assigns the case to Budi (fungsional peksos).
    ratna = klien_masuk(s["kepala_bidang"])
    halaman = ratna.get(f"{MG}/{kasus_id}").get_data(as_text=True)
    r = ratna.post(f"{MG}/{kasus_id}/tugaskan", data={"csrf_token": token_csrf(halaman), "versi": versi_di(halaman),
                                                      "penanggung_jawab_id": str(s["fungsional_peksos"].id)})
    assert r.status_code == 302
    budi = klien_masuk(s["fungsional_peksos"])
    assert kasus_id in budi.get(f"{MG}/saya").get_data(as_text=True)

    klien = {"petugas_pelayanan": sri, "kepala_bidang": ratna, "fungsional_peksos": budi,
             "pekerja_sosial": klien_masuk(s["pekerja_sosial"])}
    klien["kepala_dinas"] = klien_masuk(s["kepala_dinas"])
    for kode, peran in LANGKAH_HTTP:
        if kode == "penugasan":
            # Each officer of the chain records their own disposition; the page offers it only to whoever's turn it is.
            assert 'id="disposisi"' in teks(budi.get(f"{MG}/{kasus_id}")) and "kasus/" + kasus_id + "/disposisi" not in teks(
                budi.get(f"{MG}/{kasus_id}"))
            for oleh in ("kepala_dinas", "kepala_bidang"):
                halaman = klien[oleh].get(f"{MG}/{kasus_id}").get_data(as_text=True)
                r = klien[oleh].post(f"{MG}/{kasus_id}/disposisi", data={
                    "csrf_token": token_csrf(halaman), "versi": versi_di(halaman), "isi_disposisi": f"disposisi {oleh}"})
                assert r.status_code == 302, teks(r)[:2000]
        # The surat pengantar and the Balai's receipt name their recipient; the forms of steps 4-6 are filled.
        isian = {"isian_tujuan_surat": "Balai Rehabilitasi Sosial", "isian_alamat_tujuan": "Surabaya"} if kode in (
            "pengiriman", "penerimaan-balai") else {}
        isian.update(ISIAN_HTTP.get(kode, {}))
        r = _kirim_langkah(klien[peran], kasus_id, kode, lampiran=(io.BytesIO(PNG), f"foto-{kode}.png"), **isian)
        assert r.status_code == 302, (kode, r.status_code, r.get_data(as_text=True)[:3000])
    halaman = budi.get(f"{MG}/{kasus_id}").get_data(as_text=True)
    r = budi.post(f"{MG}/{kasus_id}/tutup", data={"csrf_token": token_csrf(halaman), "versi": versi_di(halaman),
                                                  "hasil_akhir": "diterima-balai"})
    assert r.status_code == 302
    halaman = budi.get(f"{MG}/{kasus_id}").get_data(as_text=True)
    assert "Ditutup" in halaman and "Kasus ditutup" in halaman and "Langkah selesai" in halaman

    with di_kantor(kantor["kabupaten-magetan"]):
        k = muat(kasus_id)
        assert k.status == "ditutup" and k.hasil_akhir == "diterima-balai"
        assert [(l.kode, l.status, l.dikerjakan_oleh_id) for l in k.langkah] == [
            (kode, "selesai", s[peran].id) for kode, peran in LANGKAH_HTTP]
        assert [l.dokumen_keluaran for l in k.langkah] == [
            "berita_acara_serah_terima", "nomor_register", "surat_tugas", "form_asesmen", "laporan_sosial",
            "rekomendasi_penanganan", "surat_pengantar", "tanda_terima"]
        assert db.session.scalar(select(func.count()).select_from(LampiranKasus)) == 9  # the scan and one photo per step
        assert k.jam_mulai_pada == k.berkas_lengkap_pada is not None


@pytest.fixture
def kasus_magetan(seed):
    """A Magetan case with a complete file, at its first step."""
    kantor, staf = seed
    s = staf["kabupaten-magetan"]
    kid = terima_langsung(s["petugas_pelayanan"], "pengiriman-anjal-at", {"nama": "Agus", "umur_perkiraan": 13}, SEMUA_MAGETAN)
    return kantor["kabupaten-magetan"], s, str(kid)


def _keadaan(kantor, kid):
    with di_kantor(kantor):
        k = muat(kid)
        return (k.versi, k.status, k.langkah_kode, [(l.kode, l.status) for l in k.langkah],
                db.session.scalar(select(func.count()).select_from(LampiranKasus)))


def test_a_step_by_the_wrong_role_is_refused_and_changes_nothing(kasus_magetan):
    kantor, s, kid = kasus_magetan
    sebelum = _keadaan(kantor, kid)
    r = _kirim_langkah(klien_masuk(s["pekerja_sosial"]), kid, "serah-terima")
    assert r.status_code == 403
    assert "hanya dapat dicatat oleh: Petugas Pelayanan" in teks(r)
    assert _keadaan(kantor, kid) == sebelum


def test_a_step_out_of_order_is_refused_and_changes_nothing(kasus_magetan):
    kantor, s, kid = kasus_magetan
    sebelum = _keadaan(kantor, kid)
    r = _kirim_langkah(klien_masuk(s["pekerja_sosial"]), kid, "asesmen")
    assert r.status_code == 409
    assert "'asesmen' bukan langkah yang sedang berjalan" in teks(r)
    assert _keadaan(kantor, kid) == sebelum


def test_a_stale_form_gets_409_with_a_clear_message_and_changes_nothing(kasus_magetan):
    kantor, s, kid = kasus_magetan
    sri, ratna = klien_masuk(s["petugas_pelayanan"]), klien_masuk(s["kepala_bidang"])
    halaman_lama = sri.get(f"{MG}/{kid}").get_data(as_text=True)
    # Meanwhile the head of division assigns the case.
    halaman = ratna.get(f"{MG}/{kid}").get_data(as_text=True)
    assert ratna.post(f"{MG}/{kid}/tugaskan", data={"csrf_token": token_csrf(halaman), "versi": versi_di(halaman),
                                                    "penanggung_jawab_id": str(s["fungsional_peksos"].id)}).status_code == 302
    sebelum = _keadaan(kantor, kid)
    r = sri.post(f"{MG}/{kid}/langkah", data={"csrf_token": token_csrf(halaman_lama), "versi": versi_di(halaman_lama),
                                              "langkah": "serah-terima"})
    assert r.status_code == 409
    assert "sudah diubah oleh pengguna lain" in teks(r) and "Perubahan Anda tidak disimpan" in teks(r)
    assert _keadaan(kantor, kid) == sebelum


@pytest.mark.parametrize("isi, kode, pesan", [
    (PDF + b"0" * 4096, 413, "Berkas terlalu besar"),
    (b"MZ\x90\x00 program.exe disguised", 415, "bukan PDF, JPEG atau PNG"),
])
def test_oversized_or_wrong_type_uploads_are_refused_and_nothing_is_stored(kasus_magetan, app, monkeypatch, isi, kode, pesan):
    from pathlib import Path

    kantor, s, kid = kasus_magetan
    monkeypatch.setitem(app.config, "MAX_UPLOAD_BYTES", 2048)
    sri = klien_masuk(s["petugas_pelayanan"])
    halaman = sri.get(f"{MG}/{kid}").get_data(as_text=True)
    sebelum = _keadaan(kantor, kid)
    berkas_sebelum = list(Path(app.config["UPLOAD_DIR"]).rglob("*"))
    r = sri.post(f"{MG}/{kid}/lampiran", content_type="multipart/form-data", data={
        "csrf_token": token_csrf(halaman), "versi": versi_di(halaman), "berkas_lampiran": (io.BytesIO(isi), "scan.pdf")})
    assert r.status_code == kode
    assert pesan in teks(r)
    r = _kirim_langkah(sri, kid, "serah-terima", lampiran=(io.BytesIO(isi), "scan.pdf"))
    assert r.status_code == kode and pesan in teks(r)
    assert _keadaan(kantor, kid) == sebelum
    assert list(Path(app.config["UPLOAD_DIR"]).rglob("*")) == berkas_sebelum


def test_intake_with_an_invalid_nik_is_refused_naming_the_field(seed):
    kantor, staf = seed
    sri = klien_masuk(staf["kabupaten-magetan"]["petugas_pelayanan"])
    halaman = sri.get(f"{MG}/baru/pengiriman-anjal-at").get_data(as_text=True)
    r = sri.post(f"{MG}/baru/pengiriman-anjal-at", content_type="multipart/form-data",
                 data=_formulir_terima(halaman, nama="Budi", tanpa_identitas="", nik="3520013202150001"))
    assert r.status_code == 422
    assert "Tanggal lahir pada NIK" in teks(r) and 'id="nik-galat"' in teks(r)
    with di_kantor(kantor["kabupaten-magetan"]):
        assert db.session.scalar(select(func.count()).select_from(Kasus)) == 0


def test_intake_is_in_titled_sections_and_a_failed_submit_lists_each_error_linked_to_its_field(seed):
    kantor, staf = seed
    sri = klien_masuk(staf["kabupaten-magetan"]["petugas_pelayanan"])
    halaman = teks(sri.get(f"{MG}/baru/pengiriman-anjal-at"))
    judul = re.findall(r"<h2 id=\"bagian-[a-z]+\">([^<]+)</h2>", halaman)
    assert judul == ["1. Pelapor", "2. Klien", "3. Layanan dan persyaratan"]
    assert "ringkasan-galat" not in halaman
    r = sri.post(f"{MG}/baru/pengiriman-anjal-at", content_type="multipart/form-data",
                 data=_formulir_terima(halaman, umur_perkiraan="200", surat_tanggal="kemarin", pelapor_nama="Bripka Anton",
                                       **{"keluarga-0-nama": "x" * 201}))
    isi = teks(r)
    assert r.status_code == 422
    formulir = isi.index('<form method="post" enctype')
    ringkasan = isi[isi.index('id="ringkasan-galat"'):formulir]
    assert "3 isian perlu diperbaiki" in ringkasan
    tautan = dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', ringkasan))
    assert tautan == {"surat_tanggal": "Tanggal surat", "umur_perkiraan": "Perkiraan umur (tahun), bila tanggal lahir tidak diketahui",
                      "keluarga-0-nama": "Anggota keluarga 1: Nama"}
    for bidang in tautan:  # every link lands on a field of the form
        assert f'id="{bidang}"' in isi[formulir:]
    assert "Perkiraan umur 0 sampai 120 tahun." in ringkasan
    # What was typed stays.
    assert 'value="Bripka Anton"' in isi and 'value="Polres Magetan"' in isi and 'value="200"' in isi
    assert "tidur di terminal" in isi
    with di_kantor(kantor["kabupaten-magetan"]):
        assert db.session.scalar(select(func.count()).select_from(Kasus)) == 0


def test_a_likely_duplicate_is_shown_before_saving_and_the_existing_client_can_be_used(seed):
    kantor, staf = seed
    s = staf["kabupaten-magetan"]
    lama = terima_langsung(s["petugas_pelayanan"], "pengiriman-anjal-at",
                           {"nama": "Budi Santoso", "nik": "3520010302150001", "jenis_kelamin": "L"}, SEMUA_MAGETAN)
    sri = klien_masuk(s["petugas_pelayanan"])
    halaman = sri.get(f"{MG}/baru/pengiriman-anjal-at").get_data(as_text=True)
    data = _formulir_terima(halaman, nama="Budi S", tanpa_identitas="", nik="3520 0103 0215 0001", umur_perkiraan="")
    r = sri.post(f"{MG}/baru/pengiriman-anjal-at", data=data, content_type="multipart/form-data")
    assert r.status_code == 200 and "Kemungkinan duplikat" in teks(r) and "NIK sama" in teks(r)
    with di_kantor(kantor["kabupaten-magetan"]):
        assert db.session.scalar(select(func.count()).select_from(Kasus)) == 1
        klien_lama = muat(lama).klien_id
    r = sri.post(f"{MG}/baru/pengiriman-anjal-at", data=dict(data, klien_pilihan=str(klien_lama)), content_type="multipart/form-data")
    assert r.status_code == 302
    with di_kantor(kantor["kabupaten-magetan"]):
        assert db.session.scalar(select(func.count(func.distinct(Kasus.klien_id)))) == 1
        assert db.session.scalar(select(func.count()).select_from(Kasus)) == 2


def test_child_and_abh_names_are_masked_in_lists_for_non_handlers_and_every_opening_is_logged(app, seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kid = terima_langsung(s["petugas_pelayanan"], "pendampingan-abh",
                          {"nama": "Rizky Pratama", "tanggal_lahir": "2011-02-03", "alamat": "Jalan Melati 7"},
                          {"surat-kepolisian": "dilihat"})
    dewasa = terima_langsung(s["petugas_pelayanan"], "penanganan-ppks-terlantar", {"nama": "Sutrisno Dewasa", "umur_perkiraan": 60},
                             {"surat-keterangan-penyerahan": "dilihat"})
    with di_kantor(mt):
        lamp = unggah_lampiran(k := muat(kid), versi=k.versi, isi=PDF, nama_berkas="surat.pdf", pengguna=akun(s["petugas_pelayanan"]))
        simpan()
        lamp_id = lamp.id
    daftar = "/t/kota-metro/kasus/"
    peksos = klien_masuk(s["fungsional_peksos"])
    isi = peksos.get(daftar).get_data(as_text=True)
    assert "R*** P***" in isi and "Rizky" not in isi and "Sutrisno Dewasa" in isi
    assert "Rizky Pratama" in klien_masuk(s["kepala_bidang"]).get(daftar).get_data(as_text=True)
    assert "Rizky Pratama" in klien_masuk(s["petugas_pelayanan"]).get(daftar).get_data(as_text=True)  # she took it in
    # The case page of a non-handler shows no identity, and the attachment is not theirs to download.
    halaman = peksos.get(f"/t/kota-metro/kasus/{kid}").get_data(as_text=True)
    assert "Rizky" not in halaman and "Jalan Melati" not in halaman and "Identitas klien dirahasiakan" in halaman
    assert peksos.get(f"/t/kota-metro/kasus/{kid}/lampiran/{lamp_id}").status_code == 403
    ratna = klien_masuk(s["kepala_bidang"])
    r = ratna.get(f"/t/kota-metro/kasus/{kid}/lampiran/{lamp_id}")
    assert r.status_code == 200 and r.data == PDF and r.mimetype == "application/pdf"
    assert "surat.pdf" not in r.headers["Content-Disposition"]
    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        log = db.session.execute(select(CatatanAudit.tindakan, CatatanAudit.aktor, CatatanAudit.objek_id).where(
            CatatanAudit.tindakan.in_(["buka_kasus", "unduh_lampiran"]))).all()
    assert ("buka_kasus", f"pengguna:{s['fungsional_peksos'].id}", str(kid)) in log
    assert ("unduh_lampiran", f"pengguna:{s['kepala_bidang'].id}", str(kid)) in log
    assert not any(t == "buka_kasus" and o == str(dewasa) for t, _a, o in log)


def test_case_list_filters_and_keyset_pages(seed, monkeypatch):
    kantor, staf = seed
    s = staf["kota-metro"]
    ids = [str(terima_langsung(s["petugas_pelayanan"], "penanganan-ppks-terlantar", {"nama": f"Orang {i}", "umur_perkiraan": 40},
                               {"surat-keterangan-penyerahan": "dilihat"})) for i in range(3)]
    abh = str(terima_langsung(s["petugas_pelayanan"], "pendampingan-abh", {"nama": "Dewasa", "umur_perkiraan": 30}, {}))
    ratna = klien_masuk(s["kepala_bidang"])
    isi = ratna.get("/t/kota-metro/kasus/?layanan=pendampingan-abh").get_data(as_text=True)
    assert abh in isi and not any(i in isi for i in ids)
    isi = ratna.get("/t/kota-metro/kasus/?status=berkas_belum_lengkap").get_data(as_text=True)
    assert abh in isi and not any(i in isi for i in ids)
    isi = ratna.get("/t/kota-metro/kasus/?langkah=penyerahan&penanggung_jawab=belum").get_data(as_text=True)
    assert all(i in isi for i in ids)
    assert not any(i in ratna.get("/t/kota-metro/kasus/?penanggung_jawab=saya").get_data(as_text=True) for i in ids)
    r = ratna.get("/t/kota-metro/kasus/?penanggung_jawab=bukan-id")
    assert r.status_code == 400 and "Filter penanggung jawab tidak valid." in teks(r)
    monkeypatch.setattr(daftar_svc, "daftar_kasus", lambda _f=daftar_svc.daftar_kasus, **kw: _f(**{**kw, "batas": 2}))
    halaman1 = ratna.get("/t/kota-metro/kasus/?layanan=penanganan-ppks-terlantar").get_data(as_text=True)
    lanjut = re.search(r'href="([^"]+)" rel="next"', halaman1).group(1).replace("&amp;", "&")
    halaman2 = ratna.get(lanjut).get_data(as_text=True)
    pertama = [i for i in ids if i in halaman1]
    kedua = [i for i in ids if i in halaman2]
    assert len(pertama) == 2 and kedua == [ids[0]] and 'rel="next"' not in halaman2  # newest first
    assert ratna.get("/t/kota-metro/kasus/?setelah=bukan-kursor").status_code == 400


def test_case_pages_read_in_english_when_asked(seed):
    _kantor, staf = seed
    ratna = klien_masuk(staf["kabupaten-magetan"]["kepala_bidang"])
    isi = ratna.get(f"{MG}/?lang=en").get_data(as_text=True)
    assert "Filter cases" in isi and "No cases." in isi and "Saring kasus" not in isi


def test_the_client_photo_is_checked_stored_shown_to_handlers_and_audited(app, seed):
    kantor, staf = seed
    s = staf["kabupaten-magetan"]
    sri = klien_masuk(s["petugas_pelayanan"])
    halaman = sri.get(f"{MG}/baru/pengiriman-anjal-at").get_data(as_text=True)
    r = sri.post(f"{MG}/baru/pengiriman-anjal-at", content_type="multipart/form-data",
                 data=_formulir_terima(halaman, foto=(io.BytesIO(PDF), "wajah.jpg")))
    assert r.status_code == 415 and "Foto klien harus berupa gambar JPEG atau PNG" in teks(r)
    r = sri.post(f"{MG}/baru/pengiriman-anjal-at", content_type="multipart/form-data",
                 data=_formulir_terima(halaman, foto=(io.BytesIO(PNG), "wajah.png")))
    kid = r.headers["Location"].rsplit("/", 1)[1]
    assert f"/kasus/{kid}/foto" in sri.get(f"{MG}/{kid}").get_data(as_text=True)
    r = sri.get(f"{MG}/{kid}/foto")
    assert r.status_code == 200 and r.data == PNG and r.mimetype == "image/png"
    assert klien_masuk(s["pekerja_sosial"]).get(f"{MG}/{kid}/foto").status_code == 403  # a child: not theirs to see
    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        assert db.session.scalar(select(func.count()).select_from(CatatanAudit).where(CatatanAudit.tindakan == "unduh_foto_klien")) == 1


def test_pause_resume_close_and_reopen_through_the_page(kasus_magetan):
    kantor, s, kid = kasus_magetan
    ratna = klien_masuk(s["kepala_bidang"])

    def kirim(aksi, **data):
        halaman = ratna.get(f"{MG}/{kid}").get_data(as_text=True)
        return ratna.post(f"{MG}/{kid}/{aksi}", data={"csrf_token": token_csrf(halaman), "versi": versi_di(halaman), **data})

    r = kirim("jeda", jenis_jeda="menunggu_pemohon", alasan_jeda="")
    assert r.status_code == 422 and "Alasan jeda wajib diisi" in teks(r)
    assert kirim("jeda", jenis_jeda="menunggu_pemohon", alasan_jeda="Menunggu surat kehilangan").status_code == 302
    halaman = ratna.get(f"{MG}/{kid}").get_data(as_text=True)
    assert "Dijeda" in halaman and "Lanjutkan kasus" in halaman and "Menunggu surat kehilangan" in halaman
    assert kirim("lanjut", catatan_lanjut="Surat sudah datang").status_code == 302
    r = kirim("tutup", hasil_akhir="diterima-balai", catatan_tutup="")
    assert r.status_code == 422 and "memerlukan alasan" in teks(r)
    assert kirim("tutup", hasil_akhir="diterima-balai", catatan_tutup="Klien dijemput keluarga").status_code == 302
    halaman = ratna.get(f"{MG}/{kid}").get_data(as_text=True)
    assert "Ditutup" in halaman and "Buka kembali" in halaman
    assert kirim("buka-kembali", alasan_buka="Keluarga tidak mampu merawat").status_code == 302
    with di_kantor(kantor):
        k = muat(kid)
        assert k.status == "berjalan" and [p.jenis for p in peristiwa(k)][-6:] == [
            "dijeda", "dilanjutkan", "ditutup", "surat_terbit", "dibuka_kembali", "langkah_mulai"]


def test_each_page_action_says_what_it_did_and_a_refused_one_keeps_the_page(kasus_magetan):
    kantor, s, kid = kasus_magetan
    ratna, sri = klien_masuk(s["kepala_bidang"]), klien_masuk(s["petugas_pelayanan"])

    def kirim(k, aksi, **data):
        halaman = k.get(f"{MG}/{kid}").get_data(as_text=True)
        r = k.post(f"{MG}/{kid}/{aksi}", data={"csrf_token": token_csrf(halaman), "versi": versi_di(halaman), **data})
        return r, (teks(k.get(r.headers["Location"])) if r.status_code == 302 else teks(r))

    r, halaman = kirim(ratna, "tugaskan-langkah", pj_langkah_id=str(s["petugas_pelayanan"].id))
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/kasus/{kid}") and "Penanggung jawab langkah diperbarui." in halaman
    r, halaman = kirim(sri, "catatan", catatan_perkembangan="Anak sudah makan dan mandi")
    assert r.status_code == 302 and "Catatan perkembangan disimpan." in halaman and "Anak sudah makan dan mandi" in halaman
    r, halaman = kirim(sri, "catatan", catatan_perkembangan=" ")
    assert r.status_code == 422 and "Tidak disimpan." in halaman and "Catatan perkembangan wajib diisi." in halaman
    r, halaman = kirim(ratna, "jeda", jenis_jeda="menunggu_instansi", alasan_jeda="Menunggu surat polres")
    assert r.status_code == 302 and "Kasus dijeda." in halaman
    r, halaman = kirim(ratna, "lanjut", catatan_lanjut="")
    assert r.status_code == 302 and "Kasus dilanjutkan." in halaman
    with di_kantor(kantor):
        k = muat(kid)
        assert [p.jenis for p in peristiwa(k)][-4:] == ["langkah_ditugaskan", "catatan", "dijeda", "dilanjutkan"]
