"""Letters of a case: each SOP step's output letter, the notice of missing documents, the closing letter.

What a letter must show is first gathered from the case as plain data
(``data_dokumen``, ``data_pemberitahuan_kekurangan``; the client masked on
confidential cases), then one adapter (``surat_untuk_langkah``) turns it into
the data ``documents.surat`` prints. Every letter is issued about the case
itself (``objek_jenis="kasus"``), so one rule decides who may download any of
them: the rule of the case's attachments (``boleh_buka_surat``). Step and
closing letters are issued inside the caller's transaction, after the case is
locked (``perubahan.kunci_versi``), so a refused letter leaves the step undone and a
rolled-back step leaves no letter.
"""
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import undefer

from dinsos.auth.models import Pengguna
from dinsos.core.db import db, sekarang
from dinsos.core.tenant import tenant_aktif
from dinsos.documents.models import SuratTerbit
from dinsos.documents.surat import JENIS_SURAT, DataSuratTidakLengkap, daftar_surat, terbitkan_surat
from dinsos.izin import boleh
from dinsos.surveys.services import buat_token_survei, tautan_survei
from dinsos.tenancy.models import Tenant

from . import akses
from . import klien as klien_svc
from .baca import layanan_kasus, muat_kasus, persyaratan_kurang, tanggal_lokal, versi_kasus
from .isian import ISIAN_TUJUAN, ISIAN_WAKIL_PENERIMA, beralamat, isian_langkah, serah_terima_keluar, tampilkan
from .konstanta import NAMA_PERAN, PERSYARATAN_DITERIMA
from .models import Kasus, LangkahKasus, TindakanKasus
from .nik import samarkan as samarkan_nik
from .perubahan import KesalahanKasus, catat_peristiwa_kasus

OBJEK = "kasus"
PEMBERITAHUAN = "pemberitahuan_kekurangan_berkas"
SURAT_SELESAI = "surat_selesai_layanan"
LEMBAR_DISPOSISI = "lembar_disposisi"
_TUJUAN, _ALAMAT = (d["nama"] for d in ISIAN_TUJUAN)
_WAKIL, _JABATAN_WAKIL = (d["nama"] for d in ISIAN_WAKIL_PENERIMA)


# --- what the case knows for its letters ------------------------------------------------


def _kantor() -> dict:
    t = db.session.get(Tenant, tenant_aktif())
    return {"nama": t.nama, "slug": t.slug, "kode_wilayah": t.kode_wilayah, "alamat": t.alamat, "zona_waktu": t.zona_waktu}


def _klien_untuk_surat(kasus: Kasus, pada: datetime) -> dict:
    """The client as a letter may show it: initials and a masked NIK for confidential cases."""
    k = kasus.klien
    nama = klien_svc.nama_klien(k)
    return {
        "nama": klien_svc.samarkan_nama(nama) if kasus.rahasia and k.nama else nama,
        "tanpa_identitas": k.tanpa_identitas,
        "nik": samarkan_nik(k.nik) if kasus.rahasia else k.nik,
        "jenis_kelamin": k.jenis_kelamin,
        "umur": klien_svc.umur(k, tanggal_lokal(pada)),
        "alamat": None if kasus.rahasia else k.alamat,
        "kategori_ppks": k.kategori_ppks,
        "dirahasiakan": kasus.rahasia,
    }


def _data_petugas(pengguna_id) -> dict | None:
    if pengguna_id is None:
        return None
    orang = db.session.scalar(select(Pengguna).where(Pengguna.id == pengguna_id))
    return {"id": orang.id, "nama": orang.nama, "nip": orang.nip, "peran": list(orang.peran)} if orang else None


