"""``upstream settings``: show the effective settings and where each came from."""

from __future__ import annotations

from upstream.cli.common import console, settings
from upstream.settings import DEFAULT_SOURCE


def show_settings() -> None:
    """Show every setting's value and whether it came from its default or the environment."""
    for setting, value, source in settings().describe():
        where = f"the default; set it with {setting.env}" if source == DEFAULT_SOURCE else source
        console.print(f"{setting.name}: {value}", markup=False)
        console.print(f"  from {where}", markup=False)
        console.print(f"  {setting.help}", markup=False)
