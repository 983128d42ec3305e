"""Use cases, one module each: the only place that joins the domain packages to the store.

The command line, the web app and the demo are thin adapters over these
functions: they parse input, call one workflow and show its progress and
result. Each workflow owns loading, setting aside, fitting, saving, auditing
and the run record for its use case, so every entry point gives the same
answer for the same evidence.

- :mod:`upstream.workflows.ingest` — files into a workspace, with rejects.
- :mod:`upstream.workflows.coding` — coding files or workspaces against a codebook.
- :mod:`upstream.workflows.themes` — themes in stored evidence, edits re-applied.
- :mod:`upstream.workflows.codes` — the codes in force: people's decisions over the machine's.
"""
