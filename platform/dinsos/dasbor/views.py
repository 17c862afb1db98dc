"""``/t/<slug>/dasbor/tenggat``: the heads' deadline page; and the dashboard panel's figures."""
from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from dinsos.cases.pelacak import nama_pendek
from dinsos.core.db import sekarang
from dinsos.core.errors import tolak
from dinsos.izin import boleh, perlu_izin
from dinsos.sla.views import JENIS_TENGGAT

from . import services as svc
from .grafik import grafik_mutu_baku, teks_menit

bp = Blueprint("dasbor", __name__, url_prefix="/t/<slug>/dasbor")


def ringkasan_panel() -> dict:
    """The user's own running deadlines, and for heads of division/office the whole office's."""
    saya, kantor = svc.ringkasan_saya_dan_kantor(sekarang(), current_user.id, boleh(current_user, "tenggat.pantau"))
    return {"saya": saya, "kantor": kantor}


@bp.get("/tenggat")
@perlu_izin("tenggat.pantau")
def tenggat(slug):
    """Due today, overdue, at risk; workload per assignee; the month's on-time rates and time standards."""
    pada = sekarang()
    try:
        bulan = svc.baca_bulan(request.args.get("bulan"), pada)
    except svc.BulanTidakValid as e:
        tolak(400, str(e))
    langkah = svc.ketepatan_langkah(bulan)
    grafik = grafik_mutu_baku(
        # The step first: a label cut short must still say which step (the service is the same on most bars).
        [{"label": f"{nama_pendek({'kode': b['kode'] or '-'})} · {b['layanan']}", "aktual": b["median_aktual"],
          "standar": b["median_standar"]} for b in langkah],
        _("Median waktu nyata dan standar waktu per langkah SOP, %(b)s", b=bulan.teks), "grafik-mutu-baku",
        (_("standar"), _("median nyata (dalam standar)"), _("melebihi standar")),
    ) if langkah else None
    return render_template(
        "dasbor/tenggat.html", pada=pada, bulan=bulan, ringkasan=svc.ringkasan(pada),
        daftar={k: svc.baris_tenggat(svc.daftar(k, pada), pada) for k in svc.DAFTAR}, batas=svc.BATAS_DAFTAR,
        beban=svc.beban_kerja(pada), layanan=svc.ketepatan_layanan(bulan), langkah=langkah, grafik=grafik,
        jenis_tenggat=JENIS_TENGGAT, teks_menit=teks_menit,
    )
