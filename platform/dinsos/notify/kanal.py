"""Channels that carry a notice outside the platform: e-mail (SMTP) and a WhatsApp gateway (HTTP webhook).

Every channel takes the same plain ``PesanKeluar`` and either delivers it or
raises; the outbox retries with backoff. Channels run only in the worker (or
the embedded scheduler), never in a web request: ``kirim_notifikasi`` writes
one outbox row per channel, and the processors at the bottom of this module
(``PENGOLAH``, registered by ``notify.pasang``) consume them.
"""
import json
import smtplib
import ssl
import uuid
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from typing import Protocol
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from dinsos.auth.models import Pengguna
from dinsos.auth.pemulihan import buat_token, umur_menit
from dinsos.core.db import db, sekarang
from dinsos.core.tenant import tenant_aktif
from dinsos.core.tujuan_keluar import TujuanDitolak, daftar_izin, kirim_post
from dinsos.tenancy.models import Tenant

from .models import Notifikasi, PengaturanNotifikasi

KANAL = ("email", "whatsapp")


@dataclass(frozen=True)
class PesanKeluar:
    """A notice ready to leave the platform, as plain data."""

    kunci: str  # stable per notice and channel: lets the receiving side drop a repeat
    kantor_slug: str
    kantor_nama: str
    penerima_id: str
    penerima_nama: str
    penerima_email: str | None
    judul: str
    isi: str
    tautan: str | None  # absolute URL


class KanalGagal(RuntimeError):
    """The channel did not take the message; the outbox will try again."""


class Kanal(Protocol):
    def kirim(self, pesan: PesanKeluar) -> None: ...


@dataclass(frozen=True)
class KanalEmail:
    """E-mail over SMTP (optionally STARTTLS and login), sent in the office's name."""

    host: str
    port: int
    alamat_pengirim: str
    nama_pengirim: str
    pengguna: str | None = None
    kata_sandi: str | None = None
    starttls: bool = False
    batas_waktu: float = 30.0

    def surel(self, pesan: PesanKeluar) -> EmailMessage:
        domain = self.alamat_pengirim.rpartition("@")[2] or "dinsos.local"
        surel = EmailMessage()
        surel["Subject"] = pesan.judul
        surel["From"] = formataddr((self.nama_pengirim, self.alamat_pengirim))
        surel["To"] = formataddr((pesan.penerima_nama, pesan.penerima_email))
        surel["Date"] = formatdate(usegmt=True)
        surel["Message-ID"] = f"<{pesan.kunci}@{domain}>"
        surel["Auto-Submitted"] = "auto-generated"
        badan = [pesan.isi.strip()]
        if pesan.tautan:
            badan.append(pesan.tautan)
        badan.append(f"-- \n{pesan.kantor_nama}\nPesan ini dikirim otomatis oleh platform Dinas Sosial; mohon tidak membalas.")
        surel.set_content("\n\n".join(b for b in badan if b))
        return surel

    def kirim(self, pesan: PesanKeluar) -> None:
        if not pesan.penerima_email:
            raise KanalGagal("recipient has no e-mail address")
        with smtplib.SMTP(self.host, self.port, timeout=self.batas_waktu) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.pengguna:
                smtp.login(self.pengguna, self.kata_sandi or "")
            smtp.send_message(self.surel(pesan))


@dataclass(frozen=True)
class KanalWhatsApp:
    """A WhatsApp gateway the office runs or subscribes to: one JSON POST per message.

    The destination is checked at every send (``dinsos.core.tujuan_keluar``): only public addresses, or the
    hosts the operator allowed (``izin``); no redirects followed.
    """

    url: str
    izin: frozenset = frozenset()
    batas_waktu: float = 10.0

    def muatan(self, pesan: PesanKeluar) -> dict:
        teks = "\n\n".join(b for b in (f"*{pesan.judul}*", pesan.isi.strip(), pesan.tautan or "") if b)
        return {"teks": teks, **asdict(pesan)}

    def kirim(self, pesan: PesanKeluar) -> None:
        kepala = {"Content-Type": "application/json", "Idempotency-Key": pesan.kunci, "User-Agent": "dinsos-notifikasi"}
        try:
            status = kirim_post(self.url, json.dumps(self.muatan(pesan)).encode(), kepala, set(self.izin), self.batas_waktu)
        except TujuanDitolak as e:
            raise KanalGagal(str(e)) from e
        except OSError as e:
            raise KanalGagal(f"WhatsApp gateway unreachable: {type(e).__name__}: {e}") from e
        if 300 <= status < 400:
            raise KanalGagal(f"WhatsApp gateway answered HTTP {status} (a redirect; redirects are not followed)")
        if status >= 400:
            raise KanalGagal(f"WhatsApp gateway answered HTTP {status}")


def url_webhook_sah(url: str) -> bool:
    """An absolute http(s) URL with a host and no spaces."""
    bagian = urlsplit(url)
    return bagian.scheme in ("http", "https") and bool(bagian.hostname) and not any(c.isspace() for c in url)


def email_aktif(config) -> bool:
    return bool(config.get("SMTP_HOST"))


