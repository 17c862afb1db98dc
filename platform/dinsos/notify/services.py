"""Notices to staff: the in-app inbox, and the outbox rows that carry them to e-mail and WhatsApp.

``kirim_notifikasi`` only writes rows in the caller's transaction: the inbox
row and one outbox row per external channel. Nothing is sent here; the relay
and the channel handlers (``kanal``) do that after the commit, with retries,
so a web request never waits on SMTP and a failing channel never loses the
in-app notice.
"""
import uuid
from urllib.parse import urlsplit

from flask import current_app, url_for
from sqlalchemy import func, or_, select, update

from dinsos.audit.services import catat_peristiwa
from dinsos.auth.models import Pengguna
from dinsos.core.db import db, sekarang
from dinsos.core.outbox import PesanOutbox, sisipkan_jika_baru, tulis_outbox
from dinsos.core.tujuan_keluar import TujuanDitolak, daftar_izin, periksa_url

from .kanal import KANAL, kanal_aktif, url_webhook_sah
from .models import Notifikasi, PengaturanNotifikasi

PANJANG_JUDUL = 300
PANJANG_KUNCI = 200


class KesalahanNotifikasi(ValueError):
    """A notice or a setting that cannot be stored; the message (Indonesian) says why."""


def tautan_internal(tautan: str) -> bool:
    """A path on this platform (``/t/...``): notices never link elsewhere."""
    bagian = urlsplit(tautan)
    return tautan.startswith("/") and not tautan.startswith("//") and not bagian.scheme and not bagian.netloc and "\\" not in tautan


def judul_satu_baris(judul: str | None) -> str:
    """A notice's title as stored: one line, since it becomes an e-mail subject."""
    return " ".join((judul or "").split())


def _uuid(nilai, apa: str) -> uuid.UUID:
    try:
        return nilai if isinstance(nilai, uuid.UUID) else uuid.UUID(str(nilai))
    except ValueError:
        raise KesalahanNotifikasi(f"{apa} {nilai!r} bukan pengenal yang sah.") from None


def pengaturan_kantor() -> PengaturanNotifikasi | None:
    """The bound office's notification settings, if it has any."""
    return db.session.scalar(select(PengaturanNotifikasi))


def kirim_notifikasi(penerima_id, judul: str, isi: str, tautan: str | None = None, *, kunci: str,
                     kelompok: str | None = None) -> Notifikasi:
    """Put a notice in a staff member's inbox and queue it for their external channels.

    ``kunci`` names the event (e.g. ``kasus:<id>:langkah:3:terlambat``): a
    second call with the same key in this office adds nothing and returns the
    first notice. ``kelompok`` names what the notice asks to be done, for
    ``usangkan`` once it is. The caller commits.
    """
    judul = judul_satu_baris(judul)
    if not judul:
        raise KesalahanNotifikasi("Judul notifikasi wajib diisi.")
    if len(judul) > PANJANG_JUDUL:
        raise KesalahanNotifikasi(f"Judul notifikasi terlalu panjang ({len(judul)} karakter, paling banyak {PANJANG_JUDUL}).")
    if not kunci or len(kunci) > PANJANG_KUNCI:
        raise KesalahanNotifikasi(f"Kunci notifikasi wajib diisi, paling banyak {PANJANG_KUNCI} karakter.")
    if kelompok is not None and (not kelompok or len(kelompok) > PANJANG_KUNCI):
        raise KesalahanNotifikasi(f"Kelompok notifikasi paling banyak {PANJANG_KUNCI} karakter.")
    if tautan is not None and not tautan_internal(tautan):
        raise KesalahanNotifikasi(f"Tautan notifikasi harus alamat di dalam platform yang diawali '/': {tautan!r}.")
    penerima_id = _uuid(penerima_id, "Penerima notifikasi")
    penerima = db.session.scalar(select(Pengguna).where(Pengguna.id == penerima_id))
    if penerima is None:
        raise KesalahanNotifikasi(f"Penerima notifikasi {penerima_id} tidak ada di kantor ini.")

    baru = sisipkan_jika_baru(
        Notifikasi, {"penerima_id": penerima_id, "judul": judul, "isi": isi or "", "tautan": tautan, "kunci": kunci,
                     "kelompok": kelompok}, ["kunci"]
    )
    notifikasi = db.session.scalar(select(Notifikasi).where(Notifikasi.kunci == kunci))
    if baru:
        for kanal in kanal_aktif(penerima, pengaturan_kantor(), current_app.config):
            tulis_outbox(f"notifikasi.{kanal}", {"notifikasi_id": str(notifikasi.id)}, kunci=f"notifikasi:{notifikasi.id}:{kanal}")
    return notifikasi


