"""Staff accounts (one tenant each), platform admins, and API tokens."""
import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import MilikTenant, UtcDateTime, db, fk_tenant, sekarang


class _Akun(UserMixin):
    """What staff accounts and platform admins share: password, lockout, and the login session a request came with.

    ``id_sesi`` is what Flask-Login keeps in the signed cookie: the login's own random identifier (its row, see
    ``auth.sesi_login``), set at login or when a request's cookie is checked. Without one there is no session.
    """

    id_sesi: str | None = None
    sesi = None  # the session row of this request, if any

    @property
    def is_active(self):
        return self.aktif

    def get_id(self):
        if not self.id_sesi:
            raise RuntimeError("login without a session row: use auth.sesi_login.masukkan()")
        return self.id_sesi


class Pengguna(_Akun, MilikTenant, db.Model):
    """A staff member of one office. Their login session is valid only under that office's URLs."""

    __tablename__ = "pengguna"

    email: Mapped[str] = mapped_column(String(200), nullable=False)
    nama: Mapped[str] = mapped_column(String(200), nullable=False)
    nip: Mapped[str | None] = mapped_column(String(30))
    peran: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    hash_kata_sandi: Mapped[str] = mapped_column(String(200), nullable=False)
    aktif: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    gagal_masuk: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    terkunci_sampai: Mapped[datetime | None] = mapped_column(UtcDateTime)
    terakhir_masuk: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set by a temporary password (added by the office admin, or reset): every page leads to the password change
    # until the member chooses her own.
    wajib_ganti_sandi: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())

    __table_args__ = (UniqueConstraint("tenant_id", "email"),)

    @property
    def label_audit(self):
        return f"pengguna:{self.id}"

    is_admin_platform = False


class AdminPlatform(_Akun, db.Model):
    """A platform administrator: onboards regions; works across tenants only through audited paths."""

    __tablename__ = "admin_platform"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    nama: Mapped[str] = mapped_column(String(200), nullable=False)
    hash_kata_sandi: Mapped[str] = mapped_column(String(200), nullable=False)
    aktif: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    gagal_masuk: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    terkunci_sampai: Mapped[datetime | None] = mapped_column(UtcDateTime)
    terakhir_masuk: Mapped[datetime | None] = mapped_column(UtcDateTime)

    peran = ("admin_platform",)
    tenant_id = None
    is_admin_platform = True

    @property
    def label_audit(self):
        return f"admin:{self.id}"


class TokenApi(MilikTenant, db.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "token_api"

    pengguna_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    nama: Mapped[str] = mapped_column(String(100), nullable=False)
    sidik: Mapped[str] = mapped_column(String(64), nullable=False)
    terakhir_dipakai: Mapped[datetime | None] = mapped_column(UtcDateTime)
    dicabut_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        fk_tenant("pengguna_id", "pengguna", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "sidik"),
    )


class _Sesi:
    """What a login session row holds: only the SHA-256 of the identifier in the cookie, and what its owner
    needs to recognise it on the sessions page."""

    sidik: Mapped[str] = mapped_column(String(64), nullable=False)
    terakhir_dilihat: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
    agen_pengguna: Mapped[str | None] = mapped_column(String(300))
    alamat_ip: Mapped[str | None] = mapped_column(String(64))
    berakhir_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    alasan_berakhir: Mapped[str | None] = mapped_column(String(30))


class SesiLogin(_Sesi, MilikTenant, db.Model):
    """A staff member's login: one row per login, ended at logout, by a password change or from the sessions page."""

    __tablename__ = "sesi_login"

    pengguna_id: Mapped[uuid.UUID] = mapped_column(nullable=False)

    __table_args__ = (
        fk_tenant("pengguna_id", "pengguna", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "sidik"),
        Index("ix_sesi_login_pengguna", "tenant_id", "pengguna_id"),
    )

    @property
    def pemilik_id(self):
        return self.pengguna_id


class SesiAdmin(_Sesi, db.Model):
    """A platform admin's login (a platform table: readable only in the platform scope)."""

    __tablename__ = "sesi_admin_platform"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    admin_id: Mapped[int] = mapped_column(ForeignKey("admin_platform.id", ondelete="CASCADE"), nullable=False)
    dibuat_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)

    __table_args__ = (
        UniqueConstraint("sidik"),
        Index("ix_sesi_admin_platform_admin", "admin_id"),
    )

    @property
    def pemilik_id(self):
        return self.admin_id
