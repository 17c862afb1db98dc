"""The upload store and the upload checks: random keys, content-based types, size limit."""
import pytest

from dinsos.core import penyimpanan as p
from dinsos_uji.alat_kasus import JPEG, PDF, PNG


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
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKID")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "rahasia")
    monkeypatch.setenv("AWS_REGION", "ap-southeast-3")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    s3 = p.dari_konfigurasi({"STORAGE_URL": "s3://ember/awalan", "UPLOAD_DIR": str(tmp_path)})
    assert s3._url("lampiran/ab/" + "a" * 40) == "https://ember.s3.ap-southeast-3.amazonaws.com/awalan/lampiran/ab/" + "a" * 40
    with pytest.raises(ValueError, match="names no bucket"):
        p.dari_konfigurasi({"STORAGE_URL": "s3:///awalan", "UPLOAD_DIR": str(tmp_path)})
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    tanpa_kunci = p.dari_konfigurasi({"STORAGE_URL": "s3://ember/awalan", "UPLOAD_DIR": str(tmp_path)})  # migrations need none
    with pytest.raises(RuntimeError, match="AWS_SECRET_ACCESS_KEY"):
        tanpa_kunci.simpan(PDF, "lampiran")
    with pytest.raises(ValueError, match="unknown scheme 'ftp'"):
        p.dari_konfigurasi({"STORAGE_URL": "ftp://x", "UPLOAD_DIR": str(tmp_path)})


def test_s3_requests_are_signed_as_the_aws_example_says():
    """AWS's published Signature V4 example for S3 (GET Object with a Range header)."""
    from datetime import datetime, timezone

    h = p.tandatangani_s3("GET", "https://examplebucket.s3.amazonaws.com/test.txt", {"Range": "bytes=0-9"}, p.HASH_KOSONG,
                          kunci_akses="AKIAIOSFODNN7EXAMPLE", kunci_rahasia="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                          region="us-east-1", pada=datetime(2013, 5, 24, tzinfo=timezone.utc))
    assert h["authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")


def test_s3_store_puts_gets_and_deletes_objects_on_an_s3_compatible_endpoint():
    """Against a small local stand-in of an object store (path-style, as MinIO): what goes up comes back."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    objek, dilihat = {}, []

    class Toko(BaseHTTPRequestHandler):
        def _jawab(self, kode, isi=b""):
            self.send_response(kode)
            self.send_header("Content-Length", str(len(isi)))
            self.end_headers()
            self.wfile.write(isi)

        def do_PUT(self):
            dilihat.append((self.command, self.path, self.headers.get("Authorization", ""), self.headers.get("x-amz-content-sha256")))
            objek[self.path] = self.rfile.read(int(self.headers["Content-Length"]))
            self._jawab(200)

        def do_GET(self):
            dilihat.append((self.command, self.path, self.headers.get("Authorization", ""), self.headers.get("x-amz-content-sha256")))
            self._jawab(200, objek[self.path]) if self.path in objek else self._jawab(404, b"<Error>NoSuchKey</Error>")

        def do_DELETE(self):
            dilihat.append((self.command, self.path, self.headers.get("Authorization", ""), self.headers.get("x-amz-content-sha256")))
            objek.pop(self.path, None)
            self._jawab(204)

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Toko)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        toko = p.PenyimpananS3("s3://ember/dinsos", env={
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "rahasia", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{server.server_port}"})
        kunci = toko.simpan(PDF, "lampiran")
        assert objek == {f"/ember/dinsos/{kunci}": PDF}
        assert toko.buka(kunci) == PDF
        toko.hapus(kunci)
        with pytest.raises(p.BerkasTidakAda):
            toko.buka(kunci)
    finally:
        server.shutdown()
    import hashlib

    assert [m for m, *_ in dilihat] == ["PUT", "GET", "DELETE", "GET"]
    assert all(a.startswith("AWS4-HMAC-SHA256 Credential=AKID/") and "/us-east-1/s3/aws4_request" in a for _m, _p, a, _h in dilihat)
    assert dilihat[0][3] == hashlib.sha256(PDF).hexdigest() and dilihat[1][3] == p.HASH_KOSONG
