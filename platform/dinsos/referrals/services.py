"""The sending office's side of a referral: targets, what may be shared, checks, and the sender's actions.

Plain functions over the bound office; the caller commits (or rolls back on
``KesalahanRujukan``, which leaves nothing changed). Every change that the
other office must see writes an outbox message in the same transaction
(``pengiriman``); nothing here writes into another office. Reading another
office's catalogue (which services accept referrals, what they require) is a
declared, audited crossing.
"""
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from dinsos.audit.services import catat_peristiwa
from dinsos.auth.izin import boleh
from dinsos.cases import klien as klien_svc
from dinsos.cases import services as kasus_svc
from dinsos.cases.isian import tampilkan
from dinsos.cases.models import Kasus, LampiranKasus, LangkahKasus
from dinsos.catalogue.models import Layanan
from dinsos.catalogue.services import versi_terbaru
from dinsos.core.db import db, sekarang
from dinsos.core.outbox import tulis_outbox
from dinsos.core.penyimpanan import BerkasDitolak, periksa_berkas, penyimpanan
from dinsos.core.tenant import lintas_tenant, tenant_aktif
from dinsos.documents.models import SuratTerbit
from dinsos.documents.surat import JENIS_SURAT, DataSuratTidakLengkap, terbitkan_surat
from dinsos.tenancy.models import Tenant

from .models import JENIS_MITRA, MitraRujukan, RiwayatRujukan, Rujukan
from .status import LABEL, MENUNGGU, TransisiTidakSah, transisi

# What of the client a sender may choose to share; everything else stays in the sending office.
BIDANG_KLIEN = {
    "nama": "Nama",
    "nik": "NIK",
    "tanggal_lahir": "Tanggal lahir / umur",
    "jenis_kelamin": "Jenis kelamin",
    "alamat": "Alamat dan kode wilayah",
    "kategori_ppks": "Kategori PPKS",
    "deskripsi": "Deskripsi / ciri-ciri",
    "keluarga": "Keluarga / wali",
}
HUBUNGAN_PERSETUJUAN = {
    "klien": "Klien sendiri",
    "orang_tua": "Orang tua",
    "wali": "Wali",
    "pengasuh": "Pengasuh",
    "aparat_desa": "Aparat desa/lurah",
    "kepala_dinas_setempat": "Kepala dinas sosial setempat",
}
CARA_PERSETUJUAN = {
    "tertulis": "Surat persetujuan tertulis",
    "lisan": "Lisan, disaksikan petugas",
    "cap_jempol": "Cap jempol",
}
MAKS_BERKAS = 30


class KesalahanRujukan(ValueError):
    """A refused referral operation. ``kode`` is the HTTP status; ``kesalahan`` maps fields to messages."""

    def __init__(self, pesan: str, kode: int = 422, kesalahan: dict | None = None):
        super().__init__(pesan)
        self.pesan = pesan
        self.kode = kode
        self.kesalahan = kesalahan or {}


@dataclass
class Tujuan:
    """Where a referral goes: another office's service, or one of this office's partners."""

    jenis: str  # layanan | mitra
    nama: str
    tenant_id: int | None = None
    tenant_slug: str | None = None
    layanan_kode: str | None = None
    layanan_nama: str | None = None
    persyaratan: list = field(default_factory=list)
    mitra: MitraRujukan | None = None
    alamat: str | None = None


def _uuid(nilai) -> uuid.UUID | None:
    try:
        return nilai if isinstance(nilai, uuid.UUID) else uuid.UUID(str(nilai))
    except (TypeError, ValueError):
        return None


def _perlu(pengguna, izin: str, pesan: str) -> None:
    if not boleh(pengguna, izin):
        raise KesalahanRujukan(pesan, 403)


def nomor_tampil(rujukan_id) -> str:
    """A short reference people can read out on the phone: RJK- and the first 8 hex digits."""
    return "RJK-" + str(rujukan_id).replace("-", "")[:8].upper()


def catat_riwayat(sisi: str, objek_id, jenis: str, *, status: str | None, pada: datetime, aktor=None,
                  catatan: str | None = None, **rincian) -> RiwayatRujukan:
    """Append one event to a referral's history in the bound office."""
    r = RiwayatRujukan(sisi=sisi, objek_id=objek_id, jenis=jenis, status=status, waktu=pada,
                       aktor_id=getattr(aktor, "id", None), catatan=catatan,
                       rincian={k: v for k, v in rincian.items() if v is not None})
    db.session.add(r)
    return r


def riwayat(sisi: str, objek_id) -> list[RiwayatRujukan]:
    return db.session.scalars(
        select(RiwayatRujukan).where(RiwayatRujukan.sisi == sisi, RiwayatRujukan.objek_id == objek_id)
        .order_by(RiwayatRujukan.waktu, RiwayatRujukan.dibuat_pada)
    ).all()


# --- targets ---------------------------------------------------------------------------------


def _dokumen(versi) -> list[dict]:
    return [
        {"kode": d["kode"], "nama": d["nama"], "wajib": bool(d.get("wajib")), "keterangan": d.get("keterangan")}
        for d in versi.isi["penyampaian_pelayanan"]["persyaratan"]["dokumen"]
    ]


def layanan_tujuan() -> list[dict]:
    """Services of other active offices that accept referrals, with their current requirements.

    Reads other offices' catalogues: an audited crossing. Items are
    ``{tenant_id, slug, kantor, kode, nama, persyaratan}``, by office then service.
    """
    sendiri = tenant_aktif()
    hasil = []
    with lintas_tenant("rujukan: katalog layanan penerima rujukan di kantor lain"):
        kantor = {t.id: t for t in db.session.scalars(select(Tenant).where(Tenant.aktif.is_(True), Tenant.id != sendiri))}
        baris = db.session.scalars(
            select(Layanan).where(Layanan.menerima_rujukan.is_(True), Layanan.aktif.is_(True),
                                  Layanan.tenant_id.in_(list(kantor) or [-1]))
        ).all()
        for l in baris:
            v = versi_terbaru(l)
            t = kantor[l.tenant_id]
            hasil.append({"tenant_id": t.id, "slug": t.slug, "kantor": t.nama, "kode": l.kode, "nama": l.nama,
                          "persyaratan": _dokumen(v) if v else []})
    return sorted(hasil, key=lambda x: (x["kantor"], x["nama"]))


