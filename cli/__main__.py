"""``python -m policykg.cli`` — the same as the ``policykg`` command."""
from . import main

main()
