"""Staff accounts (one tenant each), platform admins, and API tokens."""
import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dinsos.core.db import MilikTenant, UtcDateTime, db, fk_tenant


class _Akun(UserMixin):
    """What staff accounts and platform admins share: password, lockout and session version."""

    @property
    def is_active(self):
        return self.aktif


class Pengguna(_Akun, MilikTenant, db.Model):
    """A staff member of one office. Their login session is valid only under that office's URLs."""

    __tablename__ = "pengguna"

    email: Mapped[str] = mapped_column(String(200), nullable=False)
    nama: Mapped[str] = mapped_column(String(200), nullable=False)
    nip: Mapped[str | None] = mapped_column(String(30))
    peran: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    hash_kata_sandi: Mapped[str] = mapped_column(String(200), nullable=False)
    aktif: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    sesi_versi: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    gagal_masuk: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    terkunci_sampai: Mapped[datetime | None] = mapped_column(UtcDateTime)
    terakhir_masuk: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "email"),)

    def get_id(self):
        return f"u:{self.tenant_id}:{self.id}:{self.sesi_versi}"

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
    sesi_versi: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    gagal_masuk: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    terkunci_sampai: Mapped[datetime | None] = mapped_column(UtcDateTime)
    terakhir_masuk: Mapped[datetime | None] = mapped_column(UtcDateTime)

    peran = ("admin_platform",)
    tenant_id = None
    is_admin_platform = True

    def get_id(self):
        return f"a:{self.id}:{self.sesi_versi}"

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
