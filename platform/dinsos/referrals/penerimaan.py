"""The receiving office's side of a referral: the inbox, the snapshot, and accepting, declining or asking.

Everything here runs bound to the receiving office and reads only its own
rows: the snapshot of what was shared and the copies of the shared files
under its own storage keys. A change the sender must see writes an outbox
message (``rujukan.kabari``) in the same transaction. When a referral is
declined or withdrawn, the snapshot is emptied and the copied files are
deleted; its history and the audit log remain.
"""
import hashlib
import uuid
from datetime import date, datetime

from sqlalchemy import select

from dinsos.audit.services import catat_peristiwa
from dinsos.auth.models import Pengguna
from dinsos.cases import klien as klien_svc
from dinsos.cases.baca import versi_kasus
from dinsos.cases.models import Kasus, Klien
from dinsos.cases.penerimaan import terima_kasus
from dinsos.cases.perubahan import KesalahanKasus, catat_peristiwa_kasus
from dinsos.cases.sop import unggah_lampiran
from dinsos.catalogue.models import Layanan
from dinsos.catalogue.services import versi_terbaru
from dinsos.core.db import db, sekarang
from dinsos.core.kalender import DurasiTidakValid, parse_waktu
from dinsos.core.outbox import sisipkan_jika_baru, tulis_outbox
from dinsos.core.penyimpanan import BerkasTidakAda, penyimpanan
from dinsos.documents.models import SuratTerbit
from dinsos.izin import IZIN, boleh
from dinsos.sla import services as sla
from dinsos.tenancy.models import Tenant

from .models import PengaturanRujukan, RujukanMasuk
from .rujukan import KesalahanRujukan, catat_riwayat, muat_satu, nomor_tampil
from .status import AKSES_TUJUAN, LABEL, TransisiTidakSah, aksi_tersedia, transisi

# The platform's default time for a receiving office to answer a referral, on its own working calendar.
BATAS_TANGGAPAN_BAWAAN = "2 hari kerja"
OBJEK_TENGGAT = "rujukan_masuk"


def muat_masuk(masuk_id, *, kunci: bool = False) -> RujukanMasuk | None:
    """The bound office's incoming referral with this id (locked when ``kunci``), or None."""
    return muat_satu(RujukanMasuk, masuk_id, kunci=kunci)


def daftar_masuk(status: str | None = None, batas: int = 200) -> list[RujukanMasuk]:
    q = select(RujukanMasuk)
    if status:
        q = q.where(RujukanMasuk.status == status)
    return db.session.scalars(q.order_by(RujukanMasuk.sampai_pada.desc()).limit(batas)).all()


def jumlah_menunggu() -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(RujukanMasuk)
                             .where(RujukanMasuk.status.in_(("diterima_tujuan", "perlu_info")))) or 0


def akses_aktif(masuk: RujukanMasuk) -> bool:
    """Whether the shared snapshot may still be read: not after a decline or withdrawal."""
    return masuk.status in AKSES_TUJUAN and masuk.akses_berakhir_pada is None


def layanan_masuk(masuk: RujukanMasuk) -> Layanan:
    return db.session.scalar(select(Layanan).where(Layanan.id == masuk.layanan_id))


def nama_asal(masuk: RujukanMasuk) -> str:
    t = db.session.get(Tenant, masuk.asal_tenant_id)
    return t.nama if t else "-"


def kecocokan(masuk: RujukanMasuk) -> list[dict]:
    """Each requirement of the service's current version and the shared files that satisfy it."""
    versi = versi_terbaru(layanan_masuk(masuk))
    berkas = (masuk.isi or {}).get("berkas", []) if akses_aktif(masuk) else []
    hasil = []
    for d in versi.persyaratan("pemohon"):
        cocok = [b for b in berkas if b.get("dokumen_kode") == d["kode"]]
        hasil.append({"kode": d["kode"], "nama": d["nama"], "wajib": bool(d.get("wajib")), "berkas": cocok})
    return hasil


def boleh_lihat_identitas(pengguna, masuk: RujukanMasuk) -> bool:
    """A confidential client's identity is shown to those who decide on the referral, and once accepted to the case's rule."""
    return not masuk.rahasia or boleh(pengguna, "rujukan.tanggapi")


