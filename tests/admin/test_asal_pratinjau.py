"""Provenance markers and the arithmetic warning on the admin's side (issue 16, "All standards").

The preview shows the admin what the public page hides: the SOP's times
against the time limit, the reasons of the markers and the transcription
notes. The markers are fields of the form editor, and edits keep them.
"""
import yaml
from test_formulir import LAYANAN, MAGETAN, berkas, editor, kirim  # noqa: F401 - editor is a fixture

from dinsos_uji.bantuan import buat_staf, masuk

PERINGATAN = "4 hari kerja 2 jam 30 menit"


def test_pratinjau_menunjukkan_peringatan_hitungan_alasan_penanda_dan_catatan_ocr(draf_magetan):
    halaman = draf_magetan.get(f"{MAGETAN}/pratinjau/pengiriman-anjal-at").get_data(as_text=True)
    assert "Peringatan: hitungan waktu standar ini" in halaman and PERINGATAN in halaman
    assert "melebihi jangka waktu layanan 2 hari kerja" in halaman
    assert "Kolom output menulis &#34;Pendampingan&#34;; surat pengantar dipilih platform." in halaman
    assert 'id="catatan"' in halaman and "SOP eskternal OPD" in halaman


def test_kantor_melihat_peringatan_di_halaman_standarnya_publik_tidak(app, klien, dimuat):
    from sqlalchemy import select

    from dinsos.core.db import db
    from dinsos.tenancy.models import Tenant
    from dinsos_uji.bantuan import Kantor

    url = "/t/kabupaten-magetan/standar-pelayanan/pengiriman-anjal-at"
    assert PERINGATAN not in klien.get(url).get_data(as_text=True)
    with app.app_context():
        t = db.session.scalar(select(Tenant).where(Tenant.slug == "kabupaten-magetan"))
        magetan = Kantor(t.id, t.slug, t.nama, app)
    _, email = buat_staf(magetan, "kepala_dinas")
    masuk(klien, "kabupaten-magetan", email)
    halaman = klien.get(url).get_data(as_text=True)
    assert PERINGATAN in halaman and "Hanya terlihat oleh kantor" in halaman
    assert PERINGATAN not in klien.get("/t/kota-metro/standar-pelayanan/pendampingan-abh").get_data(as_text=True)


def test_penanda_adalah_isian_formulir_dan_bertahan_saat_disunting(app, editor):  # noqa: F811
    halaman = editor.get(f"{MAGETAN}/formulir/{LAYANAN}").get_data(as_text=True)
    assert 'name="penanda_asal.1.alasan"' in halaman and 'name="penanda_asal.1.bagian"' in halaman
    kirim(editor, ubah={"sop.langkah.0.kegiatan": "Menerima klien dan berkasnya",
                        "penanda_asal.0.alasan": "Hanya bulan dan tahun tercetak; tanggal 1 dipakai."})
    data = yaml.safe_load(berkas(app))
    assert data["sop"]["langkah"][0]["kegiatan"] == "Menerima klien dan berkasnya"
    assert [p["bagian"] for p in data["penanda_asal"]] == [
        "sop.tanggal_terbit", "sop.langkah.pengiriman.pelaksana", "sop.langkah.pengiriman.dokumen_keluaran",
        "sop.langkah.penerimaan-balai.dokumen_keluaran"]
    assert data["penanda_asal"][0]["alasan"] == "Hanya bulan dan tahun tercetak; tanggal 1 dipakai."
