"""Accounts: creating them, checking passwords, changing passwords, API tokens.

Plain functions over the bound tenant; no request needed.
"""
import hashlib
import secrets
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from dinsos.core.db import db, sekarang
from dinsos.izin import PERAN

from .models import AdminPlatform, Pengguna, TokenApi

_hasher = PasswordHasher()


@cache
def _hash_pengecoh() -> str:
    """A real hash, so checking an unknown e-mail costs the same as a wrong password.

    Made on first use, not at import: hashing takes argon2's 64 MiB and a quarter
    second, which every web worker would otherwise pay as it starts.
    """
    return _hasher.hash("bukan-kata-sandi-siapa-pun")


PANJANG_MINIMAL = 10
PRESISI_TERAKHIR_DIPAKAI = timedelta(minutes=1)


class KesalahanAkun(ValueError):
    """A refused account operation; the message is for the user (Indonesian), ``bidang`` the form field it is about."""

    def __init__(self, pesan: str, bidang: str | None = None):
        super().__init__(pesan)
        self.bidang = bidang


def email_sah(email: str) -> str:
    """The one e-mail rule of every account (CLI, web login, web forms): the normalised address or a refusal.

    The login form checks addresses with the same rule (``auth.forms``), so an
    account created here can always log in. Special-use domains (``.test``,
    ``.local``) are refused, as the login form did; no DNS lookup.
    """
    from email_validator import EmailNotValidError, validate_email

    email = (email or "").strip()
    try:
        hasil = validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise KesalahanAkun(f"Alamat email '{email}' tidak valid (mis. nama@dinsos.kotametro.go.id).", "email") from None
    return hasil.normalized.lower()


def hash_kata_sandi(kata_sandi: str) -> str:
    if len(kata_sandi or "") < PANJANG_MINIMAL:
        raise KesalahanAkun(f"Kata sandi minimal {PANJANG_MINIMAL} karakter.", "kata_sandi")
    return _hasher.hash(kata_sandi)


def _cocok(hash_tersimpan: str, kata_sandi: str) -> bool:
    try:
        return _hasher.verify(hash_tersimpan, kata_sandi)
    except (VerificationError, InvalidHashError):
        return False


def buat_pengguna(email: str, nama: str, peran: list[str], kata_sandi: str, nip: str | None = None) -> Pengguna:
    """Create a staff account in the bound tenant."""
    email = email_sah(email)
    tidak_dikenal = [p for p in peran if p not in PERAN]
    if not peran or tidak_dikenal:
        raise KesalahanAkun(f"Peran tidak dikenal: {', '.join(tidak_dikenal) or '(kosong)'}.", "peran")
    if db.session.scalar(select(Pengguna.id).where(Pengguna.email == email)):
        raise KesalahanAkun(f"Email {email} sudah terdaftar di kantor ini.", "email")
    pengguna = Pengguna(email=email, nama=nama, peran=list(peran), nip=nip, hash_kata_sandi=hash_kata_sandi(kata_sandi))
    db.session.add(pengguna)
    db.session.flush()
    return pengguna


def buat_admin_platform(email: str, nama: str, kata_sandi: str) -> AdminPlatform:
    """Create a platform admin (in the platform scope, where admin accounts live; the caller commits)."""
    from dinsos.core.tenant import ruang_platform

    email = email_sah(email)
    with ruang_platform():
        if db.session.scalar(select(AdminPlatform.id).where(AdminPlatform.email == email)):
            raise KesalahanAkun(f"Email {email} sudah terdaftar.")
        admin = AdminPlatform(email=email, nama=nama, hash_kata_sandi=hash_kata_sandi(kata_sandi))
        db.session.add(admin)
        db.session.flush()
    return admin


def autentikasi(akun, kata_sandi: str):
    """Check a password against an account (or None).

    Returns the account on success, else None. The caller shows one message
    for every failure, so nobody learns whether an account exists; guessing is
    throttled per account and source by the caller (``penahanan``), never by
    locking the account for everyone.
    """
    if akun is None:
        _cocok(_hash_pengecoh(), kata_sandi)
        return None
    if not akun.aktif or not _cocok(akun.hash_kata_sandi, kata_sandi):
        return None
    akun.gagal_masuk = 0
    akun.terkunci_sampai = None  # left by the account-wide lockout of earlier versions
    akun.terakhir_masuk = sekarang()
    if _hasher.check_needs_rehash(akun.hash_kata_sandi):
        akun.hash_kata_sandi = _hasher.hash(kata_sandi)
    return akun


def cocok_pengecoh(kata_sandi: str) -> None:
    """Spend what a password check costs, for a refusal that must not be told apart by its speed."""
    _cocok(_hash_pengecoh(), kata_sandi)


def ganti_kata_sandi(akun, lama: str, baru: str, *, kini=None) -> int:
    """Change a password and end every other session of the account (the one it came with, ``akun.sesi``, stays).

    Returns how many sessions were ended.
    """
    from . import sesi_login

    if not _cocok(akun.hash_kata_sandi, lama):
        raise KesalahanAkun("Kata sandi lama salah.")
    if baru == lama:
        raise KesalahanAkun("Kata sandi baru harus berbeda dari kata sandi lama.", "baru")
    akun.hash_kata_sandi = hash_kata_sandi(baru)
    if isinstance(akun, Pengguna):
        akun.wajib_ganti_sandi = False
    return sesi_login.akhiri_lainnya(akun, kini=kini or sekarang(), alasan="kata_sandi", kecuali=akun.sesi)


def sidik_token(token: str) -> str:
    """What is stored of an API token, and looked up: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def terakhir_dipakai_usang(terakhir_dipakai, kini) -> bool:
    """Whether a token's "last used" is due to be written again (minute precision is all it needs)."""
    return terakhir_dipakai is None or kini - terakhir_dipakai > PRESISI_TERAKHIR_DIPAKAI


def buat_token(pengguna: Pengguna, nama: str) -> str:
    """Issue an API token for a user; returns the token, which is never stored."""
    token = "dns_" + secrets.token_urlsafe(32)
    db.session.add(TokenApi(tenant_id=pengguna.tenant_id, pengguna_id=pengguna.id, nama=nama, sidik=sidik_token(token)))
    db.session.flush()
    return token


def pengguna_dari_token(token: str) -> Pengguna | None:
    """The active user owning an unrevoked token in the bound tenant, or None."""
    if not token:
        return None
    # One round trip for both: this runs before every API request.
    hasil = db.session.execute(
        select(TokenApi, Pengguna)
        .join(Pengguna, (Pengguna.tenant_id == TokenApi.tenant_id) & (Pengguna.id == TokenApi.pengguna_id))
        .where(TokenApi.sidik == sidik_token(token), TokenApi.dicabut_pada.is_(None), Pengguna.aktif.is_(True))
    ).first()
    if hasil is None:
        return None
    baris, pengguna = hasil
    kini = sekarang()
    # Writing "last used" on every request would turn each read into a write.
    if terakhir_dipakai_usang(baris.terakhir_dipakai, kini):
        baris.terakhir_dipakai = kini
    return pengguna
