"""Rule-based reading of a Standar Pelayanan decree's text into a draft service.

Input is the text as OCR'd or copied from a PDF: the component table of
PermenPAN-RB 15/2014 ("NO | KOMPONEN | URAIAN", cells separated by tabs, one
row possibly spread over several lines and pages) and optionally an SOP table
with Pelaksana and Mutu Baku columns. Output is a list of proposals, each with
the path it fills, the value and the source line numbers, plus the lines that
could not be placed. Nothing here touches the network, the database or a model:
it is pure functions over strings, so an admin reviews every value it proposes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dinsos.core.kalender import DurasiTidakValid, parse_waktu


@dataclass(frozen=True)
class Usulan:
    """One proposed value: where it goes (dotted path), what, and from which lines (1-based)."""

    jalur: str
    nilai: object
    baris: tuple[int, ...]
    catatan: str | None = None


@dataclass
class HasilImpor:
    usulan: list[Usulan] = field(default_factory=list)
    tak_terpakai: list[tuple[int, str]] = field(default_factory=list)
    catatan_ocr: list[str] = field(default_factory=list)

    def nilai(self, jalur: str, bawaan=None):
        for u in self.usulan:
            if u.jalur == jalur:
                return u.nilai
        return bawaan

    def _tambah(self, jalur, nilai, baris, catatan=None):
        self.usulan.append(Usulan(jalur, nilai, tuple(sorted(set(baris))), catatan))


# --- the 14 components ----------------------------------------------------

# Order matters: the first pattern that matches a row's label wins
# ("Jaminan keamanan" before "Jaminan", "Pelayanan Biaya/Tarif" is the fee).
KOMPONEN = (
    ("jaminan_keamanan_keselamatan", r"keamanan|keselamatan"),
    ("pengaduan", r"pengaduan"),
    ("biaya", r"biaya|tarif"),
    ("produk", r"produk"),
    ("persyaratan", r"persyaratan"),
    ("prosedur", r"sistem|mekanisme|prosedur"),
    ("jangka_waktu", r"jangka|waktu"),
    ("dasar_hukum", r"dasar\s*hukum"),
    ("sarana_prasarana", r"sarana|prasarana|fasilitas"),
    ("jumlah_pelaksana", r"jumlah"),
    ("kompetensi_pelaksana", r"kom\w*tensi"),
    ("pengawasan_internal", r"pengawasan"),
    ("jaminan_pelayanan", r"jaminan"),
    ("evaluasi_kinerja", r"evaluasi"),
)
PENYAMPAIAN = ("persyaratan", "prosedur", "jangka_waktu", "biaya", "produk", "pengaduan")


def komponen_dari_label(label: str) -> str | None:
    for kunci, pola in KOMPONEN:
        if re.search(pola, label, re.I):
            return kunci
    return None


@dataclass
class _Baris:
    komponen: str
    label: list[int]
    potongan: list[tuple[int, str]]  # (line number, uraian fragment)


_TAG = re.compile(r"<(/?)(\w+)[^>]*>")
_PRE = re.compile(r"<pre>.*?</pre>", re.S)
_NO = re.compile(r"^\d{1,2}\.?$")
_KEPALA_TABEL = re.compile(r"^\s*NO\.?[\t ]+KOMPONEN", re.I)
# Component labels as decrees spell them, for text whose cell tabs were lost
# (a PDF's text layer gives spaces): "3. Jangka Waktu 1 (satu) hari kerja".
_LABEL = re.compile(r"^\s*(\d{1,2})\.?\s+(" + "|".join((
    r"Persyaratan(?: Pelayanan)?", r"Sistem,? mekanisme,? dan prosedur", r"Jangka waktu(?: penyelesaian)?(?: pelayanan)?",
    r"(?:Pelayanan )?Biaya ?/ ?tarif", r"Produk(?: pelayanan)?",
    r"(?:Penanganan|Pengelolaan) pengaduan(?:,? saran,? dan masukan)?", r"Dasar hukum",
    r"Sarana,? prasarana,?(?: dan/atau fasilitas)?", r"Kompetensi pelaksana", r"Pengawasan internal",
    r"Jumlah pelaksana", r"Jaminan keamanan dan keselamatan(?: pelayanan)?", r"Jaminan pelayanan",
    r"Evaluasi kinerja(?: pelaksana)?")) + r")\b\s*(.*)$", re.I)
_AKHIR_TABEL = re.compile(r"^\W*(Ditetapkan|KEPALA DINAS|Pada tanggal|Standar Pelayanan Publik|NIP|Halaman)", re.I)


def _bertab(baris: list[str]) -> list[str]:
    """Give tab-less component rows their cell tabs back, when no row in the text has them."""
    if any("\t" in b and _NO.match(b.split("\t")[0].strip()) for b in baris):
        return baris
    hasil = []
    for b in baris:
        m = _LABEL.match(b)
        hasil.append(f"{m.group(1)}\t{m.group(2)}\t{m.group(3)}" if m else
                     (b if not b.strip() or _AKHIR_TABEL.match(b) or b.strip().isupper() else "\t\t" + b.strip()))
    return hasil


def _tanpa_html(teks: str) -> str:
    # A <p> paragraph inside a cell is a heading such as "Tindak lanjut ... adalah:".
    return " ".join(_TAG.sub(" ", _PRE.sub(" ", teks)).split())


def _baris_tabel(baris: list[str]) -> tuple[list[_Baris], set[int]]:
    """Group the component table's lines into rows; returns rows and the line numbers used."""
    hasil: list[_Baris] = []
    terpakai: set[int] = set()
    kini: _Baris | None = None
    for no, isi in enumerate(baris, start=1):
        if _KEPALA_TABEL.match(isi):
            terpakai.add(no)  # repeated page header
            continue
        if "\t" not in isi:
            if isi.strip() and not isi.startswith(" "):
                kini = None  # a line outside the table ends the row
            continue
        sel = [s.strip() for s in isi.split("\t")]
        if not any(sel):
            continue
        pertama, label = sel[0], (sel[1] if len(sel) > 1 else "")
        uraian = " ".join(s for s in sel[2:] if s)
        if _NO.match(pertama) and label and komponen_dari_label(label):
            kini = _Baris(komponen_dari_label(label), [no], [(no, uraian)] if uraian else [])
            hasil.append(kini)
            terpakai.add(no)
        elif kini is not None and (not pertama or not _NO.match(pertama) and not label.isupper()):
            # Continuation of the row: the label may wrap ("Jangka waktu" / "penyelesaian")
            # and the page break repeats nothing but the header.
            if re.fullmatch(r"[\d ]*", pertama) and (uraian or label):
                if uraian:
                    kini.potongan.append((no, uraian))
                terpakai.add(no)
            elif not pertama and not label and not uraian:
                continue
        elif _NO.match(pertama) and not label and not uraian:
            terpakai.add(no)  # a row number repeated alone by OCR
    return hasil, terpakai


