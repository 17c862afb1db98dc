"""Demo accounts for a local run: one per role in every office, ``<role>@<office>.demo``, and one platform admin."""
from sqlalchemy import select

from dinsos.auth import sesi_login
from dinsos.auth.models import AdminPlatform, Pengguna
from dinsos.auth.services import buat_admin_platform, buat_pengguna, hash_kata_sandi
from dinsos.core.db import db, sekarang
from dinsos.core.tenant import dalam_tenant, ruang_platform
from dinsos.izin import PERAN
from dinsos.tenancy.services import daftar_tenant

NAMA_DEMO = {
    "petugas_pelayanan": "Sri Wahyuni",
    "pekerja_sosial": "Hendra Saputra",
    "sakti_peksos": "Dimas Pratama",
    "fungsional_peksos": "Budi Santoso",
    "kepala_bidang": "Ratna Dewi",
    "kepala_dinas": "Agus Salim",
    "admin_tenant": "Admin Kantor",
}
EMAIL_ADMIN_PLATFORM = "admin@platform.demo"


def _admin_platform_demo(kata_sandi: str) -> None:
    """The demo platform admin, so /admin/onboarding is reachable on a first run."""
    with ruang_platform():  # admin accounts are readable and writable only there (row-level security)
        admin = db.session.scalar(select(AdminPlatform).where(AdminPlatform.email == EMAIL_ADMIN_PLATFORM))
        if admin is None:
            buat_admin_platform(EMAIL_ADMIN_PLATFORM, "Admin Platform Demo", kata_sandi)
        else:
            admin.hash_kata_sandi = hash_kata_sandi(kata_sandi)
        db.session.commit()


def buat_akun_demo(kata_sandi: str) -> list[str]:
    """Create (or reset the password of) the demo accounts; returns lines to print."""
    baris = [f"Kata sandi semua akun demo: {kata_sandi}"]
    _admin_platform_demo(kata_sandi)
    baris.append(f"  /admin/masuk  ->  admin platform: {EMAIL_ADMIN_PLATFORM}  (onboarding kantor: /admin/onboarding)")
    for tenant in daftar_tenant():
        with dalam_tenant(tenant.id):
            for peran in PERAN:
                email = f"{peran.replace('_', '.')}@{tenant.slug}.demo"
                akun = db.session.scalar(select(Pengguna).where(Pengguna.email == email))
                if akun is None:
                    buat_pengguna(email, NAMA_DEMO[peran], [peran], kata_sandi)
                else:
                    akun.hash_kata_sandi = hash_kata_sandi(kata_sandi)
                    sesi_login.akhiri_lainnya(akun, kini=sekarang(), alasan="kata_sandi")
            db.session.commit()
        baris.append(f"  /t/{tenant.slug}/masuk")
        baris += [f"      {peran:<18} {peran.replace('_', '.')}@{tenant.slug}.demo" for peran in PERAN]
    return baris
