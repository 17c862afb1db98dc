"""The form editor of a draft (issue 18, item 1): the 14 components and the SOP as fields, applied onto the YAML.

Comments and provenance notes survive; form -> YAML -> form -> YAML is byte-stable;
rows are added, reordered and removed without JavaScript; errors sit beside their field.
"""
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from dinsos.admin import sunting
from dinsos.admin.models import DrafOnboarding
from dinsos.core.db import db
from dinsos.core.tenant import ruang_platform
from dinsos_uji.bantuan import revisi_draf, token_csrf

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
MAGETAN = "/admin/onboarding/draf/kabupaten-magetan"
LAYANAN = "services/pengiriman-anjal-at.yaml"
SEMUA = sorted(p.relative_to(TENANTS).as_posix() for p in TENANTS.rglob("*.yaml"))


def isian_halaman(html: str) -> MultiDict:
    """What a browser posts for the form as shown (text, selects, checked boxes, hidden fields)."""
    data = MultiDict()
    bentuk = html[html.index('class="formulir-editor"'):]
    for m in re.finditer(r'<input ([^>]*)>', bentuk):
        a = m[1]
        nama = re.search(r'name="([^"]*)"', a)
        if not nama:
            continue
        jenis = re.search(r'type="([^"]*)"', a)
        if jenis and jenis[1] == "checkbox" and "checked" not in a:
            continue
        nilai = re.search(r'value="([^"]*)"', a)
        data.add(nama[1], _lepas(nilai[1]) if nilai else "")
    for m in re.finditer(r'<textarea [^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', bentuk, re.S):
        data.add(m[1], _lepas(m[2]))
    for m in re.finditer(r'<select [^>]*name="([^"]*)"[^>]*>(.*?)</select>', bentuk, re.S):
        pilih = re.search(r'<option value="([^"]*)" selected', m[2]) or re.search(r'<option value="([^"]*)"', m[2])
        data.add(m[1], _lepas(pilih[1]) if pilih else "")
    return data


