"""The sweep's interval: 30 s unless DINSOS_SAPU_TENGGAT_DETIK says otherwise, and never a nonsense value."""
import importlib

import pytest

from dinsos_workers import jadwal


@pytest.fixture
def muat_ulang(monkeypatch):
    def muat(nilai):
        if nilai is None:
            monkeypatch.delenv("DINSOS_SAPU_TENGGAT_DETIK", raising=False)
        else:
            monkeypatch.setenv("DINSOS_SAPU_TENGGAT_DETIK", nilai)
        return importlib.reload(jadwal)

    yield muat
    monkeypatch.delenv("DINSOS_SAPU_TENGGAT_DETIK", raising=False)
    importlib.reload(jadwal)


def test_the_sweep_runs_every_30_seconds_by_default_and_as_configured(muat_ulang):
    assert muat_ulang(None).cari("sapu_tenggat").setiap_detik == 30
    assert muat_ulang("1.5").cari("sapu_tenggat").setiap_detik == 1.5
    assert muat_ulang("").cari("sapu_tenggat").setiap_detik == 30


@pytest.mark.parametrize(("nilai", "pesan"), [
    ("tiga puluh", "DINSOS_SAPU_TENGGAT_DETIK='tiga puluh' bukan angka detik; tulis misalnya 30"),
    ("0", "harus lebih dari nol detik"), ("-5", "harus lebih dari nol detik"), ("nan", "harus lebih dari nol detik"),
    ("inf", "harus lebih dari nol detik"),
])
def test_a_bad_interval_stops_the_start_with_a_clear_message(muat_ulang, nilai, pesan):
    with pytest.raises(ValueError, match=pesan):
        muat_ulang(nilai)
