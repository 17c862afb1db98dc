"""Helpers for the case tests and those built on them (referrals, deadlines, dashboard).

The seed offices with one account per role, and running case services as a user.
"""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import Flask

from dinsos_uji import ROOT
from dinsos_uji.bantuan import Kantor, buat_staf, masuk

PERAN_UJI = ("petugas_pelayanan", "pekerja_sosial", "fungsional_peksos", "kepala_bidang", "kepala_dinas", "admin_tenant")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@dataclass(frozen=True)
class Staf:
    kantor: Kantor
    peran: str
    id: object
    email: str


def wib(tahun, bulan, hari, jam, menit=0) -> datetime:
    """A Jakarta (WIB, UTC+7) wall-clock time as an aware UTC instant."""
    return datetime(tahun, bulan, hari, jam - 7, menit, tzinfo=timezone.utc)


def muat_seed(app: Flask) -> dict[str, Kantor]:
    """Load the real offices from tenants/ and return them by slug."""
    from sqlalchemy import select

    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant
    from dinsos.tenancy.models import Tenant
    from dinsos.tenancy.muat import muat_akar

    with app.app_context():
        muat_akar(ROOT / "tenants")
        with lintas_tenant("uji", catat=False):
            return {t.slug: Kantor(t.id, t.slug, t.nama, app) for t in db.session.scalars(select(Tenant))}


def staf_kantor(kantor: Kantor) -> dict[str, Staf]:
    """One account per role in an office."""
    hasil = {}
    for peran in PERAN_UJI:
        pid, email = buat_staf(kantor, peran)
        hasil[peran] = Staf(kantor, peran, pid, email)
    return hasil


@contextmanager
def di_kantor(kantor: Kantor):
    """An app context bound to an office; rolled back at the end."""
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant

    with kantor.app.app_context(), dalam_tenant(kantor.id):
        try:
            yield
        finally:
            db.session.rollback()


def akun(staf: Staf):
    from sqlalchemy import select

    from dinsos.auth.models import Pengguna
    from dinsos.core.db import db

    return db.session.scalar(select(Pengguna).where(Pengguna.id == staf.id))


def kasus(kasus_id):
    from dinsos.cases.baca import muat_kasus

    return muat_kasus(kasus_id)


def selesaikan(kantor: Kantor, staf: Staf, kasus_id, pada=None, **kw) -> str | None:
    """Record the case's running step as ``staf`` (committed); returns the next step's code, None at the end."""
    from dinsos.cases.perubahan import simpan
    from dinsos.cases.sop import selesaikan_langkah

    with di_kantor(kantor):
        k = kasus(kasus_id)
        hasil = selesaikan_langkah(k, versi=k.versi, kode_langkah=k.langkah_kode, pengguna=akun(staf), pada=pada, **kw)
        simpan()
        return hasil.berikutnya.kode if hasil.berikutnya else None


def klien_masuk(staf: Staf):
    """A test client logged in as this staff member (one client per person, as in real life)."""
    k = staf.kantor.app.test_client()
    r = masuk(k, staf.kantor.slug, staf.email)
    assert r.status_code == 302, r.get_data(as_text=True)
    return k


def versi_di(html: str) -> str:
    import re

    m = re.search(r'name="versi" value="(\d+)"', html)
    assert m, "no case version in page"
    return m.group(1)


def token_api(staf: Staf) -> dict:
    """Authorization header with a fresh API token of this staff member."""
    from dinsos.auth.services import buat_token
    from dinsos.core.db import db

    with di_kantor(staf.kantor):
        token = buat_token(akun(staf), "uji")
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


SEMUA_MAGETAN = {"surat-keterangan-kepolisian": "dilihat", "surat-keterangan-kehilangan": "dilihat"}


def verifikasi_bila_perlu(kasus, pengguna, pada=None) -> None:
    """The verifier finds a complete file correct, for standards that verify it (Magetan) and only then.

    Tests about other things start from a case whose steps can run, as before the verification existed.
    """
    from dinsos.cases.penerimaan import menunggu_verifikasi, verifikasi_berkas

    if menunggu_verifikasi(kasus):
        verifikasi_berkas(kasus, versi=kasus.versi, pengguna=pengguna, benar=True, pada=pada)


def terima_langsung(staf: Staf, layanan: str, klien: dict, persyaratan: dict, pelapor: dict | None = None):
    """Open a case through the service layer (a complete Magetan file verified as correct); returns its id."""
    from dinsos.cases.penerimaan import terima_kasus
    from dinsos.cases.perubahan import simpan

    with di_kantor(staf.kantor):
        hasil = terima_kasus(layanan, pelapor=pelapor or {"jenis": "kepolisian", "instansi": "Polres"}, klien=klien,
                                 persyaratan=persyaratan, pengguna=akun(staf))
        verifikasi_bila_perlu(hasil.kasus, akun(staf))
        simpan()
        return hasil.kasus.id


def teks_pdf(pdf: bytes) -> str:
    """All pages' text with whitespace collapsed, so wrapped lines still match."""
    import io

    import pypdf

    return " ".join(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


def teks_surat_kantor(kantor: Kantor, jenis: str) -> list[str]:
    """The text of every letter of this kind the office issued, oldest first, read from its stored PDF."""
    from sqlalchemy import select
    from sqlalchemy.orm import undefer

    from dinsos.core.db import db
    from dinsos.documents.models import SuratTerbit

    with di_kantor(kantor):
        semua = db.session.scalars(select(SuratTerbit).where(SuratTerbit.jenis == jenis)
                                   .order_by(SuratTerbit.diterbitkan_pada).options(undefer(SuratTerbit.pdf))).all()
        return [teks_pdf(s.pdf) for s in semua]


# Magetan's step fields by step code (the SOP's required ones), for tests that run its SOP through the services.
ISIAN_MAGETAN = {
    "asesmen": {"tanggal_asesmen": "2026-05-05", "kondisi_fisik": "Sehat", "kondisi_psikososial": "Tenang",
                "keluarga": "Keluarga tidak diketahui", "kebutuhan": "Tempat tinggal"},
    "laporan-sosial": {"ringkasan_masalah": "Anak jalanan", "hasil_pendampingan": "Kooperatif", "rencana_tindak_lanjut": "Ke balai"},
    "koordinasi-balai": {"balai_tujuan": "UPT PSAB", "hasil_koordinasi": "Siap menerima", "rekomendasi": "Rehabilitasi"},
    "pengiriman": {"tujuan_surat": "Balai Rehsos", "alamat_tujuan": "Magelang"},
    "penerimaan-balai": {"tujuan_surat": "Balai Rehsos", "alamat_tujuan": "Magelang"},
}


def disposisi_bila_perlu(staf: dict[str, Staf], kasus_id) -> None:
    """Record the running step's disposition chain (Magetan's step 3) up to the person who records the step.

    ``staf``: one account per role of the case's office. Steps without a chain are left as they are.
    """
    from dinsos.cases.baca import langkah_berjalan, muat_kasus, versi_kasus
    from dinsos.cases.perubahan import simpan
    from dinsos.cases.sop import catat_disposisi

    peran_staf = next(iter(staf.values())).kantor
    with di_kantor(peran_staf):
        k = muat_kasus(kasus_id)
        berjalan = langkah_berjalan(k)
        rantai = (versi_kasus(k).langkah(berjalan.kode).get("disposisi") or []) if berjalan else []
    for peran in rantai[:-1]:
        with di_kantor(peran_staf):
            k = muat_kasus(kasus_id)
            catat_disposisi(k, versi=k.versi, pengguna=akun(staf[peran]), instruksi="Tindak lanjuti")
            simpan()
