"""Official documents: register and letter numbers, letters as PDF, their public verification."""


def pasang(app):
    pass
