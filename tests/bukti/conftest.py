"""The demo dataset shared by the generator's tests: made once per session, copied per test."""
import shutil

import data_demo
import pytest


@pytest.fixture(scope="session")
def templat(tmp_path_factory):
    """The generated dataset's folder and the generation's summary (read only: copy it to change it)."""
    folder = tmp_path_factory.mktemp("demo") / "templat"
    _app, hasil = data_demo.hasilkan(folder)
    return folder, hasil


@pytest.fixture(scope="session")
def templat_lagi(tmp_path_factory):
    """A second generation from the same seed, for the determinism checks."""
    folder = tmp_path_factory.mktemp("demo") / "lagi"
    _app, hasil = data_demo.hasilkan(folder)
    return folder, hasil


@pytest.fixture
def demo(templat, tmp_path):
    """A fresh copy of the generated database, and the generation's summary."""
    folder, hasil = templat
    shutil.copy(folder / "demo.sqlite", tmp_path / "demo.sqlite")
    return data_demo.aplikasi(tmp_path, baru=False), hasil
