"""Operations: Prometheus metrics at /metrics and JSON request logs without personal data."""


def pasang(app):
    from . import catatan, views

    views.pasang(app)
    catatan.pasang(app)
