"""The form editor of a draft's files: a YAML document shown as fields, and a posted form applied back onto it.

YAML stays the storage. The file is read with ruamel.yaml's round-trip mode
and a posted form changes, in place, only the values that differ from the
file; so comments (the provenance notes the format guide asks for), quoting,
flow lists and key order survive an edit made in the form, and saving an
unchanged form gives the same bytes. The form is built from the schema
(:mod:`dinsos.catalogue.skema`): every field the validator knows, pickers
for its fixed vocabularies, durations only in the forms the deadline parser
reads, branches by picking a step. Plain data in and out; the view saves.

Form names are the path in the file joined by dots (``sop.langkah.2.kode``).
A list posts ``<path>.<i>.__asal`` per row (the row's index in the file, or
empty for a new row) so rows can be reordered, removed and added without
JavaScript: the buttons post ``aksi=tambah:<path>``, ``naik:<path>:<i>``,
``turun:<path>:<i>`` or ``hapus:<path>:<i>``.
"""
from __future__ import annotations

import datetime as dt
import io
import re

from marshmallow import fields as mf
from marshmallow import validate
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from dinsos.catalogue.skema.cek import cek_waktu
from dinsos.catalogue.skema.kosakata import KOMPONEN_PENGELOLAAN, KOMPONEN_PENYAMPAIAN
from dinsos.catalogue.skema.layanan import SKEMA_ATURAN, AturanWaktu, LayananSchema
from dinsos.catalogue.skema.medan import Bilangan, Tanggal, YaTidak
from dinsos.catalogue.skema.tenant import TenantSchema
from dinsos.catalogue.tampilan import JENIS_PPKS
from dinsos.core.kalender import DurasiTidakValid, parse_waktu

_TIDAK_ADA = object()  # a key absent from the file (or to be left absent)

# Duration units the picker offers: each "<n> <unit>" is read by parse_waktu, and back.
SATUAN_WAKTU = (
    ("menit", "menit"), ("jam", "jam"), ("jam_kalender", "jam kalender"), ("hari_kerja", "hari kerja"),
    ("hari", "hari kalender"), ("minggu", "minggu"), ("bulan", "bulan"), ("tahun", "tahun"),
)
_TEKS_SATUAN = dict(SATUAN_WAKTU)

