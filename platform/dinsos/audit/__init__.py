"""The append-only audit log: who did or opened what, where, when, from where."""


def pasang(app):
    from .views import bp

    app.register_blueprint(bp)
