"""Roles and permissions, in one place.

Roles come from the seeds' actors. A permission names an action; ``IZIN``
says which roles hold it. Views ask ``boleh(user, izin)`` or use
``perlu_izin``; nothing else decides access.

Its own module, not part of ``auth``: every capability's pages check
permissions, including the ones ``auth`` itself builds on (``audit``,
``tenancy``), so the table sits below all of them and imports none.
"""
from functools import wraps

from flask import abort, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

PERAN = {
    "petugas_pelayanan": _l("Petugas Pelayanan (Front Office)"),
    "pekerja_sosial": _l("Pekerja Sosial / Pendamping"),
    # Satuan Bakti Pekerja Sosial: Kemensos' social workers placed in the office (Metro's ABH seed lists them).
    "sakti_peksos": _l("Sakti Peksos"),
    "fungsional_peksos": _l("Fungsional Pekerja Sosial"),
    "kepala_bidang": _l("Kepala Bidang"),
    "kepala_dinas": _l("Kepala Dinas"),
    "admin_tenant": _l("Admin kantor"),
}

STAF_LAYANAN = {"petugas_pelayanan", "pekerja_sosial", "sakti_peksos", "fungsional_peksos", "kepala_bidang", "kepala_dinas"}
PIMPINAN = {"kepala_bidang", "kepala_dinas"}

IZIN: dict[str, set[str]] = {
    "dasbor.lihat": STAF_LAYANAN | {"admin_tenant"},
    "kasus.terima": {"petugas_pelayanan", "pekerja_sosial", "fungsional_peksos", "kepala_bidang"},
    "kasus.lihat": STAF_LAYANAN,
    "kasus.kerjakan": STAF_LAYANAN,
    "kasus.tugaskan": PIMPINAN,
    "kasus.lihat_semua_identitas": PIMPINAN,
    "rujukan.kirim": {"pekerja_sosial", "fungsional_peksos", "kepala_bidang"},
    "rujukan.tanggapi": {"petugas_pelayanan", "pekerja_sosial", "fungsional_peksos", "kepala_bidang"},
    "rujukan.override_persetujuan": {"kepala_bidang"},
    "rujukan.lihat": STAF_LAYANAN,
    "rujukan.kelola_mitra": {"kepala_bidang", "admin_tenant"},
    "rujukan.atur": {"kepala_dinas", "admin_tenant"},
    "pengawasan.lihat": PIMPINAN | {"admin_tenant", "fungsional_peksos"},
    "pengaduan.lihat": STAF_LAYANAN,
    "pengaduan.kelola": {"petugas_pelayanan", "kepala_bidang", "kepala_dinas"},
    "survei.lihat": PIMPINAN | {"admin_tenant"},
    "survei.atur": {"kepala_dinas", "admin_tenant"},
    "tenant.kelola_kontak": {"admin_tenant"},
    "pengguna.kelola": {"admin_tenant"},
    "kalender.lihat": PIMPINAN | {"admin_tenant"},
    "tenggat.pantau": PIMPINAN,
    "audit.lihat": {"admin_tenant", "kepala_dinas"},
    # The register book and the recaps (issue 17); a province's heads see its kabupaten/kota's counts with it.
    "laporan.lihat": PIMPINAN | {"admin_tenant"},
}


def boleh(pengguna, izin: str) -> bool:
    """True when the user holds a role that grants ``izin``."""
    if izin not in IZIN:
        raise KeyError(f"unknown permission {izin!r}")
    if pengguna is None or not pengguna.is_authenticated:
        return False
    return bool(set(getattr(pengguna, "peran", ()) or ()) & IZIN[izin])


def perlu_izin(izin: str):
    """View decorator: 401 for anonymous users, 403 without the permission."""
    if izin not in IZIN:
        raise KeyError(f"unknown permission {izin!r}")

    def dekorator(fungsi):
        @wraps(fungsi)
        def dibungkus(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not boleh(current_user, izin):
                abort(403)
            return fungsi(*args, **kwargs)

        return dibungkus

    return dekorator
