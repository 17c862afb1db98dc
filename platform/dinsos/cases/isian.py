"""Checking the answers to a step's form fields (``isian`` in the SOP). Pure functions.

Each field has ``nama``, ``label``, ``jenis`` (teks, teks_panjang, tanggal,
ya_tidak, pilihan), optional ``pilihan`` and ``wajib``. Answers come from an
HTML form (strings) or the API (JSON values); both give the same clean values:
text, an ISO date, a boolean, or one of the choices.

A step whose letter is addressed to someone (``SURAT_BERALAMAT``, or a
berita acara by which the office hands the client over: ``serah_terima_keluar``)
also asks for the recipient, whatever its service's SOP declares:
``isian_langkah`` adds those fields, and everything that shows, checks or
prints a step's fields reads them from there.
"""
from datetime import date

PANJANG_MAKS = {"teks": 500, "teks_panjang": 20000}

# Letters that print an addressee: the step that issues one must say to whom and where.
SURAT_BERALAMAT = ("surat_pengantar", "form_rujukan", "permintaan_litmas", "permohonan_biometrik")
BERITA_ACARA = "berita_acara_serah_terima"
TANDA_TERIMA = "tanda_terima"
ISIAN_TUJUAN = (
    {"nama": "tujuan_surat", "label": "Tujuan surat", "jenis": "teks", "wajib": True},
    {"nama": "alamat_tujuan", "label": "Alamat tujuan", "jenis": "teks", "wajib": True},
)
# The same two answers, as a hand-over's staff would name them.
LABEL_PENERIMA = {"tujuan_surat": "Pihak penerima (panti, balai atau keluarga)", "alamat_tujuan": "Alamat pihak penerima"}
# On a hand-over to someone else, the person who signs for the receiving party: known only at the hand-over
# itself, so optional (the berita acara then leaves the name to be written by hand).
ISIAN_WAKIL_PENERIMA = (
    {"nama": "nama_penerima", "label": "Nama orang yang menerima (wakil pihak penerima)", "jenis": "teks"},
    {"nama": "jabatan_penerima", "label": "Jabatan orang yang menerima", "jenis": "teks"},
)


def isian_langkah(definisi: dict) -> list[dict]:
    """A step's form fields: those of its SOP, then the recipient of its letter when the letter needs one.

    A service that already declares a field of the same name keeps its own.
    """
    isian = list(definisi.get("isian") or [])
    if beralamat(definisi):
        ada = {d["nama"] for d in isian}
        keluar = serah_terima_keluar(definisi)
        label = LABEL_PENERIMA if keluar else {}
        tambahan = ISIAN_TUJUAN + (ISIAN_WAKIL_PENERIMA if keluar else ())
        isian += [dict(d, label=label.get(d["nama"], d["label"])) for d in tambahan if d["nama"] not in ada]
    return isian


def serah_terima_keluar(definisi: dict) -> bool:
    """Whether a hand-over step's berita acara is the office handing the client to someone else.

    The seeds write both directions as one kind of letter: a reporter handing a
    child to the office (the reporter is among the step's actors, as in
    Magetan's "serah-terima") and the office taking a client to a panti or balai
    (no reporter: Metro's "antar-ke-panti", Banten's "serah-terima-penempatan").
    The parties swap, and the receiving party must be named. A step may say
    its direction (``arah``): Magetan's last step is the Balai's receipt
    (tanda terima) of the child the office delivers, ``arah: keluar``.
    """
    if definisi.get("arah"):
        return definisi["arah"] == "keluar" and definisi.get("dokumen_keluaran") in (BERITA_ACARA, TANDA_TERIMA)
    return definisi.get("dokumen_keluaran") == BERITA_ACARA and "pelapor" not in (definisi.get("pelaksana") or [])


def beralamat(definisi: dict) -> bool:
    """Whether the step's letter names a recipient the step must ask for."""
    return definisi.get("dokumen_keluaran") in SURAT_BERALAMAT or serah_terima_keluar(definisi)


_YA = {"ya", "y", "true", "1", "on"}
_TIDAK = {"tidak", "t", "false", "0", "off"}


def _kosong(nilai) -> bool:
    return nilai is None or (isinstance(nilai, str) and not nilai.strip())


def _bersihkan(definisi: dict, nilai):
    """(clean value, None) or (None, Indonesian error)."""
    jenis, label = definisi["jenis"], definisi["label"]
    if jenis in PANJANG_MAKS:
        if not isinstance(nilai, str):
            return None, f"{label}: harus berupa teks."
        teks = nilai.strip()
        if len(teks) > PANJANG_MAKS[jenis]:
            return None, f"{label}: paling banyak {PANJANG_MAKS[jenis]} karakter (terisi {len(teks)})."
        return teks, None
    if jenis == "tanggal":
        try:
            return date.fromisoformat(str(nilai).strip()).isoformat(), None
        except ValueError:
            return None, f"{label}: tanggal tidak valid; tulis TTTT-BB-HH, mis. 2026-05-04."
    if jenis == "ya_tidak":
        if isinstance(nilai, bool):
            return nilai, None
        teks = str(nilai).strip().lower()
        if teks in _YA:
            return True, None
        if teks in _TIDAK:
            return False, None
        return None, f"{label}: pilih ya atau tidak."
    if jenis == "pilihan":
        if nilai in definisi.get("pilihan", []):
            return nilai, None
        return None, f"{label}: pilih salah satu dari {', '.join(definisi.get('pilihan', []))}."
    return None, f"{label}: jenis isian '{jenis}' tidak dikenal."


def periksa_isian(daftar: list[dict], jawaban: dict) -> tuple[dict, dict]:
    """Validate answers against a step's fields. Returns (clean answers, errors by field name).

    Required fields must be answered; unknown field names are refused, so a
    typo in an API call is not silently dropped.
    """
    bersih, kesalahan = {}, {}
    dikenal = {d["nama"] for d in daftar}
    for nama in sorted(set(jawaban) - dikenal):
        kesalahan[nama] = f"Isian '{nama}' tidak ada pada langkah ini."
    for d in daftar:
        nilai = jawaban.get(d["nama"])
        if _kosong(nilai):
            if d.get("wajib"):
                kesalahan[d["nama"]] = f"{d['label']}: wajib diisi."
            continue
        hasil, galat = _bersihkan(d, nilai)
        if galat:
            kesalahan[d["nama"]] = galat
        else:
            bersih[d["nama"]] = hasil
    return bersih, kesalahan


def tampilkan(definisi: dict, nilai) -> str:
    """An answer as a person reads it."""
    if nilai is None:
        return ""
    if definisi["jenis"] == "ya_tidak":
        return "Ya" if nilai else "Tidak"
    if definisi["jenis"] == "tanggal":
        try:
            return date.fromisoformat(nilai).strftime("%d-%m-%Y")
        except ValueError:
            return str(nilai)
    return str(nilai)
