"""The office admin's staff pages: list, add with a temporary password shown once, deactivate, reset a password."""
import re

import pytest
from sqlalchemy import select

from dinsos.audit.models import CatatanAudit
from dinsos.auth.models import Pengguna, SesiLogin
from dinsos.core.db import db
from dinsos.core.tenant import dalam_tenant
from dinsos_uji.bantuan import buat_staf, buat_tenant, masuk, token_csrf

SANDI = re.compile(r'<code class="sandi-sementara">([^<]+)</code>')


@pytest.fixture
def kantor(app):
    return buat_tenant(app, "kota-a")


@pytest.fixture
def admin(klien, kantor):
    _, email = buat_staf(kantor, "admin_tenant", "agus@kota-a.uji", "Agus Salim")
    assert masuk(klien, "kota-a", email).status_code == 302
    return klien


def _kirim(klien, url, data, dari=None):
    halaman = klien.get(dari or url).get_data(as_text=True)
    return klien.post(url, data={**data, "csrf_token": token_csrf(halaman)})


def _akun(kantor, email):
    with kantor.app.app_context(), dalam_tenant(kantor.id):
        p = db.session.scalar(select(Pengguna).where(Pengguna.email == email))
        db.session.expunge(p)
        return p


def _audit(kantor, tindakan):
    with kantor.app.app_context(), dalam_tenant(kantor.id):
        return db.session.scalars(select(CatatanAudit).where(CatatanAudit.tindakan == tindakan)).all()


def test_only_the_office_admin_manages_staff(klien, app, kantor):
    _, email = buat_staf(kantor, "kepala_dinas")
    masuk(klien, "kota-a", email)
    assert klien.get("/t/kota-a/pengaturan/staf/").status_code == 403
    assert klien.get("/t/kota-a/pengaturan/staf/baru").status_code == 403


def test_the_list_reads_role_names_and_last_login_and_is_in_the_menu(admin, kantor):
    buat_staf(kantor, ["pekerja_sosial", "fungsional_peksos"], "hendra@kota-a.uji", "Hendra Wijaya")
    dasbor = admin.get("/t/kota-a/dasbor").get_data(as_text=True)
    assert 'href="/t/kota-a/pengaturan/staf/"' in dasbor
    html = admin.get("/t/kota-a/pengaturan/staf/").get_data(as_text=True)
    assert "Hendra Wijaya" in html and "Pekerja Sosial / Pendamping, Fungsional Pekerja Sosial" in html
    assert "belum pernah masuk" in html and "masuk terakhir" in html  # the admin has logged in, Hendra never
    for kode in ("pekerja_sosial", "fungsional_peksos", "admin_tenant"):
        assert kode not in re.sub(r'<input[^>]*>', "", html)


def test_adding_staff_shows_a_temporary_password_once_that_logs_in(admin, app, kantor):
    form = admin.get("/t/kota-a/pengaturan/staf/baru").get_data(as_text=True)
    assert "Petugas Pelayanan (Front Office)" in form and "Admin kantor" in form  # role pickers in words
    r = _kirim(admin, "/t/kota-a/pengaturan/staf/baru",
               {"nama": "Sri Wahyuni", "email": "Sri@Kota-A.uji", "nip": "198001012005012001", "peran": ["petugas_pelayanan"]})
    assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"]
    sandi = SANDI.search(r.get_data(as_text=True))[1]
    akun = _akun(kantor, "sri@kota-a.uji")
    assert akun.nama == "Sri Wahyuni" and akun.peran == ["petugas_pelayanan"] and akun.nip == "198001012005012001"
    assert sandi not in akun.hash_kata_sandi
    (catatan,) = _audit(kantor, "staf_ditambahkan")
    assert catatan.objek_id == str(akun.id) and sandi not in str(catatan.rincian)
    # The detail page never shows it again.
    assert sandi not in admin.get(f"/t/kota-a/pengaturan/staf/{akun.id}").get_data(as_text=True)
    baru = app.test_client()
    assert masuk(baru, "kota-a", "sri@kota-a.uji", sandi).status_code == 302
    _pilih_sandi_sendiri(baru, sandi)


