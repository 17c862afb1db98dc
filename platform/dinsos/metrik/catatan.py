"""Request logs: one line per request, JSON when ``LOG_FORMAT=json``.

Only what operations need: request id, tenant slug, method, route (the URL
rule, never the filled-in path or query string), status, duration. No names,
no NIKs, no client addresses: children's data must not leak into logs.
"""
import json
import logging
import re
import time
import uuid

from flask import g, request

log = logging.getLogger("dinsos.permintaan")


class FormatJson(logging.Formatter):
    def format(self, record):
        isi = {"waktu": self.formatTime(record), "level": record.levelname, "logger": record.name, "pesan": record.getMessage()}
        isi.update(getattr(record, "dinsos", {}))
        if record.exc_info:
            isi["exc"] = self.formatException(record.exc_info)
        return json.dumps(isi, ensure_ascii=False)


def pasang(app):
    if app.config.get("LOG_FORMAT") == "json":
        penangan = logging.StreamHandler()
        penangan.setFormatter(FormatJson())
        for nama in ("dinsos", "flask.app"):
            lg = logging.getLogger(nama)
            lg.handlers[:] = [penangan]
            lg.setLevel(logging.INFO)
            lg.propagate = False

    @app.before_request
    def _id_permintaan():
        g.id_permintaan = id_permintaan(request.headers.get("X-Request-ID"))
        g._mulai_log = time.perf_counter()

    @app.after_request
    def _catat(resp):
        resp.headers["X-Request-ID"] = g.get("id_permintaan", "")
        catat_permintaan(g.get("id_permintaan"), g.get("slug_tenant"), request.method,
                         request.url_rule.rule if request.url_rule else None, resp.status_code,
                         g.get("_mulai_log", time.perf_counter()))
        return resp


_ID_SAH = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def id_permintaan(diberikan: str | None) -> str:
    """The proxy's request id when it is a plain token, else a new one.

    It is echoed in a response header and written in every log line: anything
    else (spaces, quotes, control characters) could forge fields or lines there.
    """
    return diberikan if diberikan and _ID_SAH.fullmatch(diberikan) else uuid.uuid4().hex


def catat_permintaan(id_permintaan, tenant, metode, rute, status, mulai: float, **lain):
    """The request's log line; ``mulai`` is its ``time.perf_counter()`` at arrival."""
    log.info("permintaan", extra={"dinsos": {
        "request_id": id_permintaan, "tenant": tenant, "method": metode, "route": rute, "status": status,
        "ms": round((time.perf_counter() - mulai) * 1000, 1), **lain,
    }})
