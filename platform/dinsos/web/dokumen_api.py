"""``/api/docs``: Swagger UI from the files the pinned ``swagger-ui-bundle`` package ships, under the site's CSP.

flask-smorest's own page loads Swagger UI from a CDN (unpinned scripts on the
staff origin) with an inline script, which the Content-Security-Policy
(``script-src 'self'``) blocks, so the page stayed blank. Here the page, the
library and its start-up script (``static/swagger-mulai.js``, no inline
script) all come from this site; only the files Swagger UI needs are served.
"""
from flask import Blueprint, abort, render_template, send_from_directory, url_for
from swagger_ui_bundle import swagger_ui_path

bp = Blueprint("dokumen_api", __name__, url_prefix="/api/docs")

ASET = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"}


@bp.get("", strict_slashes=False)
def halaman():
    return render_template("dokumen_api.html", url_spesifikasi=url_for("api-docs.openapi_json"))


@bp.get("/aset/<nama>")
def aset(nama):
    if nama not in ASET:
        abort(404)
    # Versioned with the pinned package; a day in the browser's cache is plenty.
    return send_from_directory(swagger_ui_path, nama, max_age=86400)
