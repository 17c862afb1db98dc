"""The transactional outbox: work that must happen after a commit, written in that same commit.

A business change calls ``tulis_outbox`` before it commits, so the message and
the change are stored together or not at all. The relay (a periodic job in
``dinsos_workers``) picks the due rows with ``FOR UPDATE SKIP LOCKED``, hands
each to a publisher (a Celery task, or a direct call in embedded mode) and
marks it ``dikirim``. The consumer, ``proses_pesan``, locks the row, runs the
kind's registered processor and marks it ``selesai`` in one transaction, so a message
delivered twice (a redelivered task, a second relay, a restarted worker) has
its effect once. A failing processor is retried with exponential backoff kept in
``tersedia_pada``; the row is never deleted, only marked ``gagal`` at the end.

Processors (``pengolah``) are plain functions ``f(muatan) -> None``, one per
kind of message, that a capability registers in ``PENGOLAH_OUTBOX`` during its
set-up (``PENGOLAH_OUTBOX.daftar("rujukan.teruskan", teruskan)``). They run
bound to the row's tenant and must not commit: their changes commit with the
row's completion. ("Pengolah", not "penangan": a case's ``penangan`` are the
staff handling it.) Side effects outside the database (an e-mail, a
webhook) are at least once: a worker killed after sending and before the
commit sends again on redelivery.
"""
import logging
import time
import uuid
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, UniqueConstraint, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from .citus import klaim
from .db import MilikTenant, UtcDateTime, db, sekarang
from .jejak import catat as catat_audit
from .registri import Registri
from .tenant import TenantTidakTerikat, dalam_tenant, lintas_tenant, tenant_aktif

log = logging.getLogger(__name__)

Json = JSON().with_variant(postgresql.JSONB(), "postgresql")

STATUS = ("baru", "dikirim", "selesai", "gagal")
MENUNGGU = ("baru", "dikirim")  # rows the relay may still (re)publish
MAKS_PERCOBAAN = 10
JEDA_MAKS = timedelta(hours=1)
# A published row not finished after this long is published again: the task
# was lost (broker restarted without persistence, worker killed, a failed task
# acknowledged). The outbox, not the broker, is the source of truth, so this is
# what bounds a delivery's delay after a fault. Consumers are idempotent, so an
# early republish only costs a no-op.
KIRIM_ULANG_SETELAH = timedelta(seconds=30)

Penerbit = Callable[[int, uuid.UUID], None]
# kind of message -> its processor f(muatan) -> None
PENGOLAH_OUTBOX: Registri[Callable[[dict], None]] = Registri("pengolah outbox")


class PesanOutbox(MilikTenant, db.Model):
    """One unit of after-commit work of one office: what (``jenis``), with what (``muatan``), and its delivery state."""

    __tablename__ = "pesan_outbox"

    jenis: Mapped[str] = mapped_column(String(80), nullable=False)
    kunci: Mapped[str] = mapped_column(String(255), nullable=False)
    muatan: Mapped[dict] = mapped_column(Json, nullable=False, default=dict)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="baru")
    percobaan: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    tersedia_pada: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=sekarang)
    dikirim_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    selesai_pada: Mapped[datetime | None] = mapped_column(UtcDateTime)
    galat_terakhir: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("tenant_id", "kunci"),
        CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in STATUS) + ")", name="status"),
        # Only rows still waiting are in this index, so the relay's cost
        # follows the number of pending rows, not the size of the history.
        Index(
            "ix_pesan_outbox_menunggu",
            "tersedia_pada",
            postgresql_where=text("status IN ('baru', 'dikirim')"),
            sqlite_where=text("status IN ('baru', 'dikirim')"),
        ),
    )


def sisipkan_jika_baru(model, nilai: dict, unik: list[str]) -> bool:
    """Insert one row of a tenant-owned model into the bound tenant unless its unique key exists.

    ``INSERT ... ON CONFLICT DO NOTHING``: no savepoint, so it is safe as the
    first statement of a transaction on SQLite too, and two transactions
    racing on the same key end with one row. Returns True if the row was added.
    """
    tid = tenant_aktif()
    if tid is None:
        raise TenantTidakTerikat(f"insert of {model.__name__} with no tenant bound")
    nilai = {"id": uuid.uuid4(), "dibuat_pada": sekarang(), **nilai, "tenant_id": tid}
    dialek = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    perintah = (
        dialek.insert(model).values(**nilai).on_conflict_do_nothing(index_elements=["tenant_id", *unik]).returning(model.id)
    )
    return db.session.execute(perintah).first() is not None  # RETURNING yields a row only when one was inserted


def tulis_outbox(jenis: str, muatan: dict, kunci: str | None = None) -> PesanOutbox:
    """Add an outbox message to the caller's transaction (bound tenant); it commits with the caller.

    ``kunci`` is the idempotency key: writing the same key again in this
    office adds nothing and returns the existing message.
    """
    kunci = kunci or f"{jenis}:{uuid.uuid4()}"
    sisipkan_jika_baru(
        PesanOutbox,
        {"jenis": jenis, "kunci": kunci, "muatan": muatan, "status": "baru", "percobaan": 0, "tersedia_pada": sekarang()},
        ["kunci"],
    )
    return db.session.scalar(select(PesanOutbox).where(PesanOutbox.kunci == kunci))


def jeda_percobaan(percobaan_sebelumnya: int) -> timedelta:
    """How long to wait after a failed attempt, given the attempts made before it: 2^n minutes, at most an hour."""
    return min(timedelta(minutes=2**percobaan_sebelumnya), JEDA_MAKS)


