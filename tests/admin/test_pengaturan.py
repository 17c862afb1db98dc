"""An office's own admin edits its contact channels and office hours (not the decree-based standard)."""
import re

import pytest
from sqlalchemy import select

from dinsos.audit.models import CatatanAudit
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos.tenancy.models import Tenant
from dinsos_uji.bantuan import Kantor, buat_staf, masuk

URL = "/t/kota-metro/pengaturan"


def teks(r) -> str:
    return r.get_data(as_text=True)


def kota_metro(app) -> Kantor:
    with app.app_context():
        t = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-metro"))
        return Kantor(t.id, t.slug, t.nama, app)


@pytest.fixture
def admin_kantor(app, klien, dimuat):
    _, email = buat_staf(kota_metro(app), "admin_tenant")
    assert masuk(klien, "kota-metro", email).status_code == 302
    return klien


def isian_formulir(halaman: str) -> dict:
    """What the browser would send back for the page as it is: every input and selected option."""
    data = {}
    for nama, nilai in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', halaman):
        data[nama] = nilai
    for nama in re.findall(r'<input[^>]*name="([^"]+)"', halaman):
        data.setdefault(nama, "")
    for nama, isi in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', halaman, re.S):
        dipilih = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', isi)
        data[nama] = (dipilih[1] or dipilih[2]) if dipilih else re.search(r'<option value="([^"]*)"', isi)[1]
    data.pop("q", None)
    return data


def profil(app):
    with app.app_context():
        t = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-metro"))
        return {k: getattr(t, k) for k in ("kanal_kontak", "jam_kerja", "hari_libur_daerah", "hari_kerja_tambahan",
                                            "maklumat", "nama")}


def test_hanya_admin_kantor(app, klien, dimuat):
    assert klien.get(URL).status_code == 302  # anonymous: to the login page
    _, email = buat_staf(kota_metro(app), "kepala_dinas")
    masuk(klien, "kota-metro", email)
    assert klien.get(URL).status_code == 403


def test_menu_pengaturan_dan_standar_pelayanan(admin_kantor):
    halaman = teks(admin_kantor.get("/t/kota-metro/dasbor"))
    assert 'href="/t/kota-metro/pengaturan"' in halaman and 'href="/t/kota-metro/standar-pelayanan"' in halaman


def test_ubah_kanal_jam_dan_libur_daerah_lalu_tampil_di_halaman_publik(app, admin_kantor):
    halaman = teks(admin_kantor.get(URL))
    data = isian_formulir(halaman)
    assert data["kanal_kontak-1-nilai"] == "dinsosmetro@gmail.com"
    kosong = next(i for i in range(10) if data.get(f"kanal_kontak-{i}-nilai") == "" and f"kanal_kontak-{i}-jenis" in data)
    data.update({f"kanal_kontak-{kosong}-jenis": "whatsapp", f"kanal_kontak-{kosong}-nilai": "0812 7000 1234",
                 f"kanal_kontak-{kosong}-label": "Layanan pengaduan"})
    data["kanal_kontak-3-nilai"] = ""  # the fax row emptied: removed
    data["sabtu"] = "08:00-12:00"
    data.update({"hari_libur_daerah-0-tanggal": "2026-08-21", "hari_libur_daerah-0-keterangan": "Hari jadi Kota Metro"})
    data["maklumat"] = "tidak boleh lewat halaman ini"  # not a field here: ignored
    r = admin_kantor.post(URL, data=data)
    assert r.status_code == 302
    assert "Pengaturan kantor disimpan." in teks(admin_kantor.get(URL))
    baru = profil(app)
    assert {"jenis": "whatsapp", "nilai": "0812 7000 1234", "label": "Layanan pengaduan"} in baru["kanal_kontak"]
    assert "fax" not in {k["jenis"] for k in baru["kanal_kontak"]}
    assert baru["jam_kerja"]["sabtu"] == "08:00-12:00" and baru["jam_kerja"]["senin"] == "07:30-16:00"
    assert baru["hari_libur_daerah"] == [{"tanggal": "2026-08-21", "keterangan": "Hari jadi Kota Metro"}]
    assert baru["maklumat"] is None
    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        [catatan] = db.session.scalars(select(CatatanAudit).where(CatatanAudit.tindakan == "pengaturan_kantor_diubah"))
        assert catatan.rincian["diubah"] == ["kanal_kontak", "jam_kerja", "hari_libur_daerah"]
        assert catatan.aktor.startswith("pengguna:")
    publik = app.test_client().get("/t/kota-metro/standar-pelayanan/pendampingan-abh").get_data(as_text=True)
    assert "0812 7000 1234" in publik and "Sabtu: 08:00-12:00" in publik


def test_kalender_kantor_mengikuti_pengaturan(app, admin_kantor):
    from datetime import date

    from dinsos.sla.services import kalender_tenant

    data = isian_formulir(teks(admin_kantor.get(URL)))
    data.update({"hari_libur_daerah-0-tanggal": "2026-08-21", "hari_libur_daerah-0-keterangan": "Hari jadi"})
    assert admin_kantor.post(URL, data=data).status_code == 302
    with app.app_context():
        kalender = kalender_tenant(db.session.scalar(select(Tenant).where(Tenant.slug == "kota-metro")))
    assert not kalender.adalah_hari_kerja(date(2026, 8, 21)) and kalender.adalah_hari_kerja(date(2026, 8, 20))


@pytest.mark.parametrize(("ubahan", "pesan"), [
    ({"kanal_kontak-1-nilai": "bukan-email"}, "Alamat email &#39;bukan-email&#39; tidak sah."),
    ({"senin": "25:00-26:00"}, "Jam kerja &#39;25:00-26:00&#39; harus berbentuk"),
    ({"hari_libur_daerah-0-tanggal": "2026-02-30", "hari_libur_daerah-0-keterangan": "x"}, "Tanggal &#39;2026-02-30&#39; tidak ada"),
    ({"hari_libur_daerah-0-tanggal": "", "hari_libur_daerah-0-keterangan": "tanpa tanggal"}, "Wajib diisi"),
    ({"hari_kerja_tambahan-0-tanggal": "2026-03-08", "hari_kerja_tambahan-0-keterangan": "Minggu"},
     "jatuh pada hari minggu yang tidak punya jam_kerja"),
    ({**{h: "" for h in ("senin", "selasa", "rabu", "kamis", "jumat")}}, "Jam kerja harus memuat minimal satu hari."),
])
def test_isian_salah_ditolak_dengan_pesan_dan_tidak_mengubah_apa_pun(app, admin_kantor, potret, ubahan, pesan):
    data = isian_formulir(teks(admin_kantor.get(URL)))
    data.update(ubahan)
    sebelum = potret()
    r = admin_kantor.post(URL, data=data)
    assert r.status_code == 400
    assert pesan in teks(r)
    assert potret() == sebelum


def test_tanpa_perubahan_tidak_diaudit(app, admin_kantor, potret):
    data = isian_formulir(teks(admin_kantor.get(URL)))
    sebelum = potret(kecuali=("alembic_version", "audit_log", "pengguna"))
    assert admin_kantor.post(URL, data=data).status_code == 302
    assert "Tidak ada yang berubah." in teks(admin_kantor.get(URL))
    assert potret(kecuali=("alembic_version", "audit_log", "pengguna")) == sebelum
    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        assert db.session.scalar(select(CatatanAudit).where(CatatanAudit.tindakan == "pengaturan_kantor_diubah")) is None
