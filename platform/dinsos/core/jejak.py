"""The audit hook: how core writes to the audit log without importing the capability that keeps it.

Core records its own events here (a declared tenant crossing, an outbox
message published or given up). ``dinsos.audit`` registers the function that
writes the row when the app is set up (``audit.pasang``); capabilities call
``dinsos.audit.services.catat_peristiwa`` directly. With nothing registered,
recording refuses: a crossing that cannot be audited must not happen.
"""
from .registri import Registri

# name -> f(tindakan, **rincian): adds one audit row to the caller's transaction
PENCATAT_AUDIT: Registri = Registri("pencatat audit")


class AuditTidakTerpasang(RuntimeError):
    """An event core must audit, with no audit log registered (the app was not set up)."""


def catat(tindakan: str, **rincian) -> None:
    """Record ``tindakan`` with every registered audit writer; refuses when there is none."""
    if not PENCATAT_AUDIT:
        raise AuditTidakTerpasang(f"no audit log registered to record {tindakan!r} (dinsos.audit.pasang)")
    for pencatat in PENCATAT_AUDIT.values():
        pencatat(tindakan, **rincian)