def _lepas(t: str) -> str:
    return (t.replace("&#34;", '"').replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
            .replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.parametrize("nama", SEMUA)
def test_membaca_dan_menulis_tanpa_perubahan_sama_persis(nama):
    teks = (TENANTS / nama).read_text()
    assert sunting.tulis(sunting.baca(teks), teks) == teks


@pytest.fixture
def editor(app, admin, dimuat):
    """A draft of Magetan holding the hand-written seed files, comments and provenance notes included."""
    halaman = admin.get("/admin/onboarding").get_data(as_text=True)
    admin.post("/admin/onboarding/kantor/kabupaten-magetan/ubah", data={"csrf_token": token_csrf(halaman)})
    with app.app_context(), ruang_platform():
        draf = db.session.scalar(select(DrafOnboarding))
        draf.berkas = {n: (TENANTS / "kabupaten-magetan" / n).read_text() for n in draf.berkas}
        db.session.commit()
    return admin


def berkas(app, nama=LAYANAN):
    with app.app_context(), ruang_platform():
        return db.session.scalar(select(DrafOnboarding)).berkas[nama]


def kirim(klien, nama=LAYANAN, ubah=None, aksi=""):
    url = f"{MAGETAN}/formulir/{nama}"
    html = klien.get(url).get_data(as_text=True)
    data = isian_halaman(html)
    for k, v in (ubah or {}).items():
        data.setlist(k, v if isinstance(v, list) else [v])
    data["aksi"] = aksi
    r = klien.post(url, data=data)
    assert r.status_code == 303, r.get_data(as_text=True)[:500]
    return r


@pytest.mark.parametrize("nama", [LAYANAN, "tenant.yaml"])
def test_formulir_yaml_formulir_yaml_stabil_termasuk_komentar(app, editor, nama):
    asli = berkas(app, nama)
    kirim(editor, nama)
    pertama = berkas(app, nama)
    kirim(editor, nama)
    assert berkas(app, nama) == pertama == asli
    assert pertama == (TENANTS / "kabupaten-magetan" / nama).read_text()
    assert "# Sumber:" in pertama or "# Seed" in pertama


def test_mengubah_lewat_formulir_menjaga_komentar_dan_hanya_mengubah_nilainya(app, editor):
    asli = berkas(app)
    kirim(editor, ubah={"sop.langkah.0.kegiatan": "Menerima klien dan berkasnya",
                        "sop.langkah.1.waktu.__jumlah": "2", "sop.langkah.1.waktu.__satuan": "hari_kerja",
                        "kategori_ppks": ["2", "4", "11"]})
    baru = berkas(app)
    beda = [(a, b) for a, b in zip(asli.splitlines(), baru.splitlines()) if a != b]
    assert len(asli.splitlines()) == len(baru.splitlines())
    assert ("kategori_ppks: [2, 4]", "kategori_ppks: [2, 4, 11]") in beda
    assert any(b.strip() == "kegiatan: Menerima klien dan berkasnya" for _a, b in beda)
    assert any(b.strip() == "waktu: 2 hari kerja" for _a, b in beda)
    assert len(beda) == 3
    assert [l for l in asli.splitlines() if l.lstrip().startswith("#")] == \
        [l for l in baru.splitlines() if l.lstrip().startswith("#")]


def test_baris_ditambah_dipindah_dan_dihapus_tanpa_javascript(app, editor):
    kode = lambda: re.findall(r"^    - kode: (\S+)", berkas(app).split("\n  langkah:")[1].split("\n  hasil_akhir:")[0], re.M)  # noqa: E731
    awal = kode()
    kirim(editor, aksi="turun:sop.langkah:0")
    assert kode() == [awal[1], awal[0], *awal[2:]]
    kirim(editor, aksi="naik:sop.langkah:1")
    assert kode() == awal
    kirim(editor, aksi="tambah:sop.langkah")
    html = editor.get(f"{MAGETAN}/formulir/{LAYANAN}").get_data(as_text=True)
    n = len(awal)
    assert f'name="sop.langkah.{n}.kegiatan"' in html
    # the new step's empty fields are errors shown beside them, not a 500
    assert re.search(rf'id="f-sop-langkah-{n}-kode-galat"', html)
    kirim(editor, aksi=f"hapus:sop.langkah:{n}")
    assert kode() == awal


def test_pemilih_hanya_menawarkan_nilai_yang_dikenal(editor):
    html = editor.get(f"{MAGETAN}/formulir/{LAYANAN}").get_data(as_text=True)
    assert 'name="sop.langkah.0.pelaksana" value="petugas_pelayanan"' in html
    assert re.search(r'<select id="f-sop-langkah-0-dokumen_keluaran"[^>]*>.*berita_acara_serah_terima', html)
    assert re.search(r'name="sop.langkah.0.berikutnya"[^>]*><option value="">— langkah terakhir —</option><option value="serah-terima"', html) or \
        'name="sop.langkah.0.berikutnya"' in html
    assert "4. Anak jalanan" in html and "Penanganan pengaduan, saran, dan masukan" in html


def test_kesalahan_tampil_di_samping_isiannya(app, editor):
    kirim(editor, ubah={"sop.langkah.0.kode": "Salah Kode"})
    html = editor.get(f"{MAGETAN}/formulir/{LAYANAN}").get_data(as_text=True)
    m = re.search(r'id="f-sop-langkah-0-kode-galat">([^<]*)<', html)
    assert m and "Kode langkah" in m[1]


# --- Andi's journey through the form only: a new kabupaten and a five-step service, no YAML typed ---------

BARU = "kabupaten-ngawi"
DRAF_BARU = f"/admin/onboarding/draf/{BARU}"
LANGKAH = [
    ("serah-terima", "Menerima klien dan berkasnya", ["petugas_pelayanan"], "berita_acara_serah_terima", ("1", "jam")),
    ("register", "Mencatat klien di buku register", ["petugas_pelayanan"], "nomor_register", ("15", "menit")),
    ("asesmen", "Asesmen kebutuhan klien", ["pekerja_sosial"], "form_asesmen", ("2", "hari_kerja")),
    ("laporan-sosial", "Menyusun laporan sosial", ["pekerja_sosial", "kepala_bidang"], "laporan_sosial", ("1", "hari_kerja")),
    ("rujukan", "Mengirim klien ke balai", ["kepala_dinas"], "surat_pengantar", ("3x24", "jam_kalender")),
]


def kirim_ke(klien, url, ubah=None, aksi=""):
    html = klien.get(url).get_data(as_text=True)
    data = isian_halaman(html)
    for k, v in (ubah or {}).items():
        data.setlist(k, v if isinstance(v, list) else [v])
    data["aksi"] = aksi
    r = klien.post(url, data=data)
    assert r.status_code == 303, r.get_data(as_text=True)[:300]
    return klien.get(url).get_data(as_text=True)


def isian_layanan() -> dict:
    """Every value of the new service, as an admin would type and pick them in the form."""
    p = "penyampaian_pelayanan"
    m = "pengelolaan_pelayanan"
    isi = {
        "nama": "Pengiriman Anak Jalanan ke Balai Rehabilitasi", "kategori_ppks": ["2", "4"],
        "menerima_rujukan": "false", "keputusan.ditetapkan_di": "Ngawi",
        f"{p}.persyaratan.dokumen.0.kode": "surat-kepolisian", f"{p}.persyaratan.dokumen.0.nama": "Surat keterangan kepolisian",
        f"{p}.persyaratan.dokumen.0.penerbit": "Kepolisian", f"{p}.persyaratan.dokumen.0.wajib": "true",
        f"{p}.prosedur.0": "Pemohon datang ke ruang pelayanan",
        f"{p}.jangka_waktu.uraian": "2 hari kerja sejak berkas lengkap",
        f"{p}.jangka_waktu.aturan.minimal": "1", f"{p}.jangka_waktu.aturan.maksimal": "2",
        f"{p}.jangka_waktu.aturan.mulai": "berkas_lengkap",
        f"{p}.biaya.gratis": "true", f"{p}.biaya.uraian": "Tidak dipungut biaya",
        f"{p}.produk.uraian": "Anak terkirim ke balai rehabilitasi",
        f"{p}.pengaduan.sarana.0.jenis": "kotak_saran", f"{p}.pengaduan.sarana.0.nilai": "Kotak saran di ruang pelayanan",
        f"{p}.pengaduan.tindak_lanjut.0.kode": "jawab", f"{p}.pengaduan.tindak_lanjut.0.nama": "Pengaduan dijawab",
        f"{m}.jumlah_pelaksana.uraian": "3 orang", f"{m}.jumlah_pelaksana.jumlah": "3",
        "sop.nama": "SOP Pengiriman Anjal", "sop.hasil_akhir.0.kode": "terkirim", "sop.hasil_akhir.0.nama": "Terkirim ke balai",
    }
    for komponen in ("dasar_hukum", "sarana_prasarana", "kompetensi_pelaksana", "pengawasan_internal",
                     "jaminan_pelayanan", "jaminan_keamanan_keselamatan", "evaluasi_kinerja"):
        isi[f"{m}.{komponen}.0"] = f"Butir {komponen.replace('_', ' ')}"
    for i, (kode, kegiatan, pelaksana, dokumen, (jumlah, satuan)) in enumerate(LANGKAH):
        isi |= {f"sop.langkah.{i}.kode": kode, f"sop.langkah.{i}.kegiatan": kegiatan,
                f"sop.langkah.{i}.pelaksana": pelaksana, f"sop.langkah.{i}.dokumen_keluaran": dokumen,
                f"sop.langkah.{i}.kelengkapan": "Berkas klien", f"sop.langkah.{i}.output": kegiatan,
                f"sop.langkah.{i}.waktu.__jumlah": jumlah.split("x")[0] if "x" not in jumlah else "72",
                f"sop.langkah.{i}.waktu.__satuan": satuan}
    return isi


def baris_baru() -> list[str]:
    p, m = "penyampaian_pelayanan", "pengelolaan_pelayanan"
    return ([f"{p}.persyaratan.dokumen", f"{p}.prosedur", f"{p}.pengaduan.sarana", f"{p}.pengaduan.tindak_lanjut",
             "sop.hasil_akhir"] + [f"{m}.{k}" for k in ("dasar_hukum", "sarana_prasarana", "kompetensi_pelaksana",
                                                       "pengawasan_internal", "jaminan_pelayanan",
                                                       "jaminan_keamanan_keselamatan", "evaluasi_kinerja")]
            + ["sop.langkah"] * len(LANGKAH))


def test_kabupaten_baru_dengan_layanan_lima_langkah_hanya_lewat_formulir(app, admin, dimuat):
    from dinsos.catalogue.models import Layanan
    from dinsos.catalogue.services import versi_terbaru
    from dinsos.core.tenant import lintas_tenant
    from dinsos.tenancy.models import Tenant

    halaman = admin.get("/admin/onboarding/baru").get_data(as_text=True)
    r = admin.post("/admin/onboarding/baru", data={
        "csrf_token": token_csrf(halaman), "slug": BARU, "nama": "Dinas Sosial Kabupaten Ngawi", "tingkat": "kabupaten",
        "provinsi_induk": "provinsi-jawa-timur", "kode_wilayah": "35.21", "zona_waktu": "Asia/Jakarta"})
    assert r.status_code == 302
    kirim_ke(admin, f"{DRAF_BARU}/formulir/tenant.yaml", {"alamat": "Jalan Teuku Umar 1, Ngawi"})
    halaman = admin.get(DRAF_BARU).get_data(as_text=True)
    r = admin.post(f"{DRAF_BARU}/layanan-baru", data={"csrf_token": token_csrf(halaman), "revisi": revisi_draf(halaman),
                                                      "kode": "pengiriman-anjal", "isi": ""})
    url = r.headers["Location"]
    assert url.endswith("/formulir/services/pengiriman-anjal.yaml")
    for daftar in baris_baru():
        html = kirim_ke(admin, url, aksi=f"tambah:{daftar}")
    html = kirim_ke(admin, url, isian_layanan())
    for i in range(len(LANGKAH) - 1):  # the steps exist now: pick each one's next step
        html = kirim_ke(admin, url, {f"sop.langkah.{i}.berikutnya": LANGKAH[i + 1][0]})
    # a branch back from the report to the assessment, picked from the steps
    html = kirim_ke(admin, url, aksi="tambah:sop.langkah.3.cabang")
    html = kirim_ke(admin, url, {"sop.langkah.3.cabang.0.kondisi": "Laporan belum lengkap",
                                 "sop.langkah.3.cabang.0.ke": "asesmen"})
    assert "Versi tersimpan berkas ini valid." in html, re.findall(r'class="galat"[^>]*>([^<]*)', html)
    with app.app_context(), ruang_platform():
        teks_yaml = db.session.scalar(select(DrafOnboarding).where(DrafOnboarding.slug == BARU)).berkas[
            "services/pengiriman-anjal.yaml"]
    assert "waktu: 72 jam kalender" in teks_yaml and "ke: asesmen" in teks_yaml, teks_yaml
    assert "'" not in teks_yaml  # typed values are written plain
    halaman = admin.get(DRAF_BARU).get_data(as_text=True)
    assert "Semua berkas valid." in halaman
    r = admin.post(f"{DRAF_BARU}/terbitkan", data={"csrf_token": token_csrf(halaman), "revisi": revisi_draf(halaman)})
    assert r.status_code == 302
    with app.app_context(), lintas_tenant("uji", catat=False):
        ngawi = db.session.scalar(select(Tenant).where(Tenant.slug == BARU))
        assert ngawi.alamat == "Jalan Teuku Umar 1, Ngawi"
        layanan = db.session.scalar(select(Layanan).where(Layanan.tenant_id == ngawi.id))
        assert [l["kode"] for l in versi_terbaru(layanan).isi["sop"]["langkah"]] == [k for k, *_ in LANGKAH]
    assert "Pengiriman Anak Jalanan ke Balai Rehabilitasi" in admin.get(f"/t/{BARU}/standar-pelayanan").get_data(as_text=True)


def test_mulai_dari_templat_kantor_lain(app, admin, dimuat):
    halaman = admin.get("/admin/onboarding/baru").get_data(as_text=True)
    admin.post("/admin/onboarding/baru", data={
        "csrf_token": token_csrf(halaman), "slug": BARU, "nama": "Dinas Sosial Kabupaten Ngawi", "tingkat": "kabupaten",
        "provinsi_induk": "provinsi-jawa-timur", "kode_wilayah": "35.21", "zona_waktu": "Asia/Jakarta"})
    halaman = admin.get(DRAF_BARU).get_data(as_text=True)
    assert "Kabupaten Magetan — Pengiriman Anak Jalanan" in halaman
    r = admin.post(f"{DRAF_BARU}/templat", data={"csrf_token": token_csrf(halaman), "revisi": revisi_draf(halaman),
                                                 "sumber": "kabupaten-magetan/pengiriman-anjal-at", "kode": "anjal-at"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/formulir/services/anjal-at.yaml")
    with app.app_context(), ruang_platform():
        teks_yaml = db.session.scalar(select(DrafOnboarding).where(DrafOnboarding.slug == BARU)).berkas["services/anjal-at.yaml"]
    assert teks_yaml.startswith("# Disalin dari Dinas Sosial Kabupaten Magetan") and "\nkode: anjal-at\n" in teks_yaml
    assert "  nomor: null\n" in teks_yaml and "  penandatangan: null\n" in teks_yaml
    assert "Semua berkas valid." in admin.get(DRAF_BARU).get_data(as_text=True)
    # a template that does not exist: a message, not a 500
    halaman = admin.get(DRAF_BARU).get_data(as_text=True)
    r = admin.post(f"{DRAF_BARU}/templat", data={"csrf_token": token_csrf(halaman), "revisi": revisi_draf(halaman),
                                                 "sumber": "kota-x/tidak-ada", "kode": "lain"})
    assert r.status_code == 303 and "Pilih layanan" in admin.get(DRAF_BARU).get_data(as_text=True)


def test_nilai_yang_salah_bentuk_tidak_dihapus_formulir():
    """A list written as text, or text written as a list, stays as the file has it until fixed in the YAML view."""
    teks = "kode: x\nnama:\n  - salah\nkategori_ppks: 2\n"
    dok = sunting.baca(teks)
    bidang, _sisa = sunting.formulir(dok, sunting.skema_untuk("services/x.yaml"))
    data = MultiDict({"kode": "x", "nama": "['salah']", "kategori_ppks.__centang": "1"})
    hasil = sunting.terapkan(teks, "services/x.yaml", data)
    assert "nama:\n  - salah\n" in hasil and "kategori_ppks: 2\n" in hasil


def test_blok_opsional_yang_tidak_ada_di_berkas_ditawarkan():
    """A block the file leaves out (the SOP's approver, a step's branches) is offered; left empty it stays out."""
    teks = (TENANTS / "kabupaten-magetan" / LAYANAN).read_text(encoding="utf-8")
    baris = teks.split("\n")
    i = next(n for n, b in enumerate(baris) if b.startswith("  disahkan_oleh:"))
    j = next(n for n in range(i + 1, len(baris)) if not baris[n].startswith("    "))
    tanpa = "\n".join(baris[:i] + baris[j:])
    bidang, _sisa = sunting.formulir(sunting.baca(tanpa), sunting.skema_untuk(LAYANAN))
    sop = next(b for b in bidang if b["kunci"] == "sop")
    blok = next(a for a in sop["anak"] if a["kunci"] == "sop.disahkan_oleh")
    assert blok["jenis"] == "peta" and [a["kunci"] for a in blok["anak"]] == [
        "sop.disahkan_oleh.nama", "sop.disahkan_oleh.pangkat", "sop.disahkan_oleh.nip", "sop.disahkan_oleh.jabatan"]
    langkah = next(a for a in sop["anak"] if a["kunci"] == "sop.langkah")["baris"][1]
    assert {a["kunci"]: a["jenis"] for a in langkah["anak"]}["sop.langkah.1.cabang"] == "daftar"  # "Tambah baris"
    kosong = MultiDict({a["kunci"]: "" for a in blok["anak"]})
    assert sunting.terapkan(tanpa, LAYANAN, kosong) == tanpa  # shown empty, posted empty: the file unchanged
    isi = MultiDict({**kosong, "sop.disahkan_oleh.nama": "Drs. Contoh", "sop.disahkan_oleh.jabatan": "Kepala Dinas"})
    # What the source does not say is written null, as the format guide asks (not left out, not placeholder text).
    assert ("  disahkan_oleh:\n    nama: Drs. Contoh\n    pangkat: null\n    nip: null\n    jabatan: Kepala Dinas\n"
            in sunting.terapkan(tanpa, LAYANAN, isi))