def cari_tujuan_layanan(slug_kantor: str, layanan_kode: str) -> Tujuan:
    """Another office's service that accepts referrals, with its current requirements; refuses anything else."""
    slug_kantor, layanan_kode = (slug_kantor or "").strip(), (layanan_kode or "").strip()
    sendiri = db.session.get(Tenant, tenant_aktif())
    if slug_kantor == sendiri.slug:
        raise KesalahanRujukan(
            f"Rujukan tidak dapat ditujukan ke kantor sendiri ({sendiri.nama}); rujukan hanya ke kantor lain atau mitra.",
            422, {"tujuan": "Pilih kantor lain."})
    with lintas_tenant("rujukan: memeriksa layanan tujuan", kantor=slug_kantor, layanan=layanan_kode):
        kantor = db.session.scalar(select(Tenant).where(Tenant.slug == slug_kantor, Tenant.aktif.is_(True)))
        if kantor is None:
            raise KesalahanRujukan(f"Kantor tujuan '{slug_kantor}' tidak terdaftar di platform.", 404,
                                   {"tujuan": "Kantor tidak ditemukan."})
        layanan = db.session.scalar(
            select(Layanan).where(Layanan.tenant_id == kantor.id, Layanan.kode == layanan_kode, Layanan.aktif.is_(True))
        )
        if layanan is None:
            raise KesalahanRujukan(f"Layanan '{layanan_kode}' tidak ada di {kantor.nama}.", 404,
                                   {"tujuan": "Layanan tidak ditemukan."})
        if not layanan.menerima_rujukan:
            raise KesalahanRujukan(
                f"Layanan '{layanan.nama}' di {kantor.nama} tidak menerima rujukan; pilih layanan yang menerima rujukan "
                "atau rujuk ke mitra.", 422, {"tujuan": "Layanan ini tidak menerima rujukan."})
        versi = versi_terbaru(layanan)
        return Tujuan("layanan", f"{layanan.nama} — {kantor.nama}", tenant_id=kantor.id, tenant_slug=kantor.slug,
                      layanan_kode=layanan.kode, layanan_nama=layanan.nama, persyaratan=_dokumen(versi),
                      alamat=kantor.alamat)


def mitra_aktif() -> list[MitraRujukan]:
    return db.session.scalars(select(MitraRujukan).where(MitraRujukan.aktif.is_(True)).order_by(MitraRujukan.nama)).all()


def cari_tujuan_mitra(mitra_id) -> Tujuan:
    mitra = db.session.scalar(select(MitraRujukan).where(MitraRujukan.id == _uuid(mitra_id), MitraRujukan.aktif.is_(True))) \
        if _uuid(mitra_id) else None
    if mitra is None:
        raise KesalahanRujukan("Mitra rujukan tidak ditemukan atau tidak aktif di kantor ini.", 404,
                               {"tujuan": "Pilih mitra yang terdaftar."})
    return Tujuan("mitra", mitra.nama, mitra=mitra, alamat=mitra.alamat)


def simpan_mitra(*, nama: str, jenis: str, alamat: str | None, kontak: str | None, pengguna) -> MitraRujukan:
    """Register a partner institution of the bound office."""
    _perlu(pengguna, "rujukan.kelola_mitra", "Hanya kepala bidang atau admin kantor yang dapat mendaftarkan mitra.")
    nama = " ".join((nama or "").split())[:200]
    k = {}
    if not nama:
        k["nama"] = "Nama mitra wajib diisi."
    if jenis not in JENIS_MITRA:
        k["jenis"] = f"Jenis mitra harus salah satu dari: {', '.join(JENIS_MITRA)}."
    if nama and db.session.scalar(select(MitraRujukan.id).where(MitraRujukan.nama == nama)):
        k["nama"] = f"Mitra bernama '{nama}' sudah terdaftar."
    if k:
        raise KesalahanRujukan("Mitra tidak disimpan: " + " ".join(k.values()), 422, k)
    mitra = MitraRujukan(nama=nama, jenis=jenis, alamat=(alamat or "").strip()[:500] or None,
                         kontak=(kontak or "").strip()[:200] or None)
    db.session.add(mitra)
    db.session.flush()
    catat_peristiwa("mitra_rujukan_didaftarkan", objek_jenis="mitra_rujukan", objek_id=mitra.id, nama=nama, jenis=jenis)
    return mitra


# --- what of a case can be shared ---------------------------------------------------------------------


def surat_kasus(kasus: Kasus) -> list[SuratTerbit]:
    """Letters already issued about the case or its steps (PDF not loaded)."""
    langkah = [str(l.id) for l in kasus.langkah]
    return db.session.scalars(
        select(SuratTerbit).where(
            ((SuratTerbit.objek_jenis == "kasus") & (SuratTerbit.objek_id == str(kasus.id)))
            | ((SuratTerbit.objek_jenis == "langkah_kasus") & (SuratTerbit.objek_id.in_(langkah or ["-"])))
        ).order_by(SuratTerbit.diterbitkan_pada)
    ).all()


def bahan_kasus(kasus: Kasus) -> dict:
    """What the sender may pick from: the case's files, its letters and its finished steps with answers."""
    v = kasus_svc.versi_kasus(kasus)
    langkah = []
    for l in kasus.langkah:
        if l.status != "selesai":
            continue
        definisi = v.langkah(l.kode) or {"kegiatan": l.kode}
        langkah.append({"id": l.id, "kode": l.kode, "kegiatan": definisi["kegiatan"], "selesai_pada": l.selesai_pada,
                        "ada_isian": bool(definisi.get("isian")) or bool(l.catatan)})
    return {
        "lampiran": [{"id": l.id, "nama": l.nama_berkas, "jenis_mime": l.jenis_mime, "ukuran": l.ukuran,
                      "persyaratan_kode": l.persyaratan_kode} for l in kasus_svc.lampiran(kasus)],
        "surat": [{"id": s.id, "nama": f"{JENIS_SURAT[s.jenis].judul} {s.nomor}" if s.jenis in JENIS_SURAT else s.nomor,
                   "jenis": s.jenis} for s in surat_kasus(kasus)],
        "langkah": langkah,
    }