def nama_klien(pengguna, masuk: RujukanMasuk, *, di_daftar: bool = False) -> str:
    from dinsos.cases.klien import samarkan_nama

    if not akses_aktif(masuk):
        return "(akses berakhir)"
    klien = (masuk.isi or {}).get("klien", {})
    nama = klien.get("nama") or "Tanpa identitas"
    if klien.get("nama") and masuk.rahasia and (di_daftar or not boleh_lihat_identitas(pengguna, masuk)):
        return samarkan_nama(nama)
    return nama


def catat_buka(masuk: RujukanMasuk, pengguna) -> None:
    """Every opening of an incoming referral's snapshot goes to the audit log."""
    catat_peristiwa("buka_rujukan_masuk", objek_jenis="rujukan_masuk", objek_id=masuk.id, aktor=pengguna.label_audit,
                    rahasia=masuk.rahasia or None, akses=akses_aktif(masuk))


def buka_berkas(masuk: RujukanMasuk, berkas_id: str, pengguna) -> tuple[bytes, dict]:
    """A shared file's copy held by this office, for a staff member; refused once access ended. Audited."""
    if not akses_aktif(masuk):
        raise KesalahanRujukan(f"Akses ke berkas rujukan ini sudah berakhir (status {LABEL[masuk.status]}).", 410)
    if masuk.rahasia and not boleh_lihat_identitas(pengguna, masuk):
        raise KesalahanRujukan("Berkas rujukan anak ini hanya dapat diunduh oleh petugas yang menanggapi rujukan.", 403)
    butir = next((b for b in masuk.isi.get("berkas", []) if b["id"] == berkas_id), None)
    if butir is None:
        raise KesalahanRujukan("Berkas tidak ada pada rujukan ini.", 404)
    try:
        isi = penyimpanan().buka(butir["kunci"])
    except BerkasTidakAda:
        raise KesalahanRujukan("Berkas rujukan tidak ada lagi di penyimpanan.", 404) from None
    catat_peristiwa("unduh_berkas_rujukan", objek_jenis="rujukan_masuk", objek_id=masuk.id, aktor=pengguna.label_audit,
                    berkas=berkas_id)
    return isi, butir


# --- the response deadline ---------------------------------------------------------------------


def pengaturan() -> PengaturanRujukan | None:
    return db.session.scalar(select(PengaturanRujukan))


def batas_tanggapan(layanan_kode: str) -> str:
    """How long this office has to answer a referral to the service: per-service setting, office setting, platform default."""
    p = pengaturan()
    if p is not None:
        return (p.batas_per_layanan or {}).get(layanan_kode) or p.batas_tanggapan or BATAS_TANGGAPAN_BAWAAN
    return BATAS_TANGGAPAN_BAWAAN


def simpan_pengaturan(*, batas_tanggapan: str | None, per_layanan: dict, pengguna) -> PengaturanRujukan:
    """Store this office's answer times (empty: the platform default). Each is a time standard such as '3 hari kerja'."""
    if not boleh(pengguna, "rujukan.atur"):
        raise KesalahanRujukan("Hanya kepala dinas atau admin kantor yang dapat mengatur batas waktu tanggapan rujukan.", 403)
    k = {}
    bersih = {}
    dikenal = {l.kode for l in db.session.scalars(select(Layanan))}
    for kode, teks in {"": batas_tanggapan, **(per_layanan or {})}.items():
        teks = " ".join((teks or "").split())
        if not teks:
            continue
        if kode and kode not in dikenal:
            k[f"layanan.{kode}"] = f"Layanan '{kode}' tidak ada di kantor ini."
            continue
        try:
            parse_waktu(teks)
        except DurasiTidakValid as e:
            k[f"layanan.{kode}" if kode else "batas_tanggapan"] = f"'{teks}': {e}"
            continue
        bersih[kode] = teks[:60]
    if k:
        raise KesalahanRujukan("Pengaturan tidak disimpan: " + " ".join(k.values()), 422, k)
    sisipkan_jika_baru(PengaturanRujukan, {"batas_per_layanan": {}}, [])
    p = pengaturan()
    p.batas_tanggapan = bersih.pop("", None)
    p.batas_per_layanan = bersih
    catat_peristiwa("pengaturan_rujukan_diubah", objek_jenis="pengaturan_rujukan", batas_tanggapan=p.batas_tanggapan,
                    per_layanan=bersih or None)
    return p


def tenggat_masuk(masuk: RujukanMasuk):
    from dinsos.sla.models import Tenggat

    return db.session.scalar(select(Tenggat).where(Tenggat.objek_jenis == OBJEK_TENGGAT, Tenggat.objek_id == str(masuk.id)))


