"""Storing uploaded files outside the web root, behind one small interface.

``simpan(isi, nama) -> kunci`` stores bytes and returns a random key,
``buka(kunci) -> bytes`` reads them back, ``hapus(kunci)`` removes them. The key
never contains the uploader's file name: ``nama`` is only a short label of the
kind of content (``lampiran``, ``foto``) that becomes the key's prefix.

Which store is used comes from ``DINSOS_STORAGE_URL``: unset or ``file://``
keeps files in ``UPLOAD_DIR`` (the embedded default); ``s3://bucket/prefix``
keeps them in an S3-compatible object store. No S3 library is installed, so
that store speaks the three calls it needs (PUT, GET, DELETE object) over
plain HTTPS with AWS Signature Version 4. It reads the usual variables:
``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, optional
``AWS_SESSION_TOKEN``, ``AWS_REGION`` (or ``AWS_DEFAULT_REGION``, default
us-east-1) and, for a store other than AWS (MinIO, Ceph...),
``AWS_ENDPOINT_URL_S3`` or ``AWS_ENDPOINT_URL`` (then path-style URLs).

Uploads are also checked here, on their content and not their name: at most
``MAX_UPLOAD_BYTES``, and only PDF, JPEG or PNG by their magic bytes.
"""
import hashlib
import hmac
import os
import re
import secrets
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urlparse

from flask import current_app

_LABEL = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
_KUNCI = re.compile(r"^[a-z][a-z0-9_]{0,30}/[0-9a-f]{2}/[0-9a-f]{40}$")

# Magic bytes of the only file types accepted.
TANDA_BERKAS = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EKSTENSI = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class BerkasDitolak(ValueError):
    """An upload refused for its size or type; the message is for the user. ``kode`` is the HTTP status."""

    def __init__(self, pesan: str, kode: int):
        super().__init__(pesan)
        self.kode = kode


class BerkasTidakAda(LookupError):
    """No stored file under this key."""


class Penyimpanan(Protocol):
    def simpan(self, isi: bytes, nama: str, *, tetap: str | None = None) -> str: ...
    def buka(self, kunci: str) -> bytes: ...
    def hapus(self, kunci: str) -> None: ...


def kunci_baru(nama: str, tetap: str | None = None) -> str:
    """A storage key under label ``nama``: random, or (``tetap``) derived from that text, so writing the same thing
    again (a delivery repeated after its worker was killed mid-transaction) lands on the same file, not a new orphan."""
    if not _LABEL.match(nama or ""):
        raise ValueError(f"storage label {nama!r}: lowercase letters, digits and '_' only")
    acak = hashlib.sha256(tetap.encode()).hexdigest()[:40] if tetap else secrets.token_hex(20)
    return f"{nama}/{acak[:2]}/{acak}"


