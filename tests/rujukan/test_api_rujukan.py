"""The referral REST API: the same operations as the pages, with the same refusals."""
from alat_rujukan import DOKUMEN_BANTEN, antar_semua, kasus_magetan, lampiran_baru, semua_masuk

from dinsos_uji.alat_kasus import token_api


def _badan(kasus_id, lampiran, **lain) -> dict:
    return {"kasus_id": str(kasus_id), "tujuan": {"jenis": "layanan", "kantor": "provinsi-banten", "layanan": "rehabilitasi-anak-terlantar-panti"},
            "alasan": "Anak terlantar", "bidang_klien": ["nama", "tanggal_lahir"],
            "berkas": [{"sumber": "lampiran", "id": str(i), "dokumen_kode": k} for k, i in lampiran.items()],
            "persetujuan": {"nama": "Sumarni", "hubungan": "orang_tua", "cara": "tertulis", "tanggal": "2026-05-04"}, **lain}


def test_refer_deliver_accept_and_oversee_through_the_api(app, seed, klien):
    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    budi = token_api(staf["kabupaten-magetan"]["pekerja_sosial"])
    tujuan = klien.get("/api/t/kabupaten-magetan/rujukan/tujuan", headers=budi).get_json()
    assert [(l["slug"], l["kode"]) for l in tujuan["layanan"]] == [("provinsi-banten", "rehabilitasi-anak-terlantar-panti")]
    assert [d["kode"] for d in tujuan["layanan"][0]["persyaratan"]] == list(DOKUMEN_BANTEN)

    cek = klien.post("/api/t/kabupaten-magetan/rujukan/periksa", headers=budi, json={
        "tujuan": {"jenis": "layanan", "kantor": "provinsi-banten", "layanan": "rehabilitasi-anak-terlantar-panti"},
        "berkas": [{"sumber": "lampiran", "id": str(lampiran["surat-permohonan"]), "dokumen_kode": "surat-permohonan"}]}).get_json()
    assert [d["kode"] for d in cek["hasil"]["kurang_wajib"]] == ["surat-persetujuan"]

    r = klien.post("/api/t/kabupaten-magetan/rujukan/keluar", headers=budi, json=_badan(kasus_id, lampiran, tujuan={
        "jenis": "layanan", "kantor": "kabupaten-magetan", "layanan": "pengiriman-anjal-at"}))
    assert r.status_code == 422 and "kantor sendiri" in r.get_json()["message"]
    r = klien.post("/api/t/kabupaten-magetan/rujukan/keluar", headers=budi,
                   json=_badan(kasus_id, {k: v for k, v in lampiran.items() if k != "surat-persetujuan"}))
    assert r.status_code == 422 and r.get_json()["errors"]["json"]["persyaratan"] == {
        "surat-persetujuan": ["Surat persetujuan untuk mendapatkan Rehabilitasi Sosial lanjut dari Keluarga, wali, pengasuh, "
                              "aparat desa atau lurah atau nama lain, atau kepala dinas sosial setempat: wajib dilampirkan."]}
    r = klien.post("/api/t/kabupaten-magetan/rujukan/keluar", headers=budi, json={**_badan(kasus_id, lampiran), "bidang_klien": ["sidik_jari"]})
    assert r.status_code == 422
    sri = token_api(staf["kabupaten-magetan"]["petugas_pelayanan"])
    assert klien.post("/api/t/kabupaten-magetan/rujukan/keluar", headers=sri, json=_badan(kasus_id, lampiran)).status_code == 403
    assert klien.get("/api/t/kabupaten-magetan/rujukan/keluar", headers=budi).get_json()["data"] == []

    r = klien.post("/api/t/kabupaten-magetan/rujukan/keluar", headers=budi, json=_badan(kasus_id, lampiran))
    assert r.status_code == 201, r.get_json()
    rid = r.get_json()["id"]
    assert r.get_json()["status"] == "dikirim"
    antar_semua(app)

    dedi = token_api(staf["provinsi-banten"]["pekerja_sosial"])
    [m] = klien.get("/api/t/provinsi-banten/rujukan/masuk", headers=dedi).get_json()["data"]
    assert m["asal"] == "Dinas Sosial Kabupaten Magetan" and m["status"] == "diterima_tujuan" and m["batas_tanggapan"]
    rinci = klien.get(f"/api/t/provinsi-banten/rujukan/masuk/{m['id']}", headers=dedi).get_json()
    assert all(p["berkas"] for p in rinci["persyaratan"]) and rinci["dibagikan"]["klien"]["nama"] == "Rina Lestari"
    assert set(rinci["dibagikan"]["klien"]) == {"nama", "tanggal_lahir", "umur", "tanpa_identitas"}
    berkas = klien.get(f"/api/t/provinsi-banten/rujukan/masuk/{m['id']}/berkas/{rinci['berkas'][0]['id']}", headers=dedi)
    assert berkas.status_code == 200 and berkas.data.startswith(b"%PDF")
    # Magetan's token means nothing at Banten's address, and the other way round.
    assert klien.get(f"/api/t/provinsi-banten/rujukan/masuk/{m['id']}", headers=budi).status_code == 401
    assert klien.get(f"/api/t/kabupaten-magetan/rujukan/keluar/{rid}", headers=dedi).status_code == 401

    assert rinci["klien_serupa"] == []  # Banten has never held her: the case opens on a new client
    r = klien.post(f"/api/t/provinsi-banten/rujukan/masuk/{m['id']}/terima", headers=dedi, json={"klien_id": str(kasus_id)})
    assert r.status_code == 422 and r.get_json()["errors"]["json"]["klien_id"] == ["Bukan klien yang cocok."]
    r = klien.post(f"/api/t/provinsi-banten/rujukan/masuk/{m['id']}/terima", headers=dedi)
    assert r.status_code == 200 and r.get_json()["kasus_id"] and r.get_json()["klien_serupa"] == []
    r = klien.post(f"/api/t/provinsi-banten/rujukan/masuk/{m['id']}/terima", headers=dedi)
    assert r.status_code == 409 and "dua kali" in r.get_json()["message"]
    antar_semua(app)
    assert klien.get(f"/api/t/kabupaten-magetan/rujukan/keluar/{rid}", headers=budi).get_json()["status"] == "diterima"

    yuli = token_api(staf["provinsi-jawa-timur"]["kepala_bidang"])
    data = klien.get("/api/t/provinsi-jawa-timur/pengawasan/rujukan", headers=yuli).get_json()
    assert [(b["asal"], b["tujuan"], b["status"]) for b in data["baris"]] == [
        ("Dinas Sosial Kabupaten Magetan", "Dinas Sosial Provinsi Banten", "diterima")]
    r = klien.post("/api/t/provinsi-jawa-timur/pengawasan/rujukan/tindakan", headers=yuli,
                   json={"kunci_kirim": data["baris"][0]["kunci_kirim"], "jenis": "pengingat"})
    assert r.status_code == 409 and "tidak sedang menunggu tanggapan" in r.get_json()["message"]