# --- staff to tell ------------------------------------------------------------------------------


def staf_dengan_izin(izin: str, peran: str | None = None) -> list[Pengguna]:
    """Active staff of the bound office holding ``izin`` (and ``peran``, when given)."""
    semua = db.session.scalars(select(Pengguna).where(Pengguna.aktif.is_(True)).order_by(Pengguna.nama)).all()
    return [p for p in semua if set(p.peran or ()) & IZIN[izin] and (peran is None or peran in (p.peran or ()))]


def _kabari_staf(masuk: RujukanMasuk, judul: str, isi: str, peristiwa: str) -> None:
    from dinsos.notify.services import kirim_notifikasi

    penerima = [masuk.ditanggapi_oleh_id] if masuk.ditanggapi_oleh_id else [p.id for p in staf_dengan_izin("rujukan.tanggapi")]
    alamat = tautan(masuk)
    for pid in penerima:
        kirim_notifikasi(pid, judul, isi, tautan=alamat, kunci=f"rujukan-masuk:{masuk.id}:{peristiwa}:{pid}")


def tautan(masuk: RujukanMasuk) -> str:
    slug = db.session.get(Tenant, masuk.tenant_id).slug
    return f"/t/{slug}/rujukan/masuk/{masuk.id}"


# --- changes by the receiving office ---------------------------------------------------------


def _ubah(masuk: RujukanMasuk, aksi: str, pada: datetime) -> str:
    try:
        baru = transisi(masuk.status, aksi)
    except TransisiTidakSah as e:
        raise KesalahanRujukan(str(e), 409) from None
    lama = masuk.status
    masuk.status, masuk.diperbarui_pada = baru, pada
    masuk.urutan_status += 1
    return lama


def _kabari_pengirim(masuk: RujukanMasuk) -> None:
    """Queue the report of this change to the sending office, in this transaction."""
    tulis_outbox("rujukan.kabari", {"masuk_id": str(masuk.id)}, kunci=f"rujukan-masuk:{masuk.id}:laporan:{masuk.urutan_status}")


def laporan_untuk_pengirim(masuk: RujukanMasuk) -> dict:
    """What the sender is told: the status and what the receiver chose to report, nothing of its case."""
    t = masuk.tanggapan or {}
    return {"status": masuk.status, "urutan": masuk.urutan_status, "pada": masuk.diperbarui_pada.isoformat(),
            "alasan_tolak": t.get("alasan_tolak"), "permintaan_info": t.get("permintaan_info"),
            "hasil": t.get("hasil"), "nomor_berita_acara": t.get("nomor_berita_acara")}


def _perlu_tanggapi(pengguna) -> None:
    if not boleh(pengguna, "rujukan.tanggapi"):
        raise KesalahanRujukan("Anda tidak berwenang menanggapi rujukan masuk.", 403)


def _klien_untuk_kasus(masuk: RujukanMasuk) -> dict:
    k = dict(masuk.isi.get("klien") or {})
    data = {key: k.get(key) for key in ("nama", "nik", "tanggal_lahir", "jenis_kelamin", "alamat", "kode_wilayah",
                                        "kategori_ppks", "deskripsi")}
    if not data["tanggal_lahir"] and k.get("umur") is not None:
        data["umur_perkiraan"] = k["umur"]
    data["tanpa_identitas"] = not data["nama"]
    if not data["nama"] and not data["deskripsi"]:
        data["deskripsi"] = f"Klien rujukan {masuk.isi.get('nomor_rujukan', '')} dari {nama_asal(masuk)}"
    data["keluarga"] = [{"nama": a["nama"], "hubungan": a["hubungan"], "wali": a.get("wali", False), "kontak": a.get("kontak"),
                         "alamat": a.get("alamat")} for a in k.get("keluarga") or []]
    return data


