"""The case REST API: intake, checklist, uploads, steps with optimistic locking, keyset lists, OpenAPI."""
import io

from sqlalchemy import func, select

from dinsos.audit.models import CatatanAudit
from dinsos.cases.models import Kasus, LampiranKasus
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos_uji.alat_kasus import PDF, di_kantor, token_api
from dinsos_uji.alat_kasus import kasus as muat

API = "/api/t/kabupaten-magetan/kasus"
PENERIMAAN = {
    "layanan": "pengiriman-anjal-at",
    "pelapor": {"jenis": "kepolisian", "instansi": "Polres Magetan", "surat_nomor": "B/1", "surat_tanggal": "2026-05-04"},
    "klien": {"tanpa_identitas": True, "deskripsi": "Anak di terminal", "umur_perkiraan": 12, "jenis_kelamin": "L",
              "keluarga": [{"nama": "Paman Joko", "hubungan": "kerabat"}]},
    "persyaratan": {"surat-keterangan-kepolisian": "dilihat"},
}


def _hitung(kantor, model):
    with di_kantor(kantor):
        return db.session.scalar(select(func.count()).select_from(model))


def test_intake_checklist_upload_and_steps_over_the_api(seed, klien):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    sri, budi = token_api(s["petugas_pelayanan"]), token_api(s["fungsional_peksos"])
    r = klien.post(API + "/", json=PENERIMAAN, headers=sri)
    assert r.status_code == 201, r.json
    kid = r.json["id"]
    assert r.json["status"] == "berkas_belum_lengkap" and r.json["nomor_register"] is None
    assert [k["kode"] for k in r.json["kurang"]] == ["surat-keterangan-kehilangan"]
    # The scan of the missing statement completes the file.
    r = klien.post(f"{API}/{kid}/lampiran", headers=sri, content_type="multipart/form-data",
                   data={"versi": r.json["versi"], "persyaratan": "surat-keterangan-kehilangan", "berkas": (io.BytesIO(PDF), "x.pdf")})
    assert r.status_code == 201, r.json
    assert r.json["jenis_mime"] == "application/pdf"
    rinci = klien.get(f"{API}/{kid}", headers=sri).json
    # Magetan: the checklist is complete, the verifier rules; an incorrect file goes back with the notice.
    assert rinci["status"] == "berkas_belum_lengkap" and rinci["langkah_berjalan"] is None
    r = klien.post(f"{API}/{kid}/verifikasi", headers=sri, json={"versi": rinci["versi"], "benar": False})
    assert r.status_code == 422 and "catatan" in r.json["errors"]["json"]
    r = klien.post(f"{API}/{kid}/verifikasi", headers=sri, json={"versi": rinci["versi"], "benar": False, "catatan": "Tanpa stempel",
                                                                 "persyaratan_salah": ["surat-keterangan-kepolisian"]})
    assert r.status_code == 200, r.json
    assert r.json["surat"]["jenis"] == "pemberitahuan_kekurangan_berkas" and r.json["kasus"]["status"] == "berkas_belum_lengkap"
    r = klien.patch(f"{API}/{kid}/persyaratan", headers=sri, json={"versi": r.json["kasus"]["versi"],
                                                                   "perubahan": {"surat-keterangan-kepolisian": "dilihat"}})
    assert r.status_code == 200, r.json
    r = klien.post(f"{API}/{kid}/verifikasi", headers=sri, json={"versi": r.json["versi"], "benar": True})
    assert r.status_code == 200 and r.json["surat"] is None
    rinci = klien.get(f"{API}/{kid}", headers=sri).json
    assert rinci["status"] == "berjalan" and rinci["nomor_register"] is None  # given at step 2
    assert rinci["langkah_berjalan"]["kode"] == "serah-terima" and rinci["langkah_berjalan"]["waktu"] == "15 menit"
    assert rinci["klien_rinci"]["keluarga"][0]["nama"] == "Paman Joko"
    # A stale version is refused with 409 and changes nothing.
    r = klien.post(f"{API}/{kid}/langkah", headers=sri, json={"versi": rinci["versi"] - 1, "langkah": "serah-terima"})
    assert r.status_code == 409 and "sudah diubah oleh pengguna lain" in r.json["message"]
    r = klien.post(f"{API}/{kid}/langkah", headers=sri, json={"versi": rinci["versi"], "langkah": "serah-terima", "catatan": "ok"})
    assert r.status_code == 200, r.json
    assert r.json["dokumen_keluaran"] == "berita_acara_serah_terima" and r.json["langkah_berikutnya"] == "register-kasus"
    # The wrong role: 403 naming who may do it.
    versi = r.json["kasus"]["versi"]
    r = klien.post(f"{API}/{kid}/langkah", headers=sri, json={"versi": versi, "langkah": "register-kasus"})
    assert r.status_code == 403 and "Fungsional Pekerja Sosial" in r.json["message"]
    r = klien.post(f"{API}/{kid}/langkah", headers=budi, json={"versi": versi, "langkah": "register-kasus", "isian": {"x": 1}})
    assert r.status_code == 422 and r.json["errors"]["json"]["isian"]["x"] == ["Isian 'x' tidak ada pada langkah ini."]
    r = klien.post(f"{API}/{kid}/langkah", headers=budi, json={"versi": versi, "langkah": "register-kasus"})
    assert r.status_code == 200 and r.json["dokumen_keluaran"] == "nomor_register"
    assert r.json["kasus"]["nomor_register"].startswith("460/1/403.107/")
    with di_kantor(mg):
        k = muat(kid)
        assert [l.kode for l in k.langkah] == ["serah-terima", "register-kasus", "penugasan"] and k.langkah[0].catatan == "ok"


