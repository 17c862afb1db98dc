"""Platform-wide pages: the office directory, health checks, the dashboard shell."""


def pasang(app):
    from .views import bp

    app.register_blueprint(bp)
