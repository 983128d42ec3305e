"""Allow ``python -m upstream``."""

from upstream.cli import main

main()