def data_dokumen(kasus: Kasus, langkah: LangkahKasus) -> dict:
    """Everything the step's ``dokumen_keluaran`` letter must show, as plain data.

    The documents capability renders it (``terbitkan_surat(jenis, data=...)``).
    """
    v = versi_kasus(kasus)
    layanan = layanan_kasus(kasus)
    definisi = v.langkah(langkah.kode)
    pada = langkah.selesai_pada or langkah.mulai_pada
    jawaban = langkah.isian or {}
    return {
        "jenis": langkah.dokumen_keluaran,
        "kantor": _kantor(),
        "layanan": {"kode": layanan.kode, "nama": layanan.nama, "versi": v.versi},
        "kasus": {"id": kasus.id, "nomor_register": kasus.nomor_register, "diterima_pada": kasus.diterima_pada,
                  "berkas_lengkap_pada": kasus.berkas_lengkap_pada},
        "pelapor": {"jenis": kasus.pelapor_jenis, "nama": kasus.pelapor_nama, "instansi": kasus.pelapor_instansi,
                    "surat_nomor": kasus.surat_nomor, "surat_tanggal": kasus.surat_tanggal},
        "klien": _klien_untuk_surat(kasus, pada),
        "langkah": {"id": langkah.id, "kode": langkah.kode, "kegiatan": definisi["kegiatan"], "kelengkapan": definisi.get("kelengkapan"),
                    "output": definisi.get("output"), "waktu": langkah.waktu, "mulai_pada": langkah.mulai_pada,
                    "selesai_pada": langkah.selesai_pada, "cabang_ke": langkah.cabang_ke},
        "isian": [{"nama": d["nama"], "label": d["label"], "nilai": tampilkan(d, jawaban.get(d["nama"]))}
                  for d in isian_langkah(definisi)],
        "petugas": _data_petugas(langkah.dikerjakan_oleh_id),
        "penanggung_jawab": _data_petugas(kasus.penanggung_jawab_id),
        "tanggal": pada,
    }


def data_pemberitahuan_kekurangan(kasus: Kasus, pada: datetime | None = None) -> dict:
    """The notice of missing documents for the applicant: office, service, what is missing, date."""
    pada = pada or sekarang()
    layanan = layanan_kasus(kasus)
    return {
        "jenis": "pemberitahuan_kekurangan_berkas",
        "kantor": _kantor(),
        "layanan": {"kode": layanan.kode, "nama": layanan.nama, "versi": versi_kasus(kasus).versi},
        "kasus": {"id": kasus.id, "diterima_pada": kasus.diterima_pada},
        "pelapor": {"jenis": kasus.pelapor_jenis, "nama": kasus.pelapor_nama, "instansi": kasus.pelapor_instansi,
                    "surat_nomor": kasus.surat_nomor},
        "kurang": [{"kode": p.kode, "nama": p.nama} for p in persyaratan_kurang(kasus)],
        "diterima": [{"kode": p.kode, "nama": p.nama, "status": p.status} for p in kasus.persyaratan
                     if p.status in PERSYARATAN_DITERIMA],
        "tanggal": pada,
    }


# --- the data a letter prints -----------------------------------------------------------


def _pelapor(pelapor: dict) -> dict:
    """The reporter as a party to a letter: the person and their agency, or the agency alone."""
    nama, instansi = pelapor.get("nama"), pelapor.get("instansi")
    return {"nama": nama or instansi, "instansi": instansi if nama else None}


def _klien(klien: dict) -> dict:
    """The client as ``_klien_untuk_surat`` prepared it (masked when confidential)."""
    return {k: klien.get(k) for k in ("nama", "umur", "jenis_kelamin", "alamat")}


def _petugas(orang: dict | None) -> dict | None:
    if not orang:
        return None
    peran = orang.get("peran") or []
    return {"nama": orang["nama"], "nip": orang.get("nip"), "jabatan": NAMA_PERAN.get(peran[0]) if peran else None}


def _isian(jenis: str, dokumen: dict) -> dict:
    """The step's answers as ``{label: value}``; the recipient goes to the address block, not the table.

    A kind that cannot print without a table (an assessment form, a social
    report) falls back on the step's activity when its SOP gives it no fields.
    """
    isian = {d["label"]: d["nilai"] for d in dokumen["isian"]
             if d["nilai"] and d["nama"] not in (_TUJUAN, _ALAMAT, _WAKIL, _JABATAN_WAKIL)}
    if not isian and "isian" in JENIS_SURAT[jenis].wajib:
        isian = {"Kegiatan": dokumen["langkah"]["kegiatan"]}
    return isian


