"""Outbound HTTP to an address an office chose (its WhatsApp gateway), without server-side request forgery.

An office admin types the URL; the worker POSTs to it from inside the
deployment. Unchecked, that URL reaches what only the platform can reach:
127.0.0.1 (Redis, the metrics page), the private network, a cloud's metadata
service (169.254.169.254) with its credentials. So, for every send:

1. the host is resolved, and **every** address it has must be public
   (``ipaddress``: not loopback, private, link-local, multicast, reserved,
   unspecified, shared/CGNAT or otherwise non-global; an IPv4-mapped IPv6
   address is judged as the IPv4 it carries);
2. the connection goes to one of **those** addresses (never a second lookup,
   which DNS rebinding could answer differently), with the URL's host name in
   the ``Host`` header and, for https, in SNI and the certificate check;
3. no redirect is followed: a 3xx is a failed delivery, named as such.

An operator whose gateway lives on the internal network lists its host in
``DINSOS_WEBHOOK_ALLOWED_HOSTS`` (comma-separated). When that list is set, it
is the only way out: a host not on it is refused, a host on it is trusted
wherever it resolves.

The settings form runs the same check when the URL is saved (``periksa_url``)
so the admin sees the refusal at once; a name that does not resolve yet is
accepted there and checked again at every send.
"""
import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit


class TujuanDitolak(ValueError):
    """The destination may not be contacted; the message is for the office admin (Indonesian)."""


@dataclass(frozen=True)
class Tujuan:
    skema: str
    host: str
    port: int
    jalur: str  # path and query, as sent
    alamat: tuple[str, ...]  # the checked IP addresses to connect to


def daftar_izin(config) -> set[str]:
    """The configured gateway hosts (lower case); empty means "any public address"."""
    mentah = config.get("WEBHOOK_ALLOWED_HOSTS") or ""
    return {h.strip().lower().rstrip(".") for h in mentah.split(",") if h.strip()}


def alamat_terlarang(ip: str) -> bool:
    """True for an address an office's webhook may never reach."""
    alamat = ipaddress.ip_address(ip.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
    if isinstance(alamat, ipaddress.IPv6Address) and alamat.ipv4_mapped is not None:
        alamat = alamat.ipv4_mapped
    return (not alamat.is_global or alamat.is_multicast or alamat.is_reserved or alamat.is_loopback
            or alamat.is_link_local or alamat.is_private or alamat.is_unspecified)


def _urai(url: str) -> tuple[str, str, int, str]:
    bagian = urlsplit(url)
    if bagian.scheme not in ("http", "https") or not bagian.hostname:
        raise TujuanDitolak("Alamat webhook harus URL lengkap yang diawali http:// atau https://.")
    try:
        port = bagian.port or (443 if bagian.scheme == "https" else 80)
    except ValueError:
        raise TujuanDitolak("Nomor port pada alamat webhook tidak sah.") from None
    jalur = (bagian.path or "/") + (f"?{bagian.query}" if bagian.query else "")
    return bagian.scheme, bagian.hostname.lower().rstrip("."), port, jalur


def _resolusi(host: str, port: int) -> tuple[str, ...]:
    try:
        hasil = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise LookupError(host) from e
    return tuple(dict.fromkeys(info[4][0] for info in hasil))


def _putuskan(host: str, alamat: tuple[str, ...], izin: set[str]) -> None:
    if izin:
        if host not in izin:
            raise TujuanDitolak(
                f"Host {host} tidak ada dalam daftar gateway yang diizinkan oleh pengelola platform "
                "(DINSOS_WEBHOOK_ALLOWED_HOSTS). Hubungi pengelola platform.")
        return
    terlarang = [a for a in alamat if alamat_terlarang(a)]
    if terlarang:
        raise TujuanDitolak(
            f"Alamat webhook ditolak: {host} menunjuk ke alamat jaringan internal atau khusus ({', '.join(terlarang)}), "
            "bukan alamat publik. Gunakan alamat gateway WhatsApp yang dapat dijangkau dari internet.")


def periksa_url(url: str, izin: set[str]) -> None:
    """Save-time check: refuse a URL whose host is (or resolves to) a forbidden address; see the module docstring.

    ``izin`` is ``daftar_izin(config)``.
    """
    _skema, host, port, _jalur = _urai(url)
    try:
        alamat = _resolusi(host, port)
    except LookupError:
        if izin:
            _putuskan(host, (), izin)
        return  # not resolvable yet: checked again at every send
    _putuskan(host, alamat, izin)


def tujuan(url: str, izin: set[str]) -> Tujuan:
    """Send-time check: the destination with the addresses to connect to, or ``TujuanDitolak``."""
    skema, host, port, jalur = _urai(url)
    try:
        alamat = _resolusi(host, port)
    except LookupError:
        raise TujuanDitolak(f"Host {host} tidak dapat ditemukan (DNS).") from None
    _putuskan(host, alamat, izin)
    return Tujuan(skema, host, port, jalur, alamat)


class _HTTPKeAlamat(http.client.HTTPConnection):
    """HTTP to a fixed, already checked IP address, with the URL's host in the Host header."""

    def __init__(self, ip: str, host: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _HTTPSKeAlamat(http.client.HTTPSConnection):
    """HTTPS to a fixed, already checked IP address; SNI and the certificate are checked against the URL's host."""

    def __init__(self, ip: str, host: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self):
        mentah = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(mentah, server_hostname=self.host)


def kirim_post(url: str, badan: bytes, kepala: dict, izin: set[str], batas_waktu: float) -> int:
    """POST ``badan`` to ``url`` after the checks; returns the HTTP status (a redirect is not followed).

    Raises ``TujuanDitolak`` for a forbidden destination and ``OSError`` when no checked address answers.
    Each checked address is tried in turn until one accepts the connection; the message is sent once.
    """
    t = tujuan(url, izin)
    kelas = _HTTPSKeAlamat if t.skema == "https" else _HTTPKeAlamat
    galat: OSError | None = None
    for ip in t.alamat:
        sambungan = kelas(ip, t.host, t.port, batas_waktu)
        try:
            try:
                sambungan.connect()
            except ssl.SSLError:
                raise  # a certificate not for this host: no other address will do better
            except OSError as e:
                galat = e
                continue
            sambungan.request("POST", t.jalur, body=badan, headers=kepala)
            jawaban = sambungan.getresponse()
            jawaban.read()
            return jawaban.status
        finally:
            sambungan.close()
    raise galat or OSError(f"no address of {t.host} answered")
