"""The region a client comes from, for recaps: the address's Kemendagri code, else the NIK's.

The NIK is encrypted, so SQL cannot read its region; ``Klien.kode_wilayah_nik``
keeps its first six digits (province, kabupaten/kota, kecamatan: where it was
issued) in clear, written by an attribute event whenever ``nik`` is set, so it
is always in the same transaction as the NIK itself. Six digits of a NIK say
no more than the address code the office already stores in clear.
"""
import re

from sqlalchemy import event

from dinsos.cases.models import Klien

_ENAM_BELAS = re.compile(r"^\d{16}$")


def wilayah_dari_nik(nik: str | None) -> str | None:
    """``PP.KK.CC`` of a 16-digit NIK, else None."""
    digit = re.sub(r"[\s.\-]", "", nik or "")
    if not _ENAM_BELAS.match(digit):
        return None
    return f"{digit[:2]}.{digit[2:4]}.{digit[4:6]}"


@event.listens_for(Klien.nik, "set", propagate=True)
def _ikuti_nik(target, nilai, _lama, _pemicu):
    target.kode_wilayah_nik = wilayah_dari_nik(nilai)


def isi_yang_kosong(batch: int = 1000) -> int:
    """Fill ``kode_wilayah_nik`` of clients written before it existed (migration 0012); returns how many. Commits."""
    from sqlalchemy import select

    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant

    jumlah = 0
    with lintas_tenant("laporan: mengisi wilayah NIK klien lama"):
        for k in db.session.scalars(select(Klien).where(Klien.nik_sidik.is_not(None), Klien.kode_wilayah_nik.is_(None))
                                    .execution_options(yield_per=batch)):
            k.kode_wilayah_nik = wilayah_dari_nik(k.nik)
            jumlah += 1
        db.session.commit()
    return jumlah