def klien_serupa(masuk: RujukanMasuk, pengguna) -> list[dict]:
    """Clients this office already holds who are probably the referred one (``klien.cari_duplikat`` on what was shared).

    The receiver may open the case on one of them instead of a new record, so a
    child who comes back keeps one history here. Items: ``{klien_id, alasan,
    nama, tanggal_lahir, kasus}`` (``kasus``: the register numbers of their
    cases here); names masked unless the user may see every identity. Empty
    once the referral can no longer be accepted.
    """
    if not akses_aktif(masuk) or "terima" not in aksi_tersedia(masuk.status):
        return []
    k = (masuk.isi or {}).get("klien") or {}
    try:
        lahir = date.fromisoformat(k["tanggal_lahir"]) if k.get("tanggal_lahir") else None
    except (TypeError, ValueError):
        lahir = None
    calon = klien_svc.cari_duplikat(k.get("nik"), k.get("nama"), lahir)
    if not calon:
        return []
    ids = [c["klien_id"] for c in calon]
    klien = {x.id: x for x in db.session.scalars(select(Klien).where(Klien.id.in_(ids)))}
    kasus: dict = {}
    for kid, nomor in db.session.execute(select(Kasus.klien_id, Kasus.nomor_register).where(Kasus.klien_id.in_(ids))
                                         .order_by(Kasus.diterima_pada)):
        kasus.setdefault(kid, []).append(nomor or "-")
    semua = boleh(pengguna, "kasus.lihat_semua_identitas")

    def nama(x: Klien) -> str:
        return klien_svc.nama_klien(x) if semua else klien_svc.samarkan_nama(klien_svc.nama_klien(x))

    return [{"klien_id": c["klien_id"], "alasan": c["alasan"], "nama": nama(klien[c["klien_id"]]),
             "tanggal_lahir": klien[c["klien_id"]].tanggal_lahir, "kasus": kasus.get(c["klien_id"], [])} for c in calon]


def terima(masuk: RujukanMasuk, *, pengguna, pada: datetime | None = None, klien_id=None) -> Kasus:
    """Accept: open a case for the client under the service's current version, holding only what was shared.

    Requirement items of that version are satisfied by the shared files the
    sender mapped to them; other shared files become attachments of the case.
    ``klien_id``: one of ``klien_serupa`` to open the case on, instead of a new
    client made from the shared data. Refused (nothing changes) when the
    referral was already accepted, declined or withdrawn, when ``klien_id`` is
    not one of those, or when the shared client data does not make a valid client.
    """
    pada = pada or sekarang()
    _perlu_tanggapi(pengguna)
    if masuk.status in ("diterima", "selesai"):
        k = db.session.scalar(select(Kasus).where(Kasus.id == masuk.kasus_id))
        raise KesalahanRujukan(
            f"Rujukan ini sudah diterima{' sebagai kasus ' + k.nomor_register if k and k.nomor_register else ''}; "
            "rujukan tidak dapat diterima dua kali.", 409)
    if klien_id is not None and str(klien_id) not in {str(c["klien_id"]) for c in klien_serupa(masuk, pengguna)}:
        raise KesalahanRujukan("Klien yang dipilih tidak cocok dengan data klien rujukan ini; pilih salah satu klien yang "
                               "mungkin sama, atau buat klien baru dari data rujukan.", 422, {"klien_id": "Bukan klien yang cocok."})
    _ubah(masuk, "terima", pada)
    layanan = layanan_masuk(masuk)
    versi = versi_terbaru(layanan)
    kode_dokumen = {d["kode"] for d in versi.persyaratan("pemohon")}
    unggahan, lain = {}, []
    for b in masuk.isi.get("berkas", []):
        isi = penyimpanan().buka(b["kunci"])
        if b.get("dokumen_kode") in kode_dokumen and b["dokumen_kode"] not in unggahan:
            unggahan[b["dokumen_kode"]] = (isi, b["nama"])
        else:
            lain.append((isi, b["nama"]))
    asal = nama_asal(masuk)
    try:
        hasil = terima_kasus(
            layanan.kode, pelapor={"jenis": "dinas_lain", "instansi": asal[:200], "surat_nomor": masuk.isi.get("nomor_rujukan")},
            klien=None if klien_id else _klien_untuk_kasus(masuk), klien_id=klien_id, persyaratan={}, unggahan=unggahan,
            pengguna=pengguna, pada=pada,
        )
        kasus = hasil.kasus
        for isi, nama in lain:
            unggah_lampiran(kasus, versi=kasus.versi, isi=isi, nama_berkas=nama, pengguna=pengguna, pada=pada)
    except KesalahanKasus as e:
        raise KesalahanRujukan(f"Kasus tidak dapat dibuka dari rujukan ini: {e.pesan}", e.kode, e.kesalahan) from None
    masuk.kasus_id, masuk.ditanggapi_pada, masuk.ditanggapi_oleh_id = kasus.id, pada, pengguna.id
    catat_peristiwa_kasus(kasus, "dari_rujukan", pada, pengguna, rujukan_masuk=str(masuk.id),
                                    nomor_rujukan=masuk.isi.get("nomor_rujukan"), asal=asal, klien_tercatat=bool(klien_id) or None)
    sla.selesaikan_tenggat(OBJEK_TENGGAT, masuk.id, pada)
    catat_riwayat("masuk", masuk.id, "diterima", status=masuk.status, pada=pada, aktor=pengguna, kasus=str(kasus.id))
    catat_peristiwa("terima_rujukan", objek_jenis="rujukan_masuk", objek_id=masuk.id, kasus=str(kasus.id), asal=masuk.asal_tenant_id)
    _kabari_pengirim(masuk)
    db.session.flush()
    return kasus


