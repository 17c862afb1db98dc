"""Helpers for the work-queue tests (tests/tugas, the e2e hand-off journey): a Magetan case taken in and moved
on step by step, and what a user's queue and inbox hold."""
from dinsos_uji.alat_kasus import akun, di_kantor, verifikasi_bila_perlu
from dinsos_uji.alat_kasus import kasus as muat

LENGKAP = {"surat-keterangan-kepolisian": "dilihat",
           "surat-keterangan-kehilangan": "dilihat"}
PELAPOR = {"jenis": "kepolisian", "nama": "Bripka Anton", "instansi": "Polres Magetan"}
# What Magetan's steps ask to be filled in, by step code (the forms in its seed).
ISIAN_MAGETAN = {
    "asesmen": {"tanggal_asesmen": "2026-05-05", "kondisi_fisik": "Sehat, kurang gizi ringan",
                "kondisi_psikososial": "Takut, menolak pulang", "keluarga": "Keluarga tidak diketahui",
                "kebutuhan": "Tempat tinggal aman dan sekolah"},
    "laporan-sosial": {"ringkasan_masalah": "Anak jalanan tanpa keluarga diketahui", "hasil_pendampingan": "Anak mau dirujuk",
                       "rencana_tindak_lanjut": "Rujuk ke balai rehabilitasi"},
    "koordinasi-balai": {"balai_tujuan": "UPT PSAB Pasuruan", "hasil_koordinasi": "Balai siap menerima 6 Mei",
                         "rekomendasi": "Rehabilitasi sosial dalam balai"},
    "pengiriman": {"tujuan_surat": "Balai Rehsos", "alamat_tujuan": "Magelang"},
    "penerimaan-balai": {"tujuan_surat": "Balai Rehsos", "alamat_tujuan": "Magelang"},  # the receipt's receiving party
}
ANAK = {"tanpa_identitas": True, "deskripsi": "Anak laki-laki, sekitar 12 tahun", "umur_perkiraan": 12, "jenis_kelamin": "L"}


def terima(kantor, staf, layanan="pengiriman-anjal-at", klien=None, persyaratan=None, pada=None, pelapor=None):
    """Take a case in at ``staf``'s desk (a complete Magetan file by default); returns its id."""
    from dinsos.cases.penerimaan import terima_kasus
    from dinsos.cases.perubahan import simpan

    with di_kantor(kantor):
        h = terima_kasus(layanan, pelapor=pelapor or PELAPOR, klien=klien or ANAK, persyaratan=persyaratan or LENGKAP,
                         pengguna=akun(staf), pada=pada)
        verifikasi_bila_perlu(h.kasus, akun(staf), pada)
        simpan()
        return h.kasus.id


def langkah(kantor, staf_id, kid, pada=None, **kw):
    """Record the case's running step as the staff member ``staf_id``."""
    from dinsos.auth.models import Pengguna
    from dinsos.cases.perubahan import simpan
    from dinsos.cases.sop import selesaikan_langkah
    from dinsos.core.db import db

    with di_kantor(kantor):
        k = muat(kid)
        orang = db.session.get(Pengguna, (kantor.id, staf_id))
        selesaikan_langkah(k, versi=k.versi, kode_langkah=k.langkah_kode, pengguna=orang, pada=pada, **kw)
        simpan()


def antrean(kantor, staf_id, pada=None):
    """(kind, step code or None, case id or None, subject, status) of the user's queue, in its order."""
    from flask import g

    from dinsos.auth.models import Pengguna
    from dinsos.core.db import db, sekarang
    from dinsos.tugas.services import tugas_saya

    with di_kantor(kantor):
        g.slug_tenant = kantor.slug
        orang = db.session.get(Pengguna, (kantor.id, staf_id))
        return [(t.jenis, t.rincian.get("kode"), t.rincian.get("kasus_id"), t.perihal, t.status)
                for t in tugas_saya(orang, pada or sekarang())]


def notifikasi(kantor, pid=None):
    """(recipient, title, link, key) of the office's in-app notices, oldest first (only ``pid``'s if given)."""
    from sqlalchemy import select

    from dinsos.core.db import db
    from dinsos.notify.models import Notifikasi

    with di_kantor(kantor):
        q = select(Notifikasi).order_by(Notifikasi.dibuat_pada)
        if pid:
            q = q.where(Notifikasi.penerima_id == pid)
        return [(n.penerima_id, n.judul, n.tautan, n.kunci) for n in db.session.scalars(q)]


def disposisi(kantor, staf, kid, pada=None):
    """The running step's disposition chain up to its last officer, each part by the role whose turn it is.

    ``staf`` is the office's accounts by role; a step without a chain is left as it is. The last officer then
    records the step itself (``langkah``), as the standard says.
    """
    from dinsos.cases.baca import langkah_berjalan, versi_kasus
    from dinsos.cases.perubahan import simpan
    from dinsos.cases.sop import catat_disposisi, disposisi_langkah, giliran_disposisi

    with di_kantor(kantor):
        k = muat(kid)
        berjalan = langkah_berjalan(k)
        rantai = (versi_kasus(k).langkah(berjalan.kode).get("disposisi") or []) if berjalan else []
        while rantai and len(sudah := disposisi_langkah(k, berjalan)) < len(rantai) - 1:
            peran = giliran_disposisi(versi_kasus(k).langkah(berjalan.kode), sudah)
            catat_disposisi(k, versi=k.versi, pengguna=akun(staf[peran]), instruksi=f"Mohon ditindaklanjuti ({peran}).",
                            pada=pada)
        simpan()
