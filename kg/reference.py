"""What every ingest needs before its first document, kept on disk between runs.

The registry and ontology graphs as N-Triples and the SHACL shapes compiled to SPARQL are the same
for every run of the same policykg, but making them imports and runs rdflib (about a fifth of a
second, before any worker process can start). They are kept in the cache folder as one marshal
file, stamped with a digest of the files they are made from; a stamp that differs makes them again.
"""
from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

FILE = "reference.marshal"

#: The files the kept graphs and checks are made from (relative to the policykg package and to its
#: ontology package): the registry and its loader, the ontology and shapes, the graph and shape code.
_SOURCES = (("kg", ("graph.py", "iris.py", "validate.py")),
            ("ontology", ("__init__.py", "registry.py", "organisations.json", "policykg.ttl", "shapes.ttl")))


def _stamp() -> str:
    import policykg.ontology
    folders = {"kg": Path(__file__).parent, "ontology": Path(policykg.ontology.__file__).parent}
    digest = hashlib.sha1()
    for package, names in _SOURCES:
        for name in names:
            digest.update(name.encode() + b"\0" + (folders[package] / name).read_bytes())
    return digest.hexdigest()


def load_reference(cache_dir: Path | None) -> None:
    """Make the reference graphs and compiled shapes ready in this process: read from ``cache_dir``
    when a run of the same policykg kept them there, else made (and kept there)."""
    from .graph import reference_ntriples, use_reference_ntriples
    from .validate import shape_checker, use_shape_checks
    stamp = _stamp()
    path = cache_dir / FILE if cache_dir is not None else None
    if path is not None and path.is_file():
        try:
            kept, registry, ontology, checks = marshal.loads(path.read_bytes())
        except (ValueError, EOFError, TypeError):
            kept = None
        if kept == stamp:
            use_reference_ntriples(registry, ontology)
            use_shape_checks(checks)
            return
    registry, ontology = reference_ntriples()
    checker = shape_checker()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((stamp, registry, ontology, checker.checks if checker else None)))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache folder: made again next time