_PENANDA = re.compile(r"(?:(?<=[\s;])|^)(?:\d{1,2}|[a-zA-Z])\.\s*(?=[A-Z(])|(?:(?<=\s)|^)-\s+(?=\S)")
_DASAR = re.compile(
    r"(?<!menjadi )(?<!atas )(?<!Atas )(?<!dan )(?<!tentang )(?<=\s)"
    r"(?=(?:Undang-Undang|Peraturan|Keputusan|Permensos|Instruksi)\b)"
)
_ULANG = re.compile(r"\b((?:\w+\s+){1,4}\w+)\s+\1\b", re.I)


def _rapikan(butir: str) -> str:
    butir = " ".join(butir.split()).strip(" ;,")
    return butir


def pecah_butir(teks: str, komponen: str = "") -> list[str]:
    """Split a cell into list items at "1." / "a." / "-" markers, else at ";"."""
    bagian = [b for b in _PENANDA.split(teks) if b.strip()]
    if len(bagian) <= 1:
        pisah = r";\s*(?:dan/atau\s+|dan\s+|atau\s+)?(?=[A-Z])"
        if komponen == "persyaratan":
            pisah += r"|(?<=[a-z])\.\s+(?=[A-Z])"
        bagian = [b for b in re.split(pisah, teks) if b.strip()]
    if komponen == "prosedur":
        # Sentences run together when the line breaks were lost: a clause opener
        # after a lower-case word starts the next step.
        bagian = [c for b in bagian for c in re.split(
            r"(?<=[a-z])\s+(?=(?:Jika|Apabila|Bila|Setelah|Kemudian|Selanjutnya)\b)", b) if c.strip()]
    if komponen == "sarana_prasarana" and len(bagian) == 1 and "," not in bagian[0] and len(bagian[0].split()) >= 8:
        # A list of things with every separator lost: each capitalised word starts a thing.
        bagian = re.split(r"\s+(?=[A-Z])", bagian[0])
    if komponen == "dasar_hukum":
        bagian = [c for b in bagian for c in _DASAR.split(b) if c.strip()]
    hasil: list[str] = []
    for b in (_rapikan(x) for x in bagian):
        if not b:
            continue
        if hasil and (b == hasil[-1] or hasil[-1] and b.startswith(hasil[-1])):
            hasil[-1] = b  # OCR repeated a wrapped line: keep the longer one
            continue
        if b in hasil:
            continue  # OCR repeated an item
        hasil.append(b)
    return hasil


