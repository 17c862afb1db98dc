"""Keeping the two offices' copies of a referral in step, through the transactional outbox.

Each change in one office writes an outbox message in its own transaction;
the consumer runs bound to that office, reads its current state and, inside
a declared and audited crossing (``lintas_tenant``), writes into the other
office bound to it (``dalam_tenant``), flushing there before it returns. The
message's completion, the other office's change and the sending side's
bookkeeping commit together, so a redelivered, retried or concurrently run
message has one effect:

- ``rujukan.teruskan`` (sender's outbox): deliver, copy files not yet held,
  withdraw, or answer a request for information. The receiver's copy is
  created at most once per delivery key; what it reports back is applied to
  the sender's referral in the same transaction.
- ``rujukan.kabari`` (receiver's outbox): report the receiver's current state
  to the sender; reports carry a sequence number, so an old one never undoes
  a newer one.
- ``rujukan.hapus_berkas``: delete copies once the receiver's access ended.
- ``rujukan.eskalasi_provinsi`` (written by the deadline sweep in the
  receiver) and ``rujukan.pengingat`` (written by a province): notices to the
  sender's province, or to the receiver's heads of division and office.

``PENGOLAH`` at the bottom names the processor of each kind; ``referrals.pasang``
registers them in ``core.outbox.PENGOLAH_OUTBOX``.
"""
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import undefer

from dinsos.audit.services import catat_peristiwa
from dinsos.cases.models import Kasus
from dinsos.core.db import db, sekarang
from dinsos.core.outbox import tulis_outbox
from dinsos.core.penyimpanan import kunci_dihapus_bila_gagal, penyimpanan
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos.documents.models import SuratTerbit
from dinsos.tenancy.models import Tenant

from . import penerimaan
from .persetujuan import ringkas_persetujuan
from .rujukan import catat_di_kasus, catat_riwayat, kasus_rujukan, muat_rujukan, nomor_tampil
from .status import LABEL, status_dari_laporan

MENUNGGU_TUJUAN = ("diterima_tujuan", "perlu_info")


# --- sender -> receiver -------------------------------------------------------------------------


def _bacaan(butir: dict) -> bytes:
    """The bytes of one shared file, read in the sending office (its storage key, or its archived letter)."""
    if butir["sumber"] == "surat":
        surat = db.session.scalar(select(SuratTerbit).where(SuratTerbit.id == uuid.UUID(butir["sumber_id"])).options(undefer(SuratTerbit.pdf)))
        if surat is None:
            raise LookupError(f"surat {butir['sumber_id']} tidak ada")
        return surat.pdf
    return penyimpanan().buka(butir["kunci"])


def data_kiriman(r, asal: Tenant, kasus: Kasus) -> dict:
    """The sender's state as the receiver needs it: what was shared, and the bytes of files it does not hold yet."""
    isi = r.dibagikan
    terkirim = set(r.berkas_terkirim or [])
    belum = [b for b in isi["berkas"] if b["id"] not in terkirim] if r.status != "ditarik" else []
    return {
        "kunci_kirim": f"{r.tenant_id}:{r.id}", "asal_tenant_id": r.tenant_id, "asal_rujukan_id": str(r.id),
        "asal_nama": asal.nama, "layanan_kode": r.tujuan_layanan_kode, "status": r.status, "putaran": r.putaran,
        "pemulangan": r.pemulangan, "rahasia": bool(isi.get("rahasia")), "klien": isi["klien"], "langkah": isi["langkah"],
        "alasan": r.alasan, "persetujuan": ringkas_persetujuan(r), "nomor_rujukan": nomor_tampil(r.id),
        "tambahan": isi.get("tambahan", []), "nomor_register_asal": kasus.nomor_register,
        "alasan_tarik": (r.laporan or {}).get("alasan_tarik"),
        "berkas": [{**b, "isi": _bacaan(b)} for b in belum], "semua_berkas": [b["id"] for b in isi["berkas"]],
    }


def teruskan(muatan: dict) -> None:
    """Bring the receiving office's copy in step with the sender's referral (bound to the sender)."""
    r = muat_rujukan(muatan["rujukan_id"], kunci=True)
    if r is None or r.jenis_tujuan != "layanan" or r.status == "draf":
        return
    pada = sekarang()
    kasus = kasus_rujukan(r)
    kiriman = data_kiriman(r, db.session.get(Tenant, r.tenant_id), kasus)
    with kunci_dihapus_bila_gagal() as kunci_baru:  # the copies of a transaction that did not commit
        with lintas_tenant("rujukan: menyampaikan ke kantor tujuan", rujukan_id=str(r.id), tujuan_tenant_id=r.tujuan_tenant_id):
            with dalam_tenant(r.tujuan_tenant_id):
                laporan = penerimaan.sinkron_dari_pengirim(kiriman, pada, kunci_baru)
                db.session.flush()
        if laporan is not None:
            r.berkas_terkirim = laporan["berkas"]
            terapkan_laporan(r, laporan, pada, kasus=kasus)
        db.session.flush()


