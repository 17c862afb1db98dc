"""Office isolation for cases: every case route, API call and upload of office B is a 404 for a user of office A."""
import io

from dinsos.cases.baca import lampiran
from dinsos.cases.penerimaan import terima_kasus
from dinsos.cases.perubahan import simpan
from dinsos.cases.sop import unggah_lampiran
from dinsos_uji.alat_kasus import PDF, PNG, SEMUA_MAGETAN, akun, di_kantor, klien_masuk, token_api, verifikasi_bila_perlu
from dinsos_uji.alat_kasus import kasus as muat
from dinsos_uji.bantuan import token_csrf


def _kasus_dengan_lampiran(staf, layanan, persyaratan):
    """A case whose client has a photo, with one attachment and one letter; returns (case id, attachment id, letter id)."""
    from dinsos.documents.surat import terbitkan_surat

    with di_kantor(staf.kantor):
        k = terima_kasus(layanan, pelapor={"jenis": "kepolisian", "instansi": "Polres"}, persyaratan=persyaratan,
                             klien={"nama": "Anak", "umur_perkiraan": 10}, foto=(PNG, "wajah.png"), pengguna=akun(staf)).kasus
        verifikasi_bila_perlu(k, akun(staf))
        lamp = unggah_lampiran(k, versi=k.versi, isi=PDF, nama_berkas="b.pdf", pengguna=akun(staf))
        surat = terbitkan_surat("tanda_terima", data={"pelapor": "Polres", "klien": {"nama": "Anak"}}, objek_jenis="kasus",
                                objek_id=k.id)
        simpan()
        return str(k.id), str(lamp.id), str(surat.id)


def _rute_kasus(app):
    """Every case route that names a case: (rule, methods)."""
    hasil = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("kasus", "api_kasus") and "kasus_id" in rule.arguments:
            hasil.append((rule, sorted(rule.methods - {"HEAD", "OPTIONS"})))
    return hasil


def _panggil(klien, rule, metode, slug, kasus_id, lampiran_id, surat_id, *, token=None, csrf=None):
    url = (rule.rule.replace("<slug>", slug).replace("<kasus_id>", kasus_id).replace("<lampiran_id>", lampiran_id)
           .replace("<surat_id>", surat_id).replace("<kode>", "laporan-sosial"))
    if token:
        if metode == "GET":
            return klien.get(url, headers=token)
        if rule.rule.endswith("/lampiran"):
            return klien.post(url, headers=token, content_type="multipart/form-data", data={"versi": "1", "berkas": (io.BytesIO(PDF), "a.pdf")})
        akhir = rule.rule.rsplit("/", 1)[-1]
        isi = {"langkah": {"versi": 1, "langkah": "serah-terima"}, "verifikasi": {"versi": 1, "benar": True},
               "disposisi": {"versi": 1, "instruksi": "x"},
               "tindakan": {"versi": 1, "tindakan": "laporan-sosial"}}.get(akhir, {"versi": 1, "perubahan": {}})
        return klien.open(url, method=metode, headers=token, json=isi)
    if metode == "GET":
        return klien.get(url)
    return klien.post(url, data={"csrf_token": csrf, "versi": "1", "langkah": "serah-terima", "kode": "surat-keterangan-kepolisian",
                                 "status": "dilihat", "hasil_akhir": "x", "alasan_buka": "x", "alasan_jeda": "x"})


def test_a_user_of_office_a_gets_404_for_every_case_url_api_call_and_upload_of_office_b(app, seed):
    kantor, staf = seed
    kid_b, lamp_b, surat_b = _kasus_dengan_lampiran(staf["kabupaten-magetan"]["petugas_pelayanan"], "pengiriman-anjal-at", SEMUA_MAGETAN)
    kid_a, lamp_a, surat_a = _kasus_dengan_lampiran(staf["kota-metro"]["petugas_pelayanan"], "pendampingan-abh", {"surat-kepolisian": "dilihat"})
    a = staf["kota-metro"]["kepala_bidang"]  # holds every case permission
    with di_kantor(kantor["kabupaten-magetan"]):
        versi_b = muat(kid_b).versi
    web = klien_masuk(a)
    csrf = token_csrf(web.get("/t/kota-metro/kasus/baru/pendampingan-abh").get_data(as_text=True))
    token = token_api(a)
    rute = _rute_kasus(app)
    assert len(rute) >= 15, [r.rule for r, _m in rute]
    dicoba = 0
    for rule, metode_semua in rute:
        api = rule.endpoint.startswith("api_kasus.")
        for metode in metode_semua:
            r = _panggil(app.test_client() if api else web, rule, metode, "kota-metro", kid_b, lamp_b, surat_b,
                         token=token if api else None, csrf=csrf)
            assert r.status_code == 404, (rule.rule, metode, r.status_code)
            dicoba += 1
            if metode == "GET":  # the same route on A's own case is not a 404, so the check above can fail
                r = _panggil(app.test_client() if api else web, rule, metode, "kota-metro", kid_a, lamp_a, surat_a,
                             token=token if api else None, csrf=csrf)
                assert r.status_code == 200, (rule.rule, r.status_code)
    assert dicoba >= 15
    # Under B's own address A's session is anonymous and A's token unknown.
    assert web.get(f"/t/kabupaten-magetan/kasus/{kid_b}").status_code == 302
    assert app.test_client().get(f"/api/t/kabupaten-magetan/kasus/{kid_b}", headers=token).status_code == 401
    # B's service is not A's either.
    assert web.get("/t/kota-metro/kasus/baru/pengiriman-anjal-at").status_code == 404
    with di_kantor(kantor["kabupaten-magetan"]):
        k = muat(kid_b)
        assert k.versi == versi_b and k.status == "berjalan" and len(lampiran(k)) == 1  # B's case untouched
