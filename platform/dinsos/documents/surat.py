"""Issuing official letters: number, render to PDF on the office letterhead, archive, audit.

Callers (cases, referrals...) pass plain data they have already prepared,
names masked where the law requires it. The keys a letter reads:

- ``nomor_register``, ``layanan`` (name, or ``{"nama": ...}``), ``tanggal`` (of
  the event: date, aware datetime or ``YYYY-MM-DD``), ``tempat`` (where it happened)
- ``klien``: ``{nama, umur, jenis_kelamin, alamat}``
- ``pelapor``: name or ``{nama, instansi, jabatan, alamat}``
- ``petugas``: one or a list of ``{nama, nip, pangkat, jabatan}``
- ``isian``: ``{label: value}`` (the step's form fields), ``catatan``, ``untuk``
  (purpose of an assignment), ``dasar_surat``: ``{nomor, tanggal, instansi}`` (the letter this one
  answers), ``tujuan``: ``{nama, alamat}`` (recipient),
  ``penerima``: ``{nama, alamat, wakil, jabatan}`` (on a berita acara, the party the office
  hands the client to, and the person signing for it; without it the reporter hands the client to the office),
  ``daftar_kekurangan`` / ``daftar_diterima``: lists of documents,
  ``lampiran``, ``perihal`` (override the defaults).
- ``disposisi``: ``[{dari, nama, nip, waktu, isi}]``, the acts of a disposition chain in order
- ``hasil_akhir`` (how a case ended), ``tautan_survei`` (the satisfaction
  survey's address, printed with its own QR code beside the verification one).

The letter is written in Indonesian whatever the viewer's language: it is an
official document, not a page of the interface.
"""
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from dinsos.audit.services import aktor_sekarang, catat_peristiwa
from dinsos.core.db import db, sekarang
from dinsos.core.tenant import TenantTidakTerikat, tenant_aktif
from dinsos.tenancy.models import Tenant

from .models import SuratTerbit
from .penomoran import nomor_berikutnya
from .qr import png_data_uri, svg_qr
from .tanggal import hari_tanggal, ke_tanggal, tanggal_panjang


@dataclass(frozen=True)
class JenisSurat:
    """A kind of letter: its official title, default subject, and the data keys it cannot do without.

    In ``wajib`` a tuple of keys means "at least one of these".
    """

    judul: str
    perihal: str
    wajib: tuple = ()


JENIS_SURAT: dict[str, JenisSurat] = {
    "berita_acara_serah_terima": JenisSurat("Berita Acara Serah Terima", "Serah Terima Klien", ("klien", ("pelapor", "penerima"), "petugas")),
    "surat_tugas": JenisSurat("Surat Tugas", "Penugasan Penanganan Klien", ("petugas",)),
    "form_asesmen": JenisSurat("Formulir Asesmen", "Hasil Asesmen Klien", ("klien", "isian")),
    "laporan_sosial": JenisSurat("Laporan Sosial", "Laporan Sosial Klien", ("klien", "isian")),
    "form_rujukan": JenisSurat("Formulir Rujukan", "Rujukan Klien", ("klien", "tujuan")),
    "rekomendasi_penanganan": JenisSurat("Rekomendasi Penanganan", "Rekomendasi Penanganan Klien", ("klien", "isian")),
    "surat_pengantar": JenisSurat("Surat Pengantar", "Pengantar Klien", ("klien", "tujuan")),
    "pemberitahuan_kekurangan_berkas": JenisSurat(
        "Pemberitahuan Kekurangan Berkas", "Pemberitahuan Kekurangan Berkas Permohonan Layanan", ("layanan", "daftar_kekurangan")
    ),
    "tanda_terima": JenisSurat("Tanda Terima", "Tanda Terima", ("pelapor", ("daftar_diterima", "klien"))),
    # A periodic progress report during a long service (Banten: at least quarterly in the panti's year).
    "laporan_perkembangan": JenisSurat("Laporan Perkembangan", "Laporan Perkembangan Klien", ("klien", "isian")),
    # The year-end decision: termination and reunification, onward referral, or an extension.
    "surat_keputusan_rehabilitasi": JenisSurat(
        "Surat Keputusan Akhir Rehabilitasi", "Keputusan Akhir Masa Rehabilitasi Sosial", ("klien", "isian")
    ),
    # The chain of a disposition (Kepala Dinas -> Kepala Bidang -> Fungsional): each act, its officer and instruction.
    "lembar_disposisi": JenisSurat("Lembar Disposisi", "Disposisi Penanganan Klien", ("klien", "disposisi")),
    # ABH (UU 11/2012 art. 28): asking the Bapas for the community research report on the child.
    "permintaan_litmas": JenisSurat("Surat Permintaan Penelitian Kemasyarakatan", "Permintaan Penelitian Kemasyarakatan (Litmas)",
                                    ("klien", "tujuan")),
    # PPKS without papers: asking the civil registry to check the person's fingerprints/face for a NIK.
    "permohonan_biometrik": JenisSurat("Surat Permohonan Pengecekan Biometrik", "Permohonan Pengecekan Data Kependudukan (Biometrik)",
                                       ("klien", "tujuan")),
    # The last letter of a case: says how it ended and invites the applicant to the survey (SKM).
    "surat_selesai_layanan": JenisSurat(
        "Surat Keterangan Selesai Layanan", "Keterangan Selesai Layanan", ("klien", "hasil_akhir", "tautan_survei")
    ),
}

