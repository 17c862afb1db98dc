"""Encryption at rest for sensitive columns, and a keyed hash for searching them.

Keys come from ``DINSOS_ENCRYPTION_KEYS``: comma-separated Fernet keys; the
first encrypts, all decrypt, so a key can be rotated by putting a new one
first and keeping the old ones until every row has been re-encrypted
(``putar_nilai``). In embedded mode with no key configured one is generated
into the instance folder, like the secret key; production refuses to start
without one.

A column of type ``Terenkripsi`` (text) or ``TerenkripsiJson`` (any JSON
value) holds only Fernet tokens in the database. Encrypted values cannot be
searched, so a value that must be found again (the NIK) also gets a keyed
hash (``sidik``): HMAC-SHA256 with a key derived from an encryption key.
Writes use the first key; look-ups try every configured key (``sidik_kandidat``),
so search keeps working right after a rotation.
"""
import hashlib
import hmac
import json
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import Text, text
from sqlalchemy.types import TypeDecorator

from . import config as konfigurasi

NAMA_BERKAS_KUNCI = "encryption_key"
_INFO_SIDIK = b"dinsos/sidik-pencarian/v1"


class KunciTidakValid(RuntimeError):
    """The configured encryption keys are missing or malformed."""


def _baca_kunci(cfg: dict, instance_path: str) -> list[bytes]:
    teks = (cfg.get("ENCRYPTION_KEYS") or "").strip()
    if not teks:
        if not konfigurasi.is_embedded(cfg):
            raise KunciTidakValid("DINSOS_ENCRYPTION_KEYS must be set when running with Redis/PostgreSQL (production)")
        berkas = Path(instance_path) / NAMA_BERKAS_KUNCI
        if not berkas.exists():
            berkas.write_bytes(Fernet.generate_key())
            berkas.chmod(0o600)
        teks = berkas.read_text().strip()
    kunci = [k.strip().encode() for k in teks.split(",") if k.strip()]
    for i, k in enumerate(kunci):
        try:
            Fernet(k)
        except (ValueError, TypeError) as e:
            raise KunciTidakValid(f"DINSOS_ENCRYPTION_KEYS: key {i + 1} is not a Fernet key (32 url-safe base64 bytes)") from e
    return kunci


class Brankas:
    """The encryption keys of one app: encrypt, decrypt, rotate, keyed hashes."""

    def __init__(self, kunci: list[bytes]):
        if not kunci:
            raise KunciTidakValid("no encryption key configured")
        self._kunci_asli = list(kunci)
        self._fernet = MultiFernet([Fernet(k) for k in kunci])
        self._kunci_sidik = [hashlib.sha256(_INFO_SIDIK + k).digest() for k in kunci]

    def enkripsi(self, teks: str) -> str:
        return self._fernet.encrypt(teks.encode("utf-8")).decode("ascii")

    def dekripsi(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as e:
            raise KunciTidakValid("an encrypted value cannot be read with any configured key") from e

    def putar(self, token: str) -> str:
        """Re-encrypt a token with the first key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def sidik(self, nilai: str) -> str:
        """Keyed hash of a normalised value, with the first key (for writing)."""
        return hmac.new(self._kunci_sidik[0], nilai.encode("utf-8"), hashlib.sha256).hexdigest()

    def sidik_kandidat(self, nilai: str) -> list[str]:
        """The value's keyed hash under every configured key (for look-ups across a rotation)."""
        return [hmac.new(k, nilai.encode("utf-8"), hashlib.sha256).hexdigest() for k in self._kunci_sidik]


def pasang(app) -> None:
    """Read (or, embedded, create) the keys once at start-up, so a bad key fails early."""
    app.extensions["dinsos_brankas"] = Brankas(_baca_kunci(app.config, app.instance_path))


def brankas() -> Brankas:
    app = current_app._get_current_object()
    if "dinsos_brankas" not in app.extensions:
        pasang(app)
    return app.extensions["dinsos_brankas"]


class Terenkripsi(TypeDecorator):
    """A text column stored as a Fernet token; read back as plain text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return brankas().enkripsi(str(value))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return brankas().dekripsi(value)


class TerenkripsiJson(TypeDecorator):
    """A JSON value (dict, list...) stored as one Fernet token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return brankas().enkripsi(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return json.loads(brankas().dekripsi(value))


def kolom_terenkripsi(metadata) -> dict[str, list[str]]:
    """Table name -> names of its encrypted columns."""
    hasil: dict[str, list[str]] = {}
    for tabel in metadata.sorted_tables:
        nama = [c.name for c in tabel.columns if isinstance(c.type, (Terenkripsi, TerenkripsiJson))]
        if nama:
            hasil[tabel.name] = nama
    return hasil


def putar_nilai(session, metadata) -> int:
    """Re-encrypt every encrypted value with the first key; returns how many values were rewritten.

    Reads and writes the raw tokens (no decryption to Python objects), one
    table at a time; safe to run again after an interruption. The caller binds
    the tenants it may touch (usually a declared cross-tenant block) and commits.
    """
    from sqlalchemy import column, select, table, update

    b = brankas()
    jumlah = 0
    if session.get_bind().dialect.name == "postgresql":
        # Append-only tables let this transaction re-encrypt (and only re-encrypt) their rows.
        session.execute(text("SELECT set_config('app.putar_kunci', 'on', true)"))
    for nama_tabel, kolom in kolom_terenkripsi(metadata).items():
        asli = metadata.tables[nama_tabel]
        kunci_utama = [c.name for c in asli.primary_key.columns]
        t = table(nama_tabel, *(column(c, asli.c[c].type if c in kunci_utama else Text()) for c in kunci_utama + kolom))
        for baris in session.execute(select(t)).mappings().all():
            baru = {c: b.putar(baris[c]) for c in kolom if baris[c] is not None}
            if baru:
                syarat = [t.c[c] == baris[c] for c in kunci_utama]
                session.execute(update(t).where(*syarat).values(**baru))
                jumlah += len(baru)
    return jumlah