LABEL = {
    **KOMPONEN_PENYAMPAIAN, **KOMPONEN_PENGELOLAAN,
    "kode": "Kode", "nama": "Nama", "kategori_ppks": "Kategori PPKS (Permensos 8/2012)",
    "menerima_rujukan": "Menerima rujukan dari kantor lain", "keputusan": "Keputusan (SK) penetapan",
    "penyampaian_pelayanan": "Komponen penyampaian pelayanan", "pengelolaan_pelayanan": "Komponen pengelolaan pelayanan",
    "sop": "SOP", "langkah": "Langkah SOP", "kegiatan": "Kegiatan", "pelaksana": "Pelaksana",
    "kelengkapan": "Kelengkapan", "waktu": "Waktu (mutu baku)", "output": "Output",
    "dokumen_keluaran": "Dokumen keluaran (jenis surat)", "berikutnya": "Langkah berikutnya", "cabang": "Cabang",
    "kondisi": "Kondisi", "ke": "Menuju langkah", "isian": "Isian formulir langkah", "hasil_akhir": "Hasil akhir",
    "catatan_ocr": "Catatan OCR dan sumber", "uraian": "Uraian", "aturan": "Aturan hitungan waktu",
    "jenis": "Jenis", "nilai": "Nilai", "label": "Label", "penerbit": "Penerbit", "wajib": "Wajib",
    "keterangan": "Keterangan", "kriteria": "Kriteria", "dokumen": "Dokumen", "gratis": "Gratis",
    "sarana": "Sarana pengaduan", "tindak_lanjut": "Tindak lanjut", "nomor": "Nomor", "tanggal": "Tanggal",
    "ditetapkan_di": "Ditetapkan di", "penandatangan": "Penandatangan", "pangkat": "Pangkat", "nip": "NIP",
    "jabatan": "Jabatan", "minimal": "Minimal (hari kerja)", "maksimal": "Maksimal (hari kerja)",
    "mulai": "Mulai dihitung", "jumlah": "Jumlah", "satuan": "Satuan", "selesai_saat": "Selesai saat",
    "tinjauan_berkala": "Tinjauan berkala", "nomor_dokumen": "Nomor dokumen", "tanggal_terbit": "Tanggal terbit",
    "disahkan_oleh": "Disahkan oleh", "slug": "Slug", "tingkat": "Tingkat", "provinsi_induk": "Provinsi induk",
    "kode_wilayah": "Kode wilayah", "zona_waktu": "Zona waktu", "alamat": "Alamat", "kanal_kontak": "Kanal kontak",
    "kepala_dinas": "Kepala dinas", "kop_surat": "Kop surat", "baris": "Baris", "format_nomor": "Format nomor",
    "register": "Nomor register", "surat": "Nomor surat", "jam_kerja": "Jam kerja", "maklumat": "Maklumat pelayanan",
    "hari_libur_daerah": "Hari libur daerah", "hari_kerja_tambahan": "Hari kerja tambahan", "pilihan": "Pilihan",
    "penanda_asal": "Nilai yang tidak tercantum dalam keputusan (penanda asal)",
    "bagian": "Bagian (jalur di berkas, mis. sop.langkah.serah-terima.waktu)", "asal": "Asal", "alasan": "Alasan",
    "pihak": "Pihak (pemohon: dibawa pemohon; kantor: catatan kantor dibuat platform)",
    "nomor_register": "Nomor register diberikan saat (berkas_lengkap atau langkah)",
}

SKEMA_BERKAS = {"tenant": TenantSchema, "layanan": LayananSchema}


class SuntingDitolak(ValueError):
    """The file cannot be shown as a form (its YAML does not parse); the message is for the admin."""


def skema_untuk(nama_berkas: str):
    return TenantSchema if nama_berkas == "tenant.yaml" else LayananSchema


# --- reading and writing the document ---------------------------------------------------------


def _yaml(teks: str) -> YAML:
    """A round-trip parser set to the file's own layout: list indentation and line width.

    ruamel keeps comments and quoting but not where a long plain value was
    wrapped; so the width is the one that writes the file back unchanged
    (hand-written seeds: never wrap; an export of ``tulis_yaml``: 100).
    """
    for lebar in (4096, 100, 80):
        y = _yaml_dengan(teks, lebar)
        try:
            keluar = io.StringIO()
            y.dump(y.load(teks), keluar)
        except YAMLError:
            break
        if keluar.getvalue() == teks:
            return _yaml_dengan(teks, lebar)
    return _yaml_dengan(teks, 4096)


