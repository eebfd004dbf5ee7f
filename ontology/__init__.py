"""The policykg vocabulary: namespaces, the ontology and shapes (Turtle), the organisation registry."""
from __future__ import annotations

from importlib import resources

from .registry import Jurisdiction, Organisation, Registry, load_registry

#: Namespaces used throughout (as plain strings so that importing this module stays cheap).
PKG = "https://w3id.org/policykg/ontology#"
ID = "https://w3id.org/policykg/id/"
ELI = "http://data.europa.eu/eli/ontology#"
ORG = "http://www.w3.org/ns/org#"
TIME = "http://www.w3.org/2006/time#"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
CCCEV = "http://data.europa.eu/m8g/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = {"pkg": PKG, "eli": ELI, "org": ORG, "time": TIME, "prov": PROV, "skos": SKOS,
            "dcterms": DCTERMS, "schema": SCHEMA, "cccev": CCCEV, "rdf": RDF, "rdfs": RDFS,
            "xsd": XSD}

#: ``PREFIX`` lines for SPARQL queries.
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def ontology_turtle() -> str:
    """The policykg vocabulary as Turtle."""
    return resources.files(__package__).joinpath("policykg.ttl").read_text("utf-8")


def shapes_turtle() -> str:
    """The SHACL shapes every built graph must satisfy, as Turtle."""
    return resources.files(__package__).joinpath("shapes.ttl").read_text("utf-8")


__all__ = ["Jurisdiction", "Organisation", "Registry", "load_registry", "ontology_turtle",
           "shapes_turtle", "PREFIXES", "SPARQL_PREFIXES", "PKG", "ID", "ELI", "ORG", "TIME",
           "PROV", "SKOS", "DCTERMS", "SCHEMA", "CCCEV", "RDF", "RDFS", "XSD"]
