"""An office admin's staff management: the list, adding a member, deactivating, and resetting a password.

Plain functions over the bound tenant; the caller commits. Every change is audited here (never a password);
a new or reset password is a temporary one returned once, for the admin to hand over in person: it is
never stored in clear, never logged, and the member changes it after logging in.
"""
import secrets
import uuid

from sqlalchemy import func, select, update

from dinsos.audit.services import catat_peristiwa
from dinsos.core.db import db, sekarang
from dinsos.izin import PERAN

from . import sesi_login
from .models import Pengguna, TokenApi
from .services import KesalahanAkun, buat_pengguna, hash_kata_sandi

# Letters and digits nobody misreads when the admin reads the password out (no 0/O, 1/l/I).
_HURUF_SANDI = "abcdefghjkmnpqrstuvwxyz23456789"


def kata_sandi_sementara() -> str:
    """A temporary password: three groups of four (xxxx-xxxx-xxxx), about 59 bits."""
    return "-".join("".join(secrets.choice(_HURUF_SANDI) for _ in range(4)) for _ in range(3))


def daftar_staf() -> list[Pengguna]:
    """The office's staff, active ones first, then by name."""
    return list(db.session.scalars(select(Pengguna).order_by(Pengguna.aktif.desc(), Pengguna.nama)))


def ringkasan_staf() -> dict:
    """How many staff accounts are active and inactive (the office admin's dashboard tiles)."""
    baris = dict(db.session.execute(select(Pengguna.aktif, func.count()).group_by(Pengguna.aktif)).all())
    return {"aktif": baris.get(True, 0), "nonaktif": baris.get(False, 0)}


def muat_staf(pengguna_id) -> Pengguna:
    """One staff member of the bound office (tenant-scoped), or a refusal."""
    try:
        pid = pengguna_id if isinstance(pengguna_id, uuid.UUID) else uuid.UUID(str(pengguna_id))
    except ValueError:
        pid = None
    pengguna = pid and db.session.scalar(select(Pengguna).where(Pengguna.id == pid))
    if not pengguna:
        raise KesalahanAkun("Staf itu tidak ada di kantor ini.")
    return pengguna


def tambah_staf(*, email: str, nama: str, peran: list[str], nip: str | None = None) -> tuple[Pengguna, str]:
    """Add a staff member with a temporary password; returns (account, password) — the password only this once."""
    nama = (nama or "").strip()
    if not nama:
        raise KesalahanAkun("Nama wajib diisi.", "nama")
    sandi = kata_sandi_sementara()
    pengguna = buat_pengguna(email, nama, peran, sandi, nip=(nip or "").strip() or None)
    pengguna.wajib_ganti_sandi = True
    catat_peristiwa("staf_ditambahkan", objek_jenis="pengguna", objek_id=pengguna.id, peran=sorted(pengguna.peran))
    return pengguna, sandi


def ubah_staf(pengguna: Pengguna, *, nama: str, nip: str | None, peran: list[str], oleh) -> list[str]:
    """Change a member's name, NIP and roles; returns the names of what changed (audited, values of roles only).

    An admin cannot take the office admin role from herself, so an office always keeps an admin.
    """
    nama, nip = (nama or "").strip(), (nip or "").strip() or None
    if not nama:
        raise KesalahanAkun("Nama wajib diisi.", "nama")
    tidak_dikenal = [p for p in peran if p not in PERAN]
    if not peran or tidak_dikenal:
        raise KesalahanAkun(f"Peran tidak dikenal: {', '.join(tidak_dikenal) or '(kosong)'}.", "peran")
    if pengguna.id == oleh.id and "admin_tenant" in pengguna.peran and "admin_tenant" not in peran:
        raise KesalahanAkun("Anda tidak dapat melepas peran Admin kantor dari akun Anda sendiri; minta admin lain.", "peran")
    peran = sorted(set(peran))
    berubah = [k for k, lama, baru in (("nama", pengguna.nama, nama), ("nip", pengguna.nip, nip),
                                       ("peran", sorted(pengguna.peran), peran)) if lama != baru]
    if berubah:
        catat_peristiwa("staf_diubah", objek_jenis="pengguna", objek_id=pengguna.id, bidang=berubah,
                        **({"peran_lama": sorted(pengguna.peran), "peran_baru": peran} if "peran" in berubah else {}))
        pengguna.nama, pengguna.nip, pengguna.peran = nama, nip, peran
    return berubah


def _akhiri_akses(pengguna: Pengguna, alasan: str) -> int:
    """End every login session of the account (its holder must log in again); returns how many ended."""
    return sesi_login.akhiri_lainnya(pengguna, kini=sekarang(), alasan=alasan, kecuali=None)


def nonaktifkan_staf(pengguna: Pengguna, *, oleh) -> None:
    """Deactivate a member: no login, no open session, no API token. One's own account is refused, so an
    office always keeps the admin doing this."""
    if pengguna.id == oleh.id:
        raise KesalahanAkun("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    if not pengguna.aktif:
        raise KesalahanAkun(f"{pengguna.nama} sudah nonaktif.")
    pengguna.aktif = False
    sesi = _akhiri_akses(pengguna, "dinonaktifkan")
    token = db.session.execute(
        update(TokenApi).where(TokenApi.pengguna_id == pengguna.id, TokenApi.dicabut_pada.is_(None))
        .values(dicabut_pada=sekarang()).execution_options(synchronize_session=False)
    ).rowcount
    catat_peristiwa("staf_dinonaktifkan", objek_jenis="pengguna", objek_id=pengguna.id, sesi_diakhiri=sesi, token_dicabut=token)


def aktifkan_staf(pengguna: Pengguna) -> None:
    """Let a deactivated member log in again (with the password they had; reset it if it was lost)."""
    if pengguna.aktif:
        raise KesalahanAkun(f"{pengguna.nama} sudah aktif.")
    pengguna.aktif = True
    catat_peristiwa("staf_diaktifkan", objek_jenis="pengguna", objek_id=pengguna.id)


def atur_ulang_kata_sandi(pengguna: Pengguna, *, oleh) -> str:
    """Give a member a temporary password (returned once) and end their sessions; one's own password is changed
    on the account page, with the old one."""
    if pengguna.id == oleh.id:
        raise KesalahanAkun("Ganti kata sandi Anda sendiri lewat halaman akun (Ganti kata sandi).")
    if not pengguna.aktif:
        raise KesalahanAkun(f"{pengguna.nama} nonaktif; aktifkan dulu akunnya.")
    sandi = kata_sandi_sementara()
    pengguna.hash_kata_sandi = hash_kata_sandi(sandi)
    pengguna.wajib_ganti_sandi = True
    sesi = _akhiri_akses(pengguna, "kata_sandi_diatur_ulang")
    catat_peristiwa("kata_sandi_diatur_ulang", objek_jenis="pengguna", objek_id=pengguna.id, sesi_diakhiri=sesi)
    return sandi
