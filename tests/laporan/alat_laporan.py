"""Helpers for the report tests (plain functions; the fixtures are in conftest)."""
from alat_kasus import SEMUA_MAGETAN, akun, di_kantor

POLISI = {"jenis": "kepolisian", "instansi": "Polres Magetan", "surat_nomor": "B/1/2026"}
BELUM = {k: "belum" for k in SEMUA_MAGETAN}


def terima(kantor, staf, klien: dict, pada, lengkap=True, pelapor=POLISI, layanan="pengiriman-anjal-at"):
    from dinsos.cases import services as svc

    with di_kantor(kantor):
        k = svc.terima_kasus(layanan, pelapor=pelapor, klien=klien, persyaratan=SEMUA_MAGETAN if lengkap else BELUM,
                             pengguna=akun(staf), pada=pada).kasus
        svc.simpan()
        return k.id
