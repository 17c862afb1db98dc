"""Extension points: one named registry each, filled by capabilities during their set-up.

A capability adds to another's behaviour only by registering an entry in
that capability's (or core's) ``Registri``, inside its own ``pasang(app)``,
never by importing a module for its side effects or mutating another
module's table. So ``grep -rn "\\.daftar(" platform/dinsos/*/__init__.py``
lists the whole wiring, and each capability's README says what it adds where.

Registries are per process, not per app: tests build many apps, and every
build registers the same entries again, which is allowed; registering a
*different* entry under a taken key is refused, so two capabilities cannot
silently claim the same outbox kind or the same label.
"""
from collections.abc import Iterator
from typing import Generic, TypeVar

N = TypeVar("N")


def _sama(a, b) -> bool:
    """The same entry: equal values, or the same function (by name, so a re-imported module still counts)."""
    if a is b:
        return True
    if callable(a) and callable(b) and hasattr(a, "__qualname__") and hasattr(b, "__qualname__"):
        return (a.__module__, a.__qualname__) == (b.__module__, b.__qualname__)
    try:
        return bool(a == b)
    except Exception:
        return False


class Registri(Generic[N]):
    """A named mapping ``kunci -> entry`` that capabilities register into; read by its owner."""

    def __init__(self, nama: str, awal: dict[str, N] | None = None):
        self.nama = nama
        self._isi: dict[str, N] = dict(awal or {})

    def daftar(self, kunci: str, nilai: N) -> N:
        """Register ``nilai`` under ``kunci``; returns it. The same entry again is a no-op, another one an error."""
        if not kunci:
            raise ValueError(f"{self.nama}: empty key")
        lama = self._isi.get(kunci)
        if lama is not None and not _sama(lama, nilai):
            raise ValueError(f"{self.nama}: {kunci!r} is already registered ({_nama(lama)})")
        self._isi[kunci] = nilai
        return nilai

    def ganti(self, kunci: str, nilai: N) -> N | None:
        """Replace an entry on purpose (a test slowing a consumer down); returns the one replaced."""
        lama = self._isi.get(kunci)
        self._isi[kunci] = nilai
        return lama

    def get(self, kunci: str, bawaan=None):
        return self._isi.get(kunci, bawaan)

    def __getitem__(self, kunci: str) -> N:
        return self._isi[kunci]

    def __contains__(self, kunci: object) -> bool:
        return kunci in self._isi

    def __iter__(self) -> Iterator[str]:
        return iter(self._isi)

    def __len__(self) -> int:
        return len(self._isi)

    def items(self):
        return self._isi.items()

    def values(self):
        return self._isi.values()

    def __repr__(self) -> str:
        return f"<Registri {self.nama}: {', '.join(self._isi)}>"


def _nama(nilai) -> str:
    if hasattr(nilai, "__qualname__"):
        return f"{nilai.__module__}.{nilai.__qualname__}"
    return repr(nilai)
