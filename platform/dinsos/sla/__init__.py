"""Deadlines on real working days: the working calendar, running clocks, reminders and escalations."""


def pasang(app):
    pass