def usangkan(kelompok: str, alasan: str, *, kecuali_penerima=None, hanya_penerima=None) -> int:
    """Supersede the standing notices of a group: what they asked is done, now someone else's, or said anew.

    Each gets ``usang_pada`` and ``alasan`` (words for its reader), and stops counting as unread: it no longer
    asks for attention. ``kecuali_penerima`` keeps one person's notices standing (the new assignee's);
    ``hanya_penerima`` supersedes only that person's (a later notice of the same deadline to her). Returns how
    many were superseded; the caller commits.
    """
    kini = sekarang()
    q = update(Notifikasi).where(Notifikasi.kelompok == kelompok, Notifikasi.usang_pada.is_(None))
    if kecuali_penerima is not None:
        q = q.where(Notifikasi.penerima_id != _uuid(kecuali_penerima, "Penerima notifikasi"))
    if hanya_penerima is not None:
        q = q.where(Notifikasi.penerima_id == _uuid(hanya_penerima, "Penerima notifikasi"))
    return db.session.execute(
        q.values(usang_pada=kini, usang_alasan=alasan[:300], dibaca_pada=func.coalesce(Notifikasi.dibaca_pada, kini))
        .execution_options(synchronize_session=False)
    ).rowcount


def kueri_belum_dibaca(penerima_id):
    """The count of one staff member's unread notices (an index-only count), as a query the menu reads with its others."""
    return select(func.count()).select_from(Notifikasi).where(Notifikasi.penerima_id == penerima_id, Notifikasi.dibaca_pada.is_(None))



# The kinds a reader can filter the inbox by: the prefixes of the keys their writers give them.
JENIS_NOTIFIKASI = {
    "giliran": ("giliran:",),  # a step or case is now theirs (dinsos.tugas)
    "tenggat": ("tenggat:",),  # a deadline warns, is overdue or escalates (dinsos.sla)
    "rujukan": ("rujukan:", "rujukan-masuk:"),  # referrals sent and received (dinsos.referrals)
    "akun": ("masuk-ditahan:",),  # guesses at the reader's password
}


def daftar_notifikasi(penerima_id, halaman: int = 1, per_halaman: int = 50, *, jenis: str | None = None,
                      hanya_perlu_tindakan: bool = False) -> tuple[list[Notifikasi], bool]:
    """One page of a staff member's notices, newest first, and whether an older page follows.

    ``jenis``: one of ``JENIS_NOTIFIKASI``; ``hanya_perlu_tindakan``: unread and not superseded only.
    """
    halaman = max(halaman, 1)
    syarat = [Notifikasi.penerima_id == penerima_id]
    if jenis is not None:
        if jenis not in JENIS_NOTIFIKASI:
            raise KesalahanNotifikasi(f"Jenis notifikasi '{jenis}' tidak dikenal; pilih {', '.join(JENIS_NOTIFIKASI)}.")
        syarat.append(or_(*(Notifikasi.kunci.startswith(awal, autoescape=True) for awal in JENIS_NOTIFIKASI[jenis])))
    if hanya_perlu_tindakan:
        syarat += [Notifikasi.dibaca_pada.is_(None), Notifikasi.usang_pada.is_(None)]
    baris = db.session.scalars(
        select(Notifikasi)
        .where(*syarat)
        .order_by(Notifikasi.dibuat_pada.desc(), Notifikasi.id)
        .limit(per_halaman + 1)  # one more than shown says whether there is a next page
        .offset((halaman - 1) * per_halaman)
    ).all()
    return baris[:per_halaman], len(baris) > per_halaman