def tolak(masuk: RujukanMasuk, *, pengguna, alasan: str, pada: datetime | None = None) -> None:
    """Decline with a reason; the snapshot and the copied files go."""
    pada = pada or sekarang()
    _perlu_tanggapi(pengguna)
    alasan = (alasan or "").strip()
    if not alasan:
        raise KesalahanRujukan("Alasan penolakan wajib diisi; kantor pengirim membacanya.", 422, {"alasan": "Wajib diisi."})
    _ubah(masuk, "tolak", pada)
    masuk.ditanggapi_pada, masuk.ditanggapi_oleh_id = pada, pengguna.id
    masuk.tanggapan = {**(masuk.tanggapan or {}), "alasan_tolak": alasan}
    cabut_akses(masuk, pada)
    sla.selesaikan_tenggat(OBJEK_TENGGAT, masuk.id, pada)
    catat_riwayat("masuk", masuk.id, "ditolak", status=masuk.status, pada=pada, aktor=pengguna, catatan=alasan)
    catat_peristiwa("tolak_rujukan", objek_jenis="rujukan_masuk", objek_id=masuk.id, asal=masuk.asal_tenant_id)
    _kabari_pengirim(masuk)


def minta_info(masuk: RujukanMasuk, *, pengguna, pertanyaan: str, pada: datetime | None = None) -> None:
    """Ask the sender for more; the answer deadline stops until the answer arrives."""
    pada = pada or sekarang()
    _perlu_tanggapi(pengguna)
    pertanyaan = (pertanyaan or "").strip()
    if not pertanyaan:
        raise KesalahanRujukan("Tulis informasi atau dokumen yang diminta dari kantor pengirim.", 422,
                               {"pertanyaan": "Wajib diisi."})
    _ubah(masuk, "minta_info", pada)
    masuk.ditanggapi_oleh_id = pengguna.id
    masuk.tanggapan = {**(masuk.tanggapan or {}), "permintaan_info": pertanyaan}
    sla.jeda_tenggat(OBJEK_TENGGAT, masuk.id, pada)
    catat_riwayat("masuk", masuk.id, "minta_info", status=masuk.status, pada=pada, aktor=pengguna, catatan=pertanyaan)
    catat_peristiwa("minta_info_rujukan", objek_jenis="rujukan_masuk", objek_id=masuk.id)
    _kabari_pengirim(masuk)


def cabut_akses(masuk: RujukanMasuk, pada: datetime) -> None:
    """End this office's access to what was shared: empty the snapshot, delete the copies (after commit)."""
    if masuk.akses_berakhir_pada is not None:
        return
    kunci = [b["kunci"] for b in (masuk.isi or {}).get("berkas", [])]
    masuk.isi = {"nomor_rujukan": (masuk.isi or {}).get("nomor_rujukan"), "akses_berakhir": True, "jumlah_berkas": len(kunci)}
    masuk.akses_berakhir_pada = pada
    if kunci:
        # Deleting files is not transactional: it happens once this change has committed, and may repeat harmlessly.
        tulis_outbox("rujukan.hapus_berkas", {"kunci": kunci}, kunci=f"rujukan-masuk:{masuk.id}:hapus-berkas")
    catat_peristiwa("akses_rujukan_berakhir", objek_jenis="rujukan_masuk", objek_id=masuk.id, berkas=len(kunci))


