"""``python -m skcourse`` runs the demo on bundled data."""

from .demo import main

main()
