"""Every staff and public page at a phone's width (390 px) and a laptop's (1366 px): no horizontal page scroll,
and no raw code where a person reads words.

The pages are found the way people find them: starting from the public home and each role's dashboard and
following the links on the pages (one page per kind of address: a second case page adds nothing). Each
page's screenshot at both widths lands in ``test-artifacts/lebar/``.
"""
import re
from collections import deque
from pathlib import Path

import pytest

from dinsos_uji.alat_peramban import masuk_peramban
from dinsos_uji.bantuan import buat_staf

pytestmark = pytest.mark.slow

MAGETAN = "kabupaten-magetan"
ARTEFAK = Path(__file__).resolve().parents[2] / "test-artifacts" / "lebar"
LEBAR = (390, 1366)
# Codes that reached people's screens before (issue 15); none may come back.
KODE_MENTAH = ("serah-terima", "register-kasus", "nomor_register", "diterima-balai", "pengguna:", "standar_pelayanan_dimuat",
               "Admin Tenant", "berkas_belum_lengkap", "langkah_mulai", "berita_acara_serah_terima", "surat_tugas")
# Not pages: downloads, exports, language switches, the API and machine endpoints.
LEWATI = re.compile(r"\.(pdf|xlsx|zip|png|jpe?g)(\?|$)|/foto$|/lampiran/|/berkas/|[?&]lang=|/api/|/metrics|/healthz|/readyz|/static/")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PERAN = {"petugas_pelayanan": "Sri Wahyuni", "fungsional_peksos": "Budi Santoso", "kepala_bidang": "Ratna Dewi",
         "kepala_dinas": "Parminto Budi Utomo", "pekerja_sosial": "Hendra Wijaya", "admin_tenant": "Agus Salim"}


def _pola(path: str) -> str:
    """One address per kind of page: ids and codes in the path count as the same page."""
    path = UUID.sub("<id>", path.split("#")[0].split("?")[0])
    return re.sub(r"/(standar-pelayanan|survei|verifikasi|kasus/baru)/[^/?]+", r"/\1/<kode>", path)


def _siapkan_kasus(kantor, staf: dict) -> None:
    """A Magetan case run through its steps (file verified, the disposition chain, letters issued, a timeline to read)
    and one left at step 3 with its chain begun."""
    from dinsos.auth.models import Pengguna
    from dinsos.cases.baca import muat_kasus
    from dinsos.cases.kelola import tutup_kasus
    from dinsos.cases.penerimaan import terima_kasus
    from dinsos.cases.perubahan import simpan
    from dinsos.cases.sop import catat_disposisi, selesaikan_langkah
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant
    from dinsos_uji.alat_kasus import ISIAN_MAGETAN, verifikasi_bila_perlu

    def akun(peran):
        return db.session.get(Pengguna, (kantor.id, staf[peran]))

    persyaratan = {"surat-keterangan-kepolisian": "dilihat", "surat-keterangan-kehilangan": "dilihat"}
    # the eight steps run without a referral (the Form Rujukan branch is not taken)
    urutan = ("petugas_pelayanan", "fungsional_peksos", "fungsional_peksos", "pekerja_sosial", "pekerja_sosial",
              "fungsional_peksos", "pekerja_sosial", "petugas_pelayanan")
    for sampai in (8, 2):
        with kantor.app.app_context(), dalam_tenant(kantor.id):
            h = terima_kasus("pengiriman-anjal-at", pelapor={"jenis": "kepolisian", "instansi": "Polres Magetan"},
                                 klien={"tanpa_identitas": True, "deskripsi": "Anak laki-laki, sekitar 12 tahun",
                                        "umur_perkiraan": 12, "jenis_kelamin": "L"},
                                 persyaratan=persyaratan, pengguna=akun("petugas_pelayanan"))
            verifikasi_bila_perlu(h.kasus, akun("petugas_pelayanan"))
            simpan()
            kid = h.kasus.id
            for peran in urutan[:sampai]:
                k = muat_kasus(kid)
                if k.langkah_kode == "penugasan":
                    for atas in ("kepala_dinas", "kepala_bidang"):
                        catat_disposisi(k, versi=k.versi, pengguna=akun(atas), instruksi="Tindak lanjuti")
                        simpan()
                        k = muat_kasus(kid)
                selesaikan_langkah(k, versi=k.versi, kode_langkah=k.langkah_kode, pengguna=akun(peran),
                                   isian=ISIAN_MAGETAN.get(k.langkah_kode))
                simpan()
            if sampai == 8:
                k = muat_kasus(kid)
                tutup_kasus(k, versi=k.versi, hasil_akhir="diterima-balai", pengguna=akun("pekerja_sosial"))
                simpan()
            else:
                k = muat_kasus(kid)
                catat_disposisi(k, versi=k.versi, pengguna=akun("kepala_dinas"), instruksi="Tindak lanjuti")
                simpan()


