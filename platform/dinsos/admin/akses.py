"""Who may use the platform-admin pages."""
from functools import wraps

from flask import abort, current_app
from flask_login import current_user


def perlu_admin_platform(fungsi):
    """View decorator: the login page for anonymous users, 403 for anyone but a platform admin.

    Staff sessions are anonymous outside their office's URLs, so under
    ``/admin`` only a platform admin's session counts.
    """

    @wraps(fungsi)
    def dibungkus(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_admin_platform:
            abort(403)
        return fungsi(*args, **kwargs)

    return dibungkus
