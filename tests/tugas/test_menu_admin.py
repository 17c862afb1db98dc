"""The office admin finds the audit log, referral partners and settings in a grouped menu; the log speaks words."""
import re

from dinsos_uji.alat_tugas import langkah as _langkah
from dinsos_uji.alat_tugas import terima as _terima
from dinsos_uji.bantuan import masuk


def test_office_admin_reaches_audit_log_partners_and_settings_from_a_grouped_menu(seed, app):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    kid = _terima(mg, s["petugas_pelayanan"])
    _langkah(mg, s["petugas_pelayanan"].id, kid)
    klien = app.test_client()
    masuk(klien, mg.slug, s["admin_tenant"].email)
    dasbor = klien.get(f"/t/{mg.slug}/dasbor").get_data(as_text=True)
    nav = re.search(r"<nav.*?</nav>", dasbor, re.S).group(0)
    for tautan in ("/audit/", "/rujukan/mitra", "/rujukan/pengaturan", "/pengaturan"):
        assert f'href="/t/{mg.slug}{tautan}"' in nav, tautan
    # Grouped: the office's own pages sit under "Kantor", not in one flat row.
    kantor_grup = re.search(r'menu-grup-judul">Kantor</span>\s*<ul[^>]*>(.*?)</ul>', nav, re.S).group(1)
    assert "Log audit" in kantor_grup and "Pengaturan kantor" in kantor_grup
    assert "Admin kantor" in dasbor and "Admin Tenant" not in dasbor
    # The partners page was a 403 for the office admin although the role holds the permission.
    assert klien.get(f"/t/{mg.slug}/rujukan/mitra").status_code == 200

    log = klien.get(f"/t/{mg.slug}/audit/").get_data(as_text=True)
    assert "Mencatat langkah SOP selesai" in log and "Staf petugas_pelayanan" in log
    assert "pengguna:" not in log and "selesaikan_langkah" not in log
