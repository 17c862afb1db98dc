"""One guard for odd bytes in every request, before anything reads them.

PostgreSQL refuses NUL in text and Python refuses to encode a lone UTF-16
surrogate, so such a character in a path segment, a query string, a form
field or a JSON body used to reach the database (or its driver) and answer
500, some of them before any login. Instead of patching each view, the guard
runs first on every request (ahead of the office binding, which already looks
the slug up) and refuses with a 400 that names the place: "the address",
"parameter 'q'", "field 'nama'", "JSON at 'klien.nama'". Uploaded files'
contents are left alone (a scan may hold any byte); their names are checked.
A JSON body Python cannot read (an integer of more than 4,300 digits) is
refused here too, with the same kind of message.
"""
import json
import re

from flask import request
from flask_babel import gettext as _

from .errors import tolak

# NUL, and the surrogate halves that are not characters on their own (from JSON's \ud800 escapes).
_TIDAK_SAH = re.compile("[\x00\ud800-\udfff]")


def tidak_sah(teks) -> bool:
    """True for text holding a character no text column can store."""
    return isinstance(teks, str) and _TIDAK_SAH.search(teks) is not None


def _tolak_di(tempat: str):
    tolak(400, _("Permintaan ditolak: %(tempat)s berisi karakter NUL atau karakter tidak sah. Hapus karakter itu lalu kirim lagi.",
                 tempat=tempat))


def _periksa_json(isi, jalur: str = "") -> str | None:
    """The dotted path of the first string (key or value) in a JSON document holding a forbidden character."""
    if isinstance(isi, dict):
        for kunci, nilai in isi.items():
            tempat = f"{jalur}.{kunci}" if jalur else str(kunci)
            if tidak_sah(kunci):
                return tempat
            if (salah := _periksa_json(nilai, tempat)) is not None:
                return salah
    elif isinstance(isi, list):
        for i, nilai in enumerate(isi):
            if (salah := _periksa_json(nilai, f"{jalur}[{i}]")) is not None:
                return salah
    elif tidak_sah(isi):
        return jalur or "(dokumen)"
    return None


def periksa_permintaan(endpoint=None, values=None):
    """Refuse the request (400) when any part of it holds NUL or a lone surrogate; see the module docstring."""
    if tidak_sah(request.path):
        _tolak_di(_("alamat (URL)"))
    for nama, nilai in request.args.items(multi=True):
        if tidak_sah(nama) or tidak_sah(nilai):
            _tolak_di(_("parameter '%(nama)s'", nama=nama.replace("\x00", "\\0")))
        if not nama:  # "?=x": no schema can name it, so it would pass every check unseen
            tolak(400, _("Permintaan ditolak: ada parameter tanpa nama pada alamat (mis. '?=nilai')."))
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        _periksa_badan()


def _periksa_badan():
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for nama, nilai in request.form.items(multi=True):
            if tidak_sah(nama) or tidak_sah(nilai):
                _tolak_di(_("isian '%(nama)s'", nama=nama.replace("\x00", "\\0")))
        for nama, berkas in request.files.items(multi=True):
            if tidak_sah(nama) or tidak_sah(berkas.filename):
                _tolak_di(_("nama berkas pada isian '%(nama)s'", nama=nama.replace("\x00", "\\0")))
    elif request.is_json:
        mentah = request.get_data(cache=True)
        if not mentah:
            return
        try:
            isi = json.loads(mentah)
        except ValueError as e:
            if "digits" in str(e):  # Python's limit on integer digits (int_max_str_digits)
                tolak(400, _("Permintaan ditolak: JSON berisi bilangan yang terlalu panjang."))
            return  # malformed JSON: the API's own parser answers it, naming the problem
        if (tempat := _periksa_json(isi)) is not None:
            _tolak_di(_("JSON pada '%(tempat)s'", tempat=tempat.replace("\x00", "\\0")))


def pasang(app):
    # A URL value preprocessor, not a before_request: those run after the preprocessors, and the office
    # binding (a preprocessor registered after this one) already reads the slug from the database.
    app.url_value_preprocessor(periksa_permintaan)
