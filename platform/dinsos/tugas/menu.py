"""What the page shell shows of the work queue: the user's queue, worked out once per request, and the menu label
with its count. Its own module so the views and ``pasang`` both import it without importing each other."""
from flask import g
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape


def tugas_sekarang():
    """The logged-in staff member's queue in this office, worked out once per request (None for others)."""
    if "tugas_saya" not in g:
        tenant = getattr(g, "tenant", None)
        staf = (tenant is not None and current_user.is_authenticated
                and getattr(current_user, "tenant_id", None) == tenant.id)
        if staf:
            from dinsos.core.db import sekarang

            from .services import tugas_saya

            g.tugas_saya = tugas_saya(current_user._get_current_object(), sekarang())
        else:
            g.tugas_saya = None
    return g.tugas_saya


def angka_sekarang() -> dict:
    """The queue's counts for the dashboard's tiles (``services.hitung``), in the office's calendar day."""
    from dinsos.core.db import sekarang
    from dinsos.core.ui import zona_tenant

    from .services import hitung

    return hitung(tugas_sekarang() or [], sekarang(), zona_tenant())


def hitungan(pengguna) -> dict:
    """The queue's figures for the menu (see ``dinsos.core.ui.tambah_hitungan_menu``)."""
    from dinsos.core.db import sekarang
    from dinsos.izin import boleh

    from .services import kueri_hitungan

    if "tugas_saya" in g or not boleh(pengguna, "kasus.kerjakan"):
        return {}
    return kueri_hitungan(pengguna, sekarang())


def angka_menu() -> tuple[int, int]:
    """(items waiting, overdue) for the menu's badge: from the queue when this page read it, else counted in SQL."""
    from dinsos.core.ui import hitungan_menu

    from .services import BATAS, angka_dari_hitungan

    if "tugas_saya" not in g and not hitungan_menu("tugas_versi_baru"):
        return angka_dari_hitungan(g.hitungan_menu)
    daftar = tugas_sekarang() or []  # a version this process has not read yet: the queue itself learns it
    return min(len(daftar), BATAS), sum(1 for t in daftar if t.status == "terlambat")


class LabelMenu:
    """"Tugas saya" and how many items wait, worked out only when the header is rendered."""

    def __html__(self):
        jumlah, terlambat = angka_menu()
        label = escape(_("Tugas saya"))
        if not jumlah:
            return str(label)
        keterangan = _("%(n)s tugas menunggu", n=jumlah)
        if terlambat:
            keterangan += ", " + _("%(n)s terlambat", n=terlambat)
        kelas = "lencana lencana-terlambat" if terlambat else "lencana"
        return str(Markup('{} <span class="{}" title="{}"><span aria-hidden="true">{}</span><span class="lewati">{}</span></span>')
                   .format(label, kelas, keterangan, jumlah, keterangan))

    def __str__(self):
        return str(_("Tugas saya"))
