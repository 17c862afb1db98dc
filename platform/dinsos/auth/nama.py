"""Accounts by name for the audit log's readers (registered into ``audit.tampilan.NAMA_AKTOR``).

The log labels its actors ``pengguna:<id>`` and ``admin:<id>``; malformed ids
are skipped (an old or hand-written label reads as itself).
"""
import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dinsos.core.db import db

from .models import AdminPlatform, Pengguna


def nama_pengguna(nilai: set[str]) -> dict[str, str]:
    """Staff ids (as written in audit labels) -> their names, in one query."""
    id_ = set()
    for n in nilai:
        try:
            id_.add(uuid.UUID(n))
        except ValueError:
            pass
    if not id_:
        return {}
    return {str(pid): nama for pid, nama in db.session.execute(select(Pengguna.id, Pengguna.nama).where(Pengguna.id.in_(id_)))}


def nama_admin(nilai: set[str]) -> dict[str, str]:
    """Platform admin ids -> "name (admin platform)", in one query."""
    id_ = {int(n) for n in nilai if n.isdigit()}
    if not id_:
        return {}
    return {str(aid): f"{nama} ({_l('admin platform')})"
            for aid, nama in db.session.execute(select(AdminPlatform.id, AdminPlatform.nama).where(AdminPlatform.id.in_(id_)))}
