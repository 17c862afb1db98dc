"""Who may download a letter issued for a referral (the referral form, the cover letter of a repatriation)."""
from dinsos.izin import boleh

from .rujukan import muat_rujukan


def boleh_unduh_surat_rujukan(pengguna, objek_id: str) -> bool:
    """Staff of the sending office who may see referrals; the referral must be this office's."""
    return boleh(pengguna, "rujukan.lihat") and muat_rujukan(objek_id) is not None
