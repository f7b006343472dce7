"""``python -m conflictlens`` runs the command line."""

from .cli import main

main()
