"""Every YAML example in docs/format-standar-pelayanan.md is checked by the validator itself.

A complete ``tenant.yaml`` or service file must load as it is; a fragment (a
block of some top-level keys, e.g. ``sop:``) must load once put in place of
those keys in the guide's complete service example; and each inline clock
rule of the time-limit table must load as ``jangka_waktu.aturan``. So the
guide and the validator cannot disagree again.
"""

import copy
import re
from pathlib import Path

import pytest
import yaml

from dinsos.catalogue.skema.baca import _Pemuat, periksa_berkas, periksa_data
from dinsos.catalogue.skema.layanan import LayananSchema
from dinsos.catalogue.skema.tenant import TenantSchema

PANDUAN = Path(__file__).resolve().parents[2] / "docs" / "format-standar-pelayanan.md"
TEKS = PANDUAN.read_text(encoding="utf-8")


def muat(teks: str):
    """YAML as the validator reads it (dates stay text)."""
    return yaml.load(teks, Loader=_Pemuat)  # noqa: S506 - the validator's own safe loader


BLOK = re.findall(r"```yaml\n(.*?)```", TEKS, flags=re.S)


def _utuh(jenis: str) -> str:
    kunci = "slug" if jenis == "tenant" else "kode"
    [teks] = [b for b in BLOK if re.match(rf"{kunci}:", b)]
    return teks


def test_panduan_memuat_contoh_lengkap_dan_potongan():
    assert len(BLOK) >= 3
    assert _utuh("tenant") and _utuh("layanan")


@pytest.mark.parametrize("nomor", range(len(BLOK)))
def test_contoh_yaml_lolos_pemeriksa(nomor):
    teks = BLOK[nomor]
    if teks.startswith("slug:"):
        data, kesalahan = periksa_berkas(teks, TenantSchema, "tenant.yaml")
    elif teks.startswith("kode:"):
        data, kesalahan = periksa_berkas(teks, LayananSchema, "contoh.yaml")
    else:
        potongan = muat(teks)
        assert set(potongan) <= set(LayananSchema().fields), f"kunci yang tidak dikenal di contoh {nomor}"
        dasar = muat(_utuh("layanan"))
        dasar.pop("penanda_asal")  # its markers name parts of the complete example that the fragment replaces
        dasar.update(copy.deepcopy(potongan))
        data, kesalahan = periksa_data(dasar, LayananSchema)
    assert not kesalahan, f"contoh YAML ke-{nomor} di panduan ditolak pemeriksa: {kesalahan}"
    assert data is not None


ATURAN = re.findall(r"`(\{jenis: [^`]+\})`", TEKS)


@pytest.mark.parametrize("aturan", ATURAN)
def test_contoh_aturan_waktu_lolos_pemeriksa(aturan):
    dasar = muat(_utuh("layanan"))
    dasar["penyampaian_pelayanan"]["jangka_waktu"]["aturan"] = muat(aturan)
    _data, kesalahan = periksa_data(dasar, LayananSchema)
    assert not kesalahan, f"{aturan}: {kesalahan}"


def test_ketiga_jenis_aturan_dicontohkan():
    assert {muat(a)["jenis"] for a in ATURAN} == {"hari_kerja", "kalender", "terbuka"}


def test_null_untuk_komponen_yang_tidak_ada_diterima_kecuali_yang_dipakai_kasus():
    dasar = muat(_utuh("layanan"))
    dasar["pengelolaan_pelayanan"]["dasar_hukum"] = None
    dasar["penyampaian_pelayanan"]["biaya"] = None
    assert not periksa_data(dasar, LayananSchema)[1]
    dasar["penyampaian_pelayanan"]["jangka_waktu"] = None
    [(jalur, pesan)] = periksa_data(dasar, LayananSchema)[1]
    assert jalur == ("penyampaian_pelayanan", "jangka_waktu") and "penanda_asal" in pesan
