"""The sweep's interval: 30 s unless DINSOS_SAPU_TENGGAT_DETIK says otherwise, and never a nonsense value."""
import pytest

from dinsos_workers import jadwal
from dinsos_workers.tertanam import PenjadwalTertanam


@pytest.fixture
def selang(app, monkeypatch):
    """The sweep's interval as a runner starting now reads it (sla registers the job when the app is built)."""
    def baca(nilai):
        if nilai is None:
            monkeypatch.delenv("DINSOS_SAPU_TENGGAT_DETIK", raising=False)
        else:
            monkeypatch.setenv("DINSOS_SAPU_TENGGAT_DETIK", nilai)
        return jadwal.cari("sapu_tenggat").setiap_detik

    return baca


def test_the_sweep_runs_every_30_seconds_by_default_and_as_configured(selang):
    assert selang(None) == 30
    assert selang("1.5") == 1.5
    assert selang("") == 30


@pytest.mark.parametrize(("nilai", "pesan"), [
    ("tiga puluh", "DINSOS_SAPU_TENGGAT_DETIK='tiga puluh' bukan angka detik; tulis misalnya 30"),
    ("0", "harus lebih dari nol detik"), ("-5", "harus lebih dari nol detik"), ("nan", "harus lebih dari nol detik"),
    ("inf", "harus lebih dari nol detik"),
])
def test_a_bad_interval_stops_the_start_with_a_clear_message(app, selang, monkeypatch, nilai, pesan):
    with pytest.raises(ValueError, match=pesan):
        selang(nilai)
    with pytest.raises(ValueError, match=pesan):  # the embedded scheduler of `dinsos serve` does not start
        PenjadwalTertanam(app)