def test_api_refusals_name_the_field_and_write_nothing(seed, klien):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    sri = token_api(s["petugas_pelayanan"])
    r = klien.post(API + "/", json={**PENERIMAAN, "klien": {"nama": "Budi", "nik": "35200132021500"}}, headers=sri)
    assert r.status_code == 422 and "16 angka" in r.json["errors"]["json"]["klien"]["nik"][0]
    r = klien.post(API + "/", json={**PENERIMAAN, "klien": {"nama": "Budi", "nik": "3520010302150001", "jenis_kelamin": "P"}}, headers=sri)
    assert r.status_code == 422 and "milik laki-laki" in r.json["errors"]["json"]["klien"]["nik"][0]
    r = klien.post(API + "/", json={**PENERIMAAN, "persyaratan": {"tidak-ada": "dilihat"}}, headers=sri)
    assert r.status_code == 422 and "tidak ada pada standar" in r.json["errors"]["json"]["persyaratan"]["tidak-ada"][0]
    r = klien.post(API + "/", json={**PENERIMAAN, "layanan": "tidak-ada"}, headers=sri)
    assert r.status_code == 404
    r = klien.post(API + "/", json={"layanan": "pengiriman-anjal-at"}, headers=sri)
    assert r.status_code == 422 and "pelapor" in r.json["errors"]["json"]
    assert klien.post(API + "/", json=PENERIMAAN).status_code == 401
    assert _hitung(mg, Kasus) == 0
    kid = klien.post(API + "/", json=PENERIMAAN, headers=sri).json["id"]
    versi = klien.get(f"{API}/{kid}", headers=sri).json["versi"]
    r = klien.post(f"{API}/{kid}/lampiran", headers=sri, content_type="multipart/form-data",
                   data={"versi": versi, "berkas": (io.BytesIO(b"GIF89a not accepted"), "scan.pdf")})
    assert r.status_code == 415 and "bukan PDF, JPEG atau PNG" in r.json["message"]
    r = klien.patch(f"{API}/{kid}/persyaratan", headers=sri, json={"versi": versi, "perubahan": {"surat-keterangan-kepolisian": "diunggah"}})
    assert r.status_code == 422 and "perubahan" in r.json["errors"]["json"]
    assert _hitung(mg, LampiranKasus) == 0
    r = klien.patch(f"{API}/{kid}/persyaratan", headers=sri, json={"versi": versi, "perubahan": {"surat-keterangan-kehilangan": "dilihat"}})
    # Complete, but Magetan's clock waits for the verifier's "lengkap dan benar".
    assert r.status_code == 200 and r.json["status"] == "berkas_belum_lengkap" and r.json["jam_mulai_pada"] is None