def _klien_dibagikan(kasus: Kasus, bidang: list[str], pada: datetime) -> dict:
    k = kasus.klien
    hari_ini = kasus_svc.tanggal_lokal(pada)
    isi: dict = {"tanpa_identitas": not (k.nama and "nama" in bidang)}
    if "nama" in bidang:
        isi["nama"] = k.nama
    if "nik" in bidang:
        isi["nik"] = k.nik
    if "tanggal_lahir" in bidang:
        isi["tanggal_lahir"] = k.tanggal_lahir.isoformat() if k.tanggal_lahir else None
        isi["umur"] = klien_svc.umur(k, hari_ini)
    if "jenis_kelamin" in bidang:
        isi["jenis_kelamin"] = k.jenis_kelamin
    if "alamat" in bidang:
        isi["alamat"], isi["kode_wilayah"] = k.alamat, k.kode_wilayah
    if "kategori_ppks" in bidang:
        isi["kategori_ppks"] = k.kategori_ppks
    if "deskripsi" in bidang:
        isi["deskripsi"] = k.deskripsi
    if "keluarga" in bidang:
        isi["keluarga"] = [{"nama": a.nama, "hubungan": a.hubungan, "wali": a.wali, "kontak": a.kontak, "alamat": a.alamat}
                           for a in k.keluarga]
    return isi


def _langkah_dibagikan(kasus: Kasus, pilihan: list) -> list[dict]:
    v = kasus_svc.versi_kasus(kasus)
    dipilih = {_uuid(x) for x in pilihan or []}
    hasil = []
    for l in kasus.langkah:
        if l.id not in dipilih:
            continue
        if l.status != "selesai":
            raise KesalahanRujukan(f"Langkah '{l.kode}' belum selesai; hanya jawaban langkah yang selesai yang dapat dibagikan.",
                                   422, {"langkah": "Pilih langkah yang sudah selesai."})
        definisi = v.langkah(l.kode) or {"kegiatan": l.kode}
        jawaban = l.isian or {}
        hasil.append({
            "kode": l.kode, "kegiatan": definisi["kegiatan"], "selesai_pada": l.selesai_pada.isoformat(),
            "isian": [{"label": d["label"], "nilai": tampilkan(d, jawaban.get(d["nama"]))} for d in definisi.get("isian") or []],
            "catatan": l.catatan,
        })
        dipilih.discard(l.id)
    if dipilih:
        raise KesalahanRujukan("Langkah yang dipilih tidak ada pada kasus ini.", 422, {"langkah": "Pilih langkah kasus ini."})
    return hasil


def _berkas_dari_kasus(kasus: Kasus, pilihan: list[dict], putaran: int) -> list[dict]:
    """Case files and letters the sender picked, as share items; ``pilihan``: [{sumber, id, dokumen_kode}]."""
    hasil = []
    for p in pilihan:
        sumber, sid, kode = p.get("sumber"), _uuid(p.get("id")), (p.get("dokumen_kode") or None)
        if sumber == "lampiran":
            lamp = db.session.scalar(select(LampiranKasus).where(LampiranKasus.id == sid, LampiranKasus.kasus_id == kasus.id)) \
                if sid else None
            if lamp is None:
                raise KesalahanRujukan("Lampiran yang dipilih tidak ada pada kasus ini.", 422, {"berkas": "Pilih lampiran kasus ini."})
            hasil.append({"sumber": "lampiran", "sumber_id": str(lamp.id), "kunci": lamp.kunci, "nama": lamp.nama_berkas,
                          "jenis_mime": lamp.jenis_mime, "ukuran": lamp.ukuran, "sha256": lamp.sha256})
        elif sumber == "surat":
            surat = next((s for s in surat_kasus(kasus) if s.id == sid), None) if sid else None
            if surat is None:
                raise KesalahanRujukan("Surat yang dipilih tidak diterbitkan untuk kasus ini.", 422, {"berkas": "Pilih surat kasus ini."})
            hasil.append(_butir_surat(surat))
        else:
            raise KesalahanRujukan(f"Sumber berkas '{sumber}' tidak dikenal; pilih 'lampiran' atau 'surat'.", 422,
                                   {"berkas": "Sumber berkas tidak dikenal."})
        hasil[-1].update(dokumen_kode=kode, putaran=putaran)
    return hasil


def _butir_surat(surat: SuratTerbit) -> dict:
    judul = JENIS_SURAT[surat.jenis].judul if surat.jenis in JENIS_SURAT else surat.jenis
    return {"sumber": "surat", "sumber_id": str(surat.id), "kunci": None, "nama": f"{judul} {surat.nomor}.pdf",
            "jenis_mime": "application/pdf", "ukuran": None, "sha256": surat.sidik}


def _simpan_unggahan(unggahan: list[tuple], putaran: int, baru: list[str]) -> list[dict]:
    """Files uploaded for the referral itself, stored under this office's keys; ``unggahan``: [(bytes, name, dokumen_kode)]."""
    from flask import current_app

    hasil = []
    for isi, nama, kode in unggahan:
        try:
            mime = periksa_berkas(isi, current_app.config["MAX_UPLOAD_BYTES"])
        except BerkasDitolak as e:
            raise KesalahanRujukan(f"Berkas '{nama}': {e}", e.kode, {"unggahan": str(e)}) from None
        kunci = penyimpanan().simpan(isi, "rujukan")
        baru.append(kunci)
        hasil.append({"sumber": "unggahan", "sumber_id": None, "kunci": kunci, "nama": (nama or "berkas").strip()[:200] or "berkas",
                      "jenis_mime": mime, "ukuran": len(isi), "sha256": hashlib.sha256(isi).hexdigest(),
                      "dokumen_kode": kode or None, "putaran": putaran})
    return hasil


