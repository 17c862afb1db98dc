"""Andi's journey (JOURNEYS.md), through the HTTP endpoints only: a new region onboarded without code.

Kabupaten Kepulauan Selayar (WITA, Asia/Makassar) under a new Provinsi
Sulawesi Selatan: Andi creates both offices, uploads the kabupaten's files,
sees what is wrong (file, line, path) until it validates, looks at the public
page, publishes, and its deadlines run on Makassar time.
"""
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dinsos.audit.models import CatatanAudit
from dinsos.core.db import db
from dinsos.core.kalender import parse_waktu
from dinsos.core.tenant import lintas_tenant
from dinsos.sla.services import kalender_tenant
from dinsos.tenancy.models import Tenant
from dinsos_uji.bantuan import revisi_draf, token_csrf

TENANTS = Path(__file__).resolve().parents[2] / "tenants"

SLUG = "kabupaten-kepulauan-selayar"
PROVINSI = "provinsi-sulawesi-selatan"

TENANT_YAML = f"""\
# Dinas Sosial Kabupaten Kepulauan Selayar, dari keputusan kepala dinas (data uji).
slug: {SLUG}
nama: Dinas Sosial Kabupaten Kepulauan Selayar
tingkat: kabupaten
provinsi_induk: {PROVINSI}
kode_wilayah: "73.01"
zona_waktu: Asia/Makassar
alamat: Jalan Jenderal Sudirman, Benteng, Kepulauan Selayar
kanal_kontak:
  - jenis: email
    nilai: dinsos@kepulauanselayarkab.go.id
  - jenis: whatsapp
    nilai: "081234567890"
kepala_dinas: null
kop_surat:
  baris:
    - PEMERINTAH KABUPATEN KEPULAUAN SELAYAR
    - DINAS SOSIAL
format_nomor:
  register: "460/{{n}}/DINSOS-SLY/{{yyyy}}"
  surat: "400.9/{{n}}/DINSOS-SLY/{{yyyy}}"
jam_kerja:
  senin: "07:30-16:00"
  selasa: "07:30-16:00"
  rabu: "07:30-16:00"
  kamis: "07:30-16:00"
  jumat: "07:30-16:30"
hari_libur_daerah: []
hari_kerja_tambahan: []
maklumat: Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan.
"""


def layanan_selayar() -> str:
    """Selayar's service, written from its (test) decree in the same format as Magetan's."""
    teks = (TENANTS / "kabupaten-magetan/services/pengiriman-anjal-at.yaml").read_text(encoding="utf-8")
    return (teks.replace("Kabupaten Magetan", "Kabupaten Kepulauan Selayar")
                .replace("dinsos.magetan.go.id", "dinsos.kepulauanselayarkab.go.id")
                .replace("dinsos@magetan.go.id", "dinsos@kepulauanselayarkab.go.id")
                .replace("dinsos_magetan", "dinsos_selayar")
                .replace("ditetapkan_di: Magetan", "ditetapkan_di: Benteng"))