def surat_untuk_langkah(kasus: Kasus, langkah: LangkahKasus) -> tuple[str, dict]:
    """The letter a step owes, as (kind, data for ``terbitkan_surat``)."""
    jenis = langkah.dokumen_keluaran
    d = data_dokumen(kasus, langkah)
    # A surat tugas names whom it assigns: the case's assignee, else the one who recorded the step.
    petugas = (d["penanggung_jawab"] or d["petugas"]) if jenis == "surat_tugas" else d["petugas"]
    data = {
        "nomor_register": d["kasus"]["nomor_register"],
        "layanan": d["layanan"]["nama"],
        "tanggal": d["tanggal"],
        "klien": _klien(d["klien"]),
        "pelapor": _pelapor(d["pelapor"]),
        "petugas": [p for p in [_petugas(petugas)] if p],
        "isian": _isian(jenis, d),
        "catatan": langkah.catatan,
        "daftar_diterima": [p.nama for p in kasus.persyaratan if p.status in PERSYARATAN_DITERIMA],
    }
    definisi = versi_kasus(kasus).langkah(langkah.kode)
    if beralamat(definisi):
        jawaban = langkah.isian or {}
        pihak = {"nama": jawaban.get(_TUJUAN), "alamat": jawaban.get(_ALAMAT)}
        if serah_terima_keluar(definisi):
            # The person who signs for the receiving party, when the step named them.
            data["penerima"] = dict(pihak, wakil=jawaban.get(_WAKIL), jabatan=jawaban.get(_JABATAN_WAKIL))
        else:
            data["tujuan"] = pihak
    return jenis, data


def surat_untuk_tindakan(kasus: Kasus, tindakan: TindakanKasus, definisi: dict) -> tuple[str, dict]:
    """The letter a case act owes (a social report, a litmas or biometric request, a hand-over), as (kind, data).

    The act's answers fill the table; its recipient (an addressed letter, or the
    party a berita acara hands the client to) comes from the recipient fields.
    """
    jenis = tindakan.dokumen_keluaran
    pada = tindakan.selesai_pada
    jawaban = tindakan.isian or {}
    isian = {d["label"]: tampilkan(d, jawaban.get(d["nama"])) for d in isian_langkah(definisi)
             if jawaban.get(d["nama"]) not in (None, "") and d["nama"] not in (_TUJUAN, _ALAMAT)}
    data = {
        "nomor_register": kasus.nomor_register,
        "layanan": layanan_kasus(kasus).nama,
        "tanggal": pada,
        "klien": _klien(_klien_untuk_surat(kasus, pada)),
        "pelapor": _pelapor({"nama": kasus.pelapor_nama, "instansi": kasus.pelapor_instansi}),
        "petugas": [p for p in [_petugas(_data_petugas(tindakan.dikerjakan_oleh_id))] if p],
        "isian": isian or ({"Kegiatan": definisi["nama"]} if "isian" in JENIS_SURAT[jenis].wajib else {}),
        "catatan": tindakan.catatan,
    }
    if kasus.surat_nomor:
        data["dasar_surat"] = {"nomor": kasus.surat_nomor, "tanggal": kasus.surat_tanggal, "instansi": kasus.pelapor_instansi}
    if beralamat(definisi):
        pihak = {"nama": jawaban.get(_TUJUAN), "alamat": jawaban.get(_ALAMAT)}
        data["penerima" if serah_terima_keluar(definisi) else "tujuan"] = pihak
    return jenis, data


def surat_kekurangan(kasus: Kasus, pada: datetime, catatan: str | None = None) -> tuple[str, dict]:
    """The notice of missing documents, as (kind, data), addressed to whoever brought the file.

    ``catatan``: the verifier's finding when the file was returned as incomplete or incorrect.
    """
    d = data_pemberitahuan_kekurangan(kasus, pada)
    return PEMBERITAHUAN, {
        "layanan": d["layanan"]["nama"],
        "pelapor": _pelapor(d["pelapor"]),
        "klien": _klien(_klien_untuk_surat(kasus, pada)),
        "daftar_kekurangan": [p["nama"] for p in d["kurang"]],
        "tanggal": kasus.diterima_pada,
        "catatan": catatan,
        "hasil_verifikasi": catatan is not None,
    }


