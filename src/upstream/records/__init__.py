"""Plain records shared by the store and the domain packages: no behaviour, no database.

- :mod:`upstream.records.drafts` — rows read from files and the items drafted from them.
- :mod:`upstream.records.stored` — read-only views of what the store holds.
- :mod:`upstream.records.chat` — requests to and answers from an optional model endpoint.
"""
