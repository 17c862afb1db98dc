"""What capabilities add to the shared page shell: menu items and dashboard panels.

Kept per app (``app.extensions``) so building several apps (tests) never
duplicates entries.
"""
from zoneinfo import ZoneInfo

from flask import current_app, g, url_for
from flask_login import current_user

from .formulir import daftar_galat

SINGKATAN_ZONA = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _daftar(app, nama: str) -> list:
    return app.extensions.setdefault("dinsos_ui", {}).setdefault(nama, [])


# The office menu's groups, so nobody reads thirteen links in a row. A link with no group (the dashboard's
# neighbours: "Tugas saya", "Notifikasi") stays at the top level, first.
GRUP_MENU = ("kasus", "rujukan", "publik", "kantor")


def tambah_menu_tenant(app, label, endpoint: str, izin: str | None = None, *, grup: str | None = None,
                       awal: bool = False) -> None:
    """A link in an office's navigation, under ``grup`` (one of ``GRUP_MENU``), shown to users holding ``izin``
    (``awal``: before the others)."""
    if grup is not None and grup not in GRUP_MENU:
        raise ValueError(f"grup menu tidak dikenal: {grup!r} (pilih dari {', '.join(GRUP_MENU)})")
    daftar = _daftar(app, "menu_tenant")
    daftar.insert(0, (label, endpoint, izin, grup)) if awal else daftar.append((label, endpoint, izin, grup))


def tambah_menu_admin(app, label, endpoint: str) -> None:
    _daftar(app, "menu_admin").append((label, endpoint, None))


def tambah_panel_dasbor(app, template: str, izin: str, *, awal: bool = False, data=None) -> None:
    """A dashboard panel (an included template) for users holding ``izin`` (``awal``: the page leads with it).

    ``data()`` gives what the panel shows; the dashboard calls it before rendering and the template reads it
    as ``data``, so including a panel never sends a query from inside the template.
    """
    daftar = _daftar(app, "panel_dasbor")
    entri = (template, izin, data)
    daftar.insert(0, entri) if awal else daftar.append(entri)


def tambah_hitungan_menu(app, fungsi) -> None:
    """Counts a menu label shows: ``fungsi(pengguna)`` gives ``{name: scalar select}`` (``{}`` when none apply).

    Every capability's counts are read together in one SELECT of scalar subqueries (``hitungan_menu``), so the
    badges of the menu cost one statement per page whatever the number of capabilities showing one.
    """
    _daftar(app, "hitungan_menu").append(fungsi)


def hitungan_menu(nama: str, bawaan=0):
    """One of the menu's counts for the logged-in staff member of this office, all read in one statement per request."""
    if "hitungan_menu" not in g:
        g.hitungan_menu = {}
        tenant = getattr(g, "tenant", None)
        if (tenant is not None and current_user.is_authenticated
                and getattr(current_user, "tenant_id", None) == tenant.id):
            from sqlalchemy import select

            from dinsos.core.db import db

            kolom = {}
            for fungsi in _daftar(current_app, "hitungan_menu"):
                kolom.update(fungsi(current_user._get_current_object()))
            if kolom:
                baris = db.session.execute(select(*(q.scalar_subquery().label(n) for n, q in kolom.items()))).one()
                g.hitungan_menu = dict(zip(kolom, baris, strict=True))
    nilai = g.hitungan_menu.get(nama)
    return bawaan if nilai is None else nilai


def _boleh(izin):
    return izin is None or current_app.extensions["dinsos_ui"]["boleh"](current_user, izin)


def _label_grup():
    from flask_babel import lazy_gettext as _l

    return {"kasus": _l("Kasus"), "rujukan": _l("Rujukan"), "publik": _l("Layanan publik"), "kantor": _l("Kantor")}


def menu_tenant():
    return [{"label": l, "url": url_for(e), "endpoint": e, "grup": g} for l, e, i, g in _daftar(current_app, "menu_tenant") if _boleh(i)]


def menu_tenant_grup() -> dict:
    """{"utama": [items], "grup": [(group label, [items])]}: the menu as the header shows it."""
    utama, grup = [], {}
    for item in menu_tenant():
        (grup.setdefault(item["grup"], []) if item["grup"] else utama).append(item)
    label = _label_grup()
    return {"utama": utama, "grup": [(label[k], grup[k]) for k in label if k in grup]}


def _siap(label):
    """A menu label worked out now: labels with a count (``__html__``) query when shown, so they are shown here."""
    from markupsafe import Markup

    return Markup(label.__html__()) if hasattr(label, "__html__") else label


def menu_tenant_siap() -> dict:
    """``menu_tenant_grup`` with every label already worked out (its counts read), for the shell's context."""
    menu = menu_tenant_grup()
    for item in menu["utama"] + [i for _label, isi in menu["grup"] for i in isi]:
        item["label"] = _siap(item["label"])
    return menu


def konteks_shell() -> dict:
    """What the page shell shows a logged-in staff member, read before the template renders.

    A template never queries: the menu's counts (work queue, unread notices) and the office row are
    read here, in a context processor, so rendering sends no SQL whatever a capability put in the menu.
    """
    tenant = getattr(g, "tenant", None)
    if tenant is None or not getattr(current_user, "is_authenticated", False):
        return {}
    tenant.tingkat  # noqa: B018 - loads the office row now if a commit expired it, not while rendering
    return {"menu_grup": menu_tenant_siap()}


def menu_admin():
    return [{"label": l, "url": url_for(e)} for l, e, _i in _daftar(current_app, "menu_admin")]


def panel_dasbor():
    return [t for t, i, _d in _daftar(current_app, "panel_dasbor") if _boleh(i)]


def panel_dasbor_siap() -> list[dict]:
    """The user's dashboard panels, each with its data already read: ``{"template", "data"}``."""
    return [{"template": t, "data": d() if d else None} for t, i, d in _daftar(current_app, "panel_dasbor") if _boleh(i)]


def zona_tenant() -> str:
    tenant = getattr(g, "tenant", None)
    return tenant.zona_waktu if tenant else "Asia/Jakarta"


def waktu_lokal(dt, format: str = "%d-%m-%Y %H:%M") -> str:
    """A UTC timestamp shown in the office's own time zone, with WIB/WITA/WIT."""
    if dt is None:
        return ""
    zona = zona_tenant()
    return dt.astimezone(ZoneInfo(zona)).strftime(format) + " " + SINGKATAN_ZONA.get(zona, zona)


def pasang(app, *, boleh, peran: dict):
    """Give templates the shell's helpers. Core knows no roles: the app factory passes in
    ``boleh(user, izin) -> bool``, which filters menus and panels, and the role names ``peran``."""
    app.extensions.setdefault("dinsos_ui", {})["boleh"] = boleh
    app.context_processor(konteks_shell)
    app.jinja_env.globals.update(
        menu_tenant=menu_tenant,
        menu_tenant_grup=menu_tenant_grup,
        menu_admin=menu_admin,
        panel_dasbor=panel_dasbor,
        waktu_lokal=waktu_lokal,
        nama_peran=lambda kode: peran.get(kode, kode),
        daftar_galat=daftar_galat,
        boleh_izin=_boleh,  # a template's "may this user ...", for parts of a page shared by several roles
    )