def setelah_kasus_ditutup(kasus: Kasus, pengguna, pada: datetime) -> None:
    """A case opened from a referral closed: the referral is done; its outcome goes back to the sender."""
    masuk = db.session.scalar(select(RujukanMasuk).where(RujukanMasuk.kasus_id == kasus.id).with_for_update())
    if masuk is None or masuk.status != "diterima":
        return
    _ubah(masuk, "selesai", pada)
    hasil = {h["kode"]: h["nama"] for h in versi_kasus(kasus).isi["sop"]["hasil_akhir"]}
    langkah = [str(l.id) for l in kasus.langkah]
    ba = db.session.scalars(
        select(SuratTerbit.nomor).where(
            SuratTerbit.jenis == "berita_acara_serah_terima",
            ((SuratTerbit.objek_jenis == "kasus") & (SuratTerbit.objek_id == str(kasus.id)))
            | ((SuratTerbit.objek_jenis == "langkah_kasus") & (SuratTerbit.objek_id.in_(langkah or ["-"]))),
        ).order_by(SuratTerbit.diterbitkan_pada.desc())
    ).first()
    masuk.tanggapan = {**(masuk.tanggapan or {}), "hasil": hasil.get(kasus.hasil_akhir, kasus.hasil_akhir), "nomor_berita_acara": ba}
    catat_riwayat("masuk", masuk.id, "selesai", status=masuk.status, pada=pada, aktor=pengguna,
                  hasil=kasus.hasil_akhir, nomor_berita_acara=ba)
    catat_peristiwa("rujukan_selesai", objek_jenis="rujukan_masuk", objek_id=masuk.id, kasus=str(kasus.id))
    _kabari_pengirim(masuk)


# --- what the sender's messages do here -------------------------------------------------------------


def sinkron_dari_pengirim(kiriman: dict, pada: datetime, kunci_baru: list[str]) -> dict | None:
    """Bring this office's copy in step with the sender's referral (the delivery consumer, bound here).

    ``kiriman``: the sender's state (``data_kiriman``) with the bytes of files
    not yet confirmed here. Creates the copy once (the delivery key is unique
    per office), starts the answer deadline and tells the staff; copies files
    it does not hold yet while access lasts; applies a withdrawal (refused
    once accepted) or an answer to a request for information. Storage keys
    written are appended to ``kunci_baru`` so a failed transaction can
    remove them. Returns this office's report (``laporan_untuk_pengirim``
    plus ``berkas``: the file ids held), or None when nothing was delivered.
    """
    masuk = db.session.scalar(select(RujukanMasuk).where(RujukanMasuk.kunci_kirim == kiriman["kunci_kirim"]).with_for_update())
    if masuk is None:
        if kiriman["status"] not in ("dikirim", "diterima_tujuan", "perlu_info"):
            return None  # withdrawn before it arrived: it never reaches this office
        masuk = _buat_masuk(kiriman, pada)
    if akses_aktif(masuk):
        _salin_berkas(masuk, kiriman, kunci_baru)
    if kiriman["status"] == "ditarik" and masuk.status in ("diterima_tujuan", "perlu_info"):
        _ubah(masuk, "tarik", pada)
        cabut_akses(masuk, pada)
        sla.selesaikan_tenggat(OBJEK_TENGGAT, masuk.id, pada)
        catat_riwayat("masuk", masuk.id, "ditarik", status=masuk.status, pada=pada, catatan=kiriman.get("alasan_tarik"))
        _kabari_staf(masuk, f"Rujukan {kiriman['nomor_rujukan']} ditarik oleh {kiriman['asal_nama']}",
                     "Rujukan ditarik sebelum diterima; berkas yang dibagikan tidak dapat dibuka lagi.", "ditarik")
    elif kiriman["status"] == "ditarik" and masuk.status in ("diterima", "selesai"):
        catat_riwayat("masuk", masuk.id, "penarikan_ditolak", status=masuk.status, pada=pada,
                      catatan="Penarikan tiba setelah rujukan diterima.")
    elif masuk.status == "perlu_info" and kiriman["putaran"] > masuk.putaran:
        _ubah(masuk, "lengkapi", pada)
        sla.lanjutkan_tenggat(OBJEK_TENGGAT, masuk.id, pada)
        catat_riwayat("masuk", masuk.id, "dilengkapi", status=masuk.status, pada=pada, putaran=kiriman["putaran"])
        _kabari_staf(masuk, f"Rujukan {kiriman['nomor_rujukan']} dilengkapi oleh {kiriman['asal_nama']}",
                     "Kantor pengirim menjawab permintaan informasi.", f"dilengkapi:{kiriman['putaran']}")
    masuk.putaran = max(masuk.putaran, kiriman["putaran"])
    db.session.flush()
    held = [b["id"] for b in (masuk.isi or {}).get("berkas", [])] if akses_aktif(masuk) else list(kiriman["semua_berkas"])
    return {**laporan_untuk_pengirim(masuk), "berkas": held}


