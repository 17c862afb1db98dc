"""The letterhead logo (an upload checked by its content) and the office's choice for platform-set values.

The logo is printed on every letter beside the letterhead lines and the office
address from tenant.yaml; an upload that is not a readable PNG/JPEG, or too
big, is refused with the reason, and nothing changes.
"""
import io

import pytest
from PIL import Image
from sqlalchemy import select
from test_pengaturan import kota_metro

from dinsos.audit.models import CatatanAudit
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos.tenancy.kop import KopDitolak, periksa_logo
from dinsos.tenancy.models import Tenant
from dinsos_uji.bantuan import buat_staf, masuk, token_csrf

URL = "/t/kota-metro/pengaturan"


def png(lebar=40, tinggi=40, format="PNG") -> bytes:
    keluar = io.BytesIO()
    Image.new("RGB", (lebar, tinggi), (200, 30, 30)).save(keluar, format=format)
    return keluar.getvalue()


@pytest.fixture
def admin_kantor(app, klien, dimuat):
    _, email = buat_staf(kota_metro(app), "admin_tenant")
    assert masuk(klien, "kota-metro", email).status_code == 302
    return klien


def kirim(klien, **isian):
    token = token_csrf(klien.get(URL).get_data(as_text=True))
    data = {"csrf_token": token, "tampil_asal": "tandai", **isian}
    return klien.post(URL + "/kop", data=data, content_type="multipart/form-data")


def tenant_metro(app):
    with app.app_context():
        t = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-metro"))
        return {"logo_kop": t.logo_kop, "tampil_asal": t.tampil_asal}


def test_logo_diperiksa_isinya_bukan_namanya():
    assert periksa_logo(png(format="JPEG")).startswith("data:image/png;base64,")
    with pytest.raises(KopDitolak, match="bukan gambar PNG atau JPEG"):
        periksa_logo(b"%PDF-1.4 bukan gambar")
    with pytest.raises(KopDitolak, match="GIF, bukan PNG atau JPEG"):
        keluar = io.BytesIO()
        Image.new("P", (8, 8)).save(keluar, format="GIF")
        periksa_logo(keluar.getvalue())
    with pytest.raises(KopDitolak, match="melebihi 2000 piksel"):
        periksa_logo(png(2100, 10))
    with pytest.raises(KopDitolak, match="melebihi batas 512 KB"):
        periksa_logo(png() + b"\0" * 600 * 1024)
    import weasyprint  # noqa: F401 - it sets Pillow to pad truncated images; the check must not rely on that

    with pytest.raises(KopDitolak, match="bukan gambar"):
        periksa_logo(png()[:60])  # a truncated file
    with pytest.raises(KopDitolak, match="JPEG terpotong"):
        periksa_logo(png(format="JPEG")[:-40])


def test_logo_diunggah_lalu_tercetak_di_surat_bersama_alamat(app, admin_kantor):
    r = kirim(admin_kantor, logo=(io.BytesIO(png()), "logo.png"))
    assert r.status_code == 302
    simpanan = tenant_metro(app)["logo_kop"]
    assert simpanan.startswith("data:image/png;base64,")
    assert simpanan in admin_kantor.get(URL).get_data(as_text=True)  # the current logo is shown
    with app.app_context(), lintas_tenant("uji", catat=False):
        assert db.session.scalar(select(CatatanAudit).where(CatatanAudit.tindakan == "kop_kantor_diubah")) is not None
        t = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-metro"))
        t.alamat = "Jl. Jend. Sudirman No. 1, Metro"
        db.session.commit()
    from dokumen.bantuan_surat import gambar_pdf, teks_pdf, terbitkan

    surat = terbitkan(app, kota_metro(app).id, "surat_tugas")
    assert len(gambar_pdf(surat.pdf)) == 2  # the logo and the verification QR code
    assert "Jl. Jend. Sudirman No. 1, Metro" in teks_pdf(surat.pdf)


def test_unggahan_yang_bukan_gambar_ditolak_tanpa_mengubah_apa_pun(app, admin_kantor):
    r = kirim(admin_kantor, tampil_asal="sembunyikan", logo=(io.BytesIO(b"<svg onload=alert(1)>"), "logo.png"))
    assert r.status_code == 400
    assert "bukan gambar PNG atau JPEG" in r.get_data(as_text=True)
    assert tenant_metro(app) == {"logo_kop": None, "tampil_asal": "tandai"}


def test_pilihan_tampil_asal_dan_hapus_logo(app, admin_kantor):
    kirim(admin_kantor, logo=(io.BytesIO(png()), "logo.png"))
    assert kirim(admin_kantor, tampil_asal="sembunyikan", hapus_logo="y").status_code == 302
    assert tenant_metro(app) == {"logo_kop": None, "tampil_asal": "sembunyikan"}
    assert kirim(admin_kantor, tampil_asal="lain").status_code == 400
