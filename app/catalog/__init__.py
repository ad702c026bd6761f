"""Catalog: courses and their versions, loaded from the top-level courses/ folder.

It has no pages of its own: public shows the catalogue, learning the lessons, admin the management.
"""
