"""Schedules that cover a requirement: shift types with breaks and days off, chosen by integer programming.

``spec`` reads SHIFTS.yaml, ``requirement`` the agents needed per interval, ``grid`` and ``columns`` build
the covering model's columns, ``model`` solves it (scipy's HiGHS), ``breaks`` places the short rests,
``outputs`` writes the tables and ``evaluate`` runs the schedule through the simulator.
"""
