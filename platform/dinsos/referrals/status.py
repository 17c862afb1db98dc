"""The referral state machine, in one place, for both offices.

draf -> dikirim (sent; in the sender's outbox) -> diterima_tujuan (delivered:
the receiving office holds it) <-> perlu_info (the receiver asked for more)
-> diterima (accepted: a case opens there) or ditolak (declined); the sender
may withdraw (ditarik) until it is accepted; an accepted referral becomes
selesai when the receiver's case closes.

A referral to a partner outside the platform has no delivery: the sender
records by hand that the partner took the client (diterima) or refused
(ditolak), and later that the service ended (selesai).

The receiver's record is the single point where "accepted" and "withdrawn"
meet: a withdrawal that arrives after the acceptance is refused there, and
the sender's copy follows the receiver's report (``status_dari_laporan``).
"""
from dataclasses import dataclass

STATUS = ("draf", "dikirim", "diterima_tujuan", "perlu_info", "diterima", "ditolak", "ditarik", "selesai")

LABEL = {
    "draf": "Draf",
    "dikirim": "Dikirim",
    "diterima_tujuan": "Sampai di kantor tujuan",
    "perlu_info": "Perlu informasi tambahan",
    "diterima": "Diterima",
    "ditolak": "Ditolak",
    "ditarik": "Ditarik",
    "selesai": "Selesai",
}

# The events of a referral's history (RiwayatRujukan.jenis) in words; the page adds the status it led to.
LABEL_RIWAYAT = {
    "dibuat": "Dibuat",
    "dikirim": "Dikirim",
    "sampai": "Sampai di kantor tujuan",
    "minta_info": "Kantor tujuan meminta informasi tambahan",
    "dilengkapi": "Dilengkapi kantor pengirim",
    "diterima": "Diterima",
    "ditolak": "Ditolak",
    "ditarik": "Ditarik",
    "penarikan_ditolak": "Penarikan datang setelah rujukan diterima",
    "selesai": "Selesai",
    "persetujuan_dicatat": "Persetujuan dicatat",
    "override_persetujuan": "Persetujuan pengganti (override) kepala bidang",
    "mitra_terima": "Mitra menerima klien",
    "mitra_tolak": "Mitra menolak",
    "mitra_selesai": "Layanan mitra selesai",
    "pengingat_provinsi": "Pengingat dari provinsi",
    "eskalasi_provinsi": "Eskalasi dari provinsi",
    # the receiver's report reaching the sender: one per status it can report
    **{f"laporan_{s}": "Laporan kantor tujuan" for s in STATUS},
}

# Waiting for the receiver's answer: the states the response deadline runs in (paused in perlu_info).
MENUNGGU = ("dikirim", "diterima_tujuan", "perlu_info")
# The receiver's snapshot is readable only in these states; declined or withdrawn ends access.
AKSES_TUJUAN = ("diterima_tujuan", "perlu_info", "diterima", "selesai")
AKHIR = ("ditolak", "ditarik", "selesai")


@dataclass(frozen=True)
class Aksi:
    nama: str  # the action in words, as it reads after "tidak dapat"
    dari: frozenset
    ke: str


_AKSI = {
    "kirim": Aksi("dikirim", frozenset({"draf"}), "dikirim"),
    "sampai": Aksi("dicatat sampai di kantor tujuan", frozenset({"dikirim"}), "diterima_tujuan"),
    "minta_info": Aksi("dimintai informasi tambahan", frozenset({"diterima_tujuan"}), "perlu_info"),
    "lengkapi": Aksi("dilengkapi", frozenset({"perlu_info"}), "diterima_tujuan"),
    "terima": Aksi("diterima", frozenset({"diterima_tujuan", "perlu_info"}), "diterima"),
    "tolak": Aksi("ditolak", frozenset({"diterima_tujuan", "perlu_info"}), "ditolak"),
    "tarik": Aksi("ditarik", frozenset({"draf", "dikirim", "diterima_tujuan", "perlu_info"}), "ditarik"),
    "selesai": Aksi("diselesaikan", frozenset({"diterima"}), "selesai"),
}

# A partner outside the platform has no delivery step: it takes or refuses the client as sent.
_AKSI_MITRA = {
    **{k: v for k, v in _AKSI.items() if k not in ("sampai", "minta_info", "lengkapi")},
    "terima": Aksi("dicatat diterima mitra", frozenset({"dikirim"}), "diterima"),
    "tolak": Aksi("dicatat ditolak mitra", frozenset({"dikirim"}), "ditolak"),
}


class TransisiTidakSah(ValueError):
    """An action the referral's current status does not allow; the message (Indonesian) says why."""


def aksi_tersedia(status: str, *, mitra: bool = False) -> list[str]:
    """The actions allowed from ``status``."""
    tabel = _AKSI_MITRA if mitra else _AKSI
    return [kode for kode, a in tabel.items() if status in a.dari]


def transisi(status: str, aksi: str, *, mitra: bool = False) -> str:
    """The status after ``aksi`` from ``status``; raises ``TransisiTidakSah`` when not allowed."""
    tabel = _AKSI_MITRA if mitra else _AKSI
    if status not in STATUS:
        raise TransisiTidakSah(f"Status rujukan '{status}' tidak dikenal.")
    if aksi not in tabel:
        jenis = "rujukan ke mitra" if mitra else "rujukan antarkantor"
        raise TransisiTidakSah(f"Tindakan '{aksi}' tidak berlaku untuk {jenis}.")
    a = tabel[aksi]
    if status not in a.dari:
        boleh = ", ".join(LABEL[s] for s in STATUS if s in a.dari)
        raise TransisiTidakSah(
            f"Rujukan berstatus '{LABEL[status]}' tidak dapat {a.nama}; hanya rujukan berstatus {boleh} yang dapat."
        )
    return a.ke


def status_dari_laporan(status_pengirim: str, status_tujuan: str) -> str:
    """The sender's status after the receiver reports ``status_tujuan``.

    The receiver's record decides. The one exception is a withdrawal the
    receiver has not seen yet: the sender keeps ``ditarik`` unless the
    receiver had already accepted (then the client is there, and the
    withdrawal came too late).
    """
    if status_tujuan not in STATUS:
        raise TransisiTidakSah(f"Status laporan '{status_tujuan}' tidak dikenal.")
    if status_pengirim == "ditarik" and status_tujuan not in ("diterima", "selesai"):
        return "ditarik"
    return status_tujuan
