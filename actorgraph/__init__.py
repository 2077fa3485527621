"""actorgraph: an evidence-backed knowledge graph of actors and accusations, read from news text.

    from actorgraph import Graph

    with Graph() as g:
        g.ingest("examples/")
        rows = g.query("funded", "Harlan Voss")

`Graph` is the library (see `actorgraph.api`); `extract_documents` reads texts without a graph. The result
types below are what their methods return; they are imported on first use, so `import actorgraph` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from actorgraph.api import Graph, extract_documents, train_model

try:
    __version__ = version("actorgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

if TYPE_CHECKING:
    from actorgraph.export.ftm import FtmReport
    from actorgraph.export.push import CopyReport
    from actorgraph.export.rdf import ExportStats
    from actorgraph.export.rdf_import import ImportReport
    from actorgraph.export.viz import View
    from actorgraph.extract.learned.training import TrainReport
    from actorgraph.extract.model import Document, Entity, Extraction, Relation
    from actorgraph.ingest.ingest import ForgetResult, IngestReport
    from actorgraph.queries import CuratedQuery, QueryResult
    from actorgraph.resolve import Merge, MergeReport, ResolveReport

#: Result types, by the module that defines them (imported when first asked for).
_LAZY: dict[str, str] = {
    "Document": "actorgraph.extract.model",
    "Entity": "actorgraph.extract.model",
    "Extraction": "actorgraph.extract.model",
    "Relation": "actorgraph.extract.model",
    "IngestReport": "actorgraph.ingest.ingest",
    "ForgetResult": "actorgraph.ingest.ingest",
    "CuratedQuery": "actorgraph.queries",
    "QueryResult": "actorgraph.queries",
    "ResolveReport": "actorgraph.resolve",
    "Merge": "actorgraph.resolve",
    "MergeReport": "actorgraph.resolve",
    "ExportStats": "actorgraph.export.rdf",
    "FtmReport": "actorgraph.export.ftm",
    "CopyReport": "actorgraph.export.push",
    "ImportReport": "actorgraph.export.rdf_import",
    "View": "actorgraph.export.viz",
    "TrainReport": "actorgraph.extract.learned.training",
}


def __getattr__(name: str) -> Any:
    """The result types, imported on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'actorgraph' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "CopyReport",
    "CuratedQuery",
    "Document",
    "Entity",
    "ExportStats",
    "Extraction",
    "ForgetResult",
    "FtmReport",
    "Graph",
    "ImportReport",
    "IngestReport",
    "Merge",
    "MergeReport",
    "QueryResult",
    "Relation",
    "ResolveReport",
    "TrainReport",
    "View",
    "__version__",
    "extract_documents",
    "train_model",
]
