"""Notifications: the in-app inbox with its unread count, and delivery by e-mail and WhatsApp through the outbox."""
from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup, escape


def belum_dibaca_sekarang() -> int:
    """Unread notices of the logged-in staff member of this office; counted once per request."""
    if "notifikasi_belum_dibaca" not in g:
        tenant = getattr(g, "tenant", None)
        staf = tenant is not None and current_user.is_authenticated and getattr(current_user, "tenant_id", None) == tenant.id
        if staf:
            from dinsos.core.ui import hitungan_menu

            g.notifikasi_belum_dibaca = hitungan_menu("notifikasi_belum_dibaca")
        else:
            g.notifikasi_belum_dibaca = 0
    return g.notifikasi_belum_dibaca


class LabelMenu:
    """The menu entry's label: "Notifikasi" and the unread count, worked out only when the header is rendered."""

    def __html__(self):
        jumlah = belum_dibaca_sekarang()
        label = escape(_("Notifikasi"))
        if not jumlah:
            return str(label)
        keterangan = ngettext("%(num)d belum dibaca", "%(num)d belum dibaca", jumlah)
        return str(Markup('{} <span class="lencana" title="{}"><span aria-hidden="true">{}</span><span class="lewati">{}</span></span>')
                   .format(label, keterangan, jumlah, keterangan))

    def __str__(self):
        return str(_("Notifikasi"))


def _hitungan_menu(pengguna) -> dict:
    from .services import kueri_belum_dibaca

    return {"notifikasi_belum_dibaca": kueri_belum_dibaca(pengguna.id)}


def pasang(app):
    from dinsos.auth import pemulihan
    from dinsos.auth.penahanan import SAAT_MASUK_DITAHAN
    from dinsos.core.outbox import PENGOLAH_OUTBOX
    from dinsos.core.ui import tambah_hitungan_menu, tambah_menu_tenant

    from .kanal import PENGOLAH, email_aktif, kirim_tautan_pemulihan
    from .services import beri_tahu_masuk_ditahan
    from .views import bp

    for jenis, pengolah in PENGOLAH.items():  # delivery by e-mail and WhatsApp
        PENGOLAH_OUTBOX.daftar(jenis, pengolah)
    PENGOLAH_OUTBOX.daftar(pemulihan.JENIS_OUTBOX, kirim_tautan_pemulihan)  # auth's password-recovery link, by e-mail
    pemulihan.SALURAN_PEMULIHAN.daftar("email", email_aktif)
    SAAT_MASUK_DITAHAN.daftar("notifikasi", beri_tahu_masuk_ditahan)
    app.register_blueprint(bp)
    tambah_menu_tenant(app, LabelMenu(), "notifikasi.kotak_masuk")
    tambah_hitungan_menu(app, _hitungan_menu)
    tambah_menu_tenant(app, _l("Pengaturan notifikasi"), "notifikasi.pengaturan", izin="tenant.kelola_kontak", grup="kantor")

    @app.context_processor
    def _jumlah_notifikasi():
        return {"notifikasi_belum_dibaca": belum_dibaca_sekarang}