# --- receiver -> sender ------------------------------------------------------------------------------


def _catatan_laporan(status: str, laporan: dict) -> str | None:
    if status == "ditolak":
        return laporan.get("alasan_tolak")
    if status == "perlu_info":
        return laporan.get("permintaan_info")
    if status == "selesai":
        bagian = [laporan.get("hasil"), f"berita acara {laporan['nomor_berita_acara']}" if laporan.get("nomor_berita_acara") else None]
        return "; ".join(b for b in bagian if b) or None
    return None


def terapkan_laporan(r, laporan: dict, pada: datetime, *, kasus: Kasus | None = None) -> bool:
    """Apply the receiver's report to the sender's referral (bound to the sender). False when it is not newer."""
    if laporan["urutan"] <= r.urutan_laporan:
        return False
    r.urutan_laporan = laporan["urutan"]
    isi = dict(r.laporan or {})
    for kunci in ("alasan_tolak", "permintaan_info", "hasil", "nomor_berita_acara"):
        if laporan.get(kunci):
            isi[kunci] = laporan[kunci]
    r.laporan = isi
    lama, baru = r.status, status_dari_laporan(r.status, laporan["status"])
    if baru == lama:
        return False
    r.status, r.diperbarui_pada = baru, pada
    if baru == "diterima_tujuan" and r.sampai_pada is None:
        r.sampai_pada = pada
    if baru in ("perlu_info", "diterima", "ditolak") and r.ditanggapi_pada is None:
        r.ditanggapi_pada = pada
    if baru == "selesai":
        r.selesai_pada = pada
    catatan = _catatan_laporan(baru, laporan)
    terlambat = lama == "ditarik"
    catat_riwayat("keluar", r.id, f"laporan_{baru}", status=baru, pada=pada, catatan=catatan,
                  penarikan_terlambat=terlambat or None)
    kasus = kasus or kasus_rujukan(r)
    catat_di_kasus(kasus, r, pada, None, catatan=catatan, hasil_akhir=laporan.get("hasil") if baru == "selesai" else None)
    catat_peristiwa("laporan_rujukan", objek_jenis="rujukan", objek_id=r.id, dari=lama, ke=baru, urutan=laporan["urutan"])
    if r.dibuat_oleh_id:
        from dinsos.notify.services import kirim_notifikasi

        slug = db.session.get(Tenant, r.tenant_id).slug
        judul = f"Rujukan {nomor_tampil(r.id)}: {LABEL[baru]}"
        if terlambat:
            judul += " (penarikan datang terlambat)"
        kirim_notifikasi(r.dibuat_oleh_id, judul, catatan or (r.dibagikan or {}).get("tujuan_nama", ""),
                         tautan=f"/t/{slug}/rujukan/keluar/{r.id}", kunci=f"rujukan:{r.id}:laporan:{laporan['urutan']}")
    return True


def kabari(muatan: dict) -> None:
    """Report the receiving office's current state to the sender (bound to the receiver).

    Locks the sender's referral before the receiver's copy, the order
    ``teruskan`` uses, so two consumers of one referral never deadlock.
    """
    masuk = penerimaan.muat_masuk(muatan["masuk_id"])
    if masuk is None:
        return
    asal, asal_rujukan = masuk.asal_tenant_id, masuk.asal_rujukan_id
    pada = sekarang()
    with lintas_tenant("rujukan: melapor ke kantor pengirim", rujukan_masuk_id=str(masuk.id), asal_tenant_id=asal):
        with dalam_tenant(asal):
            r = muat_rujukan(asal_rujukan, kunci=True)
        laporan = penerimaan.laporan_untuk_pengirim(penerimaan.muat_masuk(muatan["masuk_id"], kunci=True))
        if r is not None:
            with dalam_tenant(asal):
                terapkan_laporan(r, laporan, pada)
                db.session.flush()


def hapus_berkas(muatan: dict) -> None:
    """Delete the receiver's copies of shared files once its access ended (idempotent)."""
    for kunci in muatan["kunci"]:
        penyimpanan().hapus(kunci)


# --- notices across offices --------------------------------------------------------------------------------


def provinsi_dari(tenant: Tenant) -> int | None:
    """The province overseeing an office: its parent, or itself for a province."""
    return tenant.id if tenant.tingkat == "provinsi" else tenant.provinsi_induk_id


