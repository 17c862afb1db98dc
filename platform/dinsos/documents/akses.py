"""Who may download a letter: decided by the capability that owns the letter's object.

Documents do not know the rules of cases, referrals or complaints. Each of
those registers a checker for its ``objek_jenis``; a letter is shown only when
the checker of its object says yes. No checker means no access (fail closed).
"""
from collections.abc import Callable

PemeriksaAkses = Callable[[object, str], bool]

_PEMERIKSA: dict[str, PemeriksaAkses] = {}


def daftar_pemeriksa_akses(objek_jenis: str, fungsi: PemeriksaAkses) -> None:
    """Register ``fungsi(pengguna, objek_id) -> bool`` for letters about ``objek_jenis``.

    ``objek_id`` is passed as stored on the letter: a string. Registering the
    same kind again replaces the checker (an app factory may run more than once).
    """
    if not objek_jenis:
        raise ValueError("objek_jenis must not be empty")
    _PEMERIKSA[objek_jenis] = fungsi


def boleh_akses_objek(pengguna, objek_jenis: str, objek_id: str) -> bool:
    """True when ``pengguna`` may see the object, per its registered checker; False without one."""
    fungsi = _PEMERIKSA.get(objek_jenis)
    if fungsi is None or pengguna is None or not pengguna.is_authenticated:
        return False
    return bool(fungsi(pengguna, objek_id))
