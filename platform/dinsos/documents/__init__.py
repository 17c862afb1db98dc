"""Official documents: register and letter numbers, letters as PDF, their public verification.

Other capabilities call ``surat.terbitkan_surat`` to issue a letter and
register who may download letters about their objects with
``akses.daftar_pemeriksa_akses``; ``qr.svg_qr`` draws any QR code.
"""


def pasang(app):
    from .views import bp

    app.register_blueprint(bp)