JENIS_KELAMIN = {"L": "Laki-laki", "P": "Perempuan"}
_AWALAN_WILAYAH = re.compile(r"^(Dinas Sosial\s+)?(Provinsi|Kabupaten|Kota)\s+", re.IGNORECASE)


class DataSuratTidakLengkap(ValueError):
    """The caller's data lacks what this kind of letter must print; the message says which key."""


def periksa_data(jenis: str, data: dict) -> None:
    """Refuse an unknown kind, or data missing a key the kind requires (before any number is taken)."""
    if jenis not in JENIS_SURAT:
        raise DataSuratTidakLengkap(f"Jenis surat '{jenis}' tidak dikenal. Pilihan: {', '.join(JENIS_SURAT)}.")
    js = JENIS_SURAT[jenis]
    for kunci in js.wajib:
        pilihan = kunci if isinstance(kunci, tuple) else (kunci,)
        if not any(data.get(k) for k in pilihan):
            raise DataSuratTidakLengkap(f"Data {js.judul} belum lengkap: {' atau '.join(repr(k) for k in pilihan)} wajib diisi.")


def tempat_surat(tenant: Tenant) -> str:
    """The place written before the date: ``kop_surat.tempat`` if set, else the region in the office's name."""
    return (tenant.kop_surat or {}).get("tempat") or _AWALAN_WILAYAH.sub("", tenant.nama).strip() or tenant.nama


def teks(nilai, zona: str = "Asia/Jakarta") -> str:
    """One value of the caller's data as printed text."""
    if nilai is None or nilai == "":
        return "-"
    if isinstance(nilai, bool):
        return "Ya" if nilai else "Tidak"
    if isinstance(nilai, (date, datetime)):
        return tanggal_panjang(ke_tanggal(nilai, zona))
    if isinstance(nilai, (list, tuple)):
        return ", ".join(teks(v, zona) for v in nilai) or "-"
    if isinstance(nilai, dict):
        return teks(nilai.get("nama"), zona)
    return str(nilai)


def _orang(nilai) -> dict:
    return {"nama": nilai} if isinstance(nilai, str) else dict(nilai or {})


def _daftar_dokumen(nilai) -> list[str]:
    """Document lists as lines: plain names, or requirement dicts ``{nama, keterangan}``."""
    hasil = []
    for item in nilai or []:
        if isinstance(item, dict):
            baris = item.get("nama") or item.get("kode") or "-"
            if item.get("keterangan"):
                baris += f" ({item['keterangan']})"
            hasil.append(baris)
        else:
            hasil.append(str(item))
    return hasil