def test_api_list_pages_with_a_cursor_and_opening_a_case_is_audited(app, seed, klien):
    kantor, staf = seed
    s = staf["kabupaten-magetan"]
    sri = token_api(s["petugas_pelayanan"])
    ids = [klien.post(API + "/", json=PENERIMAAN, headers=sri).json["id"] for _ in range(3)]
    hal1 = klien.get(API + "/?batas=2", headers=sri).json
    hal2 = klien.get(API + f"/?batas=2&setelah={hal1['berikutnya']}", headers=sri).json
    assert [k["id"] for k in hal1["data"]] == ids[:0:-1] and [k["id"] for k in hal2["data"]] == ids[:1]
    assert hal2["berikutnya"] is None
    assert klien.get(API + "/?setelah=rusak", headers=sri).status_code == 422
    assert klien.get(API + "/?status=ngawur", headers=sri).status_code == 422
    assert klien.get(API + "/?penanggung_jawab=belum&status=berkas_belum_lengkap", headers=sri).json["data"][0]["id"] == ids[-1]
    assert klien.get(API + "/?penanggung_jawab=saya", headers=sri).json["data"] == []
    r = klien.get(API + "/?penanggung_jawab=bukan-id", headers=sri)
    assert r.status_code == 422 and r.json["errors"]["json"] == {"penanggung_jawab": ["Bukan id petugas."]}
    klien.get(f"{API}/{ids[0]}", headers=sri)
    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        assert db.session.scalar(select(func.count()).select_from(CatatanAudit).where(
            CatatanAudit.tindakan == "buka_kasus", CatatanAudit.objek_id == ids[0])) == 1


def test_openapi_documents_the_case_api(app, klien):
    doc = klien.get("/api/openapi.json").json
    jalur = doc["paths"]
    for p in ("/api/t/{slug}/kasus/", "/api/t/{slug}/kasus/{kasus_id}", "/api/t/{slug}/kasus/{kasus_id}/langkah",
              "/api/t/{slug}/kasus/{kasus_id}/lampiran", "/api/t/{slug}/kasus/{kasus_id}/persyaratan"):
        assert p in jalur, p
    skema = doc["components"]["schemas"]
    assert {"SkemaPenerimaan", "SkemaKlienBaru", "SkemaLangkah", "SkemaRinci"} <= set(skema)
    assert "nik" in skema["SkemaKlienBaru"]["properties"]
    assert "multipart/form-data" in jalur["/api/t/{slug}/kasus/{kasus_id}/lampiran"]["post"]["requestBody"]["content"]


def test_cases_are_found_by_the_clients_nik_through_its_keyed_hash(seed, klien):
    _kantor, staf = seed
    s = staf["kabupaten-magetan"]
    sri = token_api(s["petugas_pelayanan"])
    dicari = klien.post(API + "/", json={**PENERIMAAN, "klien": {"nama": "Budi", "nik": "3520010302150001"}}, headers=sri).json["id"]
    klien.post(API + "/", json={**PENERIMAAN, "klien": {"nama": "Lain", "nik": "3520010302150002"}}, headers=sri)
    hasil = klien.get(API + "/?nik=3520 0103 0215 0001", headers=sri).json["data"]
    assert [k["id"] for k in hasil] == [dicari]
    rinci = klien.get(f"{API}/{dicari}", headers=sri).json
    assert rinci["klien_rinci"]["nik_wilayah"] == "Jawa Timur, kabupaten 35.20, kecamatan 35.20.01"
