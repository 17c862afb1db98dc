"""The framework's floor: a bare Flask app answering one constant JSON list.

``gunicorn -c deploy/gunicorn.conf.py _lantai:app`` (with bench/ on the path)
serves, at ``/lantai``, the body found in the file ``BENCH_LANTAI_JSON``: the
case-list API's own answer of the same run, so both move the same bytes
through the same server and serialiser. Nothing else: no database, no
session, no tenant; whatever the platform costs on top of this is its own.
"""
import json
import os

from flask import Flask, jsonify

app = Flask(__name__)
with open(os.environ["BENCH_LANTAI_JSON"], encoding="utf-8") as berkas:
    ISI = json.load(berkas)


@app.get("/lantai")
def lantai():
    return jsonify(ISI)