def _klien(nilai, zona: str) -> dict | None:
    if not nilai:
        return None
    klien = dict(nilai)
    umur = klien.get("umur")
    klien["umur"] = f"{umur} tahun" if isinstance(umur, int) else teks(umur, zona)
    klien["jenis_kelamin"] = JENIS_KELAMIN.get(klien.get("jenis_kelamin"), teks(klien.get("jenis_kelamin"), zona))
    klien["nama"] = teks(klien.get("nama"), zona)
    klien["alamat"] = teks(klien.get("alamat"), zona)
    return klien


def _tanggal_peristiwa(nilai, zona: str) -> str | None:
    if not nilai:
        return None
    tgl = ke_tanggal(nilai, zona)
    return hari_tanggal(tgl) if tgl else str(nilai)


def _waktu_tindakan(nilai, zona: str) -> str | None:
    """When an act was recorded: its date and local time (a disposition's acts may fall on one day)."""
    if not isinstance(nilai, datetime):
        return teks(nilai, zona) if nilai else None
    return f"{hari_tanggal(ke_tanggal(nilai, zona))} pukul {nilai.astimezone(ZoneInfo(zona)):%H.%M}"
def _dasar_surat(nilai, zona: str) -> dict | None:
    """The letter this one answers (``{nomor, tanggal, instansi}``), printed as its basis."""
    if not nilai:
        return None
    return {"nomor": teks(nilai.get("nomor"), zona), "tanggal": teks(nilai.get("tanggal"), zona), "instansi": nilai.get("instansi")}


def siapkan_isi(data: dict, zona: str) -> dict:
    """The caller's data in the shapes the templates print."""
    petugas = data.get("petugas")
    petugas = [petugas] if isinstance(petugas, (dict, str)) else list(petugas or [])
    tujuan = data.get("tujuan")
    return {
        "nomor_register": data.get("nomor_register"),
        "layanan": teks(data["layanan"], zona) if data.get("layanan") else None,
        "klien": _klien(data.get("klien"), zona),
        "pelapor": _orang(data.get("pelapor")) if data.get("pelapor") else None,
        "petugas": [_orang(p) for p in petugas],
        "isian": [(str(label), teks(nilai, zona)) for label, nilai in (data.get("isian") or {}).items()],
        "catatan": data.get("catatan"),
        "untuk": data.get("untuk"),
        "tujuan": _orang(tujuan) if tujuan else None,
        "penerima": _orang(data["penerima"]) if data.get("penerima") else None,
        "daftar_kekurangan": _daftar_dokumen(data.get("daftar_kekurangan")),
        "daftar_diterima": _daftar_dokumen(data.get("daftar_diterima")),
        "tanggal": _tanggal_peristiwa(data.get("tanggal"), zona),
        "tempat": data.get("tempat"),
        "hasil_akhir": data.get("hasil_akhir"),
        "disposisi": [dict(b, waktu=_waktu_tindakan(b.get("waktu"), zona)) for b in data.get("disposisi") or []],
        # The notice of missing documents issued by the verifier's ruling (not merely incomplete).
        "hasil_verifikasi": bool(data.get("hasil_verifikasi")),
        "tautan_survei": data.get("tautan_survei"),
        "dasar_surat": _dasar_surat(data.get("dasar_surat"), zona),
        # Vector, so the letter's only raster image stays the verification code.
        "qr_survei": svg_qr(data["tautan_survei"], skala=2) if data.get("tautan_survei") else None,
    }


def _penandatangan(tenant: Tenant, penandatangan: dict | None) -> dict:
    """Who signs: the caller's choice, else the head of office. Missing parts print as blanks to fill by hand."""
    pejabat = dict(penandatangan or tenant.kepala_dinas or {})
    pejabat.setdefault("jabatan", f"Kepala {tenant.nama}")
    return pejabat


