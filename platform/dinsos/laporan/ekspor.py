"""The register book and the recaps as Excel workbooks (openpyxl), and the register as a PDF (WeasyPrint).

Every row goes through ``dinsos.core.lembar.tambah_baris``, so every text is
written as text: a name or number that starts with "=", "+", "-" or "@"
(stored with Excel's quote prefix), or looks like a number ("0012"), stays
exactly what the page shows and is never evaluated as a formula or turned
into a number. Counts are numbers. The recap sheet is the table's own
``kisi()``, the grid the page prints, so the two cannot differ.
"""
from datetime import datetime
from io import BytesIO

from flask import current_app
from openpyxl import Workbook
from openpyxl.styles import Font

from dinsos.core.lembar import tambah_baris
from dinsos.documents.surat import html_ke_pdf, tempat_surat
from dinsos.documents.tanggal import ke_tanggal, tanggal_panjang
from dinsos.tenancy.models import Tenant

from .register import KOLOM_REGISTER, BarisRegister
from .rekap import Tabel

TEBAL = Font(bold=True)


def _tulis_baris(ws, nilai: list, tebal: bool = False) -> None:
    """One row through ``core.lembar.tambah_baris``: counts stay numbers, everything else (None too) is text."""
    tambah_baris(ws, [v if isinstance(v, (int, float)) and not isinstance(v, bool) else ("" if v is None else str(v))
                      for v in nilai])
    if tebal and nilai:
        for sel in ws[ws.max_row]:
            sel.font = TEBAL


def _simpan(wb) -> bytes:
    keluaran = BytesIO()
    wb.save(keluaran)
    return keluaran.getvalue()


def buku_register_xlsx(baris: list[BarisRegister], nama_kantor: str, tahun: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Register {tahun}"
    _tulis_baris(ws, [f"Buku Register Kasus {nama_kantor} Tahun {tahun}"], tebal=True)
    _tulis_baris(ws, [])
    _tulis_baris(ws, KOLOM_REGISTER, tebal=True)
    for b in baris:
        _tulis_baris(ws, b.sebagai_daftar())
    for kolom, lebar in zip("ABCDEFGH", (8, 22, 14, 28, 34, 30, 40, 30)):
        ws.column_dimensions[kolom].width = lebar
    return _simpan(wb)


def rekap_xlsx(tabel: Tabel, judul: str, catatan: list[str]) -> bytes:
    """One sheet: the title, the period, the grid as the page shows it, then the notes (e.g. what ``*`` means)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekap"
    _tulis_baris(ws, [judul], tebal=True)
    _tulis_baris(ws, [tabel.periode.teks])
    _tulis_baris(ws, [])
    kisi = tabel.kisi()
    _tulis_baris(ws, kisi[0], tebal=True)
    for baris in kisi[1:-1]:
        _tulis_baris(ws, baris)
    _tulis_baris(ws, kisi[-1], tebal=True)
    for c in catatan:
        _tulis_baris(ws, [])
        _tulis_baris(ws, [c])
    ws.column_dimensions["A"].width = 44
    return _simpan(wb)


def baca_kisi_xlsx(isi: bytes) -> list[list]:
    """The recap grid back from a workbook made by ``rekap_xlsx`` (for tests and checks)."""
    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(isi)).active
    baris = [[c.value for c in r] for r in ws.iter_rows()]
    awal = 3
    akhir = next((i for i in range(awal, len(baris)) if baris[i][0] == "Jumlah"), len(baris) - 1)
    lebar = len([v for v in baris[awal] if v is not None])
    return [r[:lebar] for r in baris[awal:akhir + 1]]


def _penandatangan(tenant: Tenant) -> dict:
    pejabat = dict(tenant.kepala_dinas or {})
    pejabat.setdefault("jabatan", f"Kepala {tenant.nama}")
    return pejabat


def buku_register_pdf(baris: list[BarisRegister], tenant: Tenant, tahun: int, pada: datetime) -> bytes:
    """The register on the office letterhead, landscape, signed off by the head of office.

    Rendered straight from the Jinja environment like the letters
    (``documents.surat``): an official document, in Indonesian whatever the
    viewer's language.
    """
    kop = tenant.kop_surat or {}
    html = current_app.jinja_env.get_template("laporan/register_pdf.html").render(
        baris=baris, kolom=KOLOM_REGISTER, tahun=tahun, kantor=tenant.nama, alamat_kantor=tenant.alamat,
        kop=kop.get("baris") or [tenant.nama], logo=tenant.logo_kop or kop.get("logo"), penandatangan=_penandatangan(tenant),
        tempat_tanggal=f"{tempat_surat(tenant)}, {tanggal_panjang(ke_tanggal(pada, tenant.zona_waktu))}",
    )
    return html_ke_pdf(html)