def _perbaiki_ulang(teks: str, catatan: list[str]) -> str:
    def ganti(m):
        catatan.append(f'"{m.group(0)}" -> "{m.group(1)}" (kata terulang)')
        return m.group(1)
    return _ULANG.sub(ganti, teks)


# --- cells into values ----------------------------------------------------

_BULAN = {b: i for i, b in enumerate(
    "januari februari maret april mei juni juli agustus september oktober november desember".split(), 1)}


def baca_tanggal(teks: str) -> tuple[date | None, bool]:
    """"05 Juni 2023" -> (date, True); "November 2023" -> (1 November, False: day assumed)."""
    m = re.search(r"(?:(\d{1,2})\s+)?([A-Za-z]+)\s+(\d{4})", teks)
    if not m or m.group(2).lower() not in _BULAN:
        return None, False
    hari = int(m.group(1)) if m.group(1) else 1
    try:
        return date(int(m.group(3)), _BULAN[m.group(2).lower()], hari), bool(m.group(1))
    except ValueError:
        return None, False


_ANGKA = r"(\d+)\s*(?:\([a-z ]+\))?"


def baca_jangka_waktu(teks: str) -> dict | None:
    """The time limit's rule in the form the schema accepts, or None when unreadable."""
    rendah = teks.lower()
    mulai = "berkas_lengkap" if "lengkap" in rendah else "penerimaan"
    m = re.search(_ANGKA + r"\s*(?:sampai dengan|s\.?d\.?|-|hingga)\s*" + _ANGKA + r"\s*hari kerja", rendah)
    if m:
        return {"jenis": "hari_kerja", "minimal": int(m.group(1)), "maksimal": int(m.group(2)), "mulai": mulai}
    m = re.search(_ANGKA + r"\s*hari kerja", rendah)
    if m:
        return {"jenis": "hari_kerja", "minimal": int(m.group(1)), "maksimal": int(m.group(1)), "mulai": mulai}
    m = re.search(_ANGKA + r"\s*(hari|minggu|pekan|bulan|tahun)\b", rendah)
    if m:
        satuan = {"pekan": "minggu"}.get(m.group(2), m.group(2))
        return {"jenis": "kalender", "jumlah": int(m.group(1)), "satuan": satuan, "mulai": mulai}
    m = re.search(r"(?:sampai dengan|hingga|sampai)\s+(.+?)\.?$", teks, re.I)
    if m:
        return {"jenis": "terbuka", "selesai_saat": m.group(1).strip(), "tinjauan_berkala": "1 bulan"}
    return None


_KANAL = re.compile(
    r"(?<=\s)(?=(?:Telepon|Telp|E-?mail|Website|Online|Instagram|Fax|SMS/WA|SMS|Tatap Muka|Tertulis)\b)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:go\.id|id|com|org)\b\S*")
_TELP = re.compile(r"\(?\d[\d() -]{5,}\d")


def kanal_dari_butir(butir: str) -> list[dict]:
    """Classify one complaint-channel item into {jenis, nilai, label?} (may give two: "SMS/WA")."""
    r = butir.lower()
    sesudah = butir.split(":", 1)[1].strip() if ":" in butir else None
    telp = _TELP.search(butir)
    if "sms/wa" in r or ("sms" in r and "wa" in r):
        nomor = telp.group(0).strip() if telp else None
        return [{"jenis": "sms", "nilai": nomor, "label": "SMS/WA"},
                {"jenis": "whatsapp", "nilai": nomor, "label": "SMS/WA"}]
    if "lapor" in r:
        url = re.search(r"www\.lapor\.go\.id|lapor\.go\.id", butir)
        k = {"jenis": "sp4n_lapor", "nilai": url.group(0) if url else None}
        return [k | ({"label": butir} if butir != k["nilai"] else {})]
    if _EMAIL.search(butir):
        return [{"jenis": "email", "nilai": _EMAIL.search(butir).group(0)}]
    if "instagram" in r:
        return [{"jenis": "instagram", "nilai": sesudah or None, **({} if sesudah else {"label": butir})}]
    if "website" in r or "http" in r:
        url = _URL.search(butir)
        return [{"jenis": "website", "nilai": url.group(0) if url else None, **({} if url else {"label": butir})}]
    if "whatsapp" in r or re.search(r"\bwa\b", r):
        return [{"jenis": "whatsapp", "nilai": telp.group(0) if telp else None, **({} if telp else {"label": butir})}]
    if r.startswith("fax") or "faks" in r:
        return [{"jenis": "fax", "nilai": telp.group(0) if telp else sesudah}]
    if "telepon" in r or "telp" in r:
        return [{"jenis": "telepon", "nilai": telp.group(0) if telp else sesudah}]
    if "kotak" in r:
        m = re.search(r"kotak\s+[\w/]+", butir, re.I)
        nilai = m.group(0)[0].upper() + m.group(0)[1:]
        return [{"jenis": "kotak_saran", "nilai": nilai} | ({"label": butir} if butir != nilai else {})]
    if "tatap muka" in r:
        return [{"jenis": "tatap_muka", "nilai": None, "label": butir}]
    if r.startswith("ruang"):
        return [{"jenis": "ruang_pelayanan", "nilai": butir}]
    return []