def periksa_kelengkapan(persyaratan: list[dict], berkas: list[dict]) -> dict:
    """Match the receiving service's requirements against the files to be shared.

    Returns ``{"terpenuhi": {kode: [file names]}, "kurang_wajib": [req], "kurang_opsional": [req], "tak_dikenal": [codes]}``.
    """
    per_kode: dict[str, list[str]] = {}
    for b in berkas:
        if b.get("dokumen_kode"):
            per_kode.setdefault(b["dokumen_kode"], []).append(b["nama"])
    dikenal = {d["kode"] for d in persyaratan}
    return {
        "terpenuhi": {k: v for k, v in per_kode.items() if k in dikenal},
        "kurang_wajib": [d for d in persyaratan if d["wajib"] and d["kode"] not in per_kode],
        "kurang_opsional": [d for d in persyaratan if not d["wajib"] and d["kode"] not in per_kode],
        "tak_dikenal": sorted(set(per_kode) - dikenal),
    }


def _tolak_jika_kurang(hasil: dict, abaikan_opsional: bool) -> None:
    if hasil["tak_dikenal"]:
        raise KesalahanRujukan("Berkas dipasangkan ke persyaratan yang tidak ada pada layanan tujuan: "
                               + ", ".join(hasil["tak_dikenal"]) + ".", 422, {"berkas": "Persyaratan tidak dikenal."})
    if hasil["kurang_wajib"]:
        nama = "; ".join(d["nama"] for d in hasil["kurang_wajib"])
        raise KesalahanRujukan(f"Dokumen wajib layanan tujuan belum dilampirkan: {nama}. Rujukan belum dikirim.", 422,
                               {f"persyaratan.{d['kode']}": f"{d['nama']}: wajib dilampirkan." for d in hasil["kurang_wajib"]})
    if hasil["kurang_opsional"] and not abaikan_opsional:
        nama = "; ".join(d["nama"] for d in hasil["kurang_opsional"])
        raise KesalahanRujukan(f"Dokumen tidak wajib belum dilampirkan: {nama}. Lampirkan, atau pilih 'tetap kirim' "
                               "untuk mengirim tanpa dokumen tersebut.", 422,
                               {f"persyaratan.{d['kode']}": f"{d['nama']}: tidak wajib, belum dilampirkan." for d in hasil["kurang_opsional"]})


def _periksa_persetujuan(data: dict | None, kasus: Kasus, pada: datetime) -> dict | None:
    """Check recorded consent (who, relation, how, when); None when none was given."""
    if not data or not any((data.get(k) or "") for k in ("nama", "hubungan", "cara", "tanggal")):
        return None
    k = {}
    nama = " ".join(str(data.get("nama") or "").split())[:200]
    if not nama:
        k["persetujuan.nama"] = "Nama pemberi persetujuan wajib diisi."
    if data.get("hubungan") not in HUBUNGAN_PERSETUJUAN:
        k["persetujuan.hubungan"] = f"Hubungan pemberi persetujuan harus salah satu dari: {', '.join(HUBUNGAN_PERSETUJUAN.values())}."
    elif data["hubungan"] == "klien" and klien_svc.adalah_anak(kasus.klien, kasus_svc.tanggal_lokal(pada)):
        k["persetujuan.hubungan"] = "Klien masih anak: persetujuan harus dari orang tua, wali atau pihak yang berwenang (UU 27/2022)."
    if data.get("cara") not in CARA_PERSETUJUAN:
        k["persetujuan.cara"] = f"Cara persetujuan harus salah satu dari: {', '.join(CARA_PERSETUJUAN.values())}."
    tanggal = data.get("tanggal")
    try:
        tanggal = tanggal if isinstance(tanggal, date) else date.fromisoformat(str(tanggal or "").strip())
    except ValueError:
        k["persetujuan.tanggal"] = "Tanggal persetujuan tidak valid; tulis TTTT-BB-HH."
        tanggal = None
    if tanggal and tanggal > kasus_svc.tanggal_lokal(pada):
        k["persetujuan.tanggal"] = "Tanggal persetujuan tidak boleh di masa depan."
    if k:
        raise KesalahanRujukan("Persetujuan belum benar: " + " ".join(k.values()), 422, k)
    from zoneinfo import ZoneInfo

    zona = db.session.get(Tenant, tenant_aktif()).zona_waktu
    return {"nama": nama, "hubungan": data["hubungan"], "cara": data["cara"],
            "pada": datetime(tanggal.year, tanggal.month, tanggal.day, 12, tzinfo=ZoneInfo(zona))}


def ringkas_persetujuan(r: Rujukan) -> dict:
    """What the receiver is told about consent: who gave it and how, or that it was overridden and why."""
    if r.persetujuan_pada:
        return {"jenis": "persetujuan", "nama": r.persetujuan_nama, "hubungan": HUBUNGAN_PERSETUJUAN.get(r.persetujuan_hubungan),
                "cara": CARA_PERSETUJUAN.get(r.persetujuan_cara), "tanggal": r.persetujuan_pada.date().isoformat()}
    return {"jenis": "override", "alasan": r.override_alasan, "tanggal": r.override_pada.isoformat() if r.override_pada else None}


# --- creating and sending ------------------------------------------------------------------------------


def muat_rujukan(rujukan_id, *, kunci: bool = False) -> Rujukan | None:
    """The bound office's referral with this id (locked for update when ``kunci``), or None."""
    rid = _uuid(rujukan_id)
    if rid is None:
        return None
    q = select(Rujukan).where(Rujukan.id == rid)
    # populate_existing: a locked re-read must see the committed row, not an earlier copy in the session
    return db.session.scalar(q.with_for_update().execution_options(populate_existing=True) if kunci else q)


def rujukan_kasus(kasus_id) -> list[Rujukan]:
    return db.session.scalars(select(Rujukan).where(Rujukan.kasus_id == kasus_id).order_by(Rujukan.dibuat_pada.desc())).all()


def _periksa_kasus(kasus: Kasus) -> None:
    if kasus.status == "ditutup":
        raise KesalahanRujukan("Kasus sudah ditutup; buka kembali kasus sebelum merujuk klien.", 409)
    if kasus.status == "berkas_belum_lengkap":
        raise KesalahanRujukan("Berkas persyaratan kasus belum lengkap; lengkapi berkas sebelum merujuk klien.", 409)


