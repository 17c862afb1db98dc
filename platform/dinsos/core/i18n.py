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

    def get_translations(self):
        from flask_babel import get_locale

        locale = get_locale()
        return self._katalog.get(str(locale) if locale else BAWAAN, NullTranslations())


def pilih_bahasa() -> str:
    """The user's language: ``?lang=``, then the session, then Indonesian."""
    kode = request.args.get("lang") if request else None
    if kode in BAHASA:
        session["bahasa"] = kode
        return kode
    kode = session.get("bahasa")
    return kode if kode in BAHASA else BAWAAN
