"""The work queue ("Tugas saya"): what waits for each staff member, and the notices that hand work on."""


def pasang(app):
    from dinsos.cases.perubahan import SAAT_PERISTIWA_KASUS
    from dinsos.core.ui import tambah_hitungan_menu, tambah_menu_tenant, tambah_panel_dasbor

    from .menu import LabelMenu, angka_sekarang, hitungan, tugas_sekarang
    from .serah_terima import saat_peristiwa
    from .views import bp

    app.register_blueprint(bp)
    SAAT_PERISTIWA_KASUS.daftar("tugas", saat_peristiwa)
    tambah_menu_tenant(app, LabelMenu(), "tugas.daftar", izin="kasus.kerjakan", awal=True)
    tambah_hitungan_menu(app, hitungan)
    tambah_panel_dasbor(app, "tugas/_panel.html", izin="kasus.kerjakan", awal=True, data=tugas_sekarang)
    app.jinja_env.globals["angka_tugas"] = angka_sekarang