def _periksa_halaman(page, nama: str, masalah: list) -> list[str]:
    """Visit the page at both widths; returns the same-origin links found on it."""
    tautan = []
    for lebar in LEBAR:
        page.set_viewport_size({"width": lebar, "height": 900})
        page.reload() if lebar != LEBAR[0] else None
        lebar_halaman = page.evaluate("document.documentElement.scrollWidth")
        if lebar_halaman > lebar + 1:
            masalah.append(f"{page.url} at {lebar} px is {lebar_halaman} px wide")
            print(masalah[-1], flush=True)
        teks = page.evaluate("document.body.innerText")
        for kode in KODE_MENTAH:
            if kode in teks:
                masalah.append(f"{page.url} shows the raw code {kode!r}")
                print(masalah[-1], flush=True)
        if lebar == LEBAR[0] and nama.startswith("publik-"):
            # On the public forms a radio button or checkbox is tapped through its label: at least 44 px high.
            kecil = page.evaluate("""() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')]
                .filter(e => e.offsetParent !== null)
                .map(e => [e.name || e.id, Math.max(e.getBoundingClientRect().height,
                                                    ...[...(e.labels || [])].map(l => l.getBoundingClientRect().height))])
                .filter(([_, h]) => h < 43.5)""")
            for kontrol, tinggi in kecil:
                masalah.append(f"{page.url}: {kontrol!r} is a {tinggi:.0f} px touch target (44 px at least)")
        page.screenshot(path=str(ARTEFAK / f"{nama}-{lebar}.png"), full_page=True)
        if not tautan:
            tautan = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    return tautan


def _jelajahi(page, awal: list[str], siapa: str, dilihat: set, masalah: list, batas: int = 40) -> None:
    """Breadth-first over same-origin links from ``awal``; a kind of page already checked is not checked again,
    but a start page is always opened to follow its links (each role's dashboard leads elsewhere)."""
    antre = deque((u, True) for u in awal)
    while antre and batas:
        url, mulai = antre.popleft()
        path = re.sub(r"^https?://[^/]+", "", url)
        if LEWATI.search(path) or (siapa != "publik" and not path.startswith(f"/t/{MAGETAN}/")):
            continue
        pola = _pola(path)
        baru = pola not in dilihat
        if not baru and not mulai:
            continue
        dilihat.add(pola)
        batas -= 1
        page.set_viewport_size({"width": LEBAR[0], "height": 900})
        try:
            respons = page.goto(path)
        except Exception as e:  # a download, not a page
            if "Download is starting" in str(e):
                continue
            raise
        if respons is None or respons.status >= 400 or "text/html" not in (respons.headers.get("content-type") or ""):
            continue
        if baru:
            nama = f"{siapa}-" + re.sub(r"[^a-z0-9]+", "-", pola.lower()).strip("-")[:80]
            tautan = _periksa_halaman(page, nama, masalah)
        else:
            tautan = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
        for href in tautan:
            if href.startswith(page.url.split("/t/")[0]) or href.startswith("/"):
                antre.append((href.split("#")[0], False))


def test_every_page_fits_a_phone_and_a_laptop_and_speaks_words(peramban, kantor_seed):
    ARTEFAK.mkdir(parents=True, exist_ok=True)
    mg = kantor_seed[MAGETAN]
    staf = {}
    for peran, nama in PERAN.items():
        staf[peran], _ = buat_staf(mg, peran, f"{peran}@magetan.uji", nama)
    _siapkan_kasus(mg, staf)
    masalah: list[str] = []
    dilihat: set = set()

    publik = peramban()
    publik.goto("/")
    _jelajahi(publik, ["/", f"/t/{MAGETAN}/", f"/t/{MAGETAN}/pengaduan/", f"/t/{MAGETAN}/verifikasi", "/layanan"],
              "publik", dilihat, masalah)
    for peran in PERAN:
        page = peramban()
        masuk_peramban(page, MAGETAN, f"{peran}@magetan.uji")
        _jelajahi(page, [f"/t/{MAGETAN}/dasbor"], peran, dilihat, masalah)
    dikunjungi = dilihat
    for wajib in ("/t/<slug>/tugas/", "/t/<slug>/kasus/<id>", "/t/<slug>/kasus/", "/t/<slug>/dasbor/tenggat",
                  "/t/<slug>/notifikasi/", "/t/<slug>/standar-pelayanan", "/t/<slug>/pengaturan/staf/",
                  "/t/<slug>/pengaturan/staf/<id>", "/t/<slug>/pengaturan/staf/baru", "/t/<slug>/kasus/baru/<kode>",
                  "/t/<slug>/pengaturan/staf/<id>/ubah", "/t/<slug>/lupa-kata-sandi"):
        assert wajib.replace("<slug>", MAGETAN) in dikunjungi, f"{wajib} was never reached by following links"
    assert masalah == [], "\n".join(masalah)