def _ada_rujukan_terbuka(kasus: Kasus, tujuan: Tujuan) -> Rujukan | None:
    for r in rujukan_kasus(kasus.id):
        if r.status in ("draf", *MENUNGGU, "diterima") and (
            (tujuan.jenis == "layanan" and r.tujuan_tenant_id == tujuan.tenant_id and r.tujuan_layanan_kode == tujuan.layanan_kode)
            or (tujuan.jenis == "mitra" and r.mitra_id == tujuan.mitra.id)
        ):
            return r
    return None


def buat_rujukan(
    kasus: Kasus,
    *,
    pengguna,
    tujuan: Tujuan,
    alasan: str,
    bidang_klien: list[str],
    langkah: list | None = None,
    berkas: list[dict] | None = None,
    unggahan: list[tuple] | None = None,
    persetujuan: dict | None = None,
    override_alasan: str | None = None,
    kirim: bool = True,
    abaikan_opsional: bool = False,
    pemulangan: bool = False,
    pada: datetime | None = None,
) -> Rujukan:
    """Create a referral of the case to ``tujuan``, as a draft or sent at once (``kirim``).

    ``bidang_klien``: keys of ``BIDANG_KLIEN`` to share; ``langkah``: ids of
    finished steps whose answers to share; ``berkas``: case files and letters
    ``[{sumber: lampiran|surat, id, dokumen_kode}]``; ``unggahan``: new files
    ``[(bytes, name, dokumen_kode)]``; ``dokumen_kode`` names the receiving
    service's requirement a file satisfies. Refused, with nothing written,
    for a closed or incomplete case, a repeated open referral to the same
    target, unknown fields, missing required documents (or missing optional
    ones without ``abaikan_opsional``) and, when sending, missing consent.
    """
    pada = pada or sekarang()
    _perlu(pengguna, "rujukan.kirim", "Anda tidak berwenang merujuk klien.")
    _periksa_kasus(kasus)
    if pemulangan and (tujuan.jenis != "layanan" or langkah_pemulangan(kasus) is None):
        raise KesalahanRujukan("Rujukan pemulangan hanya ke kantor daerah keluarga, dari langkah surat pengantar.", 409)
    alasan = (alasan or "").strip()
    k = {}
    if not alasan:
        k["alasan"] = "Alasan rujukan wajib diisi."
    tak_dikenal = sorted(set(bidang_klien or []) - set(BIDANG_KLIEN))
    if tak_dikenal:
        k["bidang_klien"] = f"Data klien tidak dikenal: {', '.join(tak_dikenal)}."
    if len((berkas or [])) + len(unggahan or []) > MAKS_BERKAS:
        k["berkas"] = f"Paling banyak {MAKS_BERKAS} berkas per rujukan."
    if k:
        raise KesalahanRujukan("Rujukan belum benar: " + " ".join(k.values()), 422, k)
    lama = _ada_rujukan_terbuka(kasus, tujuan)
    if lama is not None:
        raise KesalahanRujukan(f"Kasus ini sudah dirujuk ke {tujuan.nama} ({nomor_tampil(lama.id)}, status {LABEL[lama.status]}); "
                               "tarik rujukan itu lebih dulu bila perlu merujuk ulang.", 409)
    langkah_isi = _langkah_dibagikan(kasus, langkah or [])
    butir = _berkas_dari_kasus(kasus, berkas or [], 1)
    for b in unggahan or []:
        try:
            periksa_berkas(b[0], _batas())
        except BerkasDitolak as e:
            raise KesalahanRujukan(f"Berkas '{b[1]}': {e}", e.kode, {"unggahan": str(e)}) from None
    if tujuan.jenis == "layanan":
        dokumen_baru = [{"nama": n, "dokumen_kode": kd} for _i, n, kd in unggahan or []]
        _tolak_jika_kurang(periksa_kelengkapan(tujuan.persyaratan, butir + dokumen_baru), abaikan_opsional)
    setuju = _periksa_persetujuan(persetujuan, kasus, pada)
    override_alasan = (override_alasan or "").strip() or None
    if override_alasan:
        _perlu(pengguna, "rujukan.override_persetujuan",
               "Hanya kepala bidang yang dapat memberi persetujuan pengganti (override) tanpa persetujuan klien atau wali.")

    baru: list[str] = []
    try:
        butir += _simpan_unggahan(unggahan or [], 1, baru)
        for b in butir:
            b["id"] = str(uuid.uuid4())
        r = Rujukan(
            kasus_id=kasus.id, status="draf", jenis_tujuan=tujuan.jenis, tujuan_tenant_id=tujuan.tenant_id,
            tujuan_layanan_kode=tujuan.layanan_kode, tujuan_layanan_nama=tujuan.layanan_nama,
            mitra_id=tujuan.mitra.id if tujuan.mitra else None, pemulangan=pemulangan, alasan=alasan,
            dibagikan={"klien": _klien_dibagikan(kasus, bidang_klien or [], pada), "bidang_klien": sorted(bidang_klien or []),
                       "langkah": langkah_isi, "berkas": butir, "rahasia": kasus.rahasia, "tujuan_nama": tujuan.nama,
                       "tujuan_alamat": tujuan.alamat, "tambahan": []},
            berkas_terkirim=[], putaran=1, dibuat_oleh_id=pengguna.id, diperbarui_pada=pada, dibuat_pada=pada,
        )
        if setuju:
            r.persetujuan_nama, r.persetujuan_hubungan = setuju["nama"], setuju["hubungan"]
            r.persetujuan_cara, r.persetujuan_pada = setuju["cara"], setuju["pada"]
        if override_alasan:
            r.override_oleh_id, r.override_alasan, r.override_pada = pengguna.id, override_alasan, pada
        db.session.add(r)
        db.session.flush()
        catat_riwayat("keluar", r.id, "dibuat", status="draf", pada=pada, aktor=pengguna, tujuan=tujuan.nama,
                      override=bool(override_alasan) or None)
        catat_peristiwa("buat_rujukan", objek_jenis="rujukan", objek_id=r.id, kasus=str(kasus.id), tujuan=tujuan.nama,
                        bidang_klien=sorted(bidang_klien or []), berkas=len(butir), langkah=len(langkah_isi),
                        override_persetujuan=bool(override_alasan) or None)
        if kirim:
            kirim_rujukan(r, pengguna=pengguna, pada=pada, kasus=kasus)
        db.session.flush()
    except BaseException:
        for kunci in baru:
            penyimpanan().hapus(kunci)
        raise
    return r


