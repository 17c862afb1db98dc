"""Onboarding pages: who may use them, diffs, publishing new versions, and bad input that never 500s."""
import io
import re
import zipfile

import pytest
from sqlalchemy import select

from dinsos.admin.models import DrafOnboarding
from dinsos.admin.services import BATAS_BERKAS, BATAS_UNGGAHAN
from dinsos.catalogue.models import Layanan, VersiLayanan
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant, ruang_platform
from dinsos_uji.bantuan import buat_staf, masuk, revisi_draf, token_csrf

MAGETAN = "/admin/onboarding/draf/kabupaten-magetan"
LAYANAN = "services/pengiriman-anjal-at.yaml"


def teks(r) -> str:
    return r.get_data(as_text=True)


def simpan(klien, nama, isi, rev=None):
    url = f"{MAGETAN}/berkas/{nama}"
    halaman = teks(klien.get(url))
    return klien.post(url, data={"csrf_token": token_csrf(halaman), "revisi": rev or revisi_draf(halaman), "isi": isi})


def isi_berkas(app, nama):
    with app.app_context(), ruang_platform():
        return db.session.scalar(select(DrafOnboarding)).berkas[nama]


def unggah(klien, data: bytes, nama="kantor.zip"):
    halaman = teks(klien.get(MAGETAN))
    return klien.post(f"{MAGETAN}/unggah", content_type="multipart/form-data", data={
        "csrf_token": token_csrf(halaman), "revisi": revisi_draf(halaman), "berkas": (io.BytesIO(data), nama)})


