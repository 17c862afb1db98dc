"""Exporting an office gives back the files it loads from: loading the export changes nothing."""
import io
import zipfile

from sqlalchemy import select

from dinsos.audit.models import CatatanAudit
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos.tenancy.muat import muat_akar
from dinsos_uji.bantuan import token_csrf

SEMUA = ["kota-metro", "kabupaten-magetan", "provinsi-banten", "provinsi-lampung", "provinsi-jawa-timur"]


def test_ekspor_setiap_kantor_lalu_muat_ulang_tidak_mengubah_apa_pun(app, admin, dimuat, potret, tmp_path):
    akar = tmp_path / "ekspor"
    for slug in SEMUA:
        r = admin.get(f"/admin/onboarding/kantor/{slug}/ekspor.zip")
        assert r.status_code == 200 and r.mimetype == "application/zip"
        with zipfile.ZipFile(io.BytesIO(r.data)) as zf:
            nama = zf.namelist()
            assert f"{slug}/tenant.yaml" in nama
            zf.extractall(akar)  # our own archive, names checked above
    assert sorted(p.name for p in (akar / "kota-metro/services").iterdir()) == [
        "penanganan-ppks-terlantar.yaml", "pendampingan-abh.yaml"]
    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        ekspor = db.session.scalars(select(CatatanAudit.objek_id).where(CatatanAudit.tindakan == "ekspor_kantor")).all()
    assert len(ekspor) == len(SEMUA)
    sebelum = potret()
    with app.app_context():
        laporan = muat_akar(akar)
    assert potret() == sebelum
    assert all("tidak berubah" in baris for baris in laporan)


def test_ekspor_hanya_untuk_admin_platform(app, klien, dimuat):
    r = klien.get("/admin/onboarding/kantor/kota-metro/ekspor.zip")
    assert r.status_code == 302 and "/admin/masuk" in r.headers["Location"]


def test_draf_dari_kantor_terdaftar_sama_persis_dengan_yang_berlaku(app, admin, dimuat):
    halaman = admin.get("/admin/onboarding").get_data(as_text=True)
    r = admin.post("/admin/onboarding/kantor/kabupaten-magetan/ubah", data={"csrf_token": token_csrf(halaman)})
    assert r.status_code == 302
    draf = admin.get(r.headers["Location"]).get_data(as_text=True)
    assert "Semua berkas valid." in draf
    assert draf.count('class="lencana status-sama"') == 2  # tenant.yaml and the one service
