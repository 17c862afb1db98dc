"""Helpers shared by the test modules: offices, staff, logging in.

Each helper opens its own app context and returns plain data, so HTTP tests
never share Flask's ``g`` (and the login cache in it) with set-up code. The
app is an argument, or travels with the office (``Kantor.app``).
"""
import re
from dataclasses import dataclass, field

from flask import Flask

KATA_SANDI = "rahasia-uji-123"


@dataclass(frozen=True)
class Kantor:
    """An office of the app under test, as plain data (the app rides along, outside equality)."""

    id: int
    slug: str
    nama: str
    app: Flask = field(compare=False, repr=False)


def buat_tenant(app: Flask, slug, tingkat="kota", induk=None, zona="Asia/Jakarta", **lain) -> Kantor:
    """Create an office."""
    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant
    from dinsos.tenancy.services import simpan_profil

    data = {"slug": slug, "nama": f"Dinas Sosial {slug.replace('-', ' ').title()}", "tingkat": tingkat,
            "kode_wilayah": lain.pop("kode_wilayah", "99.99"), "zona_waktu": zona, "provinsi_induk": induk, **lain}
    with app.app_context(), lintas_tenant("uji: membuat kantor", catat=False):
        tenant, _ = simpan_profil(data)
        db.session.commit()
        return Kantor(tenant.id, tenant.slug, tenant.nama, app)


def buat_staf(kantor: Kantor, peran, email=None, nama=None):
    """Create a staff account in an office (named ``nama``, else after its role); returns (id, email)."""
    from dinsos.auth.services import buat_pengguna
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant

    peran = [peran] if isinstance(peran, str) else list(peran)
    email = email or f"{peran[0]}@{kantor.slug}.uji"
    with kantor.app.app_context(), dalam_tenant(kantor.id):
        p = buat_pengguna(email, nama or f"Staf {peran[0]}", peran, KATA_SANDI)
        db.session.commit()
        return p.id, email


def token_csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert m, "no CSRF token in page"
    return m.group(1)


def masuk(klien, slug, email, kata_sandi=KATA_SANDI):
    halaman = klien.get(f"/t/{slug}/masuk")
    return klien.post(
        f"/t/{slug}/masuk", data={"email": email, "kata_sandi": kata_sandi, "csrf_token": token_csrf(halaman.get_data(as_text=True))}
    )


def revisi_draf(halaman: str) -> str:
    """The onboarding draft's revision a page was rendered at: sent back so a stale page cannot overwrite the draft."""
    return re.search(r'name="revisi" value="(\d+)"', halaman)[1]
