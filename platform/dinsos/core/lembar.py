"""Workbooks the platform makes: people's text is written as text, never as a formula.

Every export that builds an Excel workbook appends its rows through
``tambah_baris``. openpyxl turns any string starting with ``=`` into a live
formula, and spreadsheet programs treat a cell starting with ``+``, ``-``,
``@``, a tab or a carriage return as the start of one when it is edited or
re-imported: an anonymous survey comment ``=HYPERLINK(...)`` would otherwise
run in the staff's Excel (CSV/formula injection). Such cells are stored as
plain strings with Excel's own "quote prefix" mark, which is what Excel writes
when a person types ``'=...``: the text stays exactly as it was written, shown
and re-edited as text.
"""
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

AWALAN_RUMUS = ("=", "+", "-", "@", "\t", "\r")


def berbahaya(nilai) -> bool:
    """True for text a spreadsheet could read as the start of a formula."""
    return isinstance(nilai, str) and nilai.startswith(AWALAN_RUMUS)


def tulis_teks(sel: Cell, nilai) -> Cell:
    """Put ``nilai`` in ``sel``; text is stored as a string, neutralised when it could be a formula."""
    sel.value = nilai
    if isinstance(nilai, str):
        sel.data_type = "s"
        if berbahaya(nilai):
            sel.quotePrefix = True
    return sel


def tambah_baris(ws: Worksheet, nilai: list) -> None:
    """``ws.append(nilai)`` with every text cell written as text (see the module docstring)."""
    ws.append([tulis_teks(Cell(ws), isi) for isi in nilai])
