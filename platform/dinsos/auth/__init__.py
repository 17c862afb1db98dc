"""Staff accounts, roles and permissions, login sessions and API tokens."""


def pasang(app):
    from . import sesi
    from .api import blp
    from .views import bp, bp_admin

    sesi.pasang(app)
    app.register_blueprint(bp)
    app.register_blueprint(bp_admin)
    from dinsos.core.extensions import api

    api.register_blueprint(blp)