def _kode(teks: str, dipakai: set[str]) -> str:
    kata = re.findall(r"[a-z0-9]+", teks.lower())[:4] or ["butir"]
    kode = "-".join(kata)[:40].strip("-")
    dasar, n = kode, 2
    while kode in dipakai:
        kode, n = f"{dasar}-{n}", n + 1
    dipakai.add(kode)
    return kode


def _tanpa_pengantar(butir: str) -> str:
    """Drop a list's lead-in glued to its first item ("A. Pengaduan dapat dilakukan melalui: Tatap Muka ...")."""
    if butir.count(":") > 1 or (re.match(r"^(Sarana|Pengaduan|Penanganan)", butir) and ":" in butir):
        return re.sub(r"^.*?(?:melalui|masukan)\s*:\s*", "", butir, flags=re.I)
    return butir


def _pengaduan(hasil: HasilImpor, teks: str, baris: list[int]) -> None:
    # The follow-up list starts at its own heading ("Tindak lanjut ... adalah:", "B. Alur ...").
    m = re.search(r"(Tindak lanjut[^:]*?adalah\s*:|B\.\s*Alur Penanganan Pengaduan)", teks, re.I)
    sarana_teks, tindak_teks = (teks[: m.start()], teks[m.end():]) if m else (teks, "")
    sarana, tindak = [], []
    for butir in pecah_butir(sarana_teks):
        if butir.endswith(":") or re.search(r"(dilakukan|digunakan)[^:]*:$", butir):
            continue  # the heading of the list
        butir = _tanpa_pengantar(butir)
        for potong in (p.strip(" ;") for p in _KANAL.split(" " + butir) if p.strip(" ;")):
            if potong.lower().startswith("tindak lanjut"):
                tindak.append(potong)
            else:
                sarana.extend(kanal_dari_butir(potong))
    tindak.extend(pecah_butir(tindak_teks))
    dipakai: set[str] = set()
    hasil._tambah("penyampaian_pelayanan.pengaduan.sarana", sarana, baris)
    hasil._tambah("penyampaian_pelayanan.pengaduan.tindak_lanjut",
                  [{"kode": _kode(t, dipakai), "nama": t} for t in tindak], baris)


_DOK = re.compile(r"(surat|fotoc?o?py|fotokopi|kartu|ktp|kk\b|akta|berita acara|hasil|buku|list|dokumen|rekomendasi)", re.I)


def dokumen_syarat(nama: str, dipakai: set[str]) -> dict:
    wajib = "jika ada" not in nama.lower()
    nama = re.sub(r"\s*\(jika ada\)", "", nama)
    d = {"kode": _kode(nama, dipakai), "nama": nama,
         "penerbit": (re.search(r"\bdari\s+(.+)$", nama) or [None, None])[1], "wajib": wajib}
    if not wajib:
        d["keterangan"] = "jika ada"
    return d


def _persyaratan(hasil: HasilImpor, teks: str, baris: list[int]) -> None:
    dipakai: set[str] = set()
    dokumen, kriteria = [], []
    for butir in pecah_butir(teks, "persyaratan"):
        if _DOK.match(butir):
            dokumen.append(dokumen_syarat(butir, dipakai))
        else:
            kriteria.append(butir)
    hasil._tambah("penyampaian_pelayanan.persyaratan.dokumen", dokumen, baris)
    hasil._tambah("penyampaian_pelayanan.persyaratan.kriteria", kriteria, baris)