def tandai_dibaca(penerima_id, notifikasi_id) -> Notifikasi | None:
    """Mark one of the staff member's own notices read; None if it is not theirs. The caller commits."""
    notifikasi = db.session.scalar(
        select(Notifikasi).where(Notifikasi.id == notifikasi_id, Notifikasi.penerima_id == penerima_id)
    )
    if notifikasi is not None and notifikasi.dibaca_pada is None:
        notifikasi.dibaca_pada = sekarang()
    return notifikasi


def tandai_semua_dibaca(penerima_id) -> int:
    """Mark every unread notice of the staff member read; returns how many. The caller commits."""
    hasil = db.session.execute(
        update(Notifikasi)
        .where(Notifikasi.penerima_id == penerima_id, Notifikasi.dibaca_pada.is_(None))
        .values(dibaca_pada=sekarang())
        .execution_options(synchronize_session=False)
    )
    return hasil.rowcount


def simpan_pengaturan(nama_pengirim_email: str | None, webhook_whatsapp: str | None) -> PengaturanNotifikasi:
    """Store the bound office's notification settings (empty means default / off). The caller commits."""
    nama = " ".join((nama_pengirim_email or "").split()) or None
    url = (webhook_whatsapp or "").strip() or None
    if nama and len(nama) > 200:
        raise KesalahanNotifikasi("Nama pengirim email paling banyak 200 karakter.")
    if url and (len(url) > 500 or not url_webhook_sah(url)):
        raise KesalahanNotifikasi("Alamat webhook WhatsApp harus URL http:// atau https:// yang lengkap, paling banyak 500 karakter.")
    if url:
        try:
            periksa_url(url, daftar_izin(current_app.config))  # no internal addresses (SSRF); checked again at each send
        except TujuanDitolak as e:
            raise KesalahanNotifikasi(str(e)) from None
    sisipkan_jika_baru(PengaturanNotifikasi, {}, [])  # the office's one row; two admins saving at once get the same
    pengaturan = pengaturan_kantor()
    pengaturan.nama_pengirim_email, pengaturan.webhook_whatsapp = nama, url
    # The webhook URL may carry the gateway's token: record that it changed, not what it is.
    catat_peristiwa("pengaturan_notifikasi_diubah", objek_jenis="pengaturan_notifikasi",
                    nama_pengirim_email=nama, whatsapp_aktif=bool(url))
    return pengaturan


def kegagalan_kirim(batas: int = 20) -> list[PesanOutbox]:
    """The bound office's notices that did not leave (yet) on an external channel, newest first.

    Shown to the office admin on the settings page: a refused or unreachable gateway is otherwise invisible.
    """
    return list(db.session.scalars(
        select(PesanOutbox)
        .where(PesanOutbox.jenis.in_([f"notifikasi.{k}" for k in KANAL]), PesanOutbox.galat_terakhir.is_not(None),
               PesanOutbox.status != "selesai")
        .order_by(PesanOutbox.dibuat_pada.desc())
        .limit(batas)
    ))


def beri_tahu_masuk_ditahan(akun, gagal: int, sumber: str | None) -> None:
    """Tell a staff member (inbox, and e-mail through the outbox) that guesses at her password are being held."""
    jam = sekarang().strftime("%Y%m%d%H")
    # Stored in Indonesian like every notice: the request's language is the guesser's, not the owner's.
    kirim_notifikasi(
        akun.id,
        "Percobaan masuk ke akun Anda ditahan",
        f"Ada {gagal} percobaan masuk dengan kata sandi salah ke akun {akun.email} dari alamat {sumber or '-'}. "
        "Percobaan berikutnya dari alamat itu ditunda; Anda tetap dapat masuk seperti biasa. "
        "Bila itu bukan Anda, ganti kata sandi Anda.",
        url_for("auth.kata_sandi"),
        kunci=f"masuk-ditahan:{akun.id}:{sumber}:{jam}"[:200],
    )
