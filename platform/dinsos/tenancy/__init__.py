"""Offices (tenants): who they are, and binding the current one to a request."""


def pasang(app):
    from .views import bp

    app.register_blueprint(bp)
