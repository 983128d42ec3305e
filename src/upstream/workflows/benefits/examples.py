"""The worked examples shipped with the demo data, for pages that offer "use the demo's".

The files live with the rest of the demo data (``upstream/demo/data``) and are
found by path, so nothing here depends on the demo's code.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["DEMO_CHANNEL_COUNCIL", "DEMO_MEASURES", "DEMO_SPEC", "DEMO_VOLUMES", "demo_file"]

DEMO_SPEC = "early_help_appraisal.csv"
"""An early-help hub run by a council, an NHS trust and the police: costs and benefits by year."""
DEMO_VOLUMES = "channel_volumes.csv"
"""Contacts a year by channel for one demo council (:data:`DEMO_CHANNEL_COUNCIL`), 2024–25."""
DEMO_CHANNEL_COUNCIL = "Orrinsford City Council"
"""The demo council whose contacts the channel shift example models."""
DEMO_MEASURES = "measures.csv"
"""A few measure series with targets and the dates of changes made."""


def demo_file(name: str) -> Path:
    """The path of one of the demo's data files."""
    return Path(str(resources.files("upstream") / "demo" / "data" / name))