def _komponen(hasil: HasilImpor, b: _Baris, teks: str) -> None:
    baris = b.label + [n for n, _ in b.potongan]
    k = b.komponen
    awal = "penyampaian_pelayanan" if k in PENYAMPAIAN else "pengelolaan_pelayanan"
    if k == "persyaratan":
        _persyaratan(hasil, teks, baris)
    elif k == "pengaduan":
        _pengaduan(hasil, teks, baris)
    elif k == "jangka_waktu":
        aturan = baca_jangka_waktu(teks)
        catatan = "tinjauan_berkala bukan dari sumber: pengaturan platform" if aturan and aturan["jenis"] == "terbuka" else None
        hasil._tambah(f"{awal}.jangka_waktu", {"uraian": teks, "aturan": aturan}, baris, catatan)
    elif k == "prosedur":
        butir = pecah_butir(teks, k)
        hasil._tambah(f"{awal}.prosedur", butir, baris)
        dokumen = [re.sub(r";?\s*dan$", "", b) for b in butir if _DOK.match(re.sub(r"^[a-z]\.\s*", "", b))]
        if butir and len(dokumen) * 5 >= len(butir) * 3:
            # A "procedure" that only lists documents is the requirements list in the
            # wrong row (seen in provincial decrees): propose them as documents too.
            hasil._tambah("penyampaian_pelayanan.persyaratan.dokumen_dari_prosedur",
                          [re.sub(r"^[a-z]\.\s*", "", d) for d in dokumen], baris,
                          "butir prosedur berupa dokumen: diusulkan juga sebagai persyaratan")
    elif k == "biaya":
        gratis = bool(re.search(r"tidak (dipungut|dikenakan)|gratis|tanpa biaya|bebas biaya", teks, re.I))
        hasil._tambah(f"{awal}.biaya", {"gratis": gratis, "uraian": teks}, baris)
    elif k == "produk":
        hasil._tambah(f"{awal}.produk", {"uraian": teks}, baris)
    elif k == "jumlah_pelaksana":
        butir = pecah_butir(teks)
        m = re.match(r"(\d+)\s*(?:\([A-Za-z ]+\))?\s*orang", teks, re.I)
        uraian = teks if len(butir) <= 1 else "\n".join(f"{i}. {x}" for i, x in enumerate(butir, 1))
        hasil._tambah(f"{awal}.jumlah_pelaksana", {"uraian": uraian, "jumlah": int(m.group(1)) if m else None}, baris)
    else:
        hasil._tambah(f"{awal}.{k}", pecah_butir(teks, k), baris)


def _jabatan(baris: list[str], n: int) -> str | None:
    """"KEPALA DINAS SOSIAL ..." at line n, joined with an upper-case next line when the title wraps."""
    m = re.match(r"^\**\s*(KEPALA DINAS SOSIAL[\w .]*?)[,*\s]*$", baris[n - 1].strip(), re.I)
    if not m:
        return None
    jabatan = m.group(1)
    if len(jabatan.split()) <= 3 and n < len(baris):
        lanjut = baris[n].strip(" *,")
        if lanjut.isupper() and re.match(r"^(KABUPATEN|KOTA|PROVINSI)\b", lanjut):
            jabatan += " " + lanjut
    return jabatan.title()


def _sambung_yatim(baris_tabel: list[_Baris]) -> None:
    """Move a row's leading fragment to the previous row when OCR shifted it down.

    "8 | Sarana | Fungsi, Uraian Tugas ... Daerah. a. Front office" : the text before
    the first marker ends the previous row's unfinished last item.
    """
    for sebelum, kini in zip(baris_tabel, baris_tabel[1:]):
        if not kini.potongan or not sebelum.potongan:
            continue
        no, isi = kini.potongan[0]
        m = re.search(r"(?<=[.;:])\s+(?:[a-z]|1)\.\s*(?=[A-Z])", isi)
        ekor = _tanpa_html(sebelum.potongan[-1][1])
        # Only a list spread over several lines (an OCR'd page) and a fragment that ends
        # an item; a one-line cell ending in "mitra kerja" is a complete sentence.
        if (m and m.start() > 0 and len(sebelum.potongan) > 1 and not re.search(r"[.;:]$", ekor)
                and re.search(r"[.;]$", isi[: m.start()])):
            sebelum.potongan.append((no, isi[: m.start() + 1]))
            kini.potongan[0] = (no, isi[m.start() + 1:])


# --- decree metadata, signer, SOP table -----------------------------------

_PANGKAT = r"[PR]embina|Penata|Pengatur|Juru"
_NIP = re.compile(r"^\s*[NM][I1l]P\.?\s*:?\s*([\d ]{18,})\s*$")


def _nip(angka: str) -> str:
    d = re.sub(r"\D", "", angka)
    return f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}" if len(d) == 18 else angka.strip()


