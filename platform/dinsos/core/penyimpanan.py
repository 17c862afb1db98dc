"""Storing uploaded files outside the web root, behind one small interface.

``simpan(isi, nama) -> kunci`` stores bytes and returns a random key,
``buka(kunci) -> bytes`` reads them back, ``hapus(kunci)`` removes them. The key
never contains the uploader's file name: ``nama`` is only a short label of the
kind of content (``lampiran``, ``foto``) that becomes the key's prefix.

Which store is used comes from ``DINSOS_STORAGE_URL``: unset or ``file://``
keeps files in ``UPLOAD_DIR`` (the embedded default); ``s3://bucket/prefix``
names an S3-compatible store, which needs an S3 client library this
installation does not have, so it is refused at start-up with that reason
rather than failing on the first upload.

Uploads are also checked here, on their content and not their name: at most
``MAX_UPLOAD_BYTES``, and only PDF, JPEG or PNG by their magic bytes.
"""
import os
import re
import secrets
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

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
    def simpan(self, isi: bytes, nama: str) -> str: ...
    def buka(self, kunci: str) -> bytes: ...
    def hapus(self, kunci: str) -> None: ...


class PenyimpananLokal:
    """Files in a local folder (outside the web root), two-level fan-out by key."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def _jalur(self, kunci: str) -> Path:
        if not _KUNCI.match(kunci or ""):
            raise BerkasTidakAda(kunci)
        return self.folder / kunci

    def simpan(self, isi: bytes, nama: str) -> str:
        if not _LABEL.match(nama or ""):
            raise ValueError(f"storage label {nama!r}: lowercase letters, digits and '_' only")
        acak = secrets.token_hex(20)
        kunci = f"{nama}/{acak[:2]}/{acak}"
        jalur = self.folder / kunci
        jalur.parent.mkdir(parents=True, exist_ok=True)
        sementara = jalur.with_suffix(".tmp")
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


def dari_konfigurasi(cfg) -> Penyimpanan:
    """The store named by ``STORAGE_URL`` (or ``DINSOS_STORAGE_URL``), else the local ``UPLOAD_DIR``."""
    url = cfg.get("STORAGE_URL") or os.environ.get("DINSOS_STORAGE_URL") or ""
    skema = urlparse(url).scheme if url else ""
    if skema in ("", "file"):
        folder = urlparse(url).path if skema == "file" else cfg["UPLOAD_DIR"]
        return PenyimpananLokal(folder)
    if skema == "s3":
        raise NotImplementedError(
            "DINSOS_STORAGE_URL=s3://... needs an S3 client library (boto3), which is not installed; "
            "use a local UPLOAD_DIR (e.g. a mounted volume) or install boto3 and add an S3 store here"
        )
    raise ValueError(f"DINSOS_STORAGE_URL: unknown scheme {skema!r} (use file:// or s3://)")


def pasang(app) -> None:
    """Choose the store once at start-up, so a misconfiguration fails early."""
    app.extensions["dinsos_penyimpanan"] = dari_konfigurasi(app.config)


def penyimpanan() -> Penyimpanan:
    app = current_app._get_current_object()
    if "dinsos_penyimpanan" not in app.extensions:
        pasang(app)
    return app.extensions["dinsos_penyimpanan"]


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
