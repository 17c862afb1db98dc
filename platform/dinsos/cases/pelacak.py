"""The case page's step tracker and its one primary action: where the case stands, and what this user does next.

Plain data from a case, its SOP version, the staff names and the user. The
page shows "Langkah 4 dari 8", every SOP step as done / current / upcoming
(or skipped by a branch) with its actor and time standard, and the single
action the user came for; the other actions stay secondary.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from dinsos.core.db import db
from dinsos.izin import PERAN, boleh

from . import akses
from .models import Kasus


@dataclass
class LangkahPelacak:
    urutan: int
    kode: str
    nama: str
    kegiatan: str
    status: str  # selesai, berjalan, akan_datang, dilewati
    pelaksana: str  # who did it (done), whose turn it is (current), or which roles will (upcoming)
    waktu: str | None


def nama_pendek(definisi: dict) -> str:
    """A step's short name: the SOP's ``nama``, else its code in words ("register-kasus" -> "Register kasus")."""
    if definisi.get("nama"):
        return definisi["nama"]
    teks = definisi["kode"].replace("-", " ").replace("_", " ").strip()
    return teks[:1].upper() + teks[1:]


def pelacak(kasus: Kasus, isi_versi: dict, staf: dict) -> dict:
    """The tracker: {"langkah": [LangkahPelacak], "ke": current step's number or None, "jumlah": n, "semua_selesai": bool}."""
    sop = isi_versi["sop"]["langkah"]
    terakhir = {}
    for run in kasus.langkah:  # a step may run again (branch back, reopening): its last run tells
        terakhir[run.kode] = run
    sudah_lewat = max((i for i, d in enumerate(sop) if d["kode"] in terakhir), default=-1)
    hasil, ke = [], None
    for i, d in enumerate(sop):
        run = terakhir.get(d["kode"])
        if run is not None and run.status == "berjalan":
            status, ke = "berjalan", i + 1
            orang = staf.get(run.penanggung_jawab_id) or akses.label_pelaksana(d)
        elif run is not None and run.status == "selesai":
            status, orang = "selesai", staf.get(run.dikerjakan_oleh_id) or ""
        elif run is not None:
            status, orang = "dilewati", ""
        else:
            status = "dilewati" if i < sudah_lewat else "akan_datang"
            orang = akses.label_pelaksana(d)
        hasil.append(LangkahPelacak(i + 1, d["kode"], nama_pendek(d), d.get("kegiatan") or d["kode"], status, orang, d.get("waktu")))
    semua_selesai = (kasus.status in ("berjalan", "dijeda") and kasus.langkah_kode is None and bool(kasus.langkah)
                     and all(l.status != "berjalan" for l in kasus.langkah))
    return {"langkah": hasil, "ke": ke, "jumlah": len(sop), "semua_selesai": semua_selesai}


def aksi_utama(kasus: Kasus, pengguna, *, bisa_langkah: bool, bisa_urus: bool, semua_selesai: bool) -> str | None:
    """The one thing this user does next on this case, or None when nothing waits for them here.

    ``langkah``: record the current step; ``lanjutkan``: resume a paused case; ``persyaratan``: complete the
    file; ``tugaskan``: a head assigns an unassigned case (before recording its step); ``tutup``: every step is done, close it.
    """
    if kasus.status == "ditutup":
        return None
    if kasus.status == "dijeda":
        return "lanjutkan" if bisa_urus else None
    if kasus.status == "berkas_belum_lengkap":
        return "persyaratan" if boleh(pengguna, "kasus.kerjakan") else None
    if semua_selesai:
        return "tutup" if bisa_urus else None
    # A head opening a case nobody is assigned to hands it out first: who does the rest follows from it.
    if kasus.penanggung_jawab_id is None and boleh(pengguna, "kasus.tugaskan"):
        return "tugaskan"
    if bisa_langkah:
        return "langkah"
    return None


def pilihan_staf(staf: list) -> list[tuple[str, str]]:
    """A staff picker's options: empty first (nobody is chosen for the user), then each person with role and open cases."""
    beban = dict(db.session.execute(
        select(Kasus.penanggung_jawab_id, func.count()).where(Kasus.status != "ditutup", Kasus.penanggung_jawab_id.is_not(None))
        .group_by(Kasus.penanggung_jawab_id)).all())
    pilihan = [("", _("— pilih petugas —"))]
    for p in staf:
        peran = ", ".join(str(PERAN.get(r, r)) for r in p.peran)
        pilihan.append((str(p.id), _("%(nama)s — %(peran)s, %(n)s kasus terbuka", nama=p.nama, peran=peran, n=beban.get(p.id, 0))))
    return pilihan