def zip_dari(berkas: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for nama, isi in berkas.items():
            zf.writestr(nama, isi)
    return buf.getvalue()


# --- access ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/admin/onboarding", "/admin/onboarding/baru", MAGETAN])
def test_tamu_diarahkan_ke_halaman_masuk_admin(klien, url):
    r = klien.get(url)
    assert r.status_code == 302 and "/admin/masuk" in r.headers["Location"]


def test_sesi_staf_kantor_tidak_berlaku_di_halaman_admin(app, klien, dimuat):
    from dinsos.tenancy.models import Tenant
    from dinsos_uji.bantuan import Kantor

    with app.app_context():
        t = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-metro"))
        kantor = Kantor(t.id, t.slug, t.nama, app)
    _, email = buat_staf(kantor, "admin_tenant")
    assert masuk(klien, "kota-metro", email).status_code == 302
    r = klien.get("/admin/onboarding")
    assert r.status_code == 302 and "/admin/masuk" in r.headers["Location"]


def test_penghias_menolak_akun_yang_bukan_admin_platform(app):
    from flask_login import login_user

    from dinsos.admin import perlu_admin_platform
    from dinsos.auth.models import Pengguna

    tampilan = perlu_admin_platform(lambda: "isi")
    staf = Pengguna(email="x@y.id", nama="X", peran=["admin_tenant"], hash_kata_sandi="-", aktif=True)
    staf.id_sesi = "u:0:sesi-uji"  # what the cookie would carry; the decorator never reads it
    with app.test_request_context("/admin/onboarding"):
        login_user(staf)
        with pytest.raises(Exception) as info:
            tampilan()
        assert getattr(info.value, "code", None) == 403


def test_tanpa_token_csrf_ditolak(draf_magetan, potret):
    sebelum = potret()
    r = draf_magetan.post(f"{MAGETAN}/terbitkan", data={"revisi": "1"})
    assert r.status_code == 400 and "CSRF" in teks(r)
    assert potret() == sebelum


# --- diff and publishing a new version -------------------------------------------------------


def test_ubah_langkah_tampil_sebagai_perbedaan_lalu_terbit_sebagai_versi_2(app, draf_magetan, potret):
    klien = draf_magetan
    asli = isi_berkas(app, LAYANAN)
    assert simpan(klien, LAYANAN, asli.replace("kelengkapan: Form Assesment\n", "kelengkapan: Form Asesmen Lengkap\n")
                  ).status_code == 302
    draf = teks(klien.get(MAGETAN))
    assert 'class="lencana status-berubah"' in draf and 'class="lencana status-sama"' in draf
    [tabel] = re.findall(r'<table class="diff".*?</table>', draf, re.S)
    assert "versi 1 (berlaku)" in tabel and "draf" in tabel
    sel = [" ".join(re.sub(r"<[^>]+>", "", s).replace("&nbsp;", " ").split())
           for s in re.findall(r'<td nowrap="nowrap">(.*?)</td>', tabel)]
    kiri, kanan = " ".join(sel[0::2]), " ".join(sel[1::2])
    assert "kelengkapan: Form Assesment waktu" in kiri and "kelengkapan: Form Asesmen Lengkap waktu" in kanan
    assert "Pemohon datang" not in tabel  # only the changed lines, with a little context

    with app.app_context(), lintas_tenant("uji", catat=False):
        layanan = db.session.scalar(select(Layanan).where(Layanan.kode == "pengiriman-anjal-at"))
        v1 = db.session.scalar(select(VersiLayanan).where(VersiLayanan.layanan_id == layanan.id))
        v1 = (v1.id, v1.sidik, v1.isi)
    r = klien.post(f"{MAGETAN}/terbitkan", data={"csrf_token": token_csrf(draf), "revisi": revisi_draf(draf)})
    assert r.status_code == 302
    assert "pengiriman-anjal-at: versi 2 disimpan" in teks(klien.get(r.headers["Location"]))
    with app.app_context(), lintas_tenant("uji", catat=False):
        versi = db.session.scalars(select(VersiLayanan).order_by(VersiLayanan.versi)
                                   .where(VersiLayanan.layanan_id == layanan.id)).all()
        assert [(v.id, v.sidik, v.isi) for v in versi][0] == v1 and versi[1].versi == 2
        assert db.session.scalar(select(DrafOnboarding)) is None  # published drafts are gone


def test_draf_tidak_valid_tidak_dapat_diterbitkan(app, draf_magetan, potret):
    klien = draf_magetan
    simpan(klien, LAYANAN, isi_berkas(app, LAYANAN).replace("- pendamping_rehsos\n", "- satpam\n", 1))
    draf = teks(klien.get(MAGETAN))
    assert "Pelaksana &#39;satpam&#39; tidak dikenal" in draf
    sebelum = potret()
    r = klien.post(f"{MAGETAN}/terbitkan", data={"csrf_token": token_csrf(draf), "revisi": revisi_draf(draf)})
    assert r.status_code == 303
    assert "Belum dapat diterbitkan: 1 kesalahan. Tidak ada yang dimuat." in teks(klien.get(r.headers["Location"]))
    assert potret() == sebelum


def test_halaman_yang_basi_tidak_menimpa_draf(app, draf_magetan):
    klien = draf_magetan
    halaman = teks(klien.get(f"{MAGETAN}/berkas/tenant.yaml"))
    lama = revisi_draf(halaman)
    assert simpan(klien, "tenant.yaml", isi_berkas(app, "tenant.yaml") + "\n").status_code == 302
    simpanan = isi_berkas(app, "tenant.yaml")
    r = klien.post(f"{MAGETAN}/berkas/tenant.yaml", data={"csrf_token": token_csrf(halaman), "revisi": lama,
                                                          "isi": "slug: ditimpa\n"})
    assert r.status_code == 409
    assert "sudah disimpan orang lain" in teks(r)
    assert "slug: ditimpa" in teks(r)  # the admin's text is kept on the page, not lost
    assert isi_berkas(app, "tenant.yaml") == simpanan
    r = klien.post(f"{MAGETAN}/terbitkan", data={"csrf_token": token_csrf(halaman), "revisi": lama})
    assert r.status_code == 303


def test_tambah_dan_hapus_berkas_layanan(app, draf_magetan):
    klien = draf_magetan
    halaman = teks(klien.get(MAGETAN))
    r = klien.post(f"{MAGETAN}/layanan-baru", data={"csrf_token": token_csrf(halaman), "revisi": revisi_draf(halaman),
                                                    "kode": "layanan-lain", "isi": ""})
    assert r.headers["Location"].endswith("/formulir/services/layanan-lain.yaml")  # the form editor, no YAML needed
    draf = teks(klien.get(MAGETAN))
    assert "services/layanan-lain.yaml" in draf and "Wajib diisi: kunci ini tidak ada." in draf
    r = klien.post(f"{MAGETAN}/hapus/services/layanan-lain.yaml",
                   data={"csrf_token": token_csrf(draf), "revisi": revisi_draf(draf)})
    assert r.status_code == 302 and "Semua berkas valid." in teks(klien.get(MAGETAN))


# --- bad input: a clear message, never a 500 -------------------------------------------------------


@pytest.mark.parametrize(("isi", "pesan"), [
    ("kode: [tidak ditutup\n", "Sintaks YAML salah di baris 2"),
    ("\tkode: x\n", "karakter tab"),
    ("a: &x [1]\nb: *x\n", "alias YAML"),
    ("- sebuah\n- daftar\n", "harus berupa pemetaan"),
    ("kode: " + "[" * 3000 + "]" * 3000, "bersarang terlalu dalam"),
])
def test_yaml_rusak_di_textarea_menampilkan_kesalahan(app, draf_magetan, isi, pesan):
    r = simpan(draf_magetan, LAYANAN, isi)
    assert r.status_code == 302
    halaman = teks(draf_magetan.get(r.headers["Location"]))
    assert "Versi tersimpan berkas ini memuat" in halaman and pesan in halaman.replace("&#39;", "'")
    assert pesan in teks(draf_magetan.get(MAGETAN)).replace("&#39;", "'")


@pytest.mark.parametrize("jahat", ["../../etc/passwd", "/etc/cron.d/x", "kabupaten-magetan/../../x.yaml",
                                   "C:/Windows/x.yaml", "services\\..\\x.yaml"])
def test_zip_dengan_jalur_keluar_folder_ditolak(app, draf_magetan, jahat):
    sebelum = isi_berkas(app, LAYANAN)
    r = unggah(draf_magetan, zip_dari({"kabupaten-magetan/tenant.yaml": "slug: x\n", jahat: "x"}))
    halaman = teks(draf_magetan.get(r.headers["Location"]))
    assert "tidak diizinkan: menunjuk ke luar folder kantor" in halaman
    assert isi_berkas(app, LAYANAN) == sebelum


@pytest.mark.parametrize(("data", "pesan"), [
    (b"bukan zip sama sekali", "bukan arsip zip yang sah"),
    (zip_dari({"tenant.yaml": b"slug: \xff\xfe\n"}), "bukan teks UTF-8"),
    (zip_dari({"tenant.yaml": "a: " + "x" * (BATAS_BERKAS + 10)}), "melebihi 256 KB setelah diekstrak"),
    (zip_dari({"README.md": "halo"}), "tidak memuat tenant.yaml maupun folder services/"),
    (zip_dari({"kota-a/tenant.yaml": "x", "kota-b/tenant.yaml": "x"}), "Zip memuat 2 folder kantor (kota-a, kota-b)"),
])
def test_zip_buruk_ditolak_dengan_pesan_jelas(app, draf_magetan, data, pesan):
    r = unggah(draf_magetan, data)
    assert r.status_code == 302
    assert pesan in teks(draf_magetan.get(r.headers["Location"]))


def test_unggahan_sangat_besar_ditolak_dengan_batasnya(app, draf_magetan):
    r = unggah(draf_magetan, b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert r.status_code == 413
    assert f"paling besar {BATAS_UNGGAHAN // (1024 * 1024)} MB" in teks(r)
    r = unggah(draf_magetan, b"0" * (BATAS_UNGGAHAN + 1))
    assert "Berkas zip melebihi batas 2 MB." in teks(draf_magetan.get(r.headers["Location"]))


def test_zip_berisi_folder_kantor_atau_isinya_sama_saja(app, draf_magetan):
    tenant = isi_berkas(app, "tenant.yaml")
    layanan = isi_berkas(app, LAYANAN)
    for awalan in ("kabupaten-magetan/", ""):
        r = unggah(draf_magetan, zip_dari({f"{awalan}tenant.yaml": tenant, f"{awalan}{LAYANAN}": layanan,
                                           f"{awalan}CATATAN.txt": "x", "__MACOSX/._tenant.yaml": "x"}))
        halaman = teks(draf_magetan.get(r.headers["Location"]))
        assert "Semua berkas valid." in halaman
        assert f"Diabaikan (bukan bagian format standar): {awalan}CATATAN.txt" in halaman


def test_kantor_baru_dengan_slug_terdaftar_atau_isian_salah(admin, dimuat):
    halaman = teks(admin.get("/admin/onboarding/baru"))
    dasar = {"csrf_token": token_csrf(halaman), "nama": "Dinas Sosial X", "tingkat": "kota",
             "provinsi_induk": "provinsi-lampung", "kode_wilayah": "18.72", "zona_waktu": "Asia/Jakarta"}
    r = admin.post("/admin/onboarding/baru", data={**dasar, "slug": "kota-metro"})
    assert r.status_code == 409 and "sudah terdaftar" in teks(r)
    r = admin.post("/admin/onboarding/baru", data={**dasar, "slug": "Kota Baru!"})
    assert r.status_code == 400 and "Slug hanya huruf kecil" in teks(r)
    r = admin.post("/admin/onboarding/baru", data={**dasar, "slug": "kota-x", "provinsi_induk": "tidak-ada"})
    assert r.status_code == 400 and "Provinsi induk tidak terdaftar" in teks(r)


def test_kode_wilayah_salah_tampil_sebagai_hasil_validasi_draf(admin, dimuat):
    halaman = teks(admin.get("/admin/onboarding/baru"))
    r = admin.post("/admin/onboarding/baru", data={
        "csrf_token": token_csrf(halaman), "slug": "kota-baru", "nama": "Dinas Sosial Kota Baru", "tingkat": "kota",
        "provinsi_induk": "provinsi-lampung", "kode_wilayah": "35.71", "zona_waktu": "Asia/Jakarta"})
    draf = teks(admin.get(r.headers["Location"]))
    assert "Kode wilayah &#39;35.71&#39; tidak berada di bawah kode provinsi induk &#39;18&#39;." in draf


def test_pratinjau_layanan_yang_belum_valid_404_dengan_pesan(app, draf_magetan):
    simpan(draf_magetan, LAYANAN, "kode: pengiriman-anjal-at\n")
    r = draf_magetan.get(f"{MAGETAN}/pratinjau/pengiriman-anjal-at")
    assert r.status_code == 404 and "belum valid" in teks(r)


# Onboarding YAML with odd content answers a located message, never a 500 (issue 19, item 5).

def test_integer_over_python_limit_is_a_located_error_and_the_draft_stays_repairable(app, draf_magetan):
    asli = isi_berkas(app, LAYANAN)
    besar = asli.replace("\n", "\nangka_raksasa: " + "9" * 5000 + "\n", 1)
    r = simpan(draf_magetan, LAYANAN, besar)
    assert r.status_code < 500
    # Every view of the draft still answers, naming the file and line.
    halaman = draf_magetan.get(MAGETAN)
    assert halaman.status_code == 200
    assert "Bilangan terlalu panjang" in teks(halaman) and f"{LAYANAN}#baris-2" in teks(halaman)
    assert draf_magetan.get(f"{MAGETAN}/berkas/{LAYANAN}").status_code == 200
    # ... and the file can be repaired from the UI.
    assert simpan(draf_magetan, LAYANAN, asli).status_code == 302
    assert "Bilangan terlalu panjang" not in teks(draf_magetan.get(MAGETAN))


def test_nul_escape_in_yaml_is_a_located_error(app, draf_magetan):
    asli = isi_berkas(app, LAYANAN)
    r = simpan(draf_magetan, LAYANAN, asli.replace("\n", '\ncatatan_nul: "a\\0b"\n', 1))
    assert r.status_code < 500
    halaman = teks(draf_magetan.get(MAGETAN))
    assert "karakter NUL" in halaman and "catatan_nul" in halaman


def test_nul_byte_in_a_zipped_file_is_refused_by_name(app, draf_magetan):
    asli = isi_berkas(app, LAYANAN)
    r = unggah(draf_magetan, zip_dari({"tenant.yaml": isi_berkas(app, "tenant.yaml"), LAYANAN: asli + "\x00\n"}))
    assert r.status_code == 302  # back to the draft, the refusal flashed there
    halaman = teks(draf_magetan.get(MAGETAN))
    assert "memuat karakter NUL di baris" in halaman and "pengiriman-anjal-at.yaml" in halaman
    assert isi_berkas(app, LAYANAN) == asli
