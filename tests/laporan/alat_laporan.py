"""Helpers for the report tests (plain functions; the fixtures are in conftest)."""
from dinsos_uji.alat_kasus import SEMUA_MAGETAN, akun, di_kantor

POLISI = {"jenis": "kepolisian", "instansi": "Polres Magetan", "surat_nomor": "B/1/2026"}
BELUM = {k: "belum" for k in SEMUA_MAGETAN}


def terima(kantor, staf, klien: dict, pada, lengkap=True, pelapor=POLISI, layanan="pengiriman-anjal-at"):
    from dinsos.cases.penerimaan import terima_kasus
    from dinsos.cases.perubahan import simpan

    with di_kantor(kantor):
        k = terima_kasus(layanan, pelapor=pelapor, klien=klien, persyaratan=SEMUA_MAGETAN if lengkap else BELUM,
                         pengguna=akun(staf), pada=pada).kasus
        simpan()
        return k.id