def url_verifikasi(tenant: Tenant, kode: str) -> str:
    """The public page a letter's QR code opens."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/t/{tenant.slug}/verifikasi/{kode}"


def render_html(jenis: str, *, tenant: Tenant, nomor: str, data: dict, pada: datetime, url: str,
                penandatangan: dict | None = None) -> str:
    """The letter as HTML, from ``templates/dokumen/surat/<jenis>.html``.

    Rendered straight from the Jinja environment, without the request's
    context processors: the letter must not depend on who is looking or in
    which language.
    """
    js = JENIS_SURAT[jenis]
    zona = tenant.zona_waktu
    kop = tenant.kop_surat or {}
    konteks = {
        "jenis": jenis,
        "judul": js.judul,
        "nomor": nomor,
        "perihal": data.get("perihal") or js.perihal,
        "lampiran": teks(data.get("lampiran"), zona),
        "kop": kop.get("baris") or [tenant.nama],
        "logo": tenant.logo_kop or kop.get("logo"),
        "kantor": tenant.nama,
        "alamat_kantor": tenant.alamat,
        "tempat_tanggal": f"{tempat_surat(tenant)}, {tanggal_panjang(ke_tanggal(pada, zona))}",
        "tanggal_terbit": hari_tanggal(ke_tanggal(pada, zona)),
        "penandatangan": _penandatangan(tenant, penandatangan),
        "url_verifikasi": url,
        "qr": png_data_uri(url),
        "d": siapkan_isi(data, zona),
    }
    return current_app.jinja_env.get_template(f"dokumen/surat/{jenis}.html").render(konteks)


def html_ke_pdf(html: str) -> bytes:
    """Render HTML to PDF bytes with no network or file access: only ``data:`` URIs are fetched."""
    # Imported here, not at the top: WeasyPrint loads Pango and fontconfig (~60 MB per process), which
    # a web worker should pay only once it prints a letter, and a worker that never prints never pays.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


def sidik(isi: bytes) -> str:
    """The SHA-256 of a file's bytes, lowercase hex: what verification compares."""
    return hashlib.sha256(isi).hexdigest()


def terbitkan_surat(
    jenis: str,
    *,
    data: dict,
    objek_jenis: str,
    objek_id,
    penandatangan: dict | None = None,
    pada: datetime | None = None,
) -> SuratTerbit:
    """Issue a letter of ``jenis`` about the object ``(objek_jenis, objek_id)`` for the bound office.

    Takes the next letter number, renders the PDF, archives its exact bytes
    with their SHA-256 and a random verification code, and audits the issue.
    The caller commits (a rollback gives the number back). Raises
    ``DataSuratTidakLengkap`` before taking a number when the data is unusable.
    """
    periksa_data(jenis, data)
    if tenant_aktif() is None:
        raise TenantTidakTerikat("issuing a letter needs a bound office")
    pada = pada or sekarang()
    if pada.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware 'pada'")
    tenant = db.session.get(Tenant, tenant_aktif())
    # The number's row lock is held until the caller commits, rendering included (a fraction of a
    # second): one office's letters are issued one at a time, which keeps the numbers gapless.
    _, nomor = nomor_berikutnya("surat", pada)
    kode = secrets.token_urlsafe(16)
    url = url_verifikasi(tenant, kode)
    html = render_html(jenis, tenant=tenant, nomor=nomor, data=data, pada=pada, url=url, penandatangan=penandatangan)
    pdf = html_ke_pdf(html)
    surat = SuratTerbit(
        jenis=jenis,
        nomor=nomor,
        kode=kode,
        sidik=sidik(pdf),
        url_verifikasi=url,
        objek_jenis=objek_jenis,
        objek_id=str(objek_id),
        diterbitkan_pada=pada,
        diterbitkan_oleh=aktor_sekarang()[0],
        pdf=pdf,
    )
    db.session.add(surat)
    db.session.flush()
    catat_peristiwa(
        "terbitkan_surat", objek_jenis=objek_jenis, objek_id=objek_id,
        surat_id=str(surat.id), jenis=jenis, nomor=nomor, sidik=surat.sidik,
    )
    return surat


def daftar_surat(objek_jenis: str, objek_id) -> list[SuratTerbit]:
    """The letters issued about one object, oldest first (PDF bytes not loaded)."""
    return db.session.scalars(
        select(SuratTerbit)
        .where(SuratTerbit.objek_jenis == objek_jenis, SuratTerbit.objek_id == str(objek_id))
        .order_by(SuratTerbit.diterbitkan_pada, SuratTerbit.nomor)
    ).all()
