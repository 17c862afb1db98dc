"""Referring (perujukan): the sending office's actions on a referral.

Create (as a draft or sent at once), send, withdraw, answer the receiver's
request for information, and record a partner's answer by hand. Plain
functions over the bound office; the caller commits (or rolls back on
``KesalahanRujukan``, which leaves nothing changed). Every change that the
other office must see writes an outbox message in the same transaction
(``pengiriman``); nothing here writes into another office.
"""
import uuid
from datetime import datetime

from dinsos.audit.services import catat_peristiwa
from dinsos.cases import klien as klien_svc
from dinsos.cases.baca import layanan_kasus, tanggal_lokal
from dinsos.cases.models import Kasus
from dinsos.cases.perubahan import kunci_baris_kasus
from dinsos.core.db import db, sekarang
from dinsos.core.outbox import tulis_outbox
from dinsos.core.penyimpanan import kunci_dihapus_bila_gagal
from dinsos.documents.surat import DataSuratTidakLengkap, terbitkan_surat
from dinsos.tenancy.models import Tenant

from .dibagikan import (
    BIDANG_KLIEN,
    MAKS_BERKAS,
    berkas_dari_kasus,
    butir_surat,
    klien_dibagikan,
    langkah_dibagikan,
    periksa_kelengkapan,
    periksa_unggahan,
    simpan_unggahan,
    tolak_jika_kurang,
    tolak_persyaratan_asing,
)
from .models import STATUS_TERBUKA, Rujukan
from .pemulangan import langkah_pemulangan
from .persetujuan import periksa_persetujuan
from .rujukan import (
    KesalahanRujukan,
    catat_di_kasus,
    catat_riwayat,
    kasus_rujukan,
    nama_tujuan,
    nomor_tampil,
    pastikan_boleh,
    rujukan_kasus,
)
from .status import LABEL, TransisiTidakSah, transisi
from .tujuan import Tujuan, tujuan_rujukan


def _periksa_kasus(kasus: Kasus) -> None:
    if kasus.status == "ditutup":
        raise KesalahanRujukan("Kasus sudah ditutup; buka kembali kasus sebelum merujuk klien.", 409)
    if kasus.status == "berkas_belum_lengkap":
        raise KesalahanRujukan("Berkas persyaratan kasus belum lengkap; lengkapi berkas sebelum merujuk klien.", 409)


def _ada_rujukan_terbuka(kasus: Kasus, tujuan: Tujuan) -> Rujukan | None:
    """A referral of the case that a new one would duplicate: any still waiting for an answer (one at a time:
    two pending referrals could both be accepted and open two cases for one child), or one to the same
    target already accepted there."""
    for r in rujukan_kasus(kasus.id):
        if r.status in STATUS_TERBUKA or (r.status == "diterima" and (
            (tujuan.jenis == "layanan" and r.tujuan_tenant_id == tujuan.tenant_id and r.tujuan_layanan_kode == tujuan.layanan_kode)
            or (tujuan.jenis == "mitra" and r.mitra_id == tujuan.mitra.id)
        )):
            return r
    return None