def eskalasi_ke_provinsi(tenggat, jenis: str, judul: str, isi: str) -> None:
    """Deadline sweep hook for unanswered referrals: the sender's province hears of each escalation.

    Called bound to the receiving office; it only writes an outbox message
    there, so the notice crosses offices through the outbox like every other.
    """
    if jenis not in ("eskalasi_kabid", "eskalasi_kadis"):
        return
    tulis_outbox("rujukan.eskalasi_provinsi", {"masuk_id": tenggat.objek_id, "jenis": jenis, "judul": judul, "isi": isi},
                 kunci=f"rujukan-masuk:{tenggat.objek_id}:provinsi:{tenggat.putaran}:{jenis}")


def kabari_provinsi(muatan: dict) -> None:
    """Tell the sender's province that a referral to this office is overdue (bound to the receiver)."""
    from dinsos.notify.services import kirim_notifikasi

    masuk = penerimaan.muat_masuk(muatan["masuk_id"])
    if masuk is None or masuk.status not in MENUNGGU_TUJUAN:
        return
    asal, tujuan = db.session.get(Tenant, masuk.asal_tenant_id), db.session.get(Tenant, masuk.tenant_id)
    provinsi_id = provinsi_dari(asal)
    if provinsi_id is None:
        return
    with lintas_tenant("rujukan: eskalasi ke provinsi kantor pengirim", rujukan_masuk_id=str(masuk.id), provinsi_id=provinsi_id):
        with dalam_tenant(provinsi_id):
            provinsi = db.session.get(Tenant, provinsi_id)
            for p in penerimaan.staf_dengan_izin("pengawasan.lihat"):
                kirim_notifikasi(
                    p.id, f"Rujukan belum ditanggapi: {asal.nama} ke {tujuan.nama}",
                    f"{penerimaan.nomor(masuk)}. {muatan['isi']}", tautan=f"/t/{provinsi.slug}/pengawasan/rujukan",
                    kunci=f"rujukan:{masuk.asal_rujukan_id}:provinsi:{muatan['jenis']}:{p.id}",
                )
            catat_peristiwa("eskalasi_rujukan_ke_provinsi", objek_jenis="rujukan", objek_id=masuk.asal_rujukan_id,
                            tujuan=tujuan.id, jenis=muatan["jenis"])
            db.session.flush()


def pengingat(muatan: dict) -> None:
    """A province's reminder (to the receiver's kepala bidang) or escalation (also its kepala dinas), bound to the province."""
    from dinsos.notify.services import kirim_notifikasi

    provinsi = db.session.get(Tenant, muatan["provinsi_id"])
    with lintas_tenant(f"pengawasan provinsi: {muatan['jenis']} rujukan", kunci_kirim=muatan["kunci_kirim"],
                       tujuan_tenant_id=muatan["tujuan_tenant_id"]):
        with dalam_tenant(muatan["tujuan_tenant_id"]):
            masuk = db.session.scalar(select(penerimaan.RujukanMasuk).where(
                penerimaan.RujukanMasuk.kunci_kirim == muatan["kunci_kirim"]))
            if masuk is None or masuk.status not in MENUNGGU_TUJUAN:
                return
            peran = {"kepala_bidang"} if muatan["jenis"] == "pengingat" else {"kepala_bidang", "kepala_dinas"}
            penerima = [p for p in penerimaan.staf_dengan_izin("dasbor.lihat") if peran & set(p.peran or ())]
            judul = ("Pengingat dari " if muatan["jenis"] == "pengingat" else "Eskalasi dari ") + provinsi.nama
            isi = f"Rujukan {penerimaan.nomor(masuk)} dari {penerimaan.nama_asal(masuk)} belum ditanggapi."
            if muatan.get("catatan"):
                isi += f" Catatan: {muatan['catatan']}"
            for p in penerima:
                kirim_notifikasi(p.id, f"{judul}: rujukan {penerimaan.nomor(masuk)}", isi, tautan=penerimaan.tautan(masuk),
                                 kunci=f"rujukan-masuk:{masuk.id}:{muatan['kunci']}:{p.id}")
            catat_riwayat("masuk", masuk.id, f"{muatan['jenis']}_provinsi", status=masuk.status, pada=sekarang(),
                          catatan=muatan.get("catatan"), provinsi=provinsi.nama)
            catat_peristiwa(f"{muatan['jenis']}_rujukan_provinsi", objek_jenis="rujukan_masuk", objek_id=masuk.id,
                            provinsi=provinsi.id, penerima=len(penerima))
            db.session.flush()


# Outbox kind -> processor (see the module docstring); registered by ``referrals.pasang``.
PENGOLAH = {
    "rujukan.teruskan": teruskan,
    "rujukan.kabari": kabari,
    "rujukan.hapus_berkas": hapus_berkas,
    "rujukan.eskalasi_provinsi": kabari_provinsi,
    "rujukan.pengingat": pengingat,
}
