"""Register and letter numbers: per office, per kind, per year; never duplicated, never skipped.

The counter row is incremented with a single ``UPDATE ... RETURNING`` inside the
caller's transaction, so concurrent intakes queue on the row lock and a rolled
back transaction gives its number back: the sequence stays gapless.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from dinsos.core.db import db
from dinsos.core.tenant import tenant_aktif
from dinsos.tenancy.models import Tenant

from .models import UrutanNomor

ROMAWI = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
FORMAT_BAWAAN = {"register": "REG/{n}/{yyyy}", "surat": "{n}/{romawi}/{yyyy}"}


def _naikkan(tenant_id: int, jenis: str, tahun: int) -> int:
    kondisi = (UrutanNomor.tenant_id == tenant_id, UrutanNomor.jenis == jenis, UrutanNomor.tahun == tahun)
    nilai = db.session.execute(
        update(UrutanNomor).where(*kondisi).values(terakhir=UrutanNomor.terakhir + 1).returning(UrutanNomor.terakhir)
    ).scalar()
    if nilai is not None:
        return nilai
    try:
        with db.session.begin_nested():
            db.session.execute(insert(UrutanNomor).values(tenant_id=tenant_id, jenis=jenis, tahun=tahun, terakhir=1))
        return 1
    except IntegrityError:  # another transaction created the row first: take the next number from it
        return db.session.execute(
            update(UrutanNomor).where(*kondisi).values(terakhir=UrutanNomor.terakhir + 1).returning(UrutanNomor.terakhir)
        ).scalar_one()


def format_nomor(pola: str, n: int, waktu_lokal: datetime) -> str:
    """Fill a numbering pattern: {n}, {mm}, {yyyy}, {romawi}."""
    return pola.format(n=n, mm=f"{waktu_lokal.month:02d}", yyyy=waktu_lokal.year, romawi=ROMAWI[waktu_lokal.month])


def nomor_berikutnya(jenis: str, pada: datetime) -> tuple[int, str]:
    """Take the next number of ``jenis`` for the bound office at instant ``pada``.

    The year and month are the office's local ones. Returns (sequence, formatted number).
    """
    tenant = db.session.get(Tenant, tenant_aktif())
    lokal = pada.astimezone(ZoneInfo(tenant.zona_waktu))
    n = _naikkan(tenant.id, jenis, lokal.year)
    pola = (tenant.format_nomor or {}).get(jenis) or FORMAT_BAWAAN.get(jenis, jenis.upper() + "/{n}/{yyyy}")
    return n, format_nomor(pola, n, lokal)
