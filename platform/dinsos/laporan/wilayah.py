"""The region a client comes from, for recaps: the address's Kemendagri code, else the NIK's.

The NIK is encrypted, so SQL cannot read its region; ``Klien.kode_wilayah_nik``
keeps its first six digits (province, kabupaten/kota, kecamatan: where it was
issued) in clear. The cases capability owns it: an attribute event on
``Klien.nik`` (``dinsos.cases.models``) writes it whenever the NIK is set, so
it is always in the same transaction as the NIK itself. Six digits of a NIK
say no more than the address code the office already stores in clear. Here:
filling it for clients written before the column existed.
"""
from sqlalchemy import select

from dinsos.cases.models import Klien
from dinsos.cases.nik import wilayah_dari_nik
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant


def isi_yang_kosong(batch: int = 1000) -> int:
    """Fill ``kode_wilayah_nik`` of clients written before it existed (migration 0015, 0012_h17_laporan); returns how many. Commits."""
    jumlah = 0
    with lintas_tenant("laporan: mengisi wilayah NIK klien lama"):
        for k in db.session.scalars(select(Klien).where(Klien.nik_sidik.is_not(None), Klien.kode_wilayah_nik.is_(None))
                                    .execution_options(yield_per=batch)):
            k.kode_wilayah_nik = wilayah_dari_nik(k.nik)
            jumlah += 1
        db.session.commit()
    return jumlah
