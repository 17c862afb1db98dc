"""Referrals between offices, and the provincial oversight of them (see README.md in this folder)."""
from flask_babel import lazy_gettext as _l

# Timeline labels of the events referrals put on a case.
LABEL_PERISTIWA_KASUS = {
    "rujukan_dikirim": _l("Rujukan dikirim"),
    "rujukan_diterima_tujuan": _l("Rujukan sampai di kantor tujuan"),
    "rujukan_perlu_info": _l("Kantor tujuan meminta informasi tambahan"),
    "rujukan_diterima": _l("Rujukan diterima"),
    "rujukan_ditolak": _l("Rujukan ditolak"),
    "rujukan_ditarik": _l("Rujukan ditarik"),
    "rujukan_selesai": _l("Rujukan selesai"),
    "dari_rujukan": _l("Kasus dibuka dari rujukan"),
}


def pasang(app):
    """Pages, API, menus; and what referrals add to other capabilities, each through its named registry
    (the list is in README.md, "What it registers where")."""
    from dinsos.cases.kelola import saat_kasus_ditutup
    from dinsos.cases.views import LABEL_PERISTIWA, PANEL_KASUS
    from dinsos.core.errors import daftar_bentrok
    from dinsos.core.extensions import api
    from dinsos.core.outbox import PENGOLAH_OUTBOX
    from dinsos.core.ui import tambah_menu_tenant, tambah_panel_dasbor
    from dinsos.documents.akses import daftar_pemeriksa_akses
    from dinsos.sla.services import daftar_penerima_luar
    from dinsos.sla.views import JENIS_TENGGAT

    from . import pengiriman
    from .akses import boleh_unduh_surat_rujukan
    from .api import blp
    from .penerimaan import OBJEK_TENGGAT, setelah_kasus_ditutup
    from .views import bp, jumlah_masuk_menunggu, panel_kasus

    app.register_blueprint(bp)
    api.register_blueprint(blp)
    daftar_bentrok("uq_rujukan_terbuka", _l("Kasus ini sudah memiliki rujukan yang menunggu jawaban (dibuat bersamaan); "
                                            "tarik rujukan itu lebih dulu bila perlu merujuk ulang."),
                   kolom="rujukan.tenant_id, rujukan.kasus_id")
    tambah_menu_tenant(app, _l("Rujukan keluar"), "rujukan.keluar_daftar", "rujukan.lihat", grup="rujukan")
    tambah_menu_tenant(app, _l("Rujukan masuk"), "rujukan.masuk_daftar", "rujukan.lihat", grup="rujukan")
    tambah_menu_tenant(app, _l("Mitra rujukan"), "rujukan.mitra", "rujukan.kelola_mitra", grup="rujukan")
    tambah_menu_tenant(app, _l("Pengaturan rujukan"), "rujukan.pengaturan", "rujukan.atur", grup="rujukan")
    # Oversight is for province offices only; the menu has no notion of office level, the dashboard panel does.
    tambah_panel_dasbor(app, "rujukan/_panel_pengawasan.html", "pengawasan.lihat")
    tambah_panel_dasbor(app, "rujukan/_panel_dasbor.html", "rujukan.tanggapi", data=jumlah_masuk_menunggu)
    PANEL_KASUS.daftar("rujukan", ("rujukan/_kasus.html", panel_kasus))
    # Delivery between the two offices runs through the outbox.
    for jenis, pengolah in pengiriman.PENGOLAH.items():
        PENGOLAH_OUTBOX.daftar(jenis, pengolah)
    # The case timeline's labels of the events referrals put on a case.
    for jenis, label in LABEL_PERISTIWA_KASUS.items():
        LABEL_PERISTIWA.daftar(jenis, label)
    # The deadline pages' name of the answer time of an incoming referral.
    JENIS_TENGGAT.daftar(OBJEK_TENGGAT, _l("Tanggapan rujukan masuk"))
    saat_kasus_ditutup("rujukan", setelah_kasus_ditutup)
    daftar_penerima_luar(OBJEK_TENGGAT, pengiriman.eskalasi_ke_provinsi)
    daftar_pemeriksa_akses("rujukan", boleh_unduh_surat_rujukan)
