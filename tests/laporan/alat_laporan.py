"""Helpers for the report tests (plain functions; the fixtures are in conftest)."""
from dinsos_uji.alat_kasus import SEMUA_MAGETAN, akun, di_kantor, verifikasi_bila_perlu

POLISI = {"jenis": "kepolisian", "instansi": "Polres Magetan", "surat_nomor": "B/1/2026"}
BELUM = {k: "belum" for k in SEMUA_MAGETAN}


def terima(kantor, staf, klien: dict, pada, lengkap=True, pelapor=POLISI, layanan="pengiriman-anjal-at"):
    from dinsos.cases.penerimaan import terima_kasus
    from dinsos.cases.perubahan import simpan

    with di_kantor(kantor):
        k = terima_kasus(layanan, pelapor=pelapor, klien=klien, persyaratan=SEMUA_MAGETAN if lengkap else BELUM,
                         pengguna=akun(staf), pada=pada).kasus
        if lengkap:
            _sampai_register(k, akun(staf), pada)
        simpan()
        return k.id


def _sampai_register(kasus, petugas, pada) -> None:
    """Magetan-like standards number a case at the Fungsional Peksos' step 2: verify, hand over, register, all at ``pada``."""
    from sqlalchemy import select

    from dinsos.auth.models import Pengguna
    from dinsos.cases.sop import selesaikan_langkah
    from dinsos.core.db import db

    verifikasi_bila_perlu(kasus, petugas, pada)
    if kasus.nomor_register is not None or kasus.status != "berjalan":
        return
    fungsional = next(p for p in db.session.scalars(select(Pengguna)) if "fungsional_peksos" in p.peran)
    for orang in (petugas, fungsional):
        selesaikan_langkah(kasus, versi=kasus.versi, kode_langkah=kasus.langkah_kode, pengguna=orang, pada=pada)