def _pilih_sandi_sendiri(klien, sementara: str) -> None:
    """On a temporary password every office page leads to the password change; once changed, the work opens."""
    for url in ("/t/kota-a/dasbor", "/t/kota-a/kasus/", "/t/kota-a/notifikasi/"):
        r = klien.get(url)
        assert r.status_code == 302 and r.headers["Location"].endswith("/t/kota-a/akun/kata-sandi"), url
    halaman = klien.get("/t/kota-a/akun/kata-sandi").get_data(as_text=True)
    assert "kata sandi sementara dari admin kantor" in halaman
    # The temporary password itself is not a choice; the refusal says so at the new password.
    r = klien.post("/t/kota-a/akun/kata-sandi", data={"csrf_token": token_csrf(halaman), "lama": sementara,
                                                     "baru": sementara, "ulangi": sementara})
    assert r.status_code == 400 and "harus berbeda" in r.get_data(as_text=True)
    r = klien.post("/t/kota-a/akun/kata-sandi", data={"csrf_token": token_csrf(halaman), "lama": sementara,
                                                     "baru": "pilihan-sendiri-2026", "ulangi": "pilihan-sendiri-2026"})
    assert r.status_code == 302 and klien.get("/t/kota-a/dasbor").status_code == 200
    assert "kata sandi sementara" not in klien.get("/t/kota-a/akun/kata-sandi").get_data(as_text=True)


def test_a_bad_new_staff_form_names_each_field_and_keeps_the_values(admin, kantor):
    buat_staf(kantor, "pekerja_sosial", "ada@kota-a.uji")
    r = _kirim(admin, "/t/kota-a/pengaturan/staf/baru", {"nama": "Budi", "email": "bukan-email", "peran": []})
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Format email tidak valid." in html and "Pilih sedikitnya satu peran." in html
    ringkasan = html[html.index('id="ringkasan-galat"'):html.index('<form method="post" class="formulir"')]
    assert dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', ringkasan)) == {"email": "Email", "peran": "Peran"}
    assert 'value="Budi"' in html
    r = _kirim(admin, "/t/kota-a/pengaturan/staf/baru", {"nama": "Budi", "email": "ada@kota-a.uji", "peran": ["pekerja_sosial"]})
    assert r.status_code == 400 and "sudah terdaftar" in r.get_data(as_text=True)
    r = _kirim(admin, "/t/kota-a/pengaturan/staf/baru", {"nama": "Budi", "email": "budi@kota-a.uji", "peran": ["raja"]})
    assert r.status_code == 400 and "budi@kota-a.uji" in r.get_data(as_text=True)
    assert _audit(kantor, "staf_ditambahkan") == []


def test_deactivating_needs_a_confirmation_and_ends_the_members_sessions(admin, app, kantor):
    pid, email = buat_staf(kantor, "pekerja_sosial", "hendra@kota-a.uji", "Hendra Wijaya")
    hendra = app.test_client()
    masuk(hendra, "kota-a", email)
    assert hendra.get("/t/kota-a/dasbor").status_code == 200
    url = f"/t/kota-a/pengaturan/staf/{pid}/nonaktifkan"
    rinci = f"/t/kota-a/pengaturan/staf/{pid}"
    r = _kirim(admin, url, {}, dari=rinci)
    assert r.status_code == 400 and "Centang untuk menyatakan Anda yakin." in r.get_data(as_text=True)
    assert _akun(kantor, email).aktif
    r = _kirim(admin, url, {"yakin": "y"}, dari=rinci)
    assert r.status_code == 302
    assert not _akun(kantor, email).aktif
    assert hendra.get("/t/kota-a/dasbor").status_code in (302, 401)  # the open session is over
    assert masuk(app.test_client(), "kota-a", email).status_code == 401
    with app.app_context(), dalam_tenant(kantor.id):
        terbuka = db.session.scalars(select(SesiLogin).where(SesiLogin.pengguna_id == pid, SesiLogin.berakhir_pada.is_(None))).all()
    assert terbuka == []
    assert len(_audit(kantor, "staf_dinonaktifkan")) == 1
    assert "Nonaktif" in admin.get("/t/kota-a/pengaturan/staf/").get_data(as_text=True)
    # ... and back again.
    assert _kirim(admin, f"{rinci}/aktifkan", {}, dari=rinci).status_code == 302
    assert masuk(app.test_client(), "kota-a", email).status_code == 302