def _batas() -> int:
    from flask import current_app

    return current_app.config["MAX_UPLOAD_BYTES"]


def _kasus_rujukan(r: Rujukan) -> Kasus:
    return db.session.scalar(select(Kasus).where(Kasus.id == r.kasus_id))


def _tujuan_dari(r: Rujukan) -> Tujuan:
    if r.jenis_tujuan == "mitra":
        mitra = db.session.scalar(select(MitraRujukan).where(MitraRujukan.id == r.mitra_id))
        return Tujuan("mitra", mitra.nama, mitra=mitra, alamat=mitra.alamat)
    kantor = db.session.get(Tenant, r.tujuan_tenant_id)
    return cari_tujuan_layanan(kantor.slug, r.tujuan_layanan_kode)


def _boleh_aksi(r: Rujukan, aksi: str) -> str:
    """The status ``aksi`` would lead to; refused (409, the state machine's message) when not allowed."""
    try:
        return transisi(r.status, aksi, mitra=r.jenis_tujuan == "mitra")
    except TransisiTidakSah as e:
        raise KesalahanRujukan(str(e), 409) from None


def _ubah(r: Rujukan, aksi: str, pada: datetime) -> tuple[str, str]:
    baru = _boleh_aksi(r, aksi)
    lama, r.status, r.diperbarui_pada = r.status, baru, pada
    return lama, baru


def _teruskan(r: Rujukan, sebab: str) -> None:
    """Queue the message that brings the receiving office in step with this referral (same transaction)."""
    if r.jenis_tujuan == "layanan":
        tulis_outbox("rujukan.teruskan", {"rujukan_id": str(r.id)}, kunci=f"rujukan:{r.id}:{sebab}")


def catat_di_kasus(kasus: Kasus, r: Rujukan, pada: datetime, aktor=None, catatan: str | None = None, **rincian) -> None:
    """Put the referral's change on the case's timeline (event kind ``rujukan_<status>``)."""
    kasus_svc.catat_peristiwa_kasus(kasus, f"rujukan_{r.status}", pada, aktor, catatan=catatan, rujukan=str(r.id),
                                    nomor_rujukan=nomor_tampil(r.id), **rincian)


def kirim_rujukan(r: Rujukan, *, pengguna, pada: datetime | None = None, kasus: Kasus | None = None) -> None:
    """Send a draft: checked again (target, documents, consent), then queued for delivery in this transaction.

    A partner referral issues the referral letter (``form_rujukan``); a
    repatriation issues the cover letter (``surat_pengantar``) and shares it.
    """
    pada = pada or sekarang()
    _perlu(pengguna, "rujukan.kirim", "Anda tidak berwenang mengirim rujukan.")
    kasus = kasus or _kasus_rujukan(r)
    _boleh_aksi(r, "kirim")
    _periksa_kasus(kasus)
    if r.persetujuan_pada is None and r.override_pada is None:
        raise KesalahanRujukan(
            "Persetujuan klien atau wali belum dicatat (siapa, kapan, bagaimana). Catat persetujuannya, atau minta kepala "
            "bidang memberi persetujuan pengganti (override) dengan alasan.", 422, {"persetujuan": "Wajib dicatat."})
    tujuan = _tujuan_dari(r)
    if tujuan.jenis == "layanan":
        _tolak_jika_kurang(periksa_kelengkapan(tujuan.persyaratan, r.dibagikan["berkas"]), True)
    _ubah(r, "kirim", pada)
    r.dikirim_pada = pada
    if tujuan.jenis == "mitra" or r.pemulangan:
        _terbitkan_surat_rujukan(r, kasus, tujuan, pengguna, pada)
    catat_riwayat("keluar", r.id, "dikirim", status=r.status, pada=pada, aktor=pengguna, tujuan=tujuan.nama)
    catat_di_kasus(kasus, r, pada, pengguna, tujuan=tujuan.nama)
    catat_peristiwa("kirim_rujukan", objek_jenis="rujukan", objek_id=r.id, tujuan=tujuan.nama,
                    tujuan_tenant_id=r.tujuan_tenant_id)
    _teruskan(r, "kirim")


def _terbitkan_surat_rujukan(r: Rujukan, kasus: Kasus, tujuan: Tujuan, pengguna, pada: datetime) -> None:
    """The letter that travels with the client: referral form to a partner, cover letter for a repatriation."""
    jenis = "surat_pengantar" if r.pemulangan else "form_rujukan"
    data = {
        "klien": klien_surat(kasus, pada),
        "tujuan": {"nama": tujuan.nama if tujuan.jenis == "mitra" else _nama_kantor(r.tujuan_tenant_id), "alamat": tujuan.alamat},
        "layanan": kasus_svc.layanan_kasus(kasus).nama,
        "nomor_register": kasus.nomor_register,
        "catatan": r.alasan,
        "untuk": "pemulangan klien ke daerah asal keluarganya" if r.pemulangan else None,
        "daftar_diterima": [b["nama"] for b in r.dibagikan["berkas"]],
        "petugas": {"nama": pengguna.nama, "nip": pengguna.nip},
        "tanggal": pada,
    }
    try:
        surat = terbitkan_surat(jenis, data=data, objek_jenis="rujukan", objek_id=r.id, pada=pada)
    except DataSuratTidakLengkap as e:
        raise KesalahanRujukan(f"Surat rujukan tidak dapat diterbitkan: {e}", 422) from None
    r.surat_id = surat.id
    if r.pemulangan:
        isi = dict(r.dibagikan)
        isi["berkas"] = [*isi["berkas"], {**_butir_surat(surat), "id": str(uuid.uuid4()), "dokumen_kode": None, "putaran": r.putaran}]
        r.dibagikan = isi


def klien_surat(kasus: Kasus, pada: datetime) -> dict:
    """The client as a letter may print it: initials and no address for a confidential case (UU 11/2012 art. 19)."""
    k = kasus.klien
    nama = klien_svc.nama_klien(k)
    return {"nama": klien_svc.samarkan_nama(nama) if kasus.rahasia and k.nama else nama, "jenis_kelamin": k.jenis_kelamin,
            "umur": klien_svc.umur(k, kasus_svc.tanggal_lokal(pada)), "alamat": None if kasus.rahasia else k.alamat}


