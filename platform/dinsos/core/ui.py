"""What capabilities add to the shared page shell: menu items and dashboard panels.

Kept per app (``app.extensions``) so building several apps (tests) never
duplicates entries.
"""
from zoneinfo import ZoneInfo

from flask import current_app, g, url_for
from flask_login import current_user

SINGKATAN_ZONA = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _daftar(app, nama: str) -> list:
    return app.extensions.setdefault("dinsos_ui", {}).setdefault(nama, [])


def tambah_menu_tenant(app, label, endpoint: str, izin: str | None = None, *, awal: bool = False) -> None:
    """A link in an office's navigation, shown to users holding ``izin`` (``awal``: before the others)."""
    daftar = _daftar(app, "menu_tenant")
    daftar.insert(0, (label, endpoint, izin)) if awal else daftar.append((label, endpoint, izin))


def tambah_menu_admin(app, label, endpoint: str) -> None:
    _daftar(app, "menu_admin").append((label, endpoint, None))


def tambah_panel_dasbor(app, template: str, izin: str, *, awal: bool = False) -> None:
    """A dashboard panel (an included template) for users holding ``izin`` (``awal``: the page leads with it)."""
    daftar = _daftar(app, "panel_dasbor")
    daftar.insert(0, (template, izin)) if awal else daftar.append((template, izin))


def _boleh(izin):
    from dinsos.auth.izin import boleh

    return izin is None or boleh(current_user, izin)


def menu_tenant():
    return [{"label": l, "url": url_for(e)} for l, e, i in _daftar(current_app, "menu_tenant") if _boleh(i)]


def menu_admin():
    return [{"label": l, "url": url_for(e)} for l, e, _i in _daftar(current_app, "menu_admin")]


def panel_dasbor():
    return [t for t, i in _daftar(current_app, "panel_dasbor") if _boleh(i)]


def zona_tenant() -> str:
    tenant = getattr(g, "tenant", None)
    return tenant.zona_waktu if tenant else "Asia/Jakarta"


def waktu_lokal(dt, format: str = "%d-%m-%Y %H:%M") -> str:
    """A UTC timestamp shown in the office's own time zone, with WIB/WITA/WIT."""
    if dt is None:
        return ""
    zona = zona_tenant()
    return dt.astimezone(ZoneInfo(zona)).strftime(format) + " " + SINGKATAN_ZONA.get(zona, zona)


def pasang(app):
    from dinsos.auth.izin import PERAN

    app.jinja_env.globals.update(
        menu_tenant=menu_tenant,
        menu_admin=menu_admin,
        panel_dasbor=panel_dasbor,
        waktu_lokal=waktu_lokal,
        nama_peran=lambda kode: PERAN.get(kode, kode),
    )
