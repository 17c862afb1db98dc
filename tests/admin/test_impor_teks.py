"""'Impor dari teks keputusan' on a draft: propose, review beside source lines, add, publish."""
import html
import io
import re

import pytest
from sqlalchemy import select

from dinsos.admin.models import DrafOnboarding
from dinsos.catalogue.models import Layanan
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant, ruang_platform
from dinsos_uji.bantuan import revisi_draf, token_csrf
from dinsos_uji.teks_keputusan import FOLDER_SEED, TABEL_RUSAK

MAGETAN = "/admin/onboarding/draf/kabupaten-magetan"


def teks(r) -> str:
    return r.get_data(as_text=True)


def usulkan(klien, **data):
    halaman = teks(klien.get(f"{MAGETAN}/impor"))
    return klien.post(f"{MAGETAN}/impor", content_type="multipart/form-data",
                      data={"csrf_token": token_csrf(halaman), "revisi": revisi_draf(halaman), **data})


def test_impor_seed_ditinjau_ditambahkan_lalu_diterbitkan(app, draf_magetan):
    klien = draf_magetan
    assert f'href="{MAGETAN}/impor"' in teks(klien.get(MAGETAN))
    seed = next(FOLDER_SEED.glob("000_*.txt")).read_text(encoding="utf-8")
    r = usulkan(klien, teks=seed)
    assert r.status_code == 200
    halaman = teks(r)
    # Each value beside its source line; the unplaced lines listed.
    usulan = halaman[halaman.index('id="usulan"'):halaman.index('id="tak-terpakai"')]
    assert "keputusan.nomor" in usulan and "/KPTS/D-5/2023" in usulan
    assert "<span class=\"samar\">14:</span> <code>Nomor : /KPTS/D-5/2023</code>" in usulan
    assert "Parkir Kusus Disabilitas" in usulan
    assert "<dt>gratis</dt><dd>ya</dd>" in usulan and "<dt>jenis</dt><dd>terbuka</dd>" in usulan
    tak = halaman[halaman.index('id="tak-terpakai"'):halaman.index('id="buat"')]
    assert "DINAS SOSIAL KOTA METRO" in tak
    kode = re.search(r'name="kode"[^>]*value="([^"]+)"', halaman)[1]
    isi = html.unescape(re.search(r'<textarea[^>]*name="isi"[^>]*>(.*?)</textarea>', halaman, re.S)[1]).lstrip("\r\n")
    assert isi.startswith("# Diimpor otomatis dari teks keputusan (teks yang ditempel)")
    assert "#   keputusan.nomor: baris 14" in isi

    with app.app_context(), ruang_platform():
        assert f"services/{kode}.yaml" not in db.session.scalar(select(DrafOnboarding)).berkas  # only proposed
    r = klien.post(f"{MAGETAN}/impor/buat", data={
        "csrf_token": token_csrf(halaman), "revisi": revisi_draf(halaman), "kode": kode, "isi": isi})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/berkas/services/{kode}.yaml")
    with app.app_context(), ruang_platform():
        tersimpan = db.session.scalar(select(DrafOnboarding)).berkas[f"services/{kode}.yaml"]
        assert "# Diimpor otomatis dari teks keputusan" in tersimpan
        with lintas_tenant("uji", catat=False):
            assert db.session.scalar(select(Layanan).where(Layanan.kode == kode)) is None  # not published

    draf = teks(klien.get(MAGETAN))
    assert "Semua berkas valid." in draf
    r = klien.post(f"{MAGETAN}/terbitkan", data={"csrf_token": token_csrf(draf), "revisi": revisi_draf(draf)})
    assert r.status_code == 302
    with app.app_context(), lintas_tenant("uji", catat=False):
        layanan = db.session.scalar(select(Layanan).where(Layanan.kode == kode))
        assert layanan is not None and layanan.nama == "Anak Berhadapan dengan Hukum"


def test_pdf_dengan_lapisan_teks_diusulkan(draf_magetan):
    from weasyprint import HTML

    pdf = HTML(string="<pre>" + html.escape(TABEL_RUSAK) + "</pre>").write_pdf()
    r = usulkan(draf_magetan, pdf=(io.BytesIO(pdf), "keputusan.pdf"))
    assert r.status_code == 200
    halaman = teks(r)
    assert "400/12/KPTS/2024" in halaman and "Surat pengantar dari Kelurahan" in halaman
    assert "(keputusan.pdf)" in halaman


@pytest.mark.parametrize("data, pesan", [
    ({"teks": "   "}, "Tempel teks keputusan atau pilih PDF-nya."),
    ({"pdf": (io.BytesIO(b"bukan"), "catatan.txt")}, "Pilih berkas PDF."),
    ({"pdf": (io.BytesIO(b"%PDF-1.4 rusak"), "rusak.pdf")}, "PDF"),
])
def test_masukan_buruk_dijawab_dengan_pesan_bukan_500(draf_magetan, data, pesan):
    r = usulkan(draf_magetan, **data)
    assert r.status_code == 422
    assert html.escape(pesan, quote=False) in teks(r) or pesan in teks(r)


def test_kode_ganda_ditolak_dengan_pesan(draf_magetan):
    halaman = teks(draf_magetan.get(f"{MAGETAN}/impor"))
    r = draf_magetan.post(f"{MAGETAN}/impor/buat", data={
        "csrf_token": token_csrf(halaman), "revisi": revisi_draf(halaman), "kode": "pengiriman-anjal-at", "isi": "kode: x\n"})
    assert r.status_code == 302
    assert "sudah ada di draf" in teks(draf_magetan.get(r.headers["Location"]))


def test_halaman_dalam_bahasa_inggris(draf_magetan):
    r = draf_magetan.get(f"{MAGETAN}/impor?lang=en")
    assert "Import from the decree&#39;s text" in teks(r) or "Import from the decree's text" in teks(r)