def surat_selesai(kasus: Kasus, pada: datetime, tautan: str) -> tuple[str, dict]:
    """The closing letter, as (kind, data): the outcome, and the survey address for the applicant."""
    layanan = layanan_kasus(kasus)
    hasil = {h["kode"]: h["nama"] for h in versi_kasus(kasus).isi["sop"]["hasil_akhir"]}
    return SURAT_SELESAI, {
        "layanan": layanan.nama,
        "nomor_register": kasus.nomor_register,
        "tanggal": pada,
        "klien": _klien(_klien_untuk_surat(kasus, pada)),
        "pelapor": _pelapor({"nama": kasus.pelapor_nama, "instansi": kasus.pelapor_instansi}),
        "hasil_akhir": hasil.get(kasus.hasil_akhir, kasus.hasil_akhir),
        "tautan_survei": tautan,
    }


# --- issuing ------------------------------------------------------------------------------


def _terbitkan(kasus: Kasus, jenis: str, data: dict, pada: datetime) -> SuratTerbit:
    try:
        return terbitkan_surat(jenis, data=data, objek_jenis=OBJEK, objek_id=kasus.id, pada=pada)
    except DataSuratTidakLengkap as e:
        raise KesalahanKasus(f"{JENIS_SURAT[jenis].judul} tidak dapat diterbitkan: {e}", 422) from None


def _catat_surat(kasus: Kasus, surat: SuratTerbit, pengguna, **rincian) -> None:
    catat_peristiwa_kasus(kasus, "surat_terbit", surat.diterbitkan_pada, pengguna, jenis_surat=surat.jenis, nomor=surat.nomor,
               surat_id=str(surat.id), **rincian)


def terbitkan_surat_langkah(kasus: Kasus, langkah: LangkahKasus, pengguna) -> SuratTerbit | None:
    """Issue the letter a just-completed step owes, dated when it was completed, and record it on the step.

    Steps whose output is no letter (none, or the register number) issue nothing.
    """
    if langkah.dokumen_keluaran not in JENIS_SURAT:
        return None
    jenis, data = surat_untuk_langkah(kasus, langkah)
    surat = _terbitkan(kasus, jenis, data, langkah.selesai_pada)
    langkah.surat_id = surat.id
    _catat_surat(kasus, surat, pengguna, langkah=langkah.kode)
    return surat


def data_lembar_disposisi(kasus: Kasus, langkah: LangkahKasus, disposisi: list) -> dict:
    """The disposition sheet: each act of the chain with its officer, time and instruction."""
    orang = {p.aktor_id: _petugas(_data_petugas(p.aktor_id)) for p in disposisi}
    return {
        "layanan": layanan_kasus(kasus).nama,
        "nomor_register": kasus.nomor_register,
        "tanggal": langkah.selesai_pada,
        "klien": _klien(_klien_untuk_surat(kasus, langkah.selesai_pada)),
        "pelapor": _pelapor({"nama": kasus.pelapor_nama, "instansi": kasus.pelapor_instansi}),
        "untuk": versi_kasus(kasus).langkah(langkah.kode)["kegiatan"],
        # The chain's actors are SOP actors whose codes are also the platform's role codes.
        "disposisi": [{"dari": NAMA_PERAN.get(p.rincian.get("peran"), p.rincian.get("peran")),
                       "nama": (orang[p.aktor_id] or {}).get("nama"), "nip": (orang[p.aktor_id] or {}).get("nip"),
                       "waktu": p.waktu, "isi": p.catatan} for p in disposisi],
    }