def _penandatangan(baris: list[str], no_nip: int, hasil: HasilImpor, jalur: str) -> set[int]:
    """Read name and rank above a NIP line; the head-of-office title further up."""
    dipakai = {no_nip}
    nip = _nip(_NIP.match(baris[no_nip - 1]).group(1))
    atas = [(n, baris[n - 1].strip()) for n in range(no_nip - 1, max(0, no_nip - 12), -1) if baris[n - 1].strip()]
    nama = pangkat = None
    if atas and re.search(_PANGKAT, atas[0][1]):
        n, isi = atas[0]
        m = re.search(_PANGKAT, isi)
        pangkat, dipakai = isi[m.start():], dipakai | {n}
        if m.start() > 0:  # name and rank merged on one line
            nama = isi[: m.start()].strip(" ,")
        elif len(atas) > 1:
            nama, dipakai = atas[1][1], dipakai | {atas[1][0]}
    if pangkat and pangkat.startswith("R"):
        hasil.catatan_ocr.append(f'"{pangkat}" -> "P{pangkat[1:]}"')
        pangkat = "P" + pangkat[1:]
    jabatan = None
    for n in range(no_nip - 1, max(0, no_nip - 12), -1):
        if jabatan := _jabatan(baris, n):
            dipakai |= {n}
            break
    if jabatan is None:  # the title may sit on another page of the same decree
        jabatan = next((j for n in range(1, len(baris) + 1)
                        if (j := _jabatan(baris, n)) and len(j.split()) > 3), None)
    hasil._tambah(jalur, {"nama": nama, "pangkat": pangkat, "nip": nip, "jabatan": jabatan}, dipakai)
    return dipakai


_AKTOR = (
    ("pelapor", r"pelapor|kepolisian|instansi berwenang|satpol|pemohon"),
    ("klien", r"klien|anjal|antar\b|ppks|\banak\b"),
    ("petugas_pelayanan", r"petugas|front office|kepada dinas sosial|ke dinas sosial"),
    ("fungsional_peksos", r"fungsional pekerja sosial|fungsional peksos"),
    ("pekerja_sosial", r"(?<!fungsional )pekerja sosial|peksos"),
    ("pendamping_rehsos", r"pendamping rehsos|pendampingan"),
    ("kepala_bidang", r"kepala bidang|kabid|bidang terkait"),
    ("kepala_dinas", r"kepala dinas"),
    ("mitra", r"balai|panti|tksk|disdukcapil|mitra|perangkat desa"),
)
_DOKUMEN = (
    ("berita_acara_serah_terima", r"berita acara serah terima"),
    ("nomor_register", r"register"),
    ("surat_tugas", r"surat tugas"),
    ("form_asesmen", r"ass?es?s?ment|asesmen"),
    ("laporan_sosial", r"laporan sosial"),
    ("rekomendasi_penanganan", r"rekomendasi"),
    ("form_rujukan", r"rujukan"),
    ("surat_pengantar", r"surat pengantar"),
    ("tanda_terima", r"penerimaan|tanda terima"),
)


def pelaksana_dari_teks(teks: str) -> list[str]:
    """Actors named by an activity, in the platform's role codes (checkmark columns rarely survive OCR)."""
    ada = [(m.start(), kode) for kode, pola in _AKTOR for m in [re.search(pola, teks, re.I)] if m]
    return [k for _, k in sorted(ada)]


def dokumen_dari_teks(teks: str | None) -> str | None:
    for kode, pola in _DOKUMEN:
        if teks and re.search(pola, teks, re.I):
            return kode
    return None


def _waktu_sah(teks: str) -> bool:
    try:
        parse_waktu(teks)
        return True
    except DurasiTidakValid:
        return False


def _tabel_sop(baris: list[str], hasil: HasilImpor) -> set[int]:
    mulai = next((n for n, isi in enumerate(baris, 1) if re.search(r"\bKEGIATAN\b", isi) and "\t" in isi), None)
    if mulai is None:
        return set()
    dipakai = {mulai}
    if mulai < len(baris) and re.search(r"KELENGKAPAN|WAKTU|OUTPUT", baris[mulai]):
        dipakai.add(mulai + 1)
    langkah, kode_dipakai = [], set()
    for n in range(mulai + 1, len(baris) + 1):
        sel = [s.strip() for s in baris[n - 1].split("\t")]
        if not re.fullmatch(r"\d{1,2}\.?", sel[0]) or len(sel) < 3:
            continue
        isi = [s for s in sel[1:] if s]
        iw = next((i for i, s in enumerate(isi) if i > 0 and _waktu_sah(s)), None)
        kegiatan = isi[0]
        kelengkapan = isi[iw - 1] if iw and iw > 1 else None
        waktu = isi[iw] if iw else None
        output = isi[iw + 1] if iw is not None and iw + 1 < len(isi) else None
        langkah.append({
            "kode": _kode(kegiatan, kode_dipakai), "kegiatan": kegiatan,
            "pelaksana": pelaksana_dari_teks(kegiatan) or ["petugas_pelayanan"],
            "kelengkapan": kelengkapan, "waktu": waktu, "output": output,
            "dokumen_keluaran": dokumen_dari_teks(output),
        })
        dipakai.add(n)
        hasil._tambah(f"sop.langkah[{len(langkah) - 1}]", langkah[-1], [n])
    for a, b in zip(langkah, langkah[1:]):
        a["berikutnya"] = b["kode"]
    if langkah:
        langkah[-1]["berikutnya"] = None
    return dipakai


