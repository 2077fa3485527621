"""The closed vocabulary is defined once, in actorgraph.vocab; the RDF vocabulary and shapes must agree with it."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from actorgraph.vocab import (
    ACTOR_TYPES,
    NODE_LABELS,
    PREDICATES,
    STAGES,
    SYMMETRIC,
    TYPE_LABEL,
)

AG = Namespace("https://w3id.org/actorgraph/ns#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")


def _text(name: str) -> str:
    return (files("actorgraph.vocab") / name).read_text("utf-8")


@pytest.fixture(scope="module")
def ag() -> Graph:
    return Graph().parse(data=_text("ag.ttl"), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(data=_text("shapes.ttl"), format="turtle")


def _graph_types(ag: Graph) -> dict[str, URIRef]:
    """Relationship type -> the ag: property that carries it as ag:graphType."""
    return {str(name): prop for prop, name in ag.subject_objects(AG.graphType) if isinstance(prop, URIRef)}


def test_every_predicate_has_one_property_in_table_order(ag: Graph) -> None:
    terms = _graph_types(ag)
    assert set(terms) == set(PREDICATES)
    assert len(set(terms.values())) == len(PREDICATES)  # one property per predicate
    written = re.findall(r'ag:graphType\s+"([A-Z_]+)"', _text("ag.ttl"))
    assert written == list(PREDICATES)  # ag.ttl lists them in the contract's table order, as PREDICATES does


def test_symmetric_predicates_are_owl_symmetric(ag: Graph) -> None:
    terms = _graph_types(ag)
    symmetric = {p for p, prop in terms.items() if (prop, RDF.type, OWL.SymmetricProperty) in ag}
    assert symmetric == set(SYMMETRIC)


def test_predicates_are_object_properties_between_actors(ag: Graph) -> None:
    for predicate, prop in _graph_types(ag).items():
        assert (prop, RDF.type, OWL.ObjectProperty) in ag, predicate
        assert (prop, RDFS.domain, AG.Actor) in ag, predicate
        assert isinstance(ag.value(prop, RDFS.label), Literal), predicate


def test_claim_shape_allows_exactly_the_predicates(ag: Graph, shapes: Graph) -> None:
    allowed: set[URIRef] = set()
    for node in shapes.subjects(SH.path, RDF.predicate):
        for head in shapes.objects(node, SH["in"]):
            allowed |= {t for t in Collection(shapes, head) if isinstance(t, URIRef)}
    assert allowed == set(_graph_types(ag).values())


def test_actor_shape_allows_exactly_the_actor_type_classes(shapes: Graph) -> None:
    classes: set[str] = set()
    for head in shapes.objects(None, SH["in"]):
        members = list(Collection(shapes, head))
        if members and all(str(m).startswith(str(SCHEMA)) for m in members) and SCHEMA.Person in members:
            classes |= {str(m).removeprefix(str(SCHEMA)) for m in members}
    assert classes == {TYPE_LABEL[t] for t in ACTOR_TYPES}


def test_graph_labels_with_their_own_class_are_ag_classes(ag: Graph) -> None:
    actor_labels = {TYPE_LABEL[t] for t in ACTOR_TYPES}  # typed schema:Person / Organization / Place
    own = set(NODE_LABELS) - actor_labels - {"Redirect"}  # a redirect is exported as owl:sameAs
    for label in own:
        assert (AG[label], RDF.type, OWL.Class) in ag, label



def test_claim_stage_is_defined_with_exactly_the_stages(ag: Graph, shapes: Graph) -> None:
    assert (AG.stage, RDF.type, OWL.DatatypeProperty) in ag
    assert (AG.stage, RDFS.domain, AG.Claim) in ag
    allowed: list[str] = []
    for node in shapes.subjects(SH.path, AG.stage):
        for head in shapes.objects(node, SH["in"]):
            allowed += [str(t) for t in Collection(shapes, head)]
    assert allowed == list(STAGES)
