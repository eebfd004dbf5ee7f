"""Imports the modules that add commands to ``main`` (one line per feature module)."""
from . import graph  # noqa: E402,F401  policykg graph
from . import ingest  # noqa: E402,F401  policykg ingest / documents / remove / show
from . import search  # noqa: E402,F401  policykg search
from . import query  # noqa: E402,F401  policykg query / trace / path
from . import remote  # noqa: E402,F401  policykg push
from . import serve  # noqa: E402,F401  policykg serve
