"""Writing generated rows in bulk, encrypting sensitive columns, and fingerprinting what was generated.

On PostgreSQL, as a role that row-level security does not bind (the table
owner running a benchmark set-up), rows go in with ``COPY ... FROM STDIN``
through the session's own connection; PostgreSQL refuses COPY where RLS
applies, so the app role and SQLite use batched multi-row Core inserts, in
the caller's transaction and under the crossing it declared. Either
way the columns the models declare encrypted (``dinsos.core.kripto``) are
encrypted here, with the app's keys, because a bulk path skips the column
types. Each distinct value is encrypted once and its token reused for every
row holding the same value: Fernet tokens are randomised, so real writes
never share one, but for demo data a shared token only tells that two rows
hold the same name, and it saves most of the encryption time.
"""
import hashlib
import json
import uuid

from sqlalchemy import JSON, Text, column, insert, table, text

from dinsos.core.db import db
from dinsos.core.kripto import TerenkripsiJson, brankas, kolom_terenkripsi

# Left out of the fingerprint: database-assigned or key-dependent values, and the password hash (random salt).
DI_LUAR_SIDIK = {"tenant_id", "hash_kata_sandi", "nik_sidik"}
BATAS_CACHE = 200_000
UKURAN_BATCH = 2_000


class Penulis:
    """Bulk writer bound to the current session's transaction."""

    def __init__(self, session):
        self.session = session
        peran = session.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).first() \
            if session.get_bind().dialect.name == "postgresql" else None
        self.salin = bool(peran and (peran.rolsuper or peran.rolbypassrls))
        # A superuser loads with the row triggers off (session_replication_role): the recap summary's per-row
        # upkeep made a 10,000-case office's COPY outlast the statement timeout. ``selesai`` then rebuilds the
        # summary of the offices written, once, and moves their data version (the list cache's key). Foreign
        # keys are not checked then: the generator's rows are consistent by construction, and the suite writes
        # them through the checked paths too (SQLite, the app role).
        self.tanpa_pemicu = bool(peran and peran.rolsuper)
        self._kantor: set[int] = set()
        self.terenkripsi = {t: set(k) for t, k in kolom_terenkripsi(db.metadata).items()}
        self.brankas = brankas()
        self._token: dict[str, str] = {}
        self._ringan: dict[str, object] = {}

    def _enkripsi(self, teks: str) -> str:
        token = self._token.get(teks)
        if token is None:
            if len(self._token) >= BATAS_CACHE:
                self._token.clear()
            token = self._token[teks] = self.brankas.enkripsi(teks)
        return token

    def _nilai(self, tabel, baris: list[dict]) -> tuple[list[str], list[tuple]]:
        kolom = [c.name for c in tabel.columns]
        if baris and set(baris[0]) != set(kolom):
            raise ValueError(f"{tabel.name}: kolom baris {sorted(set(baris[0]) ^ set(kolom))} tidak cocok dengan tabel")
        enk = self.terenkripsi.get(tabel.name, set())
        json_ = {c.name for c in tabel.columns if isinstance(c.type, (JSON, TerenkripsiJson))}
        ubah = []
        for i, c in enumerate(kolom):
            if c in enk:
                if c in json_:
                    ubah.append((i, lambda v: self._enkripsi(json.dumps(v, ensure_ascii=False, sort_keys=True))))
                else:
                    ubah.append((i, lambda v: self._enkripsi(str(v))))
            elif c in json_ and self.salin:
                ubah.append((i, lambda v: json.dumps(v, ensure_ascii=False)))
        hasil = []
        for b in baris:
            nilai = [b[c] for c in kolom]
            for i, f in ubah:
                if nilai[i] is not None:
                    nilai[i] = f(nilai[i])
            hasil.append(tuple(nilai))
        return kolom, hasil

    def tulis(self, nama: str, baris: list[dict]) -> None:
        """Insert ``baris`` (dicts with every column of table ``nama``) in the current transaction."""
        if not baris:
            return
        tabel = db.metadata.tables[nama]
        kolom, nilai = self._nilai(tabel, baris)
        if self.tanpa_pemicu:
            self.session.execute(text("SET LOCAL session_replication_role = replica"))
            self._kantor.update(b["tenant_id"] for b in baris)
        if self.salin:
            kursor = self.session.connection().connection.driver_connection.cursor()
            daftar = ", ".join(f'"{c}"' for c in kolom)
            with kursor.copy(f'COPY "{nama}" ({daftar}) FROM STDIN') as salin:
                for n in nilai:
                    salin.write_row(n)
            return
        ringan = self._ringan.get(nama)
        if ringan is None:
            enk = self.terenkripsi.get(nama, set())
            ringan = self._ringan[nama] = table(nama, *(column(c.name, Text() if c.name in enk else c.type) for c in tabel.columns))
        for awal in range(0, len(nilai), UKURAN_BATCH):
            self.session.execute(insert(ringan), [dict(zip(kolom, n)) for n in nilai[awal:awal + UKURAN_BATCH]])

    def selesai(self) -> None:
        """Before the commit: what the row triggers left undone for the offices written (see ``tanpa_pemicu``)."""
        for tenant_id in sorted(self._kantor):
            self.session.execute(text("SELECT ringkasan_rekap_bangun(:t)"), {"t": tenant_id})
            self.session.execute(text(  # as the versi_data trigger does (migration 0024)
                "INSERT INTO versi_data_kantor AS v (tenant_id, versi) VALUES (:t, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint) "
                "ON CONFLICT (tenant_id) DO UPDATE SET versi = greatest(v.versi + 1, excluded.versi)"), {"t": tenant_id})
        self._kantor.clear()


class Sidik:
    """A SHA-256 over generated rows, independent of the database they went to.

    Ids the database gave (services, versions) are replaced by stable labels,
    and the columns in ``DI_LUAR_SIDIK`` are left out.
    """

    def __init__(self):
        self._h = hashlib.sha256()
        self.label: dict[uuid.UUID, str] = {}

    def teks(self, teks: str) -> None:
        self._h.update(teks.encode())

    def baris(self, nama: str, baris: list[dict]) -> None:
        if not baris:
            return
        h, label = self._h, self.label
        h.update(nama.encode())
        kolom = [k for k in baris[0] if k not in DI_LUAR_SIDIK]
        berlabel = [i for i, k in enumerate(kolom) if k in ("layanan_id", "versi_layanan_id")]
        for b in baris:
            nilai = [b[k] for k in kolom]
            for i in berlabel:
                nilai[i] = label.get(nilai[i], nilai[i])
            h.update(repr(nilai).encode())

    def hexdigest(self) -> str:
        return self._h.hexdigest()
