"""Test-only, imported by a worker under test with ``-I penangan_lambat``: referral deliveries become slow.

When ``UJI_PENANDA_RUJUKAN`` is set, each delivery does all its work (the
receiver's copy, the files, the sender's bookkeeping), notes the attempt in
that file, then waits ``UJI_JEDA_RUJUKAN`` seconds before the outbox commits
it: long enough for a test to kill the worker between the work and the
commit. The product never imports this module.
"""
import os
import time

from dinsos.core import outbox
from dinsos.referrals import pengiriman


def _teruskan_lambat(muatan: dict) -> None:
    pengiriman.teruskan(muatan)
    penanda = os.environ.get("UJI_PENANDA_RUJUKAN")
    if penanda:
        with open(penanda, "a") as f:
            f.write(f"{os.getpid()}\n")
        time.sleep(float(os.environ.get("UJI_JEDA_RUJUKAN", "3")))


# Replaces the processor referrals registered when the worker built its app.
outbox.PENGOLAH_OUTBOX.ganti("rujukan.teruskan", _teruskan_lambat)
