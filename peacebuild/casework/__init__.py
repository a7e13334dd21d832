"""Human-rights casework after the HURIDOCS Events Standard Formats, on a need-to-know basis.

This first part is the ground the case records stand on: identifying fields sealed at rest
with authenticated encryption under keys that never enter the database (`crypto`), exact
look-up through a keyed blind index, key rotation, and the append-only, hash-chained trail
of every read, search, change, export and denied attempt (`models.TrailEntry`).
"""
