"""The upload store and the upload checks: random keys, content-based types, size limit."""
import pytest

from alat_kasus import JPEG, PDF, PNG
from dinsos.core import penyimpanan as p


def test_local_store_keeps_files_under_random_keys_never_the_users_name(tmp_path):
    toko = p.PenyimpananLokal(tmp_path)
    kunci = toko.simpan(PDF, "lampiran")
    kunci2 = toko.simpan(PDF, "lampiran")
    assert kunci != kunci2 and kunci.startswith("lampiran/")
    assert toko.buka(kunci) == PDF
    berkas = [f for f in tmp_path.rglob("*") if f.is_file()]
    assert len(berkas) == 2 and all("." not in f.name for f in berkas)
    assert oct(berkas[0].stat().st_mode & 0o777) == "0o600"
    toko.hapus(kunci)
    with pytest.raises(p.BerkasTidakAda):
        toko.buka(kunci)
    toko.hapus(kunci)  # removing twice is harmless


@pytest.mark.parametrize("kunci", ["../../etc/passwd", "lampiran/../../x", "/etc/passwd", "lampiran/ab/" + "g" * 40, ""])
def test_keys_cannot_walk_out_of_the_folder(tmp_path, kunci):
    with pytest.raises(p.BerkasTidakAda):
        p.PenyimpananLokal(tmp_path).buka(kunci)


def test_labels_are_checked(tmp_path):
    with pytest.raises(ValueError):
        p.PenyimpananLokal(tmp_path).simpan(PDF, "../nama asli.pdf")


@pytest.mark.parametrize("isi, mime", [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")])
def test_types_are_judged_by_content(isi, mime):
    assert p.periksa_berkas(isi, 1000) == mime


@pytest.mark.parametrize("isi, kode, pesan", [
    (b"MZ\x90\x00 a windows program named scan.pdf", 415, "bukan PDF, JPEG atau PNG"),
    (b"<html><script>alert(1)</script>", 415, "bukan PDF, JPEG atau PNG"),
    (b"", 422, "Berkas kosong"),
    (PDF + b"x" * 2000, 413, "terlalu besar"),
])
def test_bad_uploads_are_refused(isi, kode, pesan):
    with pytest.raises(p.BerkasDitolak, match=pesan) as e:
        p.periksa_berkas(isi, 1024)
    assert e.value.kode == kode


def test_store_is_chosen_from_configuration(tmp_path, monkeypatch):
    monkeypatch.delenv("DINSOS_STORAGE_URL", raising=False)
    assert p.dari_konfigurasi({"UPLOAD_DIR": str(tmp_path)}).folder == tmp_path
    assert p.dari_konfigurasi({"STORAGE_URL": f"file://{tmp_path}/x", "UPLOAD_DIR": "/tidak"}).folder == tmp_path / "x"
    with pytest.raises(NotImplementedError, match="boto3"):
        p.dari_konfigurasi({"STORAGE_URL": "s3://ember/awalan", "UPLOAD_DIR": str(tmp_path)})
    with pytest.raises(ValueError, match="unknown scheme 'ftp'"):
        p.dari_konfigurasi({"STORAGE_URL": "ftp://x", "UPLOAD_DIR": str(tmp_path)})
