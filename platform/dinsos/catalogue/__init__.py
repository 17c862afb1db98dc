"""Service catalogues as data: each office's Standar Pelayanan and SOP, versioned."""


def pasang(app):
    pass
