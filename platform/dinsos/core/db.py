"""The database handle, naming convention and the tenant-owned model base.

Every tenant-owned table has ``tenant_id`` as the first column of its primary
key and its foreign keys to other tenant tables are composite
``(tenant_id, x_id)``: a row can never point into another tenant, and the
schema can later be distributed by tenant (Citus) without a redesign.
"""
import uuid
from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, ForeignKey, ForeignKeyConstraint, Integer, MetaData, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def sekarang() -> datetime:
    """Now, timezone-aware in UTC; every stored timestamp is UTC."""
    return datetime.now(timezone.utc)


class UtcDateTime(db.TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime: store timezone-aware UTC values")
            value = value.astimezone(timezone.utc)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class MilikTenant:
    """Mixin for a tenant-owned table: primary key ``(tenant_id, id)``.

    Queries on these models are filtered to the bound tenant automatically
    (see ``dinsos.core.tenant``); on PostgreSQL row-level security enforces
    the same rule a second time.
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(Integer, ForeignKey("tenants.id", ondelete="RESTRICT"), primary_key=True)

    @declared_attr
    def id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(Uuid, primary_key=True, default=uuid.uuid4)

    @declared_attr
    def dibuat_pada(cls) -> Mapped[datetime]:
        return mapped_column(UtcDateTime, default=sekarang, nullable=False)


def fk_tenant(kolom: str, tabel: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A composite foreign key ``(tenant_id, kolom)`` to ``tabel (tenant_id, id)``."""
    return ForeignKeyConstraint(
        ["tenant_id", kolom], [f"{tabel}.tenant_id", f"{tabel}.id"], ondelete=ondelete
    )


def model_milik_tenant():
    """Every mapped class that is tenant-owned."""
    return [m.class_ for m in db.Model.registry.mappers if issubclass(m.class_, MilikTenant)]