def kanal_aktif(penerima: Pengguna, pengaturan: PengaturanNotifikasi | None, config) -> list[str]:
    """The external channels a notice to ``penerima`` goes out on, given the deployment and office settings."""
    if not penerima.aktif:
        return []
    kanal = []
    if penerima.email and email_aktif(config):
        kanal.append("email")
    if pengaturan is not None and pengaturan.webhook_whatsapp:
        kanal.append("whatsapp")
    return kanal


def buat_kanal(nama: str, config, tenant: Tenant, pengaturan: PengaturanNotifikasi | None) -> Kanal | None:
    """The adapter for channel ``nama`` as configured now, or None if it is switched off."""
    if nama == "email":
        if not email_aktif(config):
            return None
        return KanalEmail(
            host=config["SMTP_HOST"],
            port=int(config["SMTP_PORT"]),
            alamat_pengirim=config["MAIL_FROM"],
            nama_pengirim=(pengaturan and pengaturan.nama_pengirim_email) or tenant.nama,
            pengguna=config.get("SMTP_USER"),
            kata_sandi=config.get("SMTP_PASSWORD"),
            starttls=bool(config.get("SMTP_STARTTLS")),
        )
    if nama == "whatsapp":
        if not (pengaturan and pengaturan.webhook_whatsapp):
            return None
        return KanalWhatsApp(pengaturan.webhook_whatsapp, frozenset(daftar_izin(config)))
    raise ValueError(f"unknown channel {nama!r}")


def tautan_penuh(tautan: str | None, config) -> str | None:
    return tautan and config["BASE_URL"].rstrip("/") + tautan


def _kirim(nama_kanal: str, muatan: dict) -> None:
    notifikasi = db.session.scalar(select(Notifikasi).where(Notifikasi.id == uuid.UUID(muatan["notifikasi_id"])))
    if notifikasi is None:  # the recipient's account was deleted with its inbox: nobody to tell
        return
    if notifikasi.usang_pada is not None:  # superseded before it went out: "your turn" would now be wrong
        return
    penerima = db.session.scalar(select(Pengguna).where(Pengguna.id == notifikasi.penerima_id))
    tenant = db.session.get(Tenant, tenant_aktif())
    pengaturan = db.session.scalar(select(PengaturanNotifikasi))
    config = current_app.config
    kanal = buat_kanal(nama_kanal, config, tenant, pengaturan)
    if kanal is None:
        raise KanalGagal(f"channel {nama_kanal} is no longer configured for {tenant.slug}")
    kanal.kirim(
        PesanKeluar(
            kunci=f"notifikasi-{notifikasi.id}.{nama_kanal}",
            kantor_slug=tenant.slug,
            kantor_nama=tenant.nama,
            penerima_id=str(penerima.id),
            penerima_nama=penerima.nama,
            penerima_email=penerima.email,
            judul=notifikasi.judul,
            isi=notifikasi.isi,
            tautan=tautan_penuh(notifikasi.tautan, config),
        )
    )


def kirim_email(muatan: dict) -> None:
    """Outbox consumer: e-mail one notice."""
    _kirim("email", muatan)


def kirim_whatsapp(muatan: dict) -> None:
    """Outbox consumer: pass one notice to the office's WhatsApp gateway."""
    _kirim("whatsapp", muatan)


def kirim_tautan_pemulihan(muatan: dict) -> None:
    """Outbox consumer: e-mail a password-recovery link (``auth.pemulihan``), its token made now (valid from sending)."""
    akun = db.session.scalar(select(Pengguna).where(Pengguna.id == uuid.UUID(muatan["pengguna_id"])))
    if akun is None or not akun.aktif:
        return  # deactivated meanwhile: no link
    tenant = db.session.get(Tenant, tenant_aktif())
    config = current_app.config
    kanal = buat_kanal("email", config, tenant, db.session.scalar(select(PengaturanNotifikasi)))
    if kanal is None:
        raise KanalGagal("e-mail is not configured (SMTP_HOST)")
    kanal.kirim(PesanKeluar(
        kunci=f"pemulihan-sandi-{akun.id}-{sekarang():%Y%m%d%H%M%S}", kantor_slug=tenant.slug, kantor_nama=tenant.nama,
        penerima_id=str(akun.id), penerima_nama=akun.nama, penerima_email=akun.email,
        judul="Atur ulang kata sandi Anda",
        isi=(f"Ada permintaan mengatur ulang kata sandi akun {akun.email} di {tenant.nama}. Buka tautan di bawah untuk "
             f"memilih kata sandi baru. Tautan berlaku {umur_menit()} menit dan hanya dapat dipakai sekali.\n\n"
             "Bila Anda tidak memintanya, abaikan surel ini: kata sandi Anda tidak berubah."),
        tautan=tautan_penuh(f"/t/{tenant.slug}/atur-kata-sandi/{buat_token(akun)}", config),
    ))


# Outbox kind -> processor; ``notify.pasang`` registers them in ``core.outbox.PENGOLAH_OUTBOX``.
PENGOLAH = {"notifikasi.email": kirim_email, "notifikasi.whatsapp": kirim_whatsapp}
