"""Platform-wide pages: the office directory, health checks, the dashboard shell."""


def pasang(app):
    from .dokumen_api import bp as bp_dokumen_api
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(bp_dokumen_api)