def zip_folder(berkas: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for nama, isi in berkas.items():
            zf.writestr(f"{SLUG}/{nama}", isi)
    return buf.getvalue()


def teks(r) -> str:
    return r.get_data(as_text=True)


def buat_kantor(klien, **isian) -> str:
    halaman = teks(klien.get("/admin/onboarding/baru"))
    r = klien.post("/admin/onboarding/baru", data={"csrf_token": token_csrf(halaman), **isian})
    assert r.status_code == 302, teks(r)
    return r.headers["Location"]


def terbitkan(klien, slug):
    halaman = teks(klien.get(f"/admin/onboarding/draf/{slug}"))
    assert "Semua berkas valid." in halaman
    r = klien.post(f"/admin/onboarding/draf/{slug}/terbitkan",
                   data={"csrf_token": token_csrf(halaman), "revisi": revisi_draf(halaman)})
    assert r.status_code == 302 and r.headers["Location"].endswith("/admin/onboarding")
    return teks(klien.get(r.headers["Location"]))


def test_andi_menambah_daerah_baru_tanpa_menulis_kode(app, admin):
    klien = admin
    # The province first: the kabupaten's parent must be on the platform.
    lokasi = buat_kantor(klien, slug=PROVINSI, nama="Dinas Sosial Provinsi Sulawesi Selatan", tingkat="provinsi",
                         provinsi_induk="", kode_wilayah="73", zona_waktu="Asia/Makassar")
    assert lokasi.endswith(f"/admin/onboarding/draf/{PROVINSI}")
    assert "Dinas Sosial Provinsi Sulawesi Selatan diterbitkan" in terbitkan(klien, PROVINSI)

    lokasi = buat_kantor(klien, slug=SLUG, nama="Dinas Sosial Kabupaten Kepulauan Selayar", tingkat="kabupaten",
                         provinsi_induk=PROVINSI, kode_wilayah="73.01", zona_waktu="Asia/Makassar")
    draf = teks(klien.get(lokasi))

    # He uploads the folder he typed from the decree; one step's time standard is wrong.
    salah = layanan_selayar().replace("      waktu: 1 jam\n", "      waktu: sejam\n", 1)
    baris_salah = salah[: salah.index("waktu: sejam")].count("\n") + 1
    r = klien.post(f"{lokasi}/unggah", content_type="multipart/form-data", data={
        "csrf_token": token_csrf(draf), "revisi": revisi_draf(draf),
        "berkas": (io.BytesIO(zip_folder({"tenant.yaml": TENANT_YAML, "services/pengiriman-anjal-at.yaml": salah})),
                   "selayar.zip"),
    })
    assert r.status_code == 302
    draf = teks(klien.get(lokasi))
    assert "1 kesalahan. Draf belum dapat diterbitkan." in draf
    baris = re.search(r"<tr>\s*<td><a [^>]*>(services/pengiriman-anjal-at\.yaml)</a></td>\s*<td>(\d+)</td>\s*"
                      r"<td><code>([^<]+)</code></td>\s*<td>([^<]+)</td>", draf)
    assert baris.groups()[:3] == ("services/pengiriman-anjal-at.yaml", str(baris_salah), "sop.langkah[3].waktu")
    assert "Standar waktu &#39;sejam&#39; tidak dapat dibaca" in baris[4]
    assert f"/berkas/services/pengiriman-anjal-at.yaml#baris-{baris_salah}" in draf
    assert "/terbitkan" not in draf  # no publish button while it does not validate

    # He fixes the line in the text area.
    url_berkas = f"{lokasi}/berkas/services/pengiriman-anjal-at.yaml"
    halaman = teks(klien.get(url_berkas))
    assert f'id="baris-{baris_salah}" class="baris-salah"' in halaman
    r = klien.post(url_berkas, data={"csrf_token": token_csrf(halaman), "revisi": revisi_draf(halaman),
                                     "isi": salah.replace("waktu: sejam", "waktu: 1 jam")})
    assert r.status_code == 302
    assert "Versi tersimpan berkas ini valid." in teks(klien.get(url_berkas))
    draf = teks(klien.get(lokasi))
    assert "Semua berkas valid." in draf
    assert draf.count('class="lencana status-baru"') == 2  # tenant.yaml and the service are new

    # He looks at the public page before publishing.
    pratinjau = teks(klien.get(f"{lokasi}/pratinjau/pengiriman-anjal-at"))
    assert "Pengiriman Anak Jalanan (Anjal) Dan Anak Terlantar (AT) Ke Balai Rehabilitasi" in pratinjau
    assert "dinsos@kepulauanselayarkab.go.id" in pratinjau
    assert klien.get(f"/t/{SLUG}/standar-pelayanan").status_code == 404  # not public yet

    laporan = terbitkan(klien, SLUG)
    assert "pengiriman-anjal-at: versi 1 disimpan" in laporan

    publik = app.test_client()  # a member of the public, no account
    r = publik.get(f"/t/{SLUG}/standar-pelayanan/pengiriman-anjal-at")
    assert r.status_code == 200
    assert "Kabupaten Kepulauan Selayar" in teks(r) and "Benteng" in teks(r)
    assert "Kabupaten Kepulauan Selayar" in teks(publik.get("/layanan?q=selayar"))

    with app.app_context(), lintas_tenant("uji: log audit platform", catat=False):
        selayar = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        assert selayar.zona_waktu == "Asia/Makassar" and selayar.provinsi_induk.slug == PROVINSI
        # Its deadlines are computed in Makassar time: a 1-day SOP step started Monday 10:00 WITA
        # is due Tuesday 10:00 WITA (02:00 UTC), not 10:00 WIB.
        makassar = ZoneInfo("Asia/Makassar")
        jatuh_tempo = kalender_tenant(selayar).tambah(datetime(2026, 3, 2, 10, 0, tzinfo=makassar), parse_waktu("1 hari"))
        assert jatuh_tempo == datetime(2026, 3, 3, 10, 0, tzinfo=makassar)
        assert jatuh_tempo.utcoffset().total_seconds() == 0 and jatuh_tempo.hour == 2
        terbit = db.session.scalars(select(CatatanAudit).where(CatatanAudit.tindakan == "onboarding_diterbitkan")).all()
        assert len(terbit) == 2 and terbit[-1].tenant_id == selayar.id
        assert all(c.aktor.startswith("admin:") for c in terbit)
