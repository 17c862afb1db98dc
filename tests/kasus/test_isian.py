"""Which steps ask for a recipient: addressed letters, and a berita acara by which the office hands a client over."""
from pathlib import Path

import pytest
import yaml

from dinsos.cases.isian import isian_langkah, serah_terima_keluar

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


def _langkah(kantor: str, layanan: str, kode: str) -> dict:
    isi = yaml.safe_load((TENANTS / kantor / "services" / f"{layanan}.yaml").read_text(encoding="utf-8"))
    return next(l for l in isi["sop"]["langkah"] if l["kode"] == kode)


@pytest.mark.parametrize(("kantor", "layanan", "kode", "keluar"), [
    ("kabupaten-magetan", "pengiriman-anjal-at", "serah-terima", False),  # the police hand a child to the office
    ("kota-metro", "penanganan-ppks-terlantar", "penyerahan", False),
    ("kota-metro", "penanganan-ppks-terlantar", "antar-ke-panti", True),  # the office takes the client to a panti
    # Stated by the step (arah): the sending office hands the child into the panti; the panti returns it to its family;
    # Magetan's Balai signs its receipt of the child from the office.
    ("provinsi-banten", "rehabilitasi-anak-terlantar-panti", "serah-terima-penempatan", False),
    ("provinsi-banten", "rehabilitasi-anak-terlantar-panti", "reunifikasi", True),
    ("kabupaten-magetan", "pengiriman-anjal-at", "penerimaan-balai", True),
])
def test_the_seed_hand_overs_are_read_in_their_direction(kantor, layanan, kode, keluar):
    definisi = _langkah(kantor, layanan, kode)
    assert serah_terima_keluar(definisi) is keluar
    nama = [d["nama"] for d in isian_langkah(definisi)]
    assert ("tujuan_surat" in nama and "alamat_tujuan" in nama) is keluar


def test_a_step_without_a_berita_acara_is_no_hand_over():
    assert not serah_terima_keluar({"dokumen_keluaran": "surat_tugas", "pelaksana": ["kepala_bidang"]})
    assert not serah_terima_keluar({"dokumen_keluaran": None})
    assert not serah_terima_keluar({"dokumen_keluaran": "tanda_terima", "pelaksana": ["mitra"]})  # a receipt comes in unless stated
