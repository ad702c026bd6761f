"""Compliance with the mandatory induction: HR rosters, due dates, recertification cycles, reminders and the
reports that roll coverage up from a unit to the nation.

It builds on organisations, accounts, learning and certificates, and none of them knows it.
"""