def test_the_admin_cannot_deactivate_or_reset_herself(admin, kantor):
    sendiri = _akun(kantor, "agus@kota-a.uji")
    rinci = f"/t/kota-a/pengaturan/staf/{sendiri.id}"
    assert "Nonaktifkan" not in admin.get(rinci).get_data(as_text=True)
    r = _kirim(admin, f"{rinci}/nonaktifkan", {"yakin": "y"}, dari="/t/kota-a/pengaturan/staf/baru")
    assert r.status_code == 400 and "akun Anda sendiri" in r.get_data(as_text=True)
    r = _kirim(admin, f"{rinci}/atur-ulang-sandi", {}, dari="/t/kota-a/pengaturan/staf/baru")
    assert r.status_code == 302 and _akun(kantor, "agus@kota-a.uji").aktif
    assert _audit(kantor, "kata_sandi_diatur_ulang") == []


def test_resetting_a_password_replaces_it_ends_sessions_and_is_audited(admin, app, kantor):
    pid, email = buat_staf(kantor, "pekerja_sosial", "hendra@kota-a.uji", "Hendra Wijaya")
    hendra = app.test_client()
    masuk(hendra, "kota-a", email)
    rinci = f"/t/kota-a/pengaturan/staf/{pid}"
    r = _kirim(admin, f"{rinci}/atur-ulang-sandi", {}, dari=rinci)
    assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"]
    sandi = SANDI.search(r.get_data(as_text=True))[1]
    assert hendra.get("/t/kota-a/dasbor").status_code in (302, 401)
    assert masuk(app.test_client(), "kota-a", email).status_code == 401  # the old password no longer works
    hendra = app.test_client()
    assert masuk(hendra, "kota-a", email, sandi).status_code == 302
    _pilih_sandi_sendiri(hendra, sandi)
    (catatan,) = _audit(kantor, "kata_sandi_diatur_ulang")
    assert catatan.objek_id == str(pid) and sandi not in str(catatan.rincian)
    log = admin.get("/t/kota-a/audit/").get_data(as_text=True)  # the log reads it in words, with names
    assert "Mengatur ulang kata sandi staf" in log and "Agus Salim" in log


def test_another_offices_staff_is_not_found(admin, app, kantor):
    lain = buat_tenant(app, "kota-b")
    pid, _ = buat_staf(lain, "pekerja_sosial")
    assert admin.get(f"/t/kota-a/pengaturan/staf/{pid}").status_code == 404
    assert admin.get("/t/kota-a/pengaturan/staf/bukan-id").status_code == 404
    assert _kirim(admin, f"/t/kota-a/pengaturan/staf/{pid}/atur-ulang-sandi", {},
                  dari="/t/kota-a/pengaturan/staf/baru").status_code == 404


def test_the_staff_pages_read_in_english_when_asked(admin, kantor):
    html = admin.get("/t/kota-a/pengaturan/staf/?lang=en").get_data(as_text=True)
    assert "Office staff" in html and "Add staff member" in html
    baru = admin.get("/t/kota-a/pengaturan/staf/baru?lang=en").get_data(as_text=True)
    assert "Full name" in baru and "Save and create a temporary password" in baru