def pesan_sudah_dirujuk(lama: Rujukan) -> str:
    return (f"Kasus ini sudah dirujuk ke {nama_tujuan(lama)} ({nomor_tampil(lama.id)}, status {LABEL[lama.status]}); "
            "tarik rujukan itu lebih dulu bila perlu merujuk ulang.")


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
    pastikan_boleh(pengguna, "rujukan.kirim", "Anda tidak berwenang merujuk klien.")
    # Simultaneous referrals of one case queue here; each then sees the ones committed before it.
    kunci_baris_kasus(kasus)
    db.session.refresh(kasus)
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
        raise KesalahanRujukan(pesan_sudah_dirujuk(lama), 409)
    langkah_isi = langkah_dibagikan(kasus, langkah or [])
    butir = berkas_dari_kasus(kasus, berkas or [], 1)
    for isi, nama, _kode in unggahan or []:
        periksa_unggahan(isi, nama)
    if tujuan.jenis == "layanan":
        dokumen_baru = [{"nama": n, "dokumen_kode": kd} for _i, n, kd in unggahan or []]
        tolak_jika_kurang(periksa_kelengkapan(tujuan.persyaratan, butir + dokumen_baru), abaikan_opsional)
    setuju = periksa_persetujuan(persetujuan, kasus, pada)
    override_alasan = (override_alasan or "").strip() or None
    if override_alasan:
        pastikan_boleh(pengguna, "rujukan.override_persetujuan",
                       "Hanya kepala bidang yang dapat memberi persetujuan pengganti (override) tanpa persetujuan klien atau wali.")

    with kunci_dihapus_bila_gagal() as baru:
        butir += simpan_unggahan(unggahan or [], 1, baru)
        for b in butir:
            b["id"] = str(uuid.uuid4())
        r = Rujukan(
            kasus_id=kasus.id, status="draf", jenis_tujuan=tujuan.jenis, tujuan_tenant_id=tujuan.tenant_id,
            tujuan_layanan_kode=tujuan.layanan_kode, tujuan_layanan_nama=tujuan.layanan_nama,
            mitra_id=tujuan.mitra.id if tujuan.mitra else None, pemulangan=pemulangan, alasan=alasan,
            dibagikan={"klien": klien_dibagikan(kasus, bidang_klien or [], pada), "bidang_klien": sorted(bidang_klien or []),
                       "langkah": langkah_isi, "berkas": butir, "rahasia": kasus.rahasia, "tujuan_nama": tujuan.nama,
                       "tujuan_alamat": tujuan.alamat, "tambahan": [],
                       # The names of the requirements files are matched to, as the receiving service called them then.
                       "persyaratan_tujuan": {d["kode"]: d["nama"] for d in tujuan.persyaratan}},
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
    return r


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


def kirim_rujukan(r: Rujukan, *, pengguna, pada: datetime | None = None, kasus: Kasus | None = None) -> None:
    """Send a draft: checked again (target, documents, consent), then queued for delivery in this transaction.

    A partner referral issues the referral letter (``form_rujukan``); a
    repatriation issues the cover letter (``surat_pengantar``) and shares it.
    """
    pada = pada or sekarang()
    pastikan_boleh(pengguna, "rujukan.kirim", "Anda tidak berwenang mengirim rujukan.")
    kasus = kasus or kasus_rujukan(r)
    _boleh_aksi(r, "kirim")
    _periksa_kasus(kasus)
    if r.persetujuan_pada is None and r.override_pada is None:
        raise KesalahanRujukan(
            "Persetujuan klien atau wali belum dicatat (siapa, kapan, bagaimana). Catat persetujuannya, atau minta kepala "
            "bidang memberi persetujuan pengganti (override) dengan alasan.", 422, {"persetujuan": "Wajib dicatat."})
    tujuan = tujuan_rujukan(r)
    if tujuan.jenis == "layanan":
        tolak_jika_kurang(periksa_kelengkapan(tujuan.persyaratan, r.dibagikan["berkas"]), True)
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
        "layanan": layanan_kasus(kasus).nama,
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
        isi["berkas"] = [*isi["berkas"], {**butir_surat(surat), "id": str(uuid.uuid4()), "dokumen_kode": None, "putaran": r.putaran}]
        r.dibagikan = isi


def klien_surat(kasus: Kasus, pada: datetime) -> dict:
    """The client as a letter may print it: initials and no address for a confidential case (UU 11/2012 art. 19)."""
    k = kasus.klien
    nama = klien_svc.nama_klien(k)
    return {"nama": klien_svc.samarkan_nama(nama) if kasus.rahasia and k.nama else nama, "jenis_kelamin": k.jenis_kelamin,
            "umur": klien_svc.umur(k, tanggal_lokal(pada)), "alamat": None if kasus.rahasia else k.alamat}


def _nama_kantor(tenant_id: int | None) -> str:
    t = db.session.get(Tenant, tenant_id) if tenant_id else None
    return t.nama if t else "-"


def tarik_rujukan(r: Rujukan, *, pengguna, alasan: str, pada: datetime | None = None) -> None:
    """Withdraw a referral not yet accepted. The receiver's copy and its access end when the message arrives."""
    pada = pada or sekarang()
    pastikan_boleh(pengguna, "rujukan.kirim", "Anda tidak berwenang menarik rujukan.")
    alasan = (alasan or "").strip()
    if not alasan:
        raise KesalahanRujukan("Alasan penarikan wajib diisi.", 422, {"alasan": "Wajib diisi."})
    lama, _ = _ubah(r, "tarik", pada)
    r.laporan = {**(r.laporan or {}), "alasan_tarik": alasan}
    catat_riwayat("keluar", r.id, "ditarik", status=r.status, pada=pada, aktor=pengguna, catatan=alasan)
    if lama != "draf":
        catat_di_kasus(kasus_rujukan(r), r, pada, pengguna, catatan=alasan)
    catat_peristiwa("tarik_rujukan", objek_jenis="rujukan", objek_id=r.id, dari=lama)
    if lama != "draf":
        _teruskan(r, "tarik")


def lengkapi_rujukan(r: Rujukan, *, pengguna, catatan: str, berkas: list[dict] | None = None,
                     unggahan: list[tuple] | None = None, pada: datetime | None = None) -> None:
    """Answer the receiver's request for more information: a note and more files, delivered as a new round."""
    pada = pada or sekarang()
    pastikan_boleh(pengguna, "rujukan.kirim", "Anda tidak berwenang melengkapi rujukan.")
    catatan = (catatan or "").strip()
    if not catatan and not berkas and not unggahan:
        raise KesalahanRujukan("Tulis jawaban atau lampirkan berkas yang diminta.", 422, {"catatan": "Wajib diisi."})
    kasus = kasus_rujukan(r)
    _boleh_aksi(r, "lengkapi")  # before any file is stored
    putaran = r.putaran + 1
    butir = berkas_dari_kasus(kasus, berkas or [], putaran)
    if r.jenis_tujuan == "layanan":  # an answer's files meet the receiving service's requirements too, or none
        kode = {b.get("dokumen_kode") for b in butir} | {kd for _i, _n, kd in unggahan or []}
        tolak_persyaratan_asing(sorted(k for k in kode if k and k not in r.dibagikan.get("persyaratan_tujuan", {})))
    if len(r.dibagikan["berkas"]) + len(butir) + len(unggahan or []) > MAKS_BERKAS:
        raise KesalahanRujukan(f"Paling banyak {MAKS_BERKAS} berkas per rujukan.", 422, {"berkas": "Terlalu banyak berkas."})
    with kunci_dihapus_bila_gagal() as baru:
        butir += simpan_unggahan(unggahan or [], putaran, baru)
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


def catat_tanggapan_mitra(r: Rujukan, *, aksi: str, pengguna, catatan: str | None = None,
                          nomor_berita_acara: str | None = None, pada: datetime | None = None) -> None:
    """Record by hand what a partner outside the platform did: took the client (``terima``), refused (``tolak``), finished (``selesai``)."""
    pada = pada or sekarang()
    pastikan_boleh(pengguna, "rujukan.kirim", "Anda tidak berwenang mencatat tanggapan mitra.")
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
    catat_di_kasus(kasus_rujukan(r), r, pada, pengguna, catatan=catatan, hasil_akhir=nomor)
    catat_peristiwa(f"mitra_{aksi}_rujukan", objek_jenis="rujukan", objek_id=r.id)
