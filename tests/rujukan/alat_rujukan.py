"""Helpers for the referral tests: a Magetan case ready to refer, referring, delivering, reading both sides."""
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from dinsos_uji.alat_kasus import PDF, akun, di_kantor, verifikasi_bila_perlu
from dinsos_uji.alat_kasus import kasus as muat_kasus

ROOT = Path(__file__).resolve().parents[2]
BANTEN = ("provinsi-banten", "rehabilitasi-anak-terlantar-panti")
# What Banten's panti service asks of the sender; its other requirements are `pihak: kantor` (made at Banten's steps).
DOKUMEN_BANTEN = ("surat-permohonan", "surat-persetujuan")
PERSETUJUAN = {"nama": "Sumarni", "hubungan": "orang_tua", "cara": "tertulis", "tanggal": date(2026, 5, 4)}
KLIEN_ANAK = {"nama": "Rina Lestari", "tanggal_lahir": "2014-03-02", "jenis_kelamin": "P", "alamat": "Dusun Krajan, Magetan",
              "kode_wilayah": "35.20.01.2001", "kategori_ppks": 2,
              "keluarga": [{"nama": "Sumarni", "hubungan": "ibu", "wali": True, "kontak": "0812000111"}]}


def pdf(teks: str) -> bytes:
    """A distinct small PDF (the content check only reads the magic bytes)."""
    return PDF + f"% {teks}\n".encode()


def kasus_magetan(staf, *, berkas=DOKUMEN_BANTEN, klien=None) -> tuple:
    """A Magetan Anjal/AT case with a complete file and one scan per Banten requirement; returns (case id, {code: attachment id})."""
    from dinsos.cases.penerimaan import terima_kasus
    from dinsos.cases.perubahan import simpan
    from dinsos.cases.sop import selesaikan_langkah, unggah_lampiran

    s = staf["kabupaten-magetan"]
    with di_kantor(s["petugas_pelayanan"].kantor):
        hasil = terima_kasus("pengiriman-anjal-at", pelapor={"jenis": "kepolisian", "instansi": "Polres Magetan"},
                                 klien=klien or KLIEN_ANAK, persyaratan={k: "dilihat" for k in (
                                     "surat-keterangan-kepolisian", "surat-keterangan-kehilangan")}, pengguna=akun(s["petugas_pelayanan"]))
        k = hasil.kasus
        verifikasi_bila_perlu(k, akun(s["petugas_pelayanan"]))
        lampiran = {}
        for kode in berkas:
            lamp = unggah_lampiran(k, versi=k.versi, isi=pdf(kode), nama_berkas=f"{kode}.pdf", pengguna=akun(s["pekerja_sosial"]))
            lampiran[kode] = lamp.id
        selesaikan_langkah(k, versi=k.versi, kode_langkah="serah-terima", pengguna=akun(s["petugas_pelayanan"]),
                               catatan="Diserahkan Polres")
        simpan()
        return k.id, lampiran


def lampiran_baru(staf, kasus_id, kode: str):
    """One more scan on the Magetan case (a document the receiver asked for later); returns its attachment id."""
    from dinsos.cases.perubahan import simpan
    from dinsos.cases.sop import unggah_lampiran

    s = staf["kabupaten-magetan"]
    with di_kantor(s["pekerja_sosial"].kantor):
        k = muat_kasus(kasus_id)
        lamp = unggah_lampiran(k, versi=k.versi, isi=pdf(kode), nama_berkas=f"{kode}.pdf", pengguna=akun(s["pekerja_sosial"]))
        simpan()
        return lamp.id


def rujuk_ke_banten(staf, kasus_id, lampiran, *, peran="pekerja_sosial", kirim=True, persetujuan=PERSETUJUAN, **lain):
    """Refer the case to Banten's panti service, each scan mapped to the requirement of the same code; returns the referral id."""
    from dinsos.core.db import db
    from dinsos.referrals.dibagikan import BIDANG_KLIEN
    from dinsos.referrals.perujukan import buat_rujukan
    from dinsos.referrals.tujuan import cari_tujuan_layanan

    s = staf["kabupaten-magetan"]
    with di_kantor(s[peran].kantor):
        k = muat_kasus(kasus_id)
        langkah = [l.id for l in k.langkah if l.status == "selesai"]
        r = buat_rujukan(
            k, pengguna=akun(s[peran]), tujuan=cari_tujuan_layanan(*BANTEN), alasan="Anak terlantar butuh pengasuhan panti",
            bidang_klien=list(BIDANG_KLIEN), langkah=langkah,
            berkas=[{"sumber": "lampiran", "id": str(i), "dokumen_kode": kode} for kode, i in lampiran.items()],
            persetujuan=persetujuan, kirim=kirim, **lain)
        db.session.commit()
        return r.id


def konteks_app(app):
    """An app context with no office bound (storage reads, sweeps)."""
    return app.app_context()


def antar_semua(app, batas: int = 10) -> int:
    """Run the embedded relay (no Redis) until nothing is left to deliver; returns how many messages were handled."""
    from dinsos_workers import jadwal

    total = 0
    for _ in range(batas):
        with app.app_context():
            n = jadwal.jalankan_tertanam(jadwal.cari("relay_outbox"))
        total += n
        if n == 0:
            return total
    raise AssertionError("the outbox keeps producing messages")


def rujukan(kantor, rujukan_id) -> dict:
    """The sender's referral as plain data."""
    from dinsos.referrals.rujukan import muat_rujukan

    with di_kantor(kantor):
        r = muat_rujukan(rujukan_id)
        return {"status": r.status, "laporan": r.laporan or {}, "urutan": r.urutan_laporan, "terkirim": list(r.berkas_terkirim),
                "dibagikan": r.dibagikan, "surat_id": r.surat_id, "putaran": r.putaran}


def semua_masuk(kantor) -> list:
    """The receiver's copies as plain data."""
    from dinsos.core.db import db
    from dinsos.referrals.models import RujukanMasuk

    with di_kantor(kantor):
        return [{"id": m.id, "status": m.status, "isi": m.isi, "kasus_id": m.kasus_id, "asal_rujukan_id": m.asal_rujukan_id,
                 "urutan": m.urutan_status, "pemulangan": m.pemulangan, "tanggapan": m.tanggapan or {},
                 "akses_berakhir_pada": m.akses_berakhir_pada, "kunci_kirim": m.kunci_kirim}
                for m in db.session.scalars(select(RujukanMasuk))]


def jumlah(app, model, kantor=None) -> int:
    """Rows of a tenant-owned model, in one office or (None) in all."""
    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant

    with app.app_context():
        if kantor is None:
            with lintas_tenant("uji", catat=False):
                return db.session.scalar(select(func.count()).select_from(model))
        with di_kantor(kantor):
            return db.session.scalar(select(func.count()).select_from(model))


def notifikasi(staf) -> list[str]:
    """Titles of a staff member's notices."""
    from dinsos.core.db import db
    from dinsos.notify.models import Notifikasi

    with di_kantor(staf.kantor):
        return [n.judul for n in db.session.scalars(select(Notifikasi).where(Notifikasi.penerima_id == staf.id))]


def tanggapi(staf, masuk_id, aksi: str, **kw):
    """Run an answer of the receiving office (terima, tolak, minta_info) as a staff member."""
    from dinsos.core.db import db
    from dinsos.referrals import penerimaan

    with di_kantor(staf.kantor):
        m = penerimaan.muat_masuk(masuk_id, kunci=True)
        hasil = getattr(penerimaan, aksi)(m, pengguna=akun(staf), **kw)
        db.session.commit()
        return getattr(hasil, "id", None)
