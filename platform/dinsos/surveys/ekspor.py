"""The survey report as an Excel workbook (openpyxl), for the office's evaluation report.

Sheet "Responden": one row per response. Sheet "Rekap": per element the
number of answers, the sum of scores, NRR, weight and weighted NRR, then SKM,
IKM, grade and number of respondents, then the same per service. The figures
are the ones the report page shows, computed once by ``services.rekap``.
Rows go through ``dinsos.core.lembar.tambah_baris``: respondents' comments are
written as text, never as formulas.
"""
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from dinsos.core.lembar import tambah_baris

from .ikm import bulatkan
from .services import PROFIL

TEBAL = Font(bold=True)


def _pecahan(x):
    return None if x is None else float(x)


def _nrr(x):
    """NRR as the page shows it: rounded half-up to 3 decimals."""
    return None if x is None else float(bulatkan(x, 3))


def _judul(ws, baris: list):
    tambah_baris(ws, baris)
    for sel in ws[ws.max_row]:
        sel.font = TEBAL


def buku_rekap(data: dict, nama_kantor: str, nama_periode: str, zona: str) -> bytes:
    """The workbook as bytes."""
    unsur, hasil = data["unsur"], data["hasil"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Responden"
    _judul(ws, ["No", "Waktu", "Layanan"] + [label for label, _ in PROFIL.values()]
           + [f"{u.kode.upper()} {u.nama}" for u in unsur] + ["Komentar"])
    for i, j in enumerate(data["jawaban"], start=1):
        tambah_baris(
            ws,
            [i, j.dibuat_pada.astimezone(ZoneInfo(zona)).replace(tzinfo=None), data["nama_layanan"].get(j.layanan_id)]
            + [pilihan.get(getattr(j, kolom), getattr(j, kolom)) for kolom, (_, pilihan) in PROFIL.items()]
            + [j.nilai.get(u.kode) for u in unsur] + [j.komentar]
        )
        ws.cell(row=ws.max_row, column=2).number_format = "yyyy-mm-dd hh:mm"

    ws = wb.create_sheet("Rekap")
    tambah_baris(ws, [nama_kantor])
    tambah_baris(ws, [f"Indeks Kepuasan Masyarakat (IKM) {nama_periode}"])
    tambah_baris(ws, [])
    _judul(ws, ["Kode", "Unsur", "Jumlah jawaban", "Jumlah nilai", "NRR", "Bobot", "NRR tertimbang"])
    for u in unsur:
        tambah_baris(ws, [
            u.kode.upper(), u.nama, hasil.jumlah_jawaban[u.kode], hasil.jumlah_nilai[u.kode],
            _nrr(hasil.nrr[u.kode]), _pecahan(hasil.bobot[u.kode]), _pecahan(hasil.nrr_tertimbang[u.kode]),
        ])
        for kolom in (5, 6, 7):
            ws.cell(row=ws.max_row, column=kolom).number_format = "0.000"
    tambah_baris(ws, [])
    tambah_baris(ws, ["Jumlah responden", hasil.responden])
    tambah_baris(ws, ["SKM (1-4)", _pecahan(hasil.skm)])
    tambah_baris(ws, ["IKM (25-100)", None if hasil.ikm is None else float(hasil.ikm)])
    ws.cell(row=ws.max_row, column=2).number_format = "0.00"
    tambah_baris(ws, ["Mutu pelayanan", hasil.huruf])
    tambah_baris(ws, ["Kinerja unit pelayanan", hasil.kinerja])
    tambah_baris(ws, [])
    _judul(ws, ["Layanan", "Jumlah responden", "IKM", "Mutu", "Kinerja"] + [u.kode.upper() for u in unsur])
    for baris in data["per_layanan"]:
        h = baris["hasil"]
        tambah_baris(
            ws,
            [baris["layanan"].nama, h.responden, None if h.ikm is None else float(h.ikm), h.huruf, h.kinerja]
            + [_nrr(h.nrr[u.kode]) for u in unsur]
        )
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 44
    keluaran = BytesIO()
    wb.save(keluaran)
    return keluaran.getvalue()