_BAGIAN_SOP = (
    ("sop.dasar_hukum", r"DASAR HUKUM\s*:?"),
    ("sop.kualifikasi_pelaksana", r"Kualifikasi pelaksana\s*:?"),
    ("sop.keterkaitan", r"Keterkaitan\s*:?"),
    ("sop.peralatan_perlengkapan", r"Peralatan\s*/?\s*(perlengkapan|kelengkapan)\s*:?"),
    ("sop.peringatan", r"Peringatan\s*:?"),
    ("sop.pencatatan_pendataan", r"Pencatatan dan pendataan\s*:?"),
)


def _bagian_sop(baris: list[str], hasil: HasilImpor) -> set[int]:
    """The SOP-AP form's titled lists ("Kualifikasi pelaksana", "Keterkaitan", ...)."""
    dipakai: set[int] = set()
    for n, isi in enumerate(baris, 1):
        for jalur, pola in _BAGIAN_SOP:
            if "\t" not in isi and re.fullmatch(pola, isi.strip(" *"), re.I):
                butir, no_butir = [], [n]
                for m in range(n + 1, len(baris) + 1):
                    t = baris[m - 1].strip()
                    if not t:
                        continue
                    cocok = re.match(r"^(?:-|\d{1,2}\.)\s+(.+)$", t)
                    if not cocok:
                        break
                    butir.append(_rapikan(cocok.group(1)))
                    no_butir.append(m)
                if butir:
                    hasil._tambah(jalur, butir, no_butir)
                    dipakai |= set(no_butir)
    return dipakai


def _keputusan(baris: list[str], hasil: HasilImpor) -> set[int]:
    dipakai: set[int] = set()
    for n, isi in enumerate(baris, 1):
        t = isi.strip()
        if m := re.search(r"\bNomor\s*:\s*(\S.*)$", t):
            if hasil.nilai("keputusan.nomor") is None:
                hasil._tambah("keputusan.nomor", m.group(1).strip(), [n])
                dipakai.add(n)
        elif m := re.match(r"^No\.?\s*Dokumen\s*:\s*(.*)$", t, re.I):
            hasil._tambah("sop.nomor_dokumen", m.group(1).strip() or None, [n])
            dipakai.add(n)
        elif m := re.match(r"^Tanggal terbit\s*:\s*(.*)$", t, re.I):
            tgl, pasti = baca_tanggal(m.group(1))
            if tgl:
                hasil._tambah("sop.tanggal_terbit", tgl, [n], None if pasti else "sumber hanya memberi bulan dan tahun: dipakai tanggal 1")
                dipakai.add(n)
        elif m := re.match(r"^(?:Pada\s+)?Tanggal\s*:?\s*(.+)$", t, re.I):
            tgl, pasti = baca_tanggal(m.group(1))
            if tgl and hasil.nilai("keputusan.tanggal") is None:
                hasil._tambah("keputusan.tanggal", tgl, [n], None if pasti else "sumber hanya memberi bulan dan tahun: dipakai tanggal 1")
                dipakai.add(n)
        elif m := re.match(r"^Ditetapkan di\s*:?\s*(.+)$", t, re.I):
            hasil._tambah("keputusan.ditetapkan_di", m.group(1).strip(), [n])
            dipakai.add(n)
    nip = [n for n, isi in enumerate(baris, 1) if _NIP.match(isi)]
    for i, n in enumerate(nip[:2]):
        dipakai |= _penandatangan(baris, n, hasil, "keputusan.penandatangan" if i == 0 else "sop.disahkan_oleh")
    return dipakai


def _nama_layanan(baris: list[str], hasil: HasilImpor) -> set[int]:
    for n, isi in enumerate(baris, 1):
        t = isi.strip(" *")
        m = re.match(r"^(?:\d+\.\s*)?Jenis Pelayanan\s*:\s*(.+)$", t, re.I)
        if not m:
            m = re.match(r"^STANDAR PELAYANAN\s+(?!PUBLIK)[“\"]?(.+?)[”\"]?$", t, re.I)
        if m:
            nama = re.sub(r"\s+(pada\s+)?Dinas Sosial.*$", "", m.group(1)).strip()
            hasil._tambah("nama", nama, [n])
            return {n}
    return set()


