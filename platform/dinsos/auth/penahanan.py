"""Throttling password guesses per account *and* source, with backoff, instead of locking the account for everyone.

The old lockout counted failures per account: anyone who knew a staff
member's e-mail could lock her out of her own office by typing wrong
passwords five times every quarter hour. Now failures count per (account,
source address): past ``LOGIN_MAX_FAILURES`` from one address, that address
waits before its next try for that account, 1 minute, then 2, 4, 8... up to
``LOGIN_LOCK_MINUTES``; the owner at her own desk (another address) logs in as
usual, and a correct password from the held address still waits out the hold.
Guessing from many addresses at once is bounded by the per-address rate limit
(``LOGIN_RATE_LIMIT``) and argon2's cost.

The counters live where the rate limiter keeps its own (Redis, or memory
when embedded): they are short-lived and per deployment, like the limits.
An unknown e-mail is counted the same way (by its hash), so holds reveal
nothing about which accounts exist. When a hold starts, the account's owner
is told (``_beri_tahu_staf`` in the views) through whoever registered in
``SAAT_MASUK_DITAHAN`` (``notify``: the inbox and e-mail through the outbox; auth
does not import notify, which reads auth's accounts).
"""
import hashlib
import logging

from dinsos.core.extensions import limiter
from dinsos.core.registri import Registri

log = logging.getLogger(__name__)

# Who is told when a hold starts on a staff account: ``fungsi(akun, gagal, sumber)``. notify registers the
# inbox notice (auth cannot import notify: notify reads auth's accounts).
SAAT_MASUK_DITAHAN: Registri = Registri("auth.saat_masuk_ditahan")

JEDA_AWAL_DETIK = 60
JENDELA_GAGAL_DETIK = 24 * 3600  # failures are forgotten a day after the last one


def kunci(ruang: str, email: str, sumber: str | None) -> str:
    """The throttle key of (office or "admin", e-mail, source address); the e-mail is hashed."""
    sidik = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"dinsos/masuk/{ruang}/{sidik}/{sumber or '-'}"


def _penyimpanan():
    return limiter.storage


def tertahan(k: str) -> bool:
    """Whether this account is on hold for this source now."""
    try:
        return _penyimpanan().get(k + "/tahan") > 0
    except Exception:  # the store is unreachable: the per-address rate limit (in-memory fallback) still holds
        log.warning("login throttle store unavailable; not holding %s", k.rsplit("/", 1)[-1])
        return False


def jeda_detik(gagal: int, maks_gagal: int, menit_maks: int) -> int:
    """The hold after the ``gagal``-th failure: none below the threshold, then 1, 2, 4... minutes, capped."""
    if gagal < maks_gagal:
        return 0
    return min(JEDA_AWAL_DETIK * 2 ** (gagal - maks_gagal), menit_maks * 60)


def catat_gagal(k: str, *, maks_gagal: int, menit_maks: int) -> tuple[int, int]:
    """Count a failure; returns (failures so far, the hold it starts in seconds, 0 for none).

    The first hold of a series is the one at ``failures == maks_gagal``.
    """
    try:
        simpan = _penyimpanan()
        gagal = simpan.incr(k + "/gagal", JENDELA_GAGAL_DETIK)
        jeda = jeda_detik(gagal, maks_gagal, menit_maks)
        if jeda:
            simpan.clear(k + "/tahan")
            simpan.incr(k + "/tahan", jeda)
        return gagal, jeda
    except Exception:
        log.warning("login throttle store unavailable; failure not counted")
        return 0, 0


def ulang(k: str) -> None:
    """A successful login clears the source's count for that account."""
    try:
        simpan = _penyimpanan()
        simpan.clear(k + "/gagal")
        simpan.clear(k + "/tahan")
    except Exception:
        pass