def test_the_admins_dashboard_leads_with_staff_tiles(admin, kantor):
    pid, _ = buat_staf(kantor, "pekerja_sosial", "hendra@kota-a.uji", "Hendra Wijaya")
    buat_staf(kantor, "kepala_bidang", "ratna@kota-a.uji", "Ratna Dewi")
    _kirim(admin, f"/t/kota-a/pengaturan/staf/{pid}/nonaktifkan", {"yakin": "y"}, dari=f"/t/kota-a/pengaturan/staf/{pid}")
    dasbor = admin.get("/t/kota-a/dasbor").get_data(as_text=True)
    tiles = re.findall(r'<a class="ubin-([\w-]+)" href="([^"]+)"><span class="ubin-angka">([^<]+)</span>', dasbor)
    assert tiles == [("staf", "/t/kota-a/pengaturan/staf/", "2"), ("staf-nonaktif", "/t/kota-a/pengaturan/staf/", "1"),
                     ("staf-baru", "/t/kota-a/pengaturan/staf/baru", "+")]


def test_the_admin_changes_a_members_name_nip_and_roles_and_it_is_audited(admin, app, kantor):
    pid, email = buat_staf(kantor, "pekerja_sosial", "hendra@kota-a.uji", "Hendra")
    hendra = app.test_client()
    masuk(hendra, "kota-a", email)
    assert hendra.get("/t/kota-a/pengaturan/staf/").status_code == 403
    mitra = {"nama": "Panti Asuhan Harapan", "jenis": "panti"}
    assert _kirim(hendra, "/t/kota-a/rujukan/mitra", mitra).status_code == 403  # partners are the kepala bidang's
    ubah = f"/t/kota-a/pengaturan/staf/{pid}/ubah"
    assert ubah in admin.get(f"/t/kota-a/pengaturan/staf/{pid}").get_data(as_text=True)
    form = admin.get(ubah).get_data(as_text=True)
    for halaman in (form, admin.get(f"/t/kota-a/pengaturan/staf/{pid}").get_data(as_text=True)):
        # The page shows Hendra; the header still names who is logged in (the shell's own ``pengguna``).
        assert 'href="/t/kota-a/akun/kata-sandi">Agus Salim</a>' in halaman
    assert 'value="Hendra"' in form and re.search(r'<input checked[^>]*value="pekerja_sosial"|value="pekerja_sosial"[^>]*checked', form)
    r = _kirim(admin, ubah, {"nama": "", "nip": "", "peran": []})
    teks = r.get_data(as_text=True)
    assert r.status_code == 400 and "Nama wajib diisi." in teks and "Pilih sedikitnya satu peran." in teks
    r = _kirim(admin, ubah, {"nama": "Hendra Wijaya", "nip": "198502022010011002", "peran": ["pekerja_sosial", "kepala_bidang"]})
    assert r.status_code == 302
    akun = _akun(kantor, email)
    assert (akun.nama, akun.nip, akun.peran) == ("Hendra Wijaya", "198502022010011002", ["kepala_bidang", "pekerja_sosial"])
    (catatan,) = _audit(kantor, "staf_diubah")
    assert catatan.rincian["bidang"] == ["nama", "nip", "peran"] and catatan.rincian["peran_baru"] == ["kepala_bidang", "pekerja_sosial"]
    assert "198502022010011002" not in str(catatan.rincian)  # what changed, not the NIP itself
    assert "Mengubah data staf" in admin.get("/t/kota-a/audit/").get_data(as_text=True)
    # The new role holds from Hendra's next request, in the session he already has.
    assert _kirim(hendra, "/t/kota-a/rujukan/mitra", mitra).status_code == 302


def test_the_admin_cannot_take_the_admin_role_from_herself(admin, kantor):
    diri = _akun(kantor, "agus@kota-a.uji")
    r = _kirim(admin, f"/t/kota-a/pengaturan/staf/{diri.id}/ubah", {"nama": "Agus Salim", "peran": ["kepala_bidang"]})
    assert r.status_code == 400 and "tidak dapat melepas peran Admin kantor" in r.get_data(as_text=True)
    assert _akun(kantor, "agus@kota-a.uji").peran == ["admin_tenant"] and _audit(kantor, "staf_diubah") == []