def _buat_masuk(kiriman: dict, pada: datetime) -> RujukanMasuk:
    layanan = db.session.scalar(select(Layanan).where(Layanan.kode == kiriman["layanan_kode"]))
    if layanan is None:
        raise LookupError(f"layanan {kiriman['layanan_kode']!r} tidak ada di kantor tujuan")
    isi = {k: kiriman[k] for k in ("klien", "langkah", "alasan", "persetujuan", "nomor_rujukan", "tambahan",
                                   "nomor_register_asal")}
    isi["berkas"] = []
    dibuat = sisipkan_jika_baru(RujukanMasuk, {
        "kunci_kirim": kiriman["kunci_kirim"], "asal_tenant_id": kiriman["asal_tenant_id"],
        "asal_rujukan_id": uuid.UUID(kiriman["asal_rujukan_id"]), "layanan_id": layanan.id, "status": "diterima_tujuan",
        "pemulangan": kiriman["pemulangan"], "rahasia": kiriman["rahasia"], "isi": isi, "putaran": kiriman["putaran"],
        "urutan_status": 1, "sampai_pada": pada, "diperbarui_pada": pada,
    }, ["kunci_kirim"])
    masuk = db.session.scalar(select(RujukanMasuk).where(RujukanMasuk.kunci_kirim == kiriman["kunci_kirim"]).with_for_update())
    if not dibuat:  # a concurrent delivery created it first and started everything
        return masuk
    durasi = batas_tanggapan(layanan.kode)
    sla.mulai_tenggat(OBJEK_TENGGAT, masuk.id, durasi=durasi, mulai=pada, tautan=tautan(masuk), induk_id=masuk.id,
                      judul=f"Tanggapi rujukan {kiriman['nomor_rujukan']} dari {kiriman['asal_nama']} ({layanan.nama})")
    catat_riwayat("masuk", masuk.id, "sampai", status=masuk.status, pada=pada, asal=kiriman["asal_nama"], batas=durasi)
    catat_peristiwa("rujukan_sampai", objek_jenis="rujukan_masuk", objek_id=masuk.id, asal=kiriman["asal_tenant_id"],
                    asal_rujukan=kiriman["asal_rujukan_id"])
    _kabari_staf(masuk, f"Rujukan masuk {kiriman['nomor_rujukan']} dari {kiriman['asal_nama']}",
                 f"Layanan {layanan.nama}. Tanggapi dalam {durasi}.", "sampai")
    return masuk


def _salin_berkas(masuk: RujukanMasuk, kiriman: dict, kunci_baru: list[str]) -> None:
    """Copy the shared files this office does not hold yet under its own storage keys."""
    isi = dict(masuk.isi)
    ada = {b["id"] for b in isi.get("berkas", [])}
    baru = []
    for b in kiriman["berkas"]:
        if b["id"] in ada:
            continue
        data = b["isi"]
        if b.get("sha256") and hashlib.sha256(data).hexdigest() != b["sha256"]:
            raise ValueError(f"berkas rujukan {b['id']} tidak cocok dengan sidiknya")
        # The key follows from the delivery and the file: a delivery killed after copying and before its commit
        # leaves a file its retry writes again under the same key, not a second copy nobody points at.
        kunci = penyimpanan().simpan(data, "rujukan", tetap=f"{masuk.tenant_id}:{masuk.kunci_kirim}:{b['id']}")
        kunci_baru.append(kunci)
        baru.append({"id": b["id"], "kunci": kunci, "nama": b["nama"], "jenis_mime": b["jenis_mime"], "ukuran": len(data),
                     "sha256": hashlib.sha256(data).hexdigest(), "dokumen_kode": b.get("dokumen_kode"),
                     "putaran": b.get("putaran", 1)})
    tambahan = kiriman.get("tambahan") or []
    if baru or len(tambahan) != len(isi.get("tambahan") or []):
        isi["berkas"] = [*isi.get("berkas", []), *baru]
        isi["tambahan"] = tambahan
        masuk.isi = isi


def nomor(masuk: RujukanMasuk) -> str:
    return (masuk.isi or {}).get("nomor_rujukan") or nomor_tampil(masuk.asal_rujukan_id)