def _nama_kantor(tenant_id: int | None) -> str:
    t = db.session.get(Tenant, tenant_id) if tenant_id else None
    return t.nama if t else "-"


def setujui_override(r: Rujukan, *, pengguna, alasan: str, pada: datetime | None = None) -> None:
    """A kepala bidang allows a draft to go without the client's or guardian's consent, with a reason."""
    pada = pada or sekarang()
    _perlu(pengguna, "rujukan.override_persetujuan", "Hanya kepala bidang yang dapat memberi persetujuan pengganti (override).")
    if r.status != "draf":
        raise KesalahanRujukan(f"Persetujuan pengganti hanya untuk rujukan berstatus Draf; rujukan ini berstatus {LABEL[r.status]}.", 409)
    alasan = (alasan or "").strip()
    if not alasan:
        raise KesalahanRujukan("Alasan persetujuan pengganti wajib diisi.", 422, {"alasan": "Wajib diisi."})
    r.override_oleh_id, r.override_alasan, r.override_pada, r.diperbarui_pada = pengguna.id, alasan, pada, pada
    catat_riwayat("keluar", r.id, "override_persetujuan", status=r.status, pada=pada, aktor=pengguna, catatan=alasan)
    catat_peristiwa("override_persetujuan_rujukan", objek_jenis="rujukan", objek_id=r.id)


def catat_persetujuan(r: Rujukan, *, pengguna, persetujuan: dict, pada: datetime | None = None) -> None:
    """Record the client's or guardian's consent on a draft."""
    pada = pada or sekarang()
    _perlu(pengguna, "rujukan.kirim", "Anda tidak berwenang mengubah rujukan.")
    if r.status != "draf":
        raise KesalahanRujukan(f"Persetujuan dicatat sebelum rujukan dikirim; rujukan ini berstatus {LABEL[r.status]}.", 409)
    setuju = _periksa_persetujuan(persetujuan, _kasus_rujukan(r), pada)
    if setuju is None:
        raise KesalahanRujukan("Isi nama, hubungan, cara dan tanggal persetujuan.", 422, {"persetujuan": "Wajib diisi."})
    r.persetujuan_nama, r.persetujuan_hubungan = setuju["nama"], setuju["hubungan"]
    r.persetujuan_cara, r.persetujuan_pada, r.diperbarui_pada = setuju["cara"], setuju["pada"], pada
    catat_riwayat("keluar", r.id, "persetujuan_dicatat", status=r.status, pada=pada, aktor=pengguna)
    catat_peristiwa("catat_persetujuan_rujukan", objek_jenis="rujukan", objek_id=r.id, hubungan=setuju["hubungan"])


def tarik_rujukan(r: Rujukan, *, pengguna, alasan: str, pada: datetime | None = None) -> None:
    """Withdraw a referral not yet accepted. The receiver's copy and its access end when the message arrives."""
    pada = pada or sekarang()
    _perlu(pengguna, "rujukan.kirim", "Anda tidak berwenang menarik rujukan.")
    alasan = (alasan or "").strip()
    if not alasan:
        raise KesalahanRujukan("Alasan penarikan wajib diisi.", 422, {"alasan": "Wajib diisi."})
    lama, _ = _ubah(r, "tarik", pada)
    r.laporan = {**(r.laporan or {}), "alasan_tarik": alasan}
    catat_riwayat("keluar", r.id, "ditarik", status=r.status, pada=pada, aktor=pengguna, catatan=alasan)
    if lama != "draf":
        catat_di_kasus(_kasus_rujukan(r), r, pada, pengguna, catatan=alasan)
    catat_peristiwa("tarik_rujukan", objek_jenis="rujukan", objek_id=r.id, dari=lama)
    if lama != "draf":
        _teruskan(r, "tarik")


def lengkapi_rujukan(r: Rujukan, *, pengguna, catatan: str, berkas: list[dict] | None = None,
                     unggahan: list[tuple] | None = None, pada: datetime | None = None) -> None:
    """Answer the receiver's request for more information: a note and more files, delivered as a new round."""
    pada = pada or sekarang()
    _perlu(pengguna, "rujukan.kirim", "Anda tidak berwenang melengkapi rujukan.")
    catatan = (catatan or "").strip()
    if not catatan and not berkas and not unggahan:
        raise KesalahanRujukan("Tulis jawaban atau lampirkan berkas yang diminta.", 422, {"catatan": "Wajib diisi."})
    kasus = _kasus_rujukan(r)
    _boleh_aksi(r, "lengkapi")  # before any file is stored
    putaran = r.putaran + 1
    butir = _berkas_dari_kasus(kasus, berkas or [], putaran)
    if len(r.dibagikan["berkas"]) + len(butir) + len(unggahan or []) > MAKS_BERKAS:
        raise KesalahanRujukan(f"Paling banyak {MAKS_BERKAS} berkas per rujukan.", 422, {"berkas": "Terlalu banyak berkas."})
    baru: list[str] = []
    try:
        butir += _simpan_unggahan(unggahan or [], putaran, baru)
        for b in butir:
            b["id"] = str(uuid.uuid4())
        _ubah(r, "lengkapi", pada)
        isi = dict(r.dibagikan)
        isi["berkas"] = [*isi["berkas"], *butir]
        isi["tambahan"] = [*isi.get("tambahan", []), {"putaran": putaran, "catatan": catatan, "pada": pada.isoformat()}]
        r.dibagikan, r.putaran = isi, putaran
        catat_riwayat("keluar", r.id, "dilengkapi", status=r.status, pada=pada, aktor=pengguna, catatan=catatan, berkas=len(butir))
        catat_di_kasus(kasus, r, pada, pengguna)
        catat_peristiwa("lengkapi_rujukan", objek_jenis="rujukan", objek_id=r.id, putaran=putaran, berkas=len(butir))
        _teruskan(r, f"lengkapi:{putaran}")
        db.session.flush()
    except BaseException:
        for kunci in baru:
            penyimpanan().hapus(kunci)
        raise


