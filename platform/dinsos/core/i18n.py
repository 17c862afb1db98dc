"""Indonesian first, English selectable.

Messages are written in Indonesian in the code; ``translations/en`` holds the
English catalogue as a ``.po`` file, compiled in memory at start-up so no
generated ``.mo`` file needs to be built or committed.
"""
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import request, session
from flask_babel import Domain

BAHASA = {"id": "Bahasa Indonesia", "en": "English"}
BAWAAN = "id"
_FOLDER = Path(__file__).resolve().parent.parent / "translations"


def _muat_katalog(kode: str):
    po = _FOLDER / kode / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        katalog = read_po(f, locale=kode)
    buf = BytesIO()
    write_mo(buf, katalog)
    buf.seek(0)
    return Translations(fp=buf)


class DomainPo(Domain):
    """A Flask-Babel domain that reads ``.po`` catalogues directly."""

    def __init__(self):
        super().__init__()
        self._katalog = {kode: _muat_katalog(kode) for kode in BAHASA if kode != BAWAAN}
        self._tanpa = NullTranslations()

    def get_translations(self):
        # Asked once per translated string (a page has a few hundred): the answer is kept in Flask-Babel's own
        # per-request slot, which its ``refresh()`` and ``force_locale`` clear (a private helper of flask-babel 4.0,
        # the version pyproject.toml pins).
        from flask_babel import _get_current_context, get_locale

        ctx = _get_current_context()
        terjemahan = getattr(ctx, "babel_translations", None)
        if terjemahan is None:
            locale = get_locale()
            terjemahan = self._katalog.get(str(locale) if locale else BAWAAN, self._tanpa)
            if ctx is not None:
                ctx.babel_translations = terjemahan
        return terjemahan


def pilih_bahasa() -> str:
    """The user's language: ``?lang=``, then the session, then Indonesian."""
    kode = request.args.get("lang") if request else None
    if kode in BAHASA:
        session["bahasa"] = kode
        return kode
    kode = session.get("bahasa")
    return kode if kode in BAHASA else BAWAAN
