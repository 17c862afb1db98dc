"""Password recovery by e-mail ("lupa kata sandi"): a single-use link that expires, and no account enumeration.

The link carries a token signed with the app's secret (itsdangerous, a salt of its own) that names the office,
the account and a fingerprint of the account's current password hash. No table holds it, and it is made only
when the e-mail leaves (the outbox row names the account, not the token). It stops working when it is older
than ``PEMULIHAN_SANDI_MENIT``, when the password changes (its own use included: single use) and when the
account is deactivated. The request page answers the same whether or not the address has an account here.

The e-mail itself is notify's (auth does not import notify, which reads auth's accounts): it registers the
outbox consumer of ``JENIS_OUTBOX`` and, in ``SALURAN_PEMULIHAN``, whether it can send at all.
"""
import hashlib
import hmac
import uuid
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from dinsos.audit.services import catat_peristiwa
from dinsos.core.db import db, sekarang
from dinsos.core.outbox import tulis_outbox
from dinsos.core.registri import Registri
from dinsos.core.tenant import tenant_aktif

from . import sesi_login
from .models import Pengguna
from .services import KesalahanAkun, email_sah, hash_kata_sandi

JENIS_OUTBOX = "akun.pemulihan_sandi"
# Channels that can carry the link: ``fungsi(config) -> bool`` (is it configured here). notify registers e-mail.
SALURAN_PEMULIHAN: Registri = Registri("auth.saluran_pemulihan")
_GARAM = "dinsos.pemulihan-sandi"


def _penanda():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_GARAM)


def _sidik(akun: Pengguna) -> str:
    return hashlib.sha256(akun.hash_kata_sandi.encode()).hexdigest()[:24]


def tersedia() -> bool:
    """Whether this deployment can send a recovery link at all (else the office admin resets passwords)."""
    return any(fungsi(current_app.config) for _nama, fungsi in SALURAN_PEMULIHAN.items())


def umur_menit() -> int:
    return int(current_app.config["PEMULIHAN_SANDI_MENIT"])


def buat_token(akun: Pengguna) -> str:
    return _penanda().dumps([akun.tenant_id, str(akun.id), _sidik(akun)])


def akun_dari_token(token: str) -> Pengguna | None:
    """The active account of the bound office that a recovery token is still good for, or None."""
    try:
        tenant_id, pid, sidik = _penanda().loads(token, max_age=umur_menit() * 60)
        pid = uuid.UUID(pid)
    except (BadSignature, ValueError, TypeError):
        return None
    if tenant_id != tenant_aktif():
        return None
    akun = db.session.scalar(select(Pengguna).where(Pengguna.id == pid))
    if akun is None or not akun.aktif or not hmac.compare_digest(_sidik(akun), str(sidik)):
        return None
    return akun


def minta_pemulihan(email: str, pada: datetime | None = None) -> None:
    """Queue the recovery e-mail when ``email`` is an active account of the bound office; the caller is told nothing.

    Requests for one account within the same ten minutes send one e-mail (the outbox key).
    """
    try:
        email = email_sah(email)
    except KesalahanAkun:
        return
    akun = db.session.scalar(select(Pengguna).where(func.lower(Pengguna.email) == email, Pengguna.aktif.is_(True)))
    if akun is None:
        return
    sepuluh_menit = (pada or sekarang()).strftime("%Y%m%d%H%M")[:-1]
    tulis_outbox(JENIS_OUTBOX, {"pengguna_id": str(akun.id)}, kunci=f"pemulihan-sandi:{akun.id}:{sepuluh_menit}")
    catat_peristiwa("pemulihan_sandi_diminta", objek_jenis="pengguna", objek_id=akun.id)


def pulihkan_kata_sandi(akun: Pengguna, baru: str) -> int:
    """Set the password chosen through a recovery link; every session of the account ends. Returns how many."""
    akun.hash_kata_sandi = hash_kata_sandi(baru)
    akun.wajib_ganti_sandi = False
    akun.gagal_masuk = 0
    berakhir = sesi_login.akhiri_lainnya(akun, kini=sekarang(), alasan="kata_sandi")
    catat_peristiwa("kata_sandi_dipulihkan", objek_jenis="pengguna", objek_id=akun.id, sesi_diakhiri=berakhir)
    return berakhir