def catat_tanggapan_mitra(r: Rujukan, *, aksi: str, pengguna, catatan: str | None = None,
                          nomor_berita_acara: str | None = None, pada: datetime | None = None) -> None:
    """Record by hand what a partner outside the platform did: took the client (``terima``), refused (``tolak``), finished (``selesai``)."""
    pada = pada or sekarang()
    _perlu(pengguna, "rujukan.kirim", "Anda tidak berwenang mencatat tanggapan mitra.")
    if r.jenis_tujuan != "mitra":
        raise KesalahanRujukan("Tanggapan kantor tujuan datang dari platform; hanya rujukan ke mitra yang dicatat manual.", 409)
    if aksi not in ("terima", "tolak", "selesai"):
        raise KesalahanRujukan(f"Tanggapan mitra harus 'terima', 'tolak' atau 'selesai', bukan '{aksi}'.", 422, {"aksi": "Tidak dikenal."})
    catatan = (catatan or "").strip() or None
    nomor = (nomor_berita_acara or "").strip()[:120] or None
    if aksi == "tolak" and not catatan:
        raise KesalahanRujukan("Alasan penolakan mitra wajib dicatat.", 422, {"catatan": "Wajib diisi."})
    if aksi == "terima" and not nomor:
        raise KesalahanRujukan("Nomor berita acara serah terima wajib dicatat saat mitra menerima klien.", 422,
                               {"nomor_berita_acara": "Wajib diisi."})
    _ubah(r, aksi, pada)
    laporan = dict(r.laporan or {})
    if aksi == "terima":
        laporan["nomor_berita_acara"] = nomor
        r.ditanggapi_pada = pada
    elif aksi == "tolak":
        laporan["alasan_tolak"] = catatan
        r.ditanggapi_pada = pada
    else:
        laporan["hasil"] = catatan
        r.selesai_pada = pada
    r.laporan = laporan
    catat_riwayat("keluar", r.id, f"mitra_{aksi}", status=r.status, pada=pada, aktor=pengguna, catatan=catatan,
                  nomor_berita_acara=nomor)
    catat_di_kasus(_kasus_rujukan(r), r, pada, pengguna, catatan=catatan, hasil_akhir=nomor)
    catat_peristiwa(f"mitra_{aksi}_rujukan", objek_jenis="rujukan", objek_id=r.id)


# --- repatriation (pemulangan) ----------------------------------------------------------------------------

_KODE_WILAYAH = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def langkah_pemulangan(kasus: Kasus) -> LangkahKasus | None:
    """The step of a "family found" branch the case took: a branch target that owes a cover letter (surat pengantar).

    Kota Metro's PPKS SOP branches after the address check to
    ``surat-pengantar``; a cover letter reached in the normal order (Magetan's
    delivery to the Balai) is not a repatriation.
    """
    v = kasus_svc.versi_kasus(kasus)
    cabang = {c["ke"] for l in v.isi["sop"]["langkah"] for c in l.get("cabang") or []}
    for l in kasus.langkah:
        definisi = v.langkah(l.kode) or {}
        if l.kode in cabang and definisi.get("dokumen_keluaran") == "surat_pengantar" and l.status in ("berjalan", "selesai"):
            return l
    return None


def kantor_daerah(kode_wilayah: str) -> Tenant | None:
    """The office whose region holds this kode wilayah: the most specific match (kabupaten/kota before province)."""
    kode = (kode_wilayah or "").strip()
    if not _KODE_WILAYAH.match(kode):
        raise KesalahanRujukan(f"Kode wilayah '{kode}' tidak sesuai pola Kemendagri PP.KK.CC.DDDD (mis. 35.20.01.2001).",
                               422, {"kode_wilayah": "Pola tidak sesuai."})
    cocok = [t for t in db.session.scalars(select(Tenant).where(Tenant.aktif.is_(True)))
             if kode == t.kode_wilayah or kode.startswith(t.kode_wilayah + ".")]
    return max(cocok, key=lambda t: len(t.kode_wilayah), default=None)


def tujuan_pemulangan(kasus: Kasus, kode_wilayah: str) -> tuple[Tenant, list[dict]]:
    """The office of the family's region and its services that accept referrals; refused when there is none to send to."""
    if langkah_pemulangan(kasus) is None:
        raise KesalahanRujukan("Pemulangan dirujuk dari langkah surat pengantar (keluarga ditemukan); kasus ini belum sampai "
                               "di langkah itu.", 409)
    kantor = kantor_daerah(kode_wilayah)
    if kantor is None:
        raise KesalahanRujukan(f"Belum ada kantor dinas sosial di platform untuk wilayah {kode_wilayah}; kirim surat pengantar "
                               "lewat rujukan ke mitra.", 404, {"kode_wilayah": "Tidak ada kantor untuk wilayah ini."})
    if kantor.id == tenant_aktif():
        raise KesalahanRujukan(f"Wilayah {kode_wilayah} adalah wilayah kantor ini sendiri; pemulangan dalam wilayah sendiri "
                               "tidak memerlukan rujukan.", 422, {"kode_wilayah": "Wilayah kantor sendiri."})
    layanan = [l for l in layanan_tujuan() if l["tenant_id"] == kantor.id]
    if not layanan:
        raise KesalahanRujukan(f"{kantor.nama} belum memiliki layanan yang menerima rujukan di platform; kirim surat pengantar "
                               "lewat rujukan ke mitra.", 404)
    return kantor, layanan


# --- lists -----------------------------------------------------------------------------------------------


def daftar_keluar(status: str | None = None, batas: int = 200) -> list[Rujukan]:
    """The bound office's outgoing referrals, newest first."""
    q = select(Rujukan)
    if status:
        q = q.where(Rujukan.status == status)
    return db.session.scalars(q.order_by(Rujukan.dibuat_pada.desc()).limit(batas)).all()


def kasus_dari(ids) -> dict:
    """The bound office's cases with these ids, by id, in one query."""
    ids = set(ids)
    return {k.id: k for k in db.session.scalars(select(Kasus).where(Kasus.id.in_(ids)))} if ids else {}


def nama_tujuan(r: Rujukan) -> str:
    return (r.dibagikan or {}).get("tujuan_nama") or "-"


def label_klien(kasus: Kasus, pengguna) -> str:
    return kasus_svc.nama_tampil(pengguna, kasus, di_daftar=True)