# PPKS types (Permensos 8/2012 ordinal) recognisable from a service's name.
_PPKS = (
    (1, r"balita terlantar"), (2, r"anak (?:\w+ )?terlantar|\bAT\b"), (3, r"berhadapan dengan hukum|\bABH\b"),
    (4, r"anak jalanan|anjal"), (5, r"anak (?:dengan )?(?:kedisabilitasan|disabilitas)"),
    (6, r"anak korban"), (8, r"lanjut usia|lansia"), (9, r"(?<!anak )(?:penyandang )?disabilitas"),
    (11, r"gelandangan"), (12, r"pengemis"), (17, r"napza|narkotika"), (18, r"trafficking|perdagangan orang"),
    (21, r"bencana alam"), (22, r"bencana sosial"), (24, r"fakir miskin"),
)


def _kategori_ppks(hasil: HasilImpor) -> None:
    u = next((u for u in hasil.usulan if u.jalur == "nama"), None)
    if u is None:
        return
    kategori = [n for n, pola in _PPKS if re.search(pola, str(u.nilai), re.I)]
    if kategori:
        hasil._tambah("kategori_ppks", kategori, u.baris, "diturunkan dari nama layanan: periksa")


def _gabung_dokumen_prosedur(hasil: HasilImpor) -> None:
    """Fold documents found in the procedure row into the requirements, once each."""
    dari = next((u for u in hasil.usulan if u.jalur.endswith("dokumen_dari_prosedur")), None)
    if dari is None:
        return
    hasil.usulan.remove(dari)
    jalur = "penyampaian_pelayanan.persyaratan.dokumen"
    lama = next((u for u in hasil.usulan if u.jalur == jalur), None)
    dokumen = list(lama.nilai) if lama else []
    dipakai = {d["kode"] for d in dokumen}
    kata = lambda t: set(re.findall(r"\w+", t.lower()))  # noqa: E731
    for nama in dari.nilai:
        sama = next((d for d in dokumen if len(kata(nama) & kata(d["nama"])) * 4 >= len(kata(nama) | kata(d["nama"])) * 3), None)
        if sama is None:
            dokumen.append(dokumen_syarat(nama, dipakai))
    if lama:
        hasil.usulan.remove(lama)
    hasil._tambah(jalur, dokumen, (lama.baris if lama else ()) + dari.baris, dari.catatan)


def impor_teks(teks: str) -> HasilImpor:
    """Propose a draft service from a decree's text; every value names its source lines."""
    hasil = HasilImpor()
    baris = teks.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    dipakai = _nama_layanan(baris, hasil) | _keputusan(baris, hasil)
    dipakai |= _bagian_sop(baris, hasil)
    dipakai_sop = _tabel_sop(baris, hasil)
    batas = min(dipakai_sop) if dipakai_sop else len(baris) + 1
    tabel, dipakai_tabel = _baris_tabel(_bertab(baris[: batas - 1]))
    _sambung_yatim(tabel)
    sudah: set[str] = set()
    for b in tabel:
        if b.komponen in sudah:
            continue  # a second row for the same component: leave its lines unplaced
        sudah.add(b.komponen)
        isi = _perbaiki_ulang(_tanpa_html(" ".join(p for _, p in b.potongan)), hasil.catatan_ocr)
        if isi:
            _komponen(hasil, b, isi)
            dipakai |= set(b.label) | {n for n, _ in b.potongan}
    dipakai |= dipakai_tabel | dipakai_sop
    _gabung_dokumen_prosedur(hasil)
    _kategori_ppks(hasil)
    hasil.tak_terpakai = [(n, isi) for n, isi in enumerate(baris, 1) if n not in dipakai and isi.strip()]
    return hasil


def impor_pdf(data: bytes) -> HasilImpor:
    """Read a PDF's text layer (no OCR here) and import it; ValueError when it has none."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        halaman = PdfReader(io.BytesIO(data)).pages
        teks = "\n".join((h.extract_text() or "") for h in halaman)
    except (PdfReadError, ValueError, KeyError) as e:
        raise ValueError(f"Berkas PDF tidak dapat dibaca: {e}") from e
    if not teks.strip():
        raise ValueError("PDF ini tidak punya lapisan teks (hasil pindai); salin teks hasil OCR lalu tempel.")
    return impor_teks(teks)