class PenyimpananLokal:
    """Files in a local folder (outside the web root), two-level fan-out by key."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def _jalur(self, kunci: str) -> Path:
        if not _KUNCI.match(kunci or ""):
            raise BerkasTidakAda(kunci)
        return self.folder / kunci

    def simpan(self, isi: bytes, nama: str, *, tetap: str | None = None) -> str:
        kunci = kunci_baru(nama, tetap)
        jalur = self.folder / kunci
        jalur.parent.mkdir(parents=True, exist_ok=True)
        sementara = jalur.with_suffix(f".{secrets.token_hex(4)}.tmp")
        with open(sementara, "xb") as f:
            f.write(isi)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(sementara, 0o600)
        os.replace(sementara, jalur)
        return kunci

    def buka(self, kunci: str) -> bytes:
        try:
            return self._jalur(kunci).read_bytes()
        except FileNotFoundError:
            raise BerkasTidakAda(kunci) from None

    def hapus(self, kunci: str) -> None:
        try:
            self._jalur(kunci).unlink()
        except FileNotFoundError:
            pass


HASH_KOSONG = hashlib.sha256(b"").hexdigest()


def _hmac(kunci: bytes, teks: str) -> bytes:
    return hmac.new(kunci, teks.encode("utf-8"), hashlib.sha256).digest()


def tandatangani_s3(metode: str, url: str, header: dict, hash_isi: str, *, kunci_akses: str, kunci_rahasia: str,
                    region: str, pada: datetime, token_sesi: str | None = None) -> dict:
    """The headers of an S3 request signed with AWS Signature Version 4 (no query string).

    ``header`` holds extra headers to sign; returns them with host, x-amz-date,
    x-amz-content-sha256, the session token if any, and Authorization.
    """
    u = urlparse(url)
    tanggal, waktu = pada.strftime("%Y%m%d"), pada.strftime("%Y%m%dT%H%M%SZ")
    semua = {k.lower(): str(v).strip() for k, v in header.items()}
    semua.update({"host": u.netloc, "x-amz-date": waktu, "x-amz-content-sha256": hash_isi})
    if token_sesi:
        semua["x-amz-security-token"] = token_sesi
    ditandatangani = ";".join(sorted(semua))
    kanonik = "\n".join([
        metode, quote(u.path or "/", safe="/~"), "",
        "".join(f"{k}:{semua[k]}\n" for k in sorted(semua)), ditandatangani, hash_isi,
    ])
    lingkup = f"{tanggal}/{region}/s3/aws4_request"
    untuk_ditandatangani = "\n".join(["AWS4-HMAC-SHA256", waktu, lingkup, hashlib.sha256(kanonik.encode()).hexdigest()])
    kunci = _hmac(_hmac(_hmac(_hmac(("AWS4" + kunci_rahasia).encode(), tanggal), region), "s3"), "aws4_request")
    tanda = hmac.new(kunci, untuk_ditandatangani.encode(), hashlib.sha256).hexdigest()
    semua["authorization"] = (f"AWS4-HMAC-SHA256 Credential={kunci_akses}/{lingkup}, "
                              f"SignedHeaders={ditandatangani}, Signature={tanda}")
    return semua


class PenyimpananS3:
    """Files as objects in an S3-compatible bucket, under ``prefix/<key>``."""

    def __init__(self, url: str, env=None):
        env = os.environ if env is None else env
        u = urlparse(url)
        self.ember, self.awalan = u.netloc, u.path.strip("/")
        self.kunci_akses = env.get("AWS_ACCESS_KEY_ID")
        self.kunci_rahasia = env.get("AWS_SECRET_ACCESS_KEY")
        self.token_sesi = env.get("AWS_SESSION_TOKEN") or None
        self.region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
        titik = (env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or "").rstrip("/")
        self.dasar = f"{titik}/{self.ember}" if titik else f"https://{self.ember}.s3.{self.region}.amazonaws.com"
        if not self.ember:
            raise ValueError("DINSOS_STORAGE_URL=s3://bucket/prefix names no bucket")

    def _url(self, kunci: str) -> str:
        if not _KUNCI.match(kunci or ""):
            raise BerkasTidakAda(kunci)
        return f"{self.dasar}/{self.awalan + '/' if self.awalan else ''}{kunci}"

    def _minta(self, metode: str, url: str, isi: bytes | None = None) -> bytes:
        # Checked here, not at start-up: processes that never touch uploads (migrations, beat) run without them.
        if not self.kunci_akses or not self.kunci_rahasia:
            raise RuntimeError("the S3 upload store needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
        header = {"content-type": "application/octet-stream"} if isi is not None else {}
        hash_isi = HASH_KOSONG if isi is None else hashlib.sha256(isi).hexdigest()
        header = tandatangani_s3(metode, url, header, hash_isi, kunci_akses=self.kunci_akses,
                                 kunci_rahasia=self.kunci_rahasia, region=self.region, pada=datetime.now(timezone.utc),
                                 token_sesi=self.token_sesi)
        header.pop("host")
        permintaan = urllib.request.Request(url, data=isi, method=metode, headers=header)
        with urllib.request.urlopen(permintaan, timeout=30) as jawab:
            return jawab.read()

    def simpan(self, isi: bytes, nama: str, *, tetap: str | None = None) -> str:
        kunci = kunci_baru(nama, tetap)
        self._minta("PUT", self._url(kunci), isi)
        return kunci

    def buka(self, kunci: str) -> bytes:
        try:
            return self._minta("GET", self._url(kunci))
        except urllib.error.HTTPError as e:
            if e.code == 404:
                raise BerkasTidakAda(kunci) from None
            raise

    def hapus(self, kunci: str) -> None:
        self._minta("DELETE", self._url(kunci))


def dari_konfigurasi(cfg) -> Penyimpanan:
    """The store named by ``STORAGE_URL`` (``DINSOS_STORAGE_URL``), else the local ``UPLOAD_DIR``."""
    url = cfg.get("STORAGE_URL") or ""
    skema = urlparse(url).scheme if url else ""
    if skema in ("", "file"):
        folder = urlparse(url).path if skema == "file" else cfg["UPLOAD_DIR"]
        return PenyimpananLokal(folder)
    if skema == "s3":
        return PenyimpananS3(url)
    raise ValueError(f"DINSOS_STORAGE_URL: unknown scheme {skema!r} (use file:// or s3://)")


def pasang(app) -> None:
    """Choose the store once at start-up, so a misconfiguration fails early."""
    app.extensions["dinsos_penyimpanan"] = dari_konfigurasi(app.config)


def penyimpanan() -> Penyimpanan:
    app = current_app._get_current_object()
    if "dinsos_penyimpanan" not in app.extensions:
        pasang(app)
    return app.extensions["dinsos_penyimpanan"]


@contextmanager
def kunci_dihapus_bila_gagal():
    """A list for the storage keys written inside the block; those files are deleted again when the block fails.

    Storage is not transactional: a change that stores files and then fails (or is rolled back by its caller's
    exception) must not leave files nobody points at.
    """
    baru: list[str] = []
    try:
        yield baru
    except BaseException:
        for kunci in baru:
            penyimpanan().hapus(kunci)
        raise


def periksa_berkas(isi: bytes, batas: int) -> str:
    """The MIME type of an acceptable upload, judged by its content; raises ``BerkasDitolak``."""
    if not isi:
        raise BerkasDitolak("Berkas kosong; pilih berkas PDF, JPEG atau PNG.", 422)
    if len(isi) > batas:
        raise BerkasDitolak(
            f"Berkas terlalu besar: {len(isi) / 1048576:.1f} MB, batasnya {batas / 1048576:.1f} MB.", 413
        )
    for tanda, mime in TANDA_BERKAS:
        if isi.startswith(tanda):
            return mime
    raise BerkasDitolak("Jenis berkas tidak diterima: isinya bukan PDF, JPEG atau PNG (dilihat dari isi berkas, bukan namanya).", 415)
