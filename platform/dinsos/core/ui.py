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
    return izin is None or current_app.extensions["dinsos_ui"]["boleh"](current_user, izin)


# The office menu in groups, so nobody reads thirteen links in a row: endpoint -> group. Endpoints not named
# here (the dashboard's neighbours: "Tugas saya", "Notifikasi") stay at the top level, first.
GRUP_MENU = {
    "kasus.saya": "kasus", "kasus.daftar": "kasus", "kasus.pilih_layanan": "kasus", "dasbor.tenggat": "kasus",
    "rujukan.keluar_daftar": "rujukan", "rujukan.masuk_daftar": "rujukan", "rujukan.mitra": "rujukan",
    "rujukan.pengaturan": "rujukan",
    "katalog.daftar_publik": "publik", "pengaduan.daftar": "publik", "survei.laporan": "publik", "survei.pengaturan": "publik",
    "tenancy.pengaturan": "kantor", "sla.kalender": "kantor", "audit.daftar": "kantor", "notifikasi.pengaturan": "kantor",
    "staf.daftar": "kantor",
}


def _label_grup():
    from flask_babel import lazy_gettext as _l

    return {"kasus": _l("Kasus"), "rujukan": _l("Rujukan"), "publik": _l("Layanan publik"), "kantor": _l("Kantor")}


def menu_tenant():
    return [{"label": l, "url": url_for(e), "endpoint": e} for l, e, i in _daftar(current_app, "menu_tenant") if _boleh(i)]


def menu_tenant_grup() -> dict:
    """{"utama": [items], "grup": [(group label, [items])]}: the menu as the header shows it."""
    utama, grup = [], {}
    for item in menu_tenant():
        kode = GRUP_MENU.get(item["endpoint"])
        (grup.setdefault(kode, []) if kode else utama).append(item)
    label = _label_grup()
    return {"utama": utama, "grup": [(label[k], grup[k]) for k in label if k in grup]}


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


def pasang(app, *, boleh, peran: dict):
    """Give templates the shell's helpers. Core knows no roles: the app factory passes in
    ``boleh(user, izin) -> bool``, which filters menus and panels, and the role names ``peran``."""
    app.extensions.setdefault("dinsos_ui", {})["boleh"] = boleh
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