def _yaml_dengan(teks: str, lebar: int) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = lebar
    # the format guide writes a value the source does not give as an explicit null
    y.representer.add_representer(type(None), lambda r, _d: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    baris = teks.splitlines()
    sebelah = False
    for i, b in enumerate(baris):
        m = re.match(r"^(\s*)- ", b)
        if m and i:
            induk = next((p for p in reversed(baris[:i]) if p.strip() and not p.lstrip().startswith("#")), "")
            sebelah = len(m[1]) == len(induk) - len(induk.lstrip())
            break
    if sebelah:
        y.indent(mapping=2, sequence=2, offset=0)
    else:
        y.indent(mapping=2, sequence=4, offset=2)
    return y


def baca(teks: str):
    """The file as a round-trip document (a CommentedMap)."""
    try:
        dok = _yaml(teks).load(teks)
    except YAMLError as galat:
        raise SuntingDitolak(f"Berkas ini belum dapat dibuka sebagai formulir: YAML-nya salah ({galat}). "
                             "Perbaiki di tampilan YAML.") from None
    if dok is None:
        dok = CommentedMap()
    if not isinstance(dok, CommentedMap):
        raise SuntingDitolak("Berkas ini belum dapat dibuka sebagai formulir: isinya bukan pemetaan (kunci: nilai).")
    return dok


def tulis(dok, teks_asal: str) -> str:
    keluar = io.StringIO()
    _yaml(teks_asal).dump(dok, keluar)
    return keluar.getvalue()


# --- the form, as plain data for the template --------------------------------------------------


def _pilihan_dari(medan) -> tuple | None:
    for v in medan.validators:
        if isinstance(v, validate.OneOf):
            return tuple(v.choices)
    return None


def _waktu(medan) -> bool:
    return cek_waktu in medan.validators


def _teks(nilai) -> str:
    if nilai is None or nilai is _TIDAK_ADA:
        return ""
    if isinstance(nilai, bool):
        return "true" if nilai else "false"
    return str(nilai)


class _Konteks:
    def __init__(self, dok, galat: dict[str, list[str]], ekstra: dict):
        self.galat = galat
        self.dipakai: set[str] = set()
        langkah = (dok.get("sop") or {}).get("langkah") if isinstance(dok.get("sop"), dict) else None
        self.kode_langkah = [l.get("kode") for l in (langkah or []) if isinstance(l, dict) and isinstance(l.get("kode"), str)]
        self.ekstra = ekstra

    def ambil_galat(self, kunci: str) -> list[str]:
        self.dipakai.add(kunci)
        return self.galat.get(kunci, [])


def _bidang(nilai, medan, kunci: str, nama: str, k: _Konteks) -> dict:
    b = {"kunci": kunci, "nama": nama, "label": LABEL.get(nama, nama.replace("_", " ").capitalize()),
         "wajib": medan.required, "boleh_kosong": medan.allow_none, "galat": k.ambil_galat(kunci),
         "id": "f-" + kunci.replace(".", "-")}
    if isinstance(medan, AturanWaktu):
        jenis = nilai.get("jenis") if isinstance(nilai, dict) else None
        skema = SKEMA_ATURAN.get(jenis)
        anak = [] if skema is None else [
            _bidang(nilai.get(n, _TIDAK_ADA), m, f"{kunci}.{n}", n, k) for n, m in skema().fields.items() if n != "jenis"
        ]
        return {**b, "jenis": "aturan", "nilai": jenis or "", "pilihan": [(j, j.replace("_", " ")) for j in SKEMA_ATURAN],
                "anak": anak, "galat_jenis": k.ambil_galat(f"{kunci}.jenis")}
    if isinstance(medan, mf.Nested):
        isi = nilai if isinstance(nilai, dict) else {}
        anak = [_bidang(isi.get(n, _TIDAK_ADA), m, f"{kunci}.{n}", n, k) for n, m in medan.schema.fields.items()]
        return {**b, "jenis": "peta", "anak": anak, "null": nilai is None}
    if isinstance(medan, mf.List):
        dalam = medan.inner
        butir = nilai if isinstance(nilai, list) else []
        if nama == "kategori_ppks":
            return {**b, "jenis": "centang", "nilai": [_teks(v) for v in butir],
                    "pilihan": [(str(i), f"{i}. {n}") for i, n in enumerate(JENIS_PPKS, start=1)]}
        if _pilihan_dari(dalam):
            return {**b, "jenis": "centang", "nilai": [_teks(v) for v in butir],
                    "pilihan": [(p, p.replace("_", " ")) for p in _pilihan_dari(dalam)]}
        baris = [_bidang(v, dalam, f"{kunci}.{i}", nama, k) | {"label": f"{i + 1}"} for i, v in enumerate(butir)]
        for i, r in enumerate(baris):
            r["asal"] = i
        return {**b, "jenis": "daftar", "baris": baris}
    if isinstance(medan, YaTidak):
        return {**b, "jenis": "yatidak", "nilai": _teks(nilai)}
    if _waktu(medan):
        jumlah, satuan = "", ""
        if isinstance(nilai, str):
            try:
                d = parse_waktu(nilai)
                jumlah, satuan = str(d.jumlah), d.satuan
            except DurasiTidakValid:
                pass
        return {**b, "jenis": "waktu", "nilai": _teks(nilai), "jumlah": jumlah, "satuan": satuan,
                "pilihan": list(SATUAN_WAKTU)}
    if nama in ("berikutnya", "ke") and ".langkah." in kunci:
        pilihan = [(c, c) for c in k.kode_langkah]
        return {**b, "jenis": "pilih", "nilai": _teks(nilai), "pilihan": pilihan, "boleh_kosong": False,
                "kosong": "— langkah terakhir —" if nama == "berikutnya" else "— pilih langkah —"}
    if nama == "zona_waktu":
        from .forms import ZONA

        return {**b, "jenis": "pilih", "nilai": _teks(nilai), "pilihan": [(z, str(l)) for z, l in ZONA], "kosong": None}
    if nama == "provinsi_induk" and "provinsi" in k.ekstra:
        return {**b, "jenis": "pilih", "nilai": _teks(nilai), "pilihan": k.ekstra["provinsi"],
                "kosong": "— tidak ada (kantor provinsi) —"}
    pilihan = _pilihan_dari(medan)
    if pilihan:
        return {**b, "jenis": "pilih", "nilai": _teks(nilai), "pilihan": [(p, p.replace("_", " ")) for p in pilihan],
                "kosong": "— tidak ada —" if medan.allow_none or not medan.required else None}
    if isinstance(medan, Bilangan):
        return {**b, "jenis": "angka", "nilai": _teks(nilai)}
    if isinstance(medan, Tanggal):
        return {**b, "jenis": "tanggal", "nilai": _teks(nilai)}
    teks = _teks(nilai)
    panjang = "\n" in teks or len(teks) > 90 or nama in ("maklumat", "uraian", "kegiatan", "kelengkapan")
    return {**b, "jenis": "teks_panjang" if panjang else "teks", "nilai": teks}


def kunci_dari_jalur(jalur: str) -> str:
    """A validator path (``sop.langkah[2].kode``) as a form name (``sop.langkah.2.kode``)."""
    return re.sub(r"\[(\d+)\]", r".\1", jalur)


def formulir(dok, skema, kesalahan=(), **ekstra) -> tuple[list[dict], list]:
    """The fields of the form for a document, each with its errors; and the errors no field shows."""
    galat: dict[str, list[str]] = {}
    for k in kesalahan:
        galat.setdefault(kunci_dari_jalur(k.jalur), []).append(k.pesan)
    konteks = _Konteks(dok, galat, ekstra)
    bidang = [_bidang(dok.get(n, _TIDAK_ADA), m, n, n, konteks) for n, m in skema().fields.items()]
    sisa = [k for k in kesalahan if kunci_dari_jalur(k.jalur) not in konteks.dipakai]
    return bidang, sisa


# --- applying a posted form onto the document -------------------------------------------------


def _aksi(teks: str | None) -> tuple[str, str, int | None] | None:
    if not teks:
        return None
    jenis, _, sisa = teks.partition(":")
    if jenis == "tambah":
        return jenis, sisa, None
    kunci, _, i = sisa.rpartition(":")
    if jenis in ("naik", "turun", "hapus") and i.isdigit():
        return jenis, kunci, int(i)
    return None


def _ada(form, kunci: str) -> bool:
    awal = kunci + "."
    return any(n == kunci or n.startswith(awal) for n in form)


def _skalar(lama, medan, kunci: str, form):
    if _waktu(medan) and f"{kunci}.__satuan" in form:
        satuan, jumlah = form.get(f"{kunci}.__satuan", ""), form.get(f"{kunci}.__jumlah", "").strip()
        if not satuan:
            return _kosong_skalar(lama, medan)
        baru = f"{jumlah} {_TEKS_SATUAN.get(satuan, satuan)}"
        if isinstance(lama, str):
            try:
                if parse_waktu(lama) == parse_waktu(baru):
                    return lama  # "1 (satu) tahun" stays as the decree wrote it
            except DurasiTidakValid:
                pass
        return baru
    if kunci not in form:
        return lama
    teks = form.get(kunci, "").replace("\r\n", "\n")
    if isinstance(lama, (dict, list)) and teks == _teks(lama):
        return lama  # a mapping or list where a value belongs: left for the YAML view, not flattened to text
    if isinstance(medan, YaTidak):
        if teks == "false" and lama is _TIDAK_ADA and not medan.required:
            return _TIDAK_ADA  # an optional switch the file leaves out means "no": it stays out
        return {"true": True, "false": False}.get(teks, _kosong_skalar(lama, medan) if not teks else teks)
    if not teks.strip():
        return _kosong_skalar(lama, medan)
    if isinstance(medan, Bilangan):
        return int(teks) if re.fullmatch(r"-?\d+", teks.strip()) else teks
    if isinstance(medan, Tanggal):
        try:
            return dt.date.fromisoformat(teks.strip())
        except ValueError:
            return teks
    return teks


def _kosong_skalar(lama, medan):
    if medan.allow_none:
        return None
    if not medan.required:
        return _TIDAK_ADA
    # null, not '': the validator says beside the field that it must be filled in, and the
    # value typed later is written plain (ruamel keeps a key's quoting when its value changes)
    return None


def _kosong(medan):
    """A new, empty row for a list of ``medan``."""
    if isinstance(medan, AturanWaktu):
        return CommentedMap(jenis="hari_kerja")
    if isinstance(medan, mf.Nested):
        baru = CommentedMap()
        for n, m in medan.schema.fields.items():
            if m.required:
                baru[n] = _kosong(m)
        return baru
    if isinstance(medan, mf.List):
        return CommentedSeq()
    if isinstance(medan, YaTidak):
        return False
    return None


def _terapkan(lama, medan, kunci: str, form, aksi):
    if isinstance(medan, AturanWaktu):
        jenis = form.get(f"{kunci}.jenis")
        peta = lama if isinstance(lama, CommentedMap) else CommentedMap()
        if jenis and jenis != peta.get("jenis") and jenis in SKEMA_ATURAN:
            baru = CommentedMap(jenis=jenis)
            for n, m in SKEMA_ATURAN[jenis]().fields.items():
                if n != "jenis" and m.required:
                    baru[n] = _kosong(m)
            return baru
        skema = SKEMA_ATURAN.get(peta.get("jenis"))
        return _terapkan_peta(peta, skema(), kunci, form, aksi) if skema else peta
    if isinstance(medan, mf.Nested):
        # every field of a mapping the source leaves out (a head of office, a signer) left empty: null
        kosong = not any(v.strip() for n in form if n.startswith(kunci + ".") and "__" not in n for v in form.getlist(n))
        if kosong and medan.allow_none:
            return None
        if kosong and not medan.required and (lama is None or lama is _TIDAK_ADA):
            return _TIDAK_ADA
        peta = lama if isinstance(lama, CommentedMap) else CommentedMap()
        hasil = _terapkan_peta(peta, medan.schema, kunci, form, aksi)
        if lama is _TIDAK_ADA and not hasil:
            return _TIDAK_ADA
        return hasil
    if isinstance(medan, mf.List):
        return _terapkan_daftar(lama, medan, kunci, form, aksi)
    return _skalar(lama, medan, kunci, form)


def _terapkan_peta(peta: CommentedMap, skema, awalan: str, form, aksi) -> CommentedMap:
    for nama, medan in skema.fields.items():
        kunci = f"{awalan}.{nama}" if awalan else nama
        if not _ada(form, kunci):
            continue  # not on the form: left as the file has it
        lama = peta.get(nama, _TIDAK_ADA)
        baru = _terapkan(lama, medan, kunci, form, aksi)
        if baru is _TIDAK_ADA:
            if nama in peta:
                del peta[nama]
        elif lama is _TIDAK_ADA or baru is not lama and not _sama(lama, baru):
            peta[nama] = baru
    return peta


def _sama(a, b) -> bool:
    """Equal as values of the file (a quoted "1" is not the number 1; ruamel's own str/int subclasses compare as such)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, dt.date) or isinstance(b, dt.date):
        return str(a) == str(b)
    if isinstance(a, str) and isinstance(b, str):
        return str(a) == str(b)
    if isinstance(a, int) and isinstance(b, int):
        return int(a) == int(b)
    return a is None and b is None


def _terapkan_daftar(lama, medan, kunci: str, form, aksi):
    dalam = medan.inner
    asli = lama if isinstance(lama, list) else []
    if kunci in form or f"{kunci}.__centang" in form:  # a checkbox group: keep the file's order
        dipilih = form.getlist(kunci)
        if isinstance(dalam, Bilangan):
            dipilih = [int(v) for v in dipilih if v.isdigit()]
        tetap = [v for v in asli if v in dipilih]
        baru = tetap + [v for v in dipilih if v not in tetap]
        if baru == list(asli) and isinstance(lama, list):
            return lama
        if not baru and lama is not _TIDAK_ADA and lama is not None and not isinstance(lama, list):
            return lama
        if not baru and lama is _TIDAK_ADA and not medan.required:
            return _TIDAK_ADA  # an optional list the file leaves out stays out when nothing is ticked
        return _isi_ulang(lama, baru, medan)
    nomor = sorted({int(m[1]) for n in form if (m := re.fullmatch(re.escape(kunci) + r"\.(\d+)\.__asal", n))})
    baris = []
    for i in nomor:
        asal = form.get(f"{kunci}.{i}.__asal", "")
        butir_lama = asli[int(asal)] if asal.isdigit() and int(asal) < len(asli) else _TIDAK_ADA
        if butir_lama is _TIDAK_ADA:
            butir_lama = _kosong(dalam)
        butir = _terapkan(butir_lama, dalam, f"{kunci}.{i}", form, aksi)
        baris.append(butir_lama if butir is _TIDAK_ADA else butir)
    if aksi and aksi[1] == kunci:
        jenis, _k, i = aksi
        if jenis == "tambah":
            baris.append(_kosong(dalam))
        elif i is not None and i < len(baris):
            if jenis == "hapus":
                del baris[i]
            elif jenis == "naik" and i > 0:
                baris[i - 1], baris[i] = baris[i], baris[i - 1]
            elif jenis == "turun" and i + 1 < len(baris):
                baris[i + 1], baris[i] = baris[i], baris[i + 1]
    if isinstance(lama, list) and len(baris) == len(lama) and all(a is b or _sama(a, b) for a, b in zip(lama, baris)):
        return lama
    if lama is not _TIDAK_ADA and lama is not None and not isinstance(lama, list) and not baris:
        return lama  # not a list in the file (an error shown beside it): kept for the YAML view, not emptied
    if lama is _TIDAK_ADA and not baris and not medan.required:
        return _TIDAK_ADA
    return _isi_ulang(lama, baris, medan)


def _isi_ulang(lama, baru: list, medan):
    """The file's own list object with new rows (its flow style and its comments stay with it)."""
    if isinstance(lama, CommentedSeq):
        kept = dict(lama.ca.items)
        lama.clear()
        lama.extend(baru)
        # a comment after row i stays after row i while that row exists
        lama.ca.items.update({i: v for i, v in kept.items() if i < len(baru)})
        return lama
    seq = CommentedSeq(baru)
    return seq


def terapkan(teks: str, nama_berkas: str, form, aksi_teks: str | None = None) -> str:
    """The file's text with the posted form applied onto it (the whole form, then one row action)."""
    dok = baca(teks)
    _terapkan_peta(dok, skema_untuk(nama_berkas)(), "", form, _aksi(aksi_teks))
    return tulis(dok, teks)
