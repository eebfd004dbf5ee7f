"""SHACL validation of built graphs against the bundled shapes."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from policykg.ontology import ontology_turtle, shapes_turtle

if TYPE_CHECKING:
    import rdflib


@dataclass
class ValidationReport:
    conforms: bool
    text: str  # pySHACL's report
    triples: int


@lru_cache(maxsize=1)
def _shapes() -> tuple["rdflib.Graph", "rdflib.Graph"]:
    import rdflib
    return (rdflib.Graph().parse(data=shapes_turtle(), format="turtle"),
            rdflib.Graph().parse(data=ontology_turtle(), format="turtle"))


def validate_graph(graph: "rdflib.Graph") -> ValidationReport:
    """Check ``graph`` (data plus the registry it refers to) against the shapes."""
    import pyshacl
    shapes, ontology = _shapes()
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology,
                                         inference="none", advanced=False)
    return ValidationReport(bool(conforms), text, len(graph))
