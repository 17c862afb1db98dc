"""The client's or guardian's consent to a referral, or a kepala bidang's override of it, recorded on the sender's side.

Who gave it, their relation to the client, how and when; a child cannot
consent alone (UU 27/2022). The receiver is told which of the two it was
(``ringkas_persetujuan``).
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dinsos.audit.services import catat_peristiwa
from dinsos.cases import klien as klien_svc
from dinsos.cases.baca import tanggal_lokal
from dinsos.cases.models import Kasus
from dinsos.core.db import db, sekarang
from dinsos.core.tenant import tenant_aktif
from dinsos.tenancy.models import Tenant

from .models import Rujukan
from .rujukan import KesalahanRujukan, catat_riwayat, kasus_rujukan, pastikan_boleh
from .status import LABEL

HUBUNGAN_PERSETUJUAN = {
    "klien": "Klien sendiri",
    "orang_tua": "Orang tua",
    "wali": "Wali",
    "pengasuh": "Pengasuh",
    "aparat_desa": "Aparat desa/lurah",
    "kepala_dinas_setempat": "Kepala dinas sosial setempat",
}
CARA_PERSETUJUAN = {
    "tertulis": "Surat persetujuan tertulis",
    "lisan": "Lisan, disaksikan petugas",
    "cap_jempol": "Cap jempol",
}


def periksa_persetujuan(data: dict | None, kasus: Kasus, pada: datetime) -> dict | None:
    """Check recorded consent (who, relation, how, when); None when none was given."""
    if not data or not any((data.get(k) or "") for k in ("nama", "hubungan", "cara", "tanggal")):
        return None
    k = {}
    nama = " ".join(str(data.get("nama") or "").split())[:200]
    if not nama:
        k["persetujuan.nama"] = "Nama pemberi persetujuan wajib diisi."
    if data.get("hubungan") not in HUBUNGAN_PERSETUJUAN:
        k["persetujuan.hubungan"] = f"Hubungan pemberi persetujuan harus salah satu dari: {', '.join(HUBUNGAN_PERSETUJUAN.values())}."
    elif data["hubungan"] == "klien" and klien_svc.adalah_anak(kasus.klien, tanggal_lokal(pada)):
        k["persetujuan.hubungan"] = "Klien masih anak: persetujuan harus dari orang tua, wali atau pihak yang berwenang (UU 27/2022)."
    if data.get("cara") not in CARA_PERSETUJUAN:
        k["persetujuan.cara"] = f"Cara persetujuan harus salah satu dari: {', '.join(CARA_PERSETUJUAN.values())}."
    tanggal = data.get("tanggal")
    try:
        tanggal = tanggal if isinstance(tanggal, date) else date.fromisoformat(str(tanggal or "").strip())
    except ValueError:
        k["persetujuan.tanggal"] = "Tanggal persetujuan tidak valid; tulis TTTT-BB-HH."
        tanggal = None
    if tanggal and tanggal > tanggal_lokal(pada):
        k["persetujuan.tanggal"] = "Tanggal persetujuan tidak boleh di masa depan."
    if k:
        raise KesalahanRujukan("Persetujuan belum benar: " + " ".join(k.values()), 422, k)
    zona = db.session.get(Tenant, tenant_aktif()).zona_waktu
    return {"nama": nama, "hubungan": data["hubungan"], "cara": data["cara"],
            "pada": datetime(tanggal.year, tanggal.month, tanggal.day, 12, tzinfo=ZoneInfo(zona))}


def ringkas_persetujuan(r: Rujukan) -> dict:
    """What the receiver is told about consent: who gave it and how, or that it was overridden and why."""
    if r.persetujuan_pada:
        return {"jenis": "persetujuan", "nama": r.persetujuan_nama, "hubungan": HUBUNGAN_PERSETUJUAN.get(r.persetujuan_hubungan),
                "cara": CARA_PERSETUJUAN.get(r.persetujuan_cara), "tanggal": r.persetujuan_pada.date().isoformat()}
    return {"jenis": "override", "alasan": r.override_alasan, "tanggal": r.override_pada.isoformat() if r.override_pada else None}


def setujui_override(r: Rujukan, *, pengguna, alasan: str, pada: datetime | None = None) -> None:
    """A kepala bidang allows a draft to go without the client's or guardian's consent, with a reason."""
    pada = pada or sekarang()
    pastikan_boleh(pengguna, "rujukan.override_persetujuan", "Hanya kepala bidang yang dapat memberi persetujuan pengganti (override).")
    if r.status != "draf":
        raise KesalahanRujukan(f"Persetujuan pengganti hanya untuk rujukan berstatus Draf; rujukan ini berstatus {LABEL[r.status]}.", 409)
    alasan = (alasan or "").strip()
    if not alasan:
        raise KesalahanRujukan("Alasan persetujuan pengganti wajib diisi.", 422, {"alasan": "Wajib diisi."})
    r.override_oleh_id, r.override_alasan, r.override_pada, r.diperbarui_pada = pengguna.id, alasan, pada, pada
    catat_riwayat("keluar", r.id, "override_persetujuan", status=r.status, pada=pada, aktor=pengguna, catatan=alasan)
    catat_peristiwa("override_persetujuan_rujukan", objek_jenis="rujukan", objek_id=r.id)


def catat_persetujuan(r: Rujukan, *, pengguna, persetujuan: dict, pada: datetime | None = None) -> None:
    """Record the client's or guardian's consent on a draft."""
    pada = pada or sekarang()
    pastikan_boleh(pengguna, "rujukan.kirim", "Anda tidak berwenang mengubah rujukan.")
    if r.status != "draf":
        raise KesalahanRujukan(f"Persetujuan dicatat sebelum rujukan dikirim; rujukan ini berstatus {LABEL[r.status]}.", 409)
    setuju = periksa_persetujuan(persetujuan, kasus_rujukan(r), pada)
    if setuju is None:
        raise KesalahanRujukan("Isi nama, hubungan, cara dan tanggal persetujuan.", 422, {"persetujuan": "Wajib diisi."})
    r.persetujuan_nama, r.persetujuan_hubungan = setuju["nama"], setuju["hubungan"]
    r.persetujuan_cara, r.persetujuan_pada, r.diperbarui_pada = setuju["cara"], setuju["pada"], pada
    catat_riwayat("keluar", r.id, "persetujuan_dicatat", status=r.status, pada=pada, aktor=pengguna)
    catat_peristiwa("catat_persetujuan_rujukan", objek_jenis="rujukan", objek_id=r.id, hubungan=setuju["hubungan"])
