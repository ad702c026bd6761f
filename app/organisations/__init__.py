"""Organisations: the SIP, regional governments, entities and companies; memberships and roles.

It knows accounts only as the users.id its memberships refer to: accounts and the staff screens
(admin) build on it, never the reverse.
"""
