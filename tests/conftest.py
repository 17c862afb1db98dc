"""The suite's set-up is the ``dinsos_uji`` plugin (tests/dinsos_uji): fixtures, markers, helpers."""

pytest_plugins = ["dinsos_uji.plugin"]
