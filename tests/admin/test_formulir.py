"""The form editor of a draft (issue 18, item 1): the 14 components and the SOP as fields, applied onto the YAML.

Comments and provenance notes survive; form -> YAML -> form -> YAML is byte-stable;
rows are added, reordered and removed without JavaScript; errors sit beside their field.
"""
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from bantuan import token_csrf
from dinsos.admin import sunting
from dinsos.admin.models import DrafOnboarding
from dinsos.core.db import db

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
    with app.app_context():
        draf = db.session.scalar(select(DrafOnboarding))
        draf.berkas = {n: (TENANTS / "kabupaten-magetan" / n).read_text() for n in draf.berkas}
        db.session.commit()
    return admin


def berkas(app, nama=LAYANAN):
    with app.app_context():
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
