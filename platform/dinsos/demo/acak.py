"""Deterministic randomness for the demo generator, and the identifiers it makes.

Every kind of data for every office draws from its own ``random.Random``
seeded with ``"<seed>:<kind>:<key>"`` (a text seed is hashed with SHA-512, the
same in every process), so adding a kind of data or an office never changes
what the others get.
"""
import random
import re
import unicodedata
import uuid
from datetime import date, timedelta

from .nama import NAMA_BELAKANG, NAMA_DEPAN


def rng(benih: int, jenis: str, kunci: str = "") -> random.Random:
    """The random source of one kind of data for one office (or other key)."""
    return random.Random(f"{benih}:{jenis}:{kunci}")


_TOPENG = ~((0xF << 76) | (0x3 << 62))


def uuid_acak(r: random.Random) -> uuid.UUID:
    """A version-4 UUID from ``r``.

    Built without ``UUID.__init__``, which checks its arguments: a million
    cases need tens of millions of ids and the checks cost more than the rest.
    """
    u = object.__new__(uuid.UUID)
    object.__setattr__(u, "int", (r.getrandbits(128) & _TOPENG) | (4 << 76) | (2 << 62))
    object.__setattr__(u, "is_safe", uuid.SafeUUID.unknown)
    return u


def nama_orang(r: random.Random, kelamin: str) -> str:
    """An Indonesian name: one, two or three words."""
    depan = NAMA_DEPAN[kelamin]
    x = r.random()
    if x < 0.12:
        return r.choice(depan)
    if x < 0.85:
        return f"{r.choice(depan)} {r.choice(NAMA_BELAKANG[kelamin])}"
    return f"{r.choice(depan)} {r.choice(depan)} {r.choice(NAMA_BELAKANG[kelamin])}"


def tanggal_lahir(r: random.Random, umur: int, pada: date) -> date:
    """A birth date giving ``umur`` full years at ``pada``."""
    akhir = date(pada.year - umur, pada.month, min(pada.day, 28))
    return akhir - timedelta(days=r.randrange(365))


def nik(r: random.Random, kode_kecamatan: str, lahir: date, kelamin: str) -> str:
    """A structurally valid NIK: region (PP.KK.CC), birth date DDMMYY (+40 to the day for women), serial."""
    hari = lahir.day + (40 if kelamin == "P" else 0)
    return f"{kode_kecamatan.replace('.', '')}{hari:02d}{lahir.month:02d}{lahir.year % 100:02d}{r.randint(1, 9999):04d}"


def nip(r: random.Random, lahir: date, tmt: date, kelamin: str) -> str:
    """A civil-servant number 'YYYYMMDD YYYYMM S NNN' (S: 1 man, 2 woman)."""
    return f"{lahir:%Y%m%d} {tmt:%Y%m} {1 if kelamin == 'L' else 2} {r.randint(1, 20):03d}"


def telepon(r: random.Random) -> str:
    return "08" + r.choice("1235789") + "".join(str(r.randrange(10)) for _ in range(9))


def ascii_kecil(teks: str) -> str:
    """Lower-case ASCII letters and dots, for e-mail addresses and slugs."""
    teks = unicodedata.normalize("NFKD", teks).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", ".", teks).strip(".")
