"""Kota Metro's PPKS repatriation: from the "family found" branch to the office of the family's region, with the cover letter."""
import hashlib

import pytest
from alat_rujukan import antar_semua, konteks_app, semua_masuk
from kantor_uji import LAYANAN, SLUG, onboard
from sqlalchemy import select

from dinsos.cases.baca import lampiran
from dinsos.cases.penerimaan import terima_kasus
from dinsos.cases.perubahan import simpan
from dinsos.cases.sop import selesaikan_langkah
from dinsos.core.db import db
from dinsos.core.penyimpanan import penyimpanan
from dinsos.referrals.pemulangan import langkah_pemulangan, tujuan_pemulangan
from dinsos.referrals.perujukan import buat_rujukan
from dinsos.referrals.rujukan import KesalahanRujukan
from dinsos.referrals.tujuan import cari_tujuan_layanan
from dinsos_uji.alat_kasus import PDF, akun, di_kantor
from dinsos_uji.alat_kasus import kasus as muat_kasus

KELUARGA = "18.02.01.2001"


def _kasus_metro(staf, sampai_cabang=True):
    s = staf["kota-metro"]
    with di_kantor(s["petugas_pelayanan"].kantor):
        k = terima_kasus(
            "penanganan-ppks-terlantar", pelapor={"jenis": "satpol_pp", "instansi": "Satpol PP Kota Metro"},
            klien={"nama": "Sutrisno", "umur_perkiraan": 60, "jenis_kelamin": "L", "kategori_ppks": 11,
                   "alamat": "Desa Bandar Agung, Lampung Tengah", "kode_wilayah": KELUARGA},
            persyaratan={}, unggahan={"surat-keterangan-penyerahan": (PDF + b"% penyerahan\n", "penyerahan.pdf")},
            pengguna=akun(s["petugas_pelayanan"])).kasus
        langkah = [("petugas_pelayanan", {"pihak_penyerah": "Satpol PP"}, None), ("petugas_pelayanan", {}, None),
                   ("pekerja_sosial", {}, None), ("pekerja_sosial", {"cek_biometrik": "ya"}, None)]
        if sampai_cabang:
            langkah.append(("pekerja_sosial", {}, "surat-pengantar"))
        for peran, isian, cabang in langkah:
            selesaikan_langkah(k, versi=k.versi, kode_langkah=k.langkah_kode, pengguna=akun(s[peran]), isian=isian,
                                         cabang=cabang)
        simpan()
        return k.id


def test_a_family_found_in_lampung_tengah_is_referred_there_with_the_cover_letter(app, seed, tmp_path):
    from dinsos.documents.models import SuratTerbit

    kantor, staf = seed
    mt = kantor["kota-metro"]
    lt = onboard(app, tmp_path)
    kid = _kasus_metro(staf)
    peksos = staf["kota-metro"]["pekerja_sosial"]
    with di_kantor(mt):
        k = muat_kasus(kid)
        assert langkah_pemulangan(k).kode == "surat-pengantar"
        tujuan_kantor, layanan = tujuan_pemulangan(k, KELUARGA)
        assert tujuan_kantor.slug == SLUG and [l["kode"] for l in layanan] == [LAYANAN]
        tujuan = cari_tujuan_layanan(SLUG, LAYANAN)
        lamp = lampiran(k)[0]
        data = dict(tujuan=tujuan, alasan="Keluarga ditemukan di Bandar Agung", bidang_klien=["nama", "alamat", "tanggal_lahir"],
                    berkas=[{"sumber": "lampiran", "id": str(lamp.id), "dokumen_kode": "surat-keterangan-penyerahan"}],
                    persetujuan={"nama": "Sutrisno", "hubungan": "klien", "cara": "lisan", "tanggal": "2026-05-04"},
                    pemulangan=True)
        # The ID copy is optional: sent only once the sender says so.
        with pytest.raises(KesalahanRujukan, match="Dokumen tidak wajib belum dilampirkan: Fotocopy KTP"):
            buat_rujukan(k, pengguna=akun(peksos), **data)
        db.session.rollback()
        r = buat_rujukan(muat_kasus(kid), pengguna=akun(peksos), abaikan_opsional=True, **data)
        db.session.commit()
        rid = r.id
        surat = db.session.scalar(select(SuratTerbit).where(SuratTerbit.objek_jenis == "rujukan", SuratTerbit.objek_id == str(rid)))
        assert surat.jenis == "surat_pengantar"
        sidik_surat = surat.sidik
    antar_semua(app)
    [m] = semua_masuk(lt)
    assert m["pemulangan"] is True and m["status"] == "diterima_tujuan"
    assert m["isi"]["klien"]["kode_wilayah"] == KELUARGA and "nik" not in m["isi"]["klien"]
    [pengantar] = [b for b in m["isi"]["berkas"] if b["nama"].startswith("Surat Pengantar")]
    with konteks_app(app):
        isi = penyimpanan().buka(pengantar["kunci"])
    assert isi.startswith(b"%PDF") and hashlib.sha256(isi).hexdigest() == sidik_surat


@pytest.mark.parametrize("kode, pesan", [
    ("18.72.01.1001", "wilayah kantor ini sendiri"),
    ("35.20.01.2001", "Dinas Sosial Kabupaten Magetan belum memiliki layanan yang menerima rujukan"),
    ("91.01.01.2001", "Belum ada kantor dinas sosial di platform untuk wilayah 91.01.01.2001"),
    ("35-20", "tidak sesuai pola Kemendagri"),
])
def test_the_family_region_must_have_another_office_that_accepts_referrals(seed, kode, pesan):
    kantor, staf = seed
    kid = _kasus_metro(staf)
    with di_kantor(kantor["kota-metro"]):
        with pytest.raises(KesalahanRujukan, match=pesan):
            tujuan_pemulangan(muat_kasus(kid), kode)


def test_repatriation_is_offered_only_on_the_family_found_branch(app, seed, tmp_path):
    kantor, staf = seed
    onboard(app, tmp_path)
    kid = _kasus_metro(staf, sampai_cabang=False)
    with di_kantor(kantor["kota-metro"]):
        k = muat_kasus(kid)
        assert langkah_pemulangan(k) is None
        with pytest.raises(KesalahanRujukan, match="belum sampai di langkah itu"):
            tujuan_pemulangan(k, KELUARGA)