def terbitkan_lembar_disposisi(kasus: Kasus, langkah: LangkahKasus, disposisi: list, pengguna) -> SuratTerbit:
    """Issue the printed disposition sheet of a step whose chain is complete, dated when the step was done."""
    surat = _terbitkan(kasus, LEMBAR_DISPOSISI, data_lembar_disposisi(kasus, langkah, disposisi), langkah.selesai_pada)
    _catat_surat(kasus, surat, pengguna, langkah=langkah.kode)
    return surat


def terbitkan_surat_tindakan(kasus: Kasus, tindakan: TindakanKasus, definisi: dict, pengguna) -> SuratTerbit | None:
    """Issue the letter a just-recorded case act owes, dated when it was recorded, and record it on the act."""
    if tindakan.dokumen_keluaran not in JENIS_SURAT:
        return None
    jenis, data = surat_untuk_tindakan(kasus, tindakan, definisi)
    surat = _terbitkan(kasus, jenis, data, tindakan.selesai_pada)
    tindakan.surat_id = surat.id
    _catat_surat(kasus, surat, pengguna, tindakan=tindakan.kode)
    return surat


def terbitkan_surat_selesai(kasus: Kasus, pengguna, pada: datetime) -> SuratTerbit:
    """Issue the closing letter of a case just closed, with a one-response survey token in its survey link."""
    token = buat_token_survei(OBJEK, kasus.id)
    slug = db.session.get(Tenant, tenant_aktif()).slug
    jenis, data = surat_selesai(kasus, pada, tautan_survei(slug, layanan_kasus(kasus).kode, token))
    surat = _terbitkan(kasus, jenis, data, pada)
    _catat_surat(kasus, surat, pengguna)
    return surat


def terbitkan_pemberitahuan_kekurangan(kasus: Kasus, pengguna, pada: datetime | None = None, *, catatan: str | None = None,
                                       dicatat: bool = False) -> SuratTerbit:
    """Issue the notice of what the file still lacks, for the applicant. The caller commits.

    Printed on demand it changes nothing in the case: the case's version is
    not bumped, so the page it was printed from stays current, and the notice
    is not a timeline event (it is listed with the case's letters and
    audited). Issued by the verifier's "tidak lengkap/tidak benar" ruling
    (``dicatat``) it is part of that act and goes on the timeline.
    """
    pada = pada or sekarang()
    if not boleh(pengguna, "kasus.kerjakan"):
        raise KesalahanKasus("Anda tidak berwenang mencetak surat kasus ini.", 403)
    if kasus.status != "berkas_belum_lengkap":
        raise KesalahanKasus("Berkas persyaratan kasus ini tidak sedang kurang; tidak ada kekurangan untuk diberitahukan.", 409)
    jenis, data = surat_kekurangan(kasus, pada, catatan)
    surat = _terbitkan(kasus, jenis, data, pada)
    if dicatat:
        _catat_surat(kasus, surat, pengguna)
    return surat


# --- reading and access -----------------------------------------------------------------------


def surat_kasus(kasus: Kasus) -> list[SuratTerbit]:
    """Every letter issued about the case, oldest first."""
    return daftar_surat(OBJEK, kasus.id)


def muat_surat_kasus(kasus: Kasus, surat_id) -> SuratTerbit | None:
    """One of the case's letters, PDF included, or None (also for a malformed id)."""
    try:
        sid = uuid.UUID(str(surat_id))
    except ValueError:
        return None
    return db.session.scalar(
        select(SuratTerbit).where(SuratTerbit.objek_jenis == OBJEK, SuratTerbit.objek_id == str(kasus.id),
                                  SuratTerbit.id == sid).options(undefer(SuratTerbit.pdf))
    )


def boleh_buka_surat(pengguna, kasus: Kasus) -> bool:
    """Letters follow the case's attachments: whoever may see the case, and its client's identity when confidential."""
    return boleh(pengguna, "kasus.lihat") and akses.boleh_lihat_identitas(pengguna, kasus)


def pemeriksa_akses(pengguna, objek_id: str) -> bool:
    """The download checker of ``documents`` for letters about a case of the bound office."""
    kasus = muat_kasus(objek_id)
    return kasus is not None and boleh_buka_surat(pengguna, kasus)