def test_decline_ask_withdraw_and_partner_through_the_api(app, seed, klien):
    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    budi = token_api(staf["kabupaten-magetan"]["pekerja_sosial"])
    rid = klien.post("/api/t/kabupaten-magetan/rujukan/keluar", headers=budi, json=_badan(kasus_id, lampiran)).get_json()["id"]
    antar_semua(app)
    dedi = token_api(staf["provinsi-banten"]["pekerja_sosial"])
    [m] = semua_masuk(kantor["provinsi-banten"])
    r = klien.post(f"/api/t/provinsi-banten/rujukan/masuk/{m['id']}/minta-info", headers=dedi,
                   json={"pertanyaan": "Surat persetujuan belum ditandatangani wali"})
    assert r.status_code == 200 and r.get_json()["status"] == "perlu_info"
    antar_semua(app)
    lengkapi = f"/api/t/kabupaten-magetan/rujukan/keluar/{rid}/lengkapi"
    # A file matched to a requirement Banten does not ask the sender for is refused, and nothing is added.
    sehat = lampiran_baru(staf, kasus_id, "surat-keterangan-sehat")
    r = klien.post(lengkapi, headers=budi, json={"catatan": "Terlampir", "berkas": [
        {"sumber": "lampiran", "id": str(sehat), "dokumen_kode": "surat-keterangan-sehat"}]})
    assert r.status_code == 422 and "surat-keterangan-sehat" in r.get_json()["message"]
    setuju = lampiran_baru(staf, kasus_id, "surat-persetujuan-bertanda-tangan")
    r = klien.post(lengkapi, headers=budi, json={"catatan": "Terlampir", "berkas": [
        {"sumber": "lampiran", "id": str(setuju), "dokumen_kode": "surat-persetujuan"}]})
    assert r.status_code == 200 and r.get_json()["status"] == "diterima_tujuan"
    antar_semua(app)
    r = klien.post(f"/api/t/provinsi-banten/rujukan/masuk/{m['id']}/tolak", headers=dedi, json={"alasan": "Bukan wilayah layanan"})
    assert r.status_code == 200 and r.get_json()["akses_aktif"] is False and r.get_json()["dibagikan"] is None
    antar_semua(app)
    keluar = klien.get(f"/api/t/kabupaten-magetan/rujukan/keluar/{rid}", headers=budi).get_json()
    assert keluar["status"] == "ditolak" and keluar["laporan"]["alasan_tolak"] == "Bukan wilayah layanan"
    # each shared file names the requirement it meets in the receiving service's words
    [jawaban] = [b for b in keluar["berkas"] if b["putaran"] == 2]
    assert jawaban["dokumen_nama"].startswith("Surat persetujuan untuk mendapatkan Rehabilitasi Sosial")
    r = klien.post(f"/api/t/kabupaten-magetan/rujukan/keluar/{rid}/tarik", headers=budi, json={"alasan": "x"})
    assert r.status_code == 409 and "tidak dapat ditarik" in r.get_json()["message"]

    kabid = token_api(staf["kabupaten-magetan"]["kepala_bidang"])
    mitra = klien.post("/api/t/kabupaten-magetan/rujukan/mitra", headers=kabid, json={"nama": "LKS Bina Anak", "jenis": "lks"})
    assert mitra.status_code == 201
    assert klien.post("/api/t/kabupaten-magetan/rujukan/mitra", headers=budi, json={"nama": "LKS Lain", "jenis": "lks"}).status_code == 403
    r = klien.post("/api/t/kabupaten-magetan/rujukan/keluar", headers=budi, json={
        **_badan(kasus_id, {}), "tujuan": {"jenis": "mitra", "mitra_id": mitra.get_json()["id"]}, "persetujuan": None, "kirim": False})
    assert r.status_code == 201 and r.get_json()["status"] == "draf"
    draf = r.get_json()["id"]
    assert klien.post(f"/api/t/kabupaten-magetan/rujukan/keluar/{draf}/kirim", headers=budi).status_code == 422
    assert klien.post(f"/api/t/kabupaten-magetan/rujukan/keluar/{draf}/override", headers=kabid,
                      json={"alasan": "Wali tidak dapat dihubungi"}).status_code == 200
    r = klien.post(f"/api/t/kabupaten-magetan/rujukan/keluar/{draf}/kirim", headers=budi)
    assert r.status_code == 200 and r.get_json()["surat_id"]
    r = klien.post(f"/api/t/kabupaten-magetan/rujukan/keluar/{draf}/mitra", headers=budi,
                   json={"aksi": "terima", "nomor_berita_acara": "BA/7/2026"})
    assert r.status_code == 200 and r.get_json()["status"] == "diterima"
