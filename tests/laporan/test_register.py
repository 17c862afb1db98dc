"""The Buku Register Kasus: every number in order, masked like the case list, as a page, a PDF and an Excel."""
from io import BytesIO

from alat_laporan import terima
from sqlalchemy import text

from dinsos_uji.alat_kasus import SEMUA_MAGETAN, akun, di_kantor, klien_masuk, wib


def _buku(kantor, staf, tahun=2026):
    from dinsos.laporan.register import buku_register

    with di_kantor(kantor):
        return buku_register(tahun, akun(staf))


def test_setiap_nomor_berurutan_dengan_isinya(data):
    mg, s = data["kantor"]["kabupaten-magetan"], data["staf"]["kabupaten-magetan"]
    buku = _buku(mg, s["kepala_dinas"])
    assert [b.urut for b in buku] == [1, 2, 3, 4]  # E's file is incomplete: no number
    assert [b.nomor for b in buku] == [f"460/{n}/403.107/2026" for n in range(1, 5)]
    assert [b.tanggal.isoformat() for b in buku] == ["2026-04-20", "2026-05-04", "2026-05-05", "2026-05-06"]
    c = buku[2]
    assert c.klien == "Sari Wulan"  # the head of office sees every name
    assert c.pelapor == "Masyarakat — Pak Warga Pelapor"
    assert buku[0].pelapor == "Kepolisian — Polres Magetan"
    assert all(b.layanan.startswith("Pengiriman") for b in buku)
    assert all(b.hasil == "Berjalan" and b.langkah != "-" for b in buku)
    assert _buku(mg, s["kepala_dinas"], 2025) == []


def test_nama_anak_disamarkan_bagi_admin_kantor(data):
    mg, s = data["kantor"]["kabupaten-magetan"], data["staf"]["kabupaten-magetan"]
    buku = _buku(mg, s["admin_tenant"])
    c = buku[2]
    assert c.klien == "S*** W***"  # a child: confidential (UU 11/2012 art. 19)
    assert c.pelapor == "Masyarakat"  # nor the private reporter's name, who could name the family
    assert buku[3].klien == "Budi Santoso"  # an adult's case is not confidential


def test_tidak_ada_celah_nomor_batal_tampil_sebagai_dibatalkan(data, mesin_pemilik):
    """Gaps cannot happen: a rolled-back intake gives its number back, and a number whose case is gone reads 'Dibatalkan'."""
    from dinsos.cases.penerimaan import terima_kasus
    from dinsos.core.db import db

    mg, s = data["kantor"]["kabupaten-magetan"], data["staf"]["kabupaten-magetan"]
    with di_kantor(mg):  # takes number 5, then rolls back
        terima_kasus("pengiriman-anjal-at", pelapor={"jenis": "kepolisian", "instansi": "Polres"},
                     klien={"tanpa_identitas": True, "deskripsi": "x", "umur_perkiraan": 9, "jenis_kelamin": "L"},
                     persyaratan=SEMUA_MAGETAN, pengguna=akun(s["petugas_pelayanan"]), pada=wib(2026, 6, 1, 9))
        db.session.flush()
        db.session.rollback()
    terima(mg, s["petugas_pelayanan"], {"tanpa_identitas": True, "deskripsi": "y", "umur_perkiraan": 9, "jenis_kelamin": "L"},
           wib(2026, 6, 2, 9))
    buku = _buku(mg, s["kepala_dinas"])
    assert [b.urut for b in buku] == list(range(1, len(buku) + 1)) == [1, 2, 3, 4, 5]
    # A database repair voids case C's entry: its number stays in the book, as cancelled.
    with mesin_pemilik.begin() as c:
        c.execute(text("UPDATE kasus SET nomor_register_urut = NULL WHERE nomor_register_urut = 3"))
    buku = _buku(mg, s["kepala_dinas"])
    assert [b.urut for b in buku] == [1, 2, 3, 4, 5]
    assert buku[2].batal and buku[2].hasil == "Dibatalkan" and buku[2].klien == "-"


def test_halaman_pdf_dan_excel(data):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    k = klien_masuk(data["staf"]["kabupaten-magetan"]["kepala_dinas"])
    halaman = k.get("/t/kabupaten-magetan/laporan/register?tahun=2026")
    assert halaman.status_code == 200
    teks = halaman.get_data(as_text=True)
    for n in range(1, 5):
        assert f"460/{n}/403.107/2026" in teks
    assert "Sari Wulan" in teks and "Siti Aminah" not in teks  # E never got a number

    pdf = k.get("/t/kabupaten-magetan/laporan/register.pdf?tahun=2026")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    dok = PdfReader(BytesIO(pdf.data))
    kotak = dok.pages[0].mediabox
    assert float(kotak.width) > float(kotak.height)  # landscape
    isi = "".join(p.extract_text() for p in dok.pages)
    assert "BUKU REGISTER KASUS TAHUN 2026" in isi
    assert "MAGETAN" in isi.upper()  # the letterhead
    assert "KEPALA" in isi.upper() and "NIP" in isi  # the head of office's signature block

    x = k.get("/t/kabupaten-magetan/laporan/register.xlsx?tahun=2026")
    ws = load_workbook(BytesIO(x.data)).active
    baris = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert [r[0] for r in baris] == [1, 2, 3, 4]
    assert baris[2][3] == "Sari Wulan"
    assert all(ws.cell(row=r, column=2).data_type == "s" for r in range(4, 8))  # text stays text


def test_teks_yang_mirip_rumus_tetap_teks(app):
    from openpyxl import load_workbook

    from dinsos.laporan.ekspor import buku_register_xlsx
    from dinsos.laporan.register import BarisRegister

    b = BarisRegister(1, "0012", None, "=HYPERLINK(\"http://x\")", "+62 layanan", "-1", "@a", "Berjalan")
    ws = load_workbook(BytesIO(buku_register_xlsx([b], "Kantor", 2026))).active
    sel = [ws.cell(row=4, column=i) for i in range(1, 9)]
    assert [s.value for s in sel[1:7]] == ["0012", None, "=HYPERLINK(\"http://x\")", "+62 layanan", "-1", "@a"]
    assert all(s.data_type == "s" for s in sel[1:7] if s.value is not None)


def test_membuka_buku_dicatat_di_audit(data, mesin_pemilik):
    k = klien_masuk(data["staf"]["kabupaten-magetan"]["kepala_bidang"])
    assert k.get("/t/kabupaten-magetan/laporan/register.xlsx?tahun=2026").status_code == 200
    with mesin_pemilik.connect() as c:
        n = c.execute(text("SELECT count(*) FROM audit_log WHERE tindakan = 'lihat_buku_register'")).scalar()
    assert n == 1


def test_register_hanya_kantor_sendiri_dan_pimpinan(data):
    s = data["staf"]["kabupaten-magetan"]
    assert klien_masuk(s["petugas_pelayanan"]).get("/t/kabupaten-magetan/laporan/register").status_code == 403
    teks = klien_masuk(data["staf"]["kabupaten-ngawi"]["kepala_dinas"]).get(
        "/t/kabupaten-ngawi/laporan/register?tahun=2026").get_data(as_text=True)
    assert "Sari Wulan" not in teks and "Budi Santoso" not in teks
    assert "Rina Ngawi" in teks
    assert klien_masuk(s["kepala_dinas"]).get("/t/kabupaten-magetan/laporan/register?tahun=abc").status_code == 400