def proses_pesan(tenant_id: int, pesan_id) -> str | None:
    """Consume one message: run its processor once, bound to its office. Returns the row's status.

    Idempotent: the row is locked (``FOR UPDATE``) and a finished row is left
    alone, so any number of deliveries have one effect. A processor error rolls
    its changes back and schedules the next attempt; it is logged, not
    raised, because the retry lives in the database, not in the broker.
    """
    pesan_id = pesan_id if isinstance(pesan_id, uuid.UUID) else uuid.UUID(str(pesan_id))
    with dalam_tenant(tenant_id):
        try:
            # Waits for a lock held by another consumer of this message or by the relay that is publishing it (it
            # publishes before it commits): skipping it would leave the message for the relay's next republish.
            pesan = _kunci_pesan(pesan_id)
            if pesan is None or pesan.status in ("selesai", "gagal"):
                status = pesan and pesan.status
                db.session.rollback()
                return status
            jenis = pesan.jenis
            fungsi = PENGOLAH_OUTBOX.get(jenis)
            try:
                if fungsi is None:
                    raise LookupError(f"no processor registered for outbox kind {jenis!r}")
                fungsi(dict(pesan.muatan))
                pesan.status, pesan.selesai_pada = "selesai", sekarang()
                pesan.percobaan += 1
                db.session.commit()
                return "selesai"
            except Exception as kesalahan:
                log.warning("outbox %s (%s) attempt failed", pesan_id, jenis, exc_info=True)
                db.session.rollback()
                return _catat_gagal(pesan_id, kesalahan)
        except BaseException:
            db.session.rollback()
            raise


def _kunci_pesan(pesan_id: uuid.UUID) -> PesanOutbox | None:
    # populate_existing: a re-read after a rollback must see the committed row, not the identity map's copy
    return db.session.scalar(
        select(PesanOutbox).where(PesanOutbox.id == pesan_id).with_for_update().execution_options(populate_existing=True)
    )


def _catat_gagal(pesan_id: uuid.UUID, kesalahan: Exception) -> str | None:
    """Record a failed attempt in a fresh transaction (the consumer's one was rolled back)."""
    pesan = _kunci_pesan(pesan_id)
    if pesan is None or pesan.status in ("selesai", "gagal"):  # another delivery finished it meanwhile
        status = pesan and pesan.status
        db.session.rollback()
        return status
    jeda = jeda_percobaan(pesan.percobaan)
    pesan.percobaan += 1
    # The column keeps its first name (renaming it is a migration); new names say "kesalahan" (README, "Naming").
    pesan.galat_terakhir = f"{type(kesalahan).__name__}: {kesalahan}"[:2000]
    if pesan.percobaan >= MAKS_PERCOBAAN:
        pesan.status = "gagal"
        log.error("outbox %s (%s) failed %d times; giving up", pesan_id, pesan.jenis, pesan.percobaan)
        catat_audit("outbox_gagal", objek_jenis="pesan_outbox", objek_id=pesan.id, jenis=pesan.jenis, galat=pesan.galat_terakhir)
    else:
        pesan.status, pesan.tersedia_pada = "baru", sekarang() + jeda
    status = pesan.status
    db.session.commit()
    return status


def pilih_jatuh_tempo(pada: datetime, batas: int):
    """The relay's query: waiting rows due at ``pada``, oldest first (``klaim`` locks them, skipping held rows)."""
    return (
        select(PesanOutbox)
        .where(PesanOutbox.status.in_(MENUNGGU), PesanOutbox.tersedia_pada <= pada)
        .order_by(PesanOutbox.tersedia_pada)
        .limit(batas)
    )


def relay(
    terbitkan: Penerbit,
    batas: int = 100,
    *,
    kirim_ulang_setelah: timedelta = KIRIM_ULANG_SETELAH,
    pada: datetime | None = None,
) -> int:
    """Publish up to ``batas`` due messages of every office; returns how many were published.

    Due: waiting (``baru``, or ``dikirim`` and not finished in time) with
    ``tersedia_pada`` reached. Rows locked by a concurrent relay are skipped,
    so two relays never publish the same row at once. If publishing raises
    (broker down), that row is left as it was and the relay stops; the next
    run tries again. Each publication is audited under its office.
    """
    pada = pada or sekarang()
    jumlah = 0
    with lintas_tenant("relay outbox", catat=False):
        try:
            for (pesan,) in klaim(db.session, pilih_jatuh_tempo(pada, batas), PesanOutbox):
                try:
                    terbitkan(pesan.tenant_id, pesan.id)
                except Exception:
                    log.warning("outbox relay could not publish %s; it stays due", pesan.id, exc_info=True)
                    break
                pesan.status, pesan.dikirim_pada = "dikirim", pada
                pesan.tersedia_pada = pada + kirim_ulang_setelah
                catat_audit(
                    "outbox_diterbitkan", objek_jenis="pesan_outbox", objek_id=pesan.id, tenant_id=pesan.tenant_id,
                    jenis=pesan.jenis, percobaan=pesan.percobaan,
                )
                jumlah += 1
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    return jumlah


def relay_semua(terbitkan: Penerbit, batas: int = 100, waktu_maks: float = 4.0) -> int:
    """The periodic relay job: batch after batch until nothing more is due, for at most ``waktu_maks`` seconds.

    Short batches keep each transaction's row locks brief; the time bound
    keeps one run shorter than the interval between runs. Returns the total.
    """
    akhir = time.monotonic() + waktu_maks
    jumlah = 0
    while True:
        n = relay(terbitkan, batas)
        jumlah += n
        if n < batas or time.monotonic() >= akhir:
            return jumlah
