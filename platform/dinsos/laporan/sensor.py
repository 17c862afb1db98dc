"""Small-cell suppression for counts published across offices (province, platform admin).

Rule (chosen for issue 17; the same for the page and the Excel):

1. *Primary*: every count from 1 to 4 is hidden, inner cells and totals alike
   (a zero is shown: "nobody" identifies no one).
2. *Complementary*: a table is a set of sums, each row's cells add up to its
   row total, each column's to its column total, and the totals to the grand
   total. A sum with exactly one hidden member gives that member away by
   subtraction. So, until no such sum is left, in every sum with exactly one
   hidden member the smallest visible non-zero member is hidden as well (a
   zero only when nothing else is left). Every published sum then hides
   either nothing or at least two members, and no hidden count equals a
   shown total minus shown cells.

This is the usual "at least two per line" heuristic of statistical offices;
it stops recovery by subtraction within a row or a column, which is what
someone reading a recap can do. Plain data in and out: the table is a dict
of cells keyed ``(row, column)``.
"""

BATAS = 5  # counts 1..BATAS-1 are hidden
TOTAL = "__total__"


def kecil(n: int) -> bool:
    return 0 < n < BATAS


def _kelompok(baris: list, kolom: list) -> list[list[tuple]]:
    """Every published sum as the list of its members' keys, the total last."""
    hasil = []
    satu_kolom = len(kolom) == 1
    if not satu_kolom:  # with one column a row total equals its only cell, and is not shown
        for b in baris + [TOTAL]:
            hasil.append([(b, k) for k in kolom] + [(b, TOTAL)])
    for k in kolom + ([] if satu_kolom else [TOTAL]):
        hasil.append([(b, k) for b in baris] + [(TOTAL, k)])
    return hasil


def sembunyikan(sel: dict, baris: list, kolom: list) -> set:
    """The keys ``(row, column)`` to hide; ``sel`` holds every inner cell and total (``TOTAL`` marks a total)."""
    tersembunyi = {kunci for kunci, n in sel.items() if kecil(n)}
    kelompok = _kelompok(baris, kolom)
    berubah = True
    while berubah:
        berubah = False
        for anggota in kelompok:
            hilang = [a for a in anggota if a in tersembunyi]
            if len(hilang) != 1:
                continue
            terlihat = [a for a in anggota if a not in tersembunyi]
            if not terlihat:
                continue
            bukan_nol = [a for a in terlihat if sel.get(a, 0) > 0]
            pilih = min(bukan_nol or terlihat, key=lambda a: (sel.get(a, 0), str(a)))
            tersembunyi.add(pilih)
            berubah = True
    return tersembunyi


def bocor(sel: dict, baris: list, kolom: list, tersembunyi: set) -> list:
    """The sums that would give a hidden member away (for tests and a self-check): should always be empty."""
    return [a for a in _kelompok(baris, kolom) if sum(k in tersembunyi for k in a) == 1] + \
        [k for k, n in sel.items() if kecil(n) and k not in tersembunyi]
