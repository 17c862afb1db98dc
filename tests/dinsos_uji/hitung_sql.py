"""Counting the SQL statements a request sends, and catching any sent while a template renders.

``with hitung_sql(app) as h: klien.get(...)`` records every statement the
app's engine executes (``h.pernyataan``) and every one executed between
Flask's ``before_render_template`` and ``template_rendered`` signals
(``h.saat_render``): a template that touches a lazy relationship or calls a
query shows up there, whatever the page's data.
"""
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import before_render_template, template_rendered
from sqlalchemy import event


@dataclass
class Hitungan:
    pernyataan: list[str] = field(default_factory=list)
    saat_render: list[str] = field(default_factory=list)
    _merender: int = 0

    @property
    def jumlah(self) -> int:
        return len(self.pernyataan)

    def ringkas(self) -> str:
        """The statements, one a line and shortened, for an assertion's message."""
        return "\n".join(f"{i + 1:>3}. {' '.join(s.split())[:160]}" for i, s in enumerate(self.pernyataan))


@contextmanager
def hitung_sql(app):
    """Count the statements ``app`` sends inside the block (any thread: the test client runs in this one)."""
    from dinsos.core.db import db

    h = Hitungan()
    with app.app_context():
        engine = db.engine

    def sebelum(conn, cursor, statement, parameters, context, executemany):
        h.pernyataan.append(statement)
        if h._merender:
            h.saat_render.append(statement)

    def mulai_render(sender, template, context, **extra):
        h._merender += 1

    def selesai_render(sender, template, context, **extra):
        h._merender -= 1

    event.listen(engine, "before_cursor_execute", sebelum)
    before_render_template.connect(mulai_render, app)
    template_rendered.connect(selesai_render, app)
    try:
        yield h
    finally:
        event.remove(engine, "before_cursor_execute", sebelum)
        before_render_template.disconnect(mulai_render, app)
        template_rendered.disconnect(selesai_render, app)
