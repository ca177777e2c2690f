"""``python -m vpcp_indicators``: the same as the ``vpcp-indicators`` command."""

from .cli import main

main()
