"""Staff downloads: the archived bytes, only for users the object's own checker allows, every attempt audited."""
import hashlib
import uuid

import pytest
from bantuan_surat import terbitkan
from sqlalchemy import select

from dinsos.audit.models import CatatanAudit
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos.documents import akses
from dinsos.tenancy.models import Tenant
from dinsos_uji.bantuan import buat_staf, masuk


@pytest.fixture
def pemeriksa(monkeypatch):
    """A checker for ``uji_kasus``: a user may see the objects listed for their e-mail."""
    boleh = {}

    def periksa(pengguna, objek_id):
        return objek_id in boleh.get(pengguna.email, ())

    monkeypatch.setattr(akses, "_PEMERIKSA", {})
    akses.daftar_pemeriksa_akses("uji_kasus", periksa)
    return boleh


@pytest.fixture
def magetan(kantor):
    return kantor["kabupaten-magetan"]


def _audit(app, tindakan):
    with app.app_context(), lintas_tenant("uji", catat=False):  # the audit log of every office
        return db.session.scalars(select(CatatanAudit).where(CatatanAudit.tindakan == tindakan)).all()


def test_an_allowed_user_gets_the_archived_bytes_and_the_download_is_audited(app, klien, magetan, pemeriksa):
    surat = terbitkan(app, magetan.id, "surat_pengantar", objek_id="kasus-1")
    pid, email = buat_staf(magetan, "pekerja_sosial")
    pemeriksa[email] = {"kasus-1"}
    masuk(klien, magetan.slug, email)

    r = klien.get(f"/t/{magetan.slug}/surat/{surat.id}.pdf")
    assert r.status_code == 200
    assert r.mimetype == "application/pdf" and "no-store" in r.headers["Cache-Control"]
    assert r.headers["Content-Disposition"] == 'attachment; filename="surat_pengantar-400-9-1-403-107-2026.pdf"'
    assert r.data == surat.pdf and hashlib.sha256(r.data).hexdigest() == surat.sidik

    (catatan,) = _audit(app, "unduh_surat")
    assert (catatan.tenant_id, catatan.objek_jenis, catatan.objek_id) == (magetan.id, "uji_kasus", "kasus-1")
    assert catatan.aktor == f"pengguna:{pid}" and catatan.rincian["surat_id"] == surat.id


def test_archived_letters_are_never_regenerated(app, klien, magetan, pemeriksa):
    surat = terbitkan(app, magetan.id, "surat_tugas")
    with app.app_context(), lintas_tenant("uji: kop surat diganti", catat=False):
        tenant = db.session.get(Tenant, magetan.id)
        tenant.kop_surat = {"baris": ["KOP BARU"]}
        tenant.kepala_dinas = {"nama": "PEJABAT BARU", "pangkat": "Pembina", "nip": "19700101 199001 1 001"}
        db.session.commit()
    _, email = buat_staf(magetan, "kepala_bidang")
    pemeriksa[email] = {"kasus-1"}
    masuk(klien, magetan.slug, email)
    assert klien.get(f"/t/{magetan.slug}/surat/{surat.id}.pdf").data == surat.pdf


def test_a_user_the_checker_refuses_gets_403_and_the_attempt_is_audited(app, klien, magetan, pemeriksa):
    surat = terbitkan(app, magetan.id, "laporan_sosial", objek_id="kasus-1")
    pid, email = buat_staf(magetan, "pekerja_sosial")
    pemeriksa[email] = {"kasus-lain"}
    masuk(klien, magetan.slug, email)

    r = klien.get(f"/t/{magetan.slug}/surat/{surat.id}.pdf")
    assert r.status_code == 403
    assert f"tidak berhak mengunduh surat {surat.nomor}" in r.get_data(as_text=True)
    assert surat.pdf not in r.data
    (catatan,) = _audit(app, "unduh_surat_ditolak")
    assert catatan.aktor == f"pengguna:{pid}" and catatan.objek_id == "kasus-1"
    assert _audit(app, "unduh_surat") == []


def test_letters_about_an_object_kind_without_a_checker_are_denied(app, klien, magetan, pemeriksa):
    surat = terbitkan(app, magetan.id, "form_rujukan", objek_jenis="pengaduan", objek_id="kasus-1")
    _, email = buat_staf(magetan, "kepala_dinas")
    pemeriksa[email] = {"kasus-1"}  # allowed for uji_kasus objects, but no checker for pengaduan
    masuk(klien, magetan.slug, email)
    assert klien.get(f"/t/{magetan.slug}/surat/{surat.id}.pdf").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(app, klien, magetan, pemeriksa):
    surat = terbitkan(app, magetan.id, "surat_tugas")
    r = klien.get(f"/t/{magetan.slug}/surat/{surat.id}.pdf")
    assert r.status_code == 302 and f"/t/{magetan.slug}/masuk" in r.headers["Location"]


def test_another_offices_letter_is_404_even_for_a_permissive_checker(app, klien, kantor, monkeypatch):
    monkeypatch.setattr(akses, "_PEMERIKSA", {})
    akses.daftar_pemeriksa_akses("uji_kasus", lambda pengguna, objek_id: True)
    surat = terbitkan(app, kantor["kabupaten-magetan"].id, "surat_tugas")
    metro = kantor["kota-metro"]
    _, email = buat_staf(metro, "kepala_dinas")
    masuk(klien, metro.slug, email)
    assert klien.get(f"/t/kota-metro/surat/{surat.id}.pdf").status_code == 404
    assert klien.get(f"/t/kota-metro/surat/{uuid.uuid4()}.pdf").status_code == 404
    assert klien.get("/t/kota-metro/surat/bukan-uuid.pdf").status_code == 404
    assert _audit(app, "unduh_surat") == []


def test_the_registry_fails_closed(app, magetan, monkeypatch):
    monkeypatch.setattr(akses, "_PEMERIKSA", {})

    class Staf:
        is_authenticated = True

    class Anonim:
        is_authenticated = False

    assert akses.boleh_akses_objek(Staf(), "uji_kasus", "1") is False
    akses.daftar_pemeriksa_akses("uji_kasus", lambda pengguna, objek_id: objek_id == "1")
    assert akses.boleh_akses_objek(Staf(), "uji_kasus", "1") is True
    assert akses.boleh_akses_objek(Staf(), "uji_kasus", "2") is False
    assert akses.boleh_akses_objek(Anonim(), "uji_kasus", "1") is False
    assert akses.boleh_akses_objek(Staf(), "rujukan", "1") is False
    with pytest.raises(ValueError):
        akses.daftar_pemeriksa_akses("", lambda pengguna, objek_id: True)
