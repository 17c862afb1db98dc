"""The office's working calendar for a year (``/t/<slug>/pengaturan/kalender``) and deadline rows for templates."""
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from dinsos.catalogue.tampilan import NAMA_HARI
from dinsos.core.db import sekarang
from dinsos.core.errors import tolak
from dinsos.core.kalender import HARI, KalenderTidakValid
from dinsos.core.registri import Registri
from dinsos.core.ui import SINGKATAN_ZONA
from dinsos.izin import boleh, perlu_izin

from .services import kalender_tenant, status_tenggat, tenggat_induk

bp = Blueprint("sla", __name__, url_prefix="/t/<slug>/pengaturan/kalender")

# The years the holiday data and the deadline arithmetic are meant for.
TAHUN_MIN, TAHUN_MAKS = 2000, 2100

# The name of each kind of deadline (``Tenggat.objek_jenis``) on the deadline pages. Capabilities
# that start their own clocks register their kind here during set-up (referrals does).
JENIS_TENGGAT: Registri = Registri("jenis tenggat", {
    "langkah_kasus": _l("Langkah SOP"),
    "kasus": _l("Jangka waktu layanan"),
    "laporan_sosial": _l("Laporan sosial (UU 11/2012)"),
    "tindakan_kasus": _l("Keluaran dan tindakan kasus"),
    "pengaduan": _l("Penyelesaian pengaduan"),
    "langkah_pengaduan": _l("Langkah pengaduan"),
})
SUMBER_LIBUR = {
    "nasional": _l("Libur nasional"),
    "cuti_bersama": _l("Cuti bersama"),
    "daerah": _l("Libur kantor / daerah"),
}


def tenggat_untuk(induk_id) -> list[dict]:
    """The clocks of one case or complaint with their status now, for its page."""
    pada = sekarang()
    hasil = []
    for t in tenggat_induk(induk_id):
        jenis = _("Tinjauan berkala") if t.berulang else JENIS_TENGGAT.get(t.objek_jenis, t.objek_jenis)
        hasil.append({"t": t, "jenis": jenis, "status": status_tenggat(t, pada)})
    return hasil


def _tahun(teks: str | None, bawaan: int) -> int:
    if teks is None or teks == "":
        return bawaan
    teks = teks.strip()
    if not (teks.isdigit() and len(teks) == 4) or not TAHUN_MIN <= int(teks) <= TAHUN_MAKS:
        tolak(400, _("Tahun '%(t)s' tidak valid: tulis tahun empat angka antara %(a)s dan %(b)s, misalnya 2026.",
                     t=teks[:20], a=TAHUN_MIN, b=TAHUN_MAKS))
    return int(teks)


@bp.get("")
@perlu_izin("kalender.lihat")
def kalender(slug):
    """National holidays and cuti bersama of a year, the office's own additions and removals, working days per month."""
    tenant = g.tenant
    try:
        kal = kalender_tenant(tenant)
    except KalenderTidakValid as e:  # stored settings are checked on save; this guards older data
        tolak(409, _("Kalender kerja kantor ini tidak valid: %(e)s. Perbaiki di pengaturan kantor.", e=str(e)))
    hari_ini = sekarang().astimezone(ZoneInfo(tenant.zona_waktu)).date()
    tahun = _tahun(request.args.get("tahun"), hari_ini.year)
    libur = [
        {**h, "hari_tutup": not h["dibatalkan"] and not kal.jam_kerja.get(HARI[h["tanggal"].weekday()])}
        for h in kal.daftar_hari_libur(tahun)
    ]
    libur_nasional = {h["tanggal"] for h in libur if h["sumber"] != "daerah"}
    keterangan_kerja = {h["tanggal"]: h.get("keterangan") for h in tenant.hari_kerja_tambahan or []}
    kerja_tambahan = [
        {"tanggal": t, "keterangan": keterangan_kerja.get(t.isoformat()), "membatalkan_libur": t in libur_nasional}
        for t in sorted(kal.hari_kerja_tambahan) if t.year == tahun
    ]
    per_bulan = []
    for bulan in range(1, 13):
        awal = date(tahun, bulan, 1)
        akhir = date(tahun + (bulan == 12), bulan % 12 + 1, 1)
        hari = [awal + timedelta(days=i) for i in range((akhir - awal).days)]
        per_bulan.append({"bulan": awal, "kerja": sum(1 for h in hari if kal.adalah_hari_kerja(h)), "hari": len(hari)})
    return render_template(
        "sla/kalender.html", tahun=tahun, kal=kal, libur=libur, kerja_tambahan=kerja_tambahan, per_bulan=per_bulan,
        zona=f"{tenant.zona_waktu} ({SINGKATAN_ZONA.get(tenant.zona_waktu, tenant.zona_waktu)})",
        jam=[(NAMA_HARI[h], kal.jam_kerja.get(h)) for h in HARI], sumber=SUMBER_LIBUR,
        nama_hari=[NAMA_HARI[h] for h in HARI], boleh_ubah=boleh(current_user, "tenant.kelola_kontak"),
        jumlah={k: sum(1 for h in libur if h["sumber"] == k) for k in SUMBER_LIBUR},
        tahun_min=TAHUN_MIN, tahun_maks=TAHUN_MAKS,
    )
