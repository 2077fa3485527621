"""The graph store: the only code that talks to a database, behind one small interface with two backends.

`GraphStore.connect(settings)` picks the backend once: Neo4j (official driver) when `NEO4J_URI` is set, otherwise
the embedded FalkorDB (started on demand). Everything above `graph/` uses `read`, `read_maps`, `write`,
`write_rows`, `stream`, `ensure_schema`, `counts`, `clear` and `close`, and never learns which engine answers.
Queries are literals and values are parameters; rows come back as plain dicts, lists and scalars, never driver
objects.
"""

from __future__ import annotations

import contextlib
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from types import TracebackType
from typing import Any, ClassVar, Final, TypeVar

from actorgraph.batching import chunks
from actorgraph.config import Settings
from actorgraph.errors import ActorgraphError, AuthError, ConfigError
from actorgraph.graph.dialect import FALKORDB, NEO4J, Dialect
from actorgraph.graph.model import MODEL_LABEL
from actorgraph.vocab import NODE_LABELS

Row = dict[str, Any]
T = TypeVar("T")
BATCH_ROWS: Final = 10_000  # rows per UNWIND query; bench/store_speed.py shows the curve flattening here
PAGE_ROWS: Final = 10_000  # rows per page of stream()
CONNECT_TIMEOUT: Final = 3.0  # seconds; the neo4j driver would otherwise retry a refused connection for 30 s

INDEXES_FALKORDB: Final = "CALL db.indexes() YIELD label, properties RETURN label, properties"
_DELETES = re.compile(r"\bDELETE\b", re.IGNORECASE)
_STREAM_PARAMS = re.compile(r"\$after\b.*\$limit\b|\$limit\b.*\$after\b", re.S)


class GraphStore(ABC):
    """One connection to one graph; use as a context manager or call `close()`."""

    dialect: Dialect
    backend: ClassVar[str]

    @staticmethod
    def connect(settings: Settings | None = None) -> GraphStore:
        """Open the configured backend: Neo4j when `settings.neo4j_uri` is set, else the embedded FalkorDB."""
        from actorgraph.graph.model import check_model

        settings = settings or Settings.from_env()
        store: GraphStore = Neo4jStore(settings) if settings.neo4j_uri else FalkorStore.open_embedded(settings)
        try:
            check_model(store)
        except BaseException:
            store.close()
            raise
        return store

    # -- the contract every backend implements -------------------------------------------------------------------

    @abstractmethod
    def read(self, query: str, /, **params: Any) -> list[Row]:
        """Run a read-only query; a query that writes is refused (ReadOnlyViolation) and changes nothing."""

    @abstractmethod
    def write(self, query: str, /, **params: Any) -> list[Row]:
        """Run a query that may write, atomically, and return its rows."""

    @abstractmethod
    def _schema_unique(self, label: str) -> None:
        """Make `id` unique on `label`, idempotently."""

    @abstractmethod
    def ensure_index(self, label: str, prop: str) -> None:
        """A plain index on `label.prop` (lookups by a non-unique property); idempotent."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    @abstractmethod
    def describe(self) -> dict[str, str]:
        """Backend and where it is, for `db status` (never a password)."""

    # -- built on the contract ------------------------------------------------------------------------------------

    def write_rows(self, query: str, rows: Iterable[Row], batch_size: int = BATCH_ROWS, **params: Any) -> int:
        """Run `query` (which starts `UNWIND $rows AS ...`) once per batch of rows; returns the rows sent.

        Each batch is one atomic query, so a batch lands whole or not at all.
        """
        if "$rows" not in query:
            raise ConfigError("write_rows() needs a query that reads `UNWIND $rows AS row`")
        if batch_size < 1:
            raise ConfigError(f"batch size must be at least 1, got {batch_size}")
        sent = 0
        for batch in chunks(rows, batch_size):
            self.write(query, rows=batch, **params)
            sent += len(batch)
        return sent

    def stream(self, query: str, page_size: int = PAGE_ROWS, *, key: str = "key", **params: Any) -> Iterator[Row]:
        """Yield the rows of a read query page by page, never holding the whole result in memory.

        Keyset paging: the query filters on `> $after` and ends `ORDER BY <key> LIMIT $limit`, returning the
        sort key as column `key` (renamed by `key=`); the first page gets `after = ""` (use `after=` for
        numbers).
        """
        if not _STREAM_PARAMS.search(query):
            raise ConfigError("stream() needs a query that filters on $after and ends with LIMIT $limit")
        after = params.pop("after", "")
        while True:
            page = self.read(query, after=after, limit=page_size, **params)
            yield from page
            if len(page) < page_size:
                return
            after = page[-1][key]

    def read_maps(self, query: str, /, **params: Any) -> list[Row]:
        """The maps of a read query that ends `RETURN {...} AS row`: one plain dict per row, on every backend.

        Each string value of the map is written `toString(x)` (a list of strings `[x IN coalesce(xs, []) |
        toString(x)]`), so that a backend moving the rows in a faster form of its own knows which values are
        text. The other values are numbers, booleans, nulls, and lists and maps of those.
        """
        return [row["row"] for row in self.read(query, **params)]

    def ensure_schema(self, labels: Sequence[str] = NODE_LABELS) -> None:
        """Unique ids on every label we MERGE on; running it again is harmless."""
        for label in labels:
            self._schema_unique(label)

    def counts(self) -> dict[str, Any]:
        """Node and relationship totals, by label and by relationship type (the model-version node not counted)."""
        labels = {
            r["label"]: r["n"]
            for r in self.read("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label")
            if r["label"] != MODEL_LABEL
        }
        types = {
            r["type"]: r["n"]
            for r in self.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type")
        }
        nodes = self.read(f"MATCH (n) WHERE NOT n:{MODEL_LABEL} RETURN count(n) AS n")[0]["n"]
        return {"nodes": nodes, "relationships": sum(types.values()), "labels": labels, "types": types}

    def clear(self) -> None:
        """Delete every node and relationship (tests; schema stays)."""
        while self.write("MATCH (n) WITH n LIMIT 50000 DETACH DELETE n RETURN count(*) AS n")[0]["n"]:
            pass

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


# -- FalkorDB (embedded) ------------------------------------------------------------------------------------------


_SCALARS: Final = frozenset({str, int, float, bool})


def _key(key: Any) -> str:
    text = key.decode() if isinstance(key, bytes) else str(key)
    if not text or "`" in text:
        raise ValueError(f"FalkorDB cannot take the map key or parameter name {text!r} (empty, or a backtick)")
    return f"`{text}`"


def cypher_literal(value: Any) -> str:
    """A parameter value as the Cypher literal FalkorDB reads in its `CYPHER name=value` header.

    Same output as the client's `stringify_param_value` (a property test checks it), and faster on ingest's large
    batches, whose parameter text is most of what the client spends time on.
    """
    kind = type(value)
    if kind is str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "null"
    if kind is int or kind is float or kind is bool:
        return str(value)
    if kind is list or kind is tuple:
        return "[" + ",".join(map(cypher_literal, value)) + "]"
    if kind is dict:
        return "{" + ",".join(f"{_key(k)}:{cypher_literal(v)}" for k, v in value.items()) + "}"
    from falkordb.helpers import stringify_param_value

    return str(stringify_param_value(value))  # subclasses, bytes, anything rare: the client's own rules


_RETURN: Final = re.compile(r"\bRETURN\b")
_RETURN_ROW: Final = re.compile(r"RETURN\s+(\{.*\})\s+AS\s+row\s*\Z", re.S)
_TO_STRING: Final = re.compile(r"\btoString\(")
_ESCAPED: Final = "replace(replace({x}, '\\\\', '\\\\\\\\'), '\"', '\\\\\"')"


def _closing(text: str, start: int) -> int:
    """The index of the `)` closing the parenthesis opened just before `start` (string literals skipped)."""
    depth, i = 1, start
    while i < len(text):
        char = text[i]
        if char in "'\"":
            i += 1
            while i < len(text) and text[i] != char:
                i += 2 if text[i] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ConfigError(f"unbalanced parentheses in {text[:80]!r}")


def _escape_strings(text: str) -> str:
    """Every `toString(x)` of `text` as `x` with `\\` and `"` escaped, as JSON wants them inside a string."""
    out: list[str] = []
    done = 0
    for match in _TO_STRING.finditer(text):
        if match.start() < done:  # inside an argument already escaped
            continue
        end = _closing(text, match.end())
        out += [text[done : match.start()], _ESCAPED.format(x=_escape_strings(text[match.end() : end]))]
        done = end + 1
    return "".join(out) + text[done:]


@lru_cache(maxsize=256)
def _packed_maps(query: str) -> str:
    """FalkorDB's form of a `read_maps` query: the page's maps as one JSON string, `toJSON(collect({...}))`.

    Its client parses a reply value by value, which is slow for pages of nested maps; one string is parsed by
    `json.loads` at once. FalkorDB's toJSON writes strings without escaping them, so the strings are escaped
    first (the `toString(x)` values the query marks).
    """
    returns = [m.start() for m in _RETURN.finditer(query)]
    found = _RETURN_ROW.match(query, returns[-1]) if returns else None
    if found is None:
        raise ConfigError("read_maps() needs a query that ends `RETURN {...} AS row`")
    return f"{query[: returns[-1]]}RETURN toJSON(collect({_escape_strings(found.group(1))})) AS rows"


def _params_header(params: dict[str, Any] | None) -> str:
    if not params:
        return ""
    return "CYPHER " + "".join(f"{_key(k)}={cypher_literal(v)} " for k, v in params.items())


def _cell(value: list[Any], graph: Any) -> Any:
    """One value of a `--compact` reply as plain Python; nodes, edges, paths and maps go through the client."""
    kind, payload = value
    if kind == 2:  # string
        return payload.decode() if isinstance(payload, bytes) else payload
    if kind == 3 or kind == 1:  # integer, null
        return payload
    if kind == 5:
        return float(payload)
    if kind == 4:
        return (payload.decode() if isinstance(payload, bytes) else payload) == "true"
    if kind == 6:
        return [_cell(v, graph) for v in payload]
    from falkordb.query_result import parse_scalar

    return _plain(parse_scalar(value, graph))


def _plain(value: Any) -> Any:
    """A FalkorDB client value as plain Python: nodes and edges become property dicts, maps become dicts."""
    if value is None or type(value) in _SCALARS:  # most values: skip the imports below
        return value
    from falkordb.edge import Edge
    from falkordb.node import Node
    from falkordb.path import Path as FPath

    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Node):
        return {"_labels": list(value.labels or []), **_plain(value.properties)}
    if isinstance(value, Edge):
        return {"_type": value.relation, **_plain(value.properties)}
    if isinstance(value, FPath):
        return {"nodes": [_plain(n) for n in value.nodes()], "relationships": [_plain(e) for e in value.edges()]}
    return value


class FalkorStore(GraphStore):
    """FalkorDB through the `falkordb` client over the embedded engine's unix socket."""

    backend = "falkordb"
    dialect = FALKORDB

    def __init__(self, socket: str, password: str, graph: str, *, data_dir: str = "") -> None:
        from falkordb import FalkorDB

        self._socket, self._graph_name, self._data_dir = socket, graph, data_dir
        try:
            self._db = FalkorDB(unix_socket_path=socket, password=password, socket_connect_timeout=CONNECT_TIMEOUT)
            self._graph = self._db.select_graph(graph)
            if not self._db.connection.exists(graph):
                self._graph.query("RETURN 1")  # reads on a graph key that does not exist yet fail ("empty key")
        except Exception as exc:
            raise self._mapped(exc) from exc

    @classmethod
    def open_embedded(cls, settings: Settings) -> FalkorStore:
        """Start the embedded engine if it is not running, and connect to it."""
        from actorgraph.graph.embedded import EmbeddedEngine

        engine = EmbeddedEngine(settings.home)
        engine.start()
        return cls(str(engine.socket), engine.password(), settings.graph, data_dir=str(engine.home))

    def _mapped(self, exc: Exception) -> ActorgraphError:
        if isinstance(exc, ActorgraphError):
            return exc
        mapped = self.dialect.map_error(exc)
        if isinstance(mapped, AuthError):
            mapped.hint = (
                f"the password file in {self._data_dir or 'the data dir'} does not match the running engine: "
                "restore it, or restart the engine with `actorgraph db stop && actorgraph db start`"
            )
        return mapped

    def read(self, query: str, /, **params: Any) -> list[Row]:
        return self._run("GRAPH.RO_QUERY", query, params)

    def read_maps(self, query: str, /, **params: Any) -> list[Row]:
        rows = self.read(_packed_maps(query), **params)
        return list(json.loads(rows[0]["rows"], strict=False)) if rows else []

    def write(self, query: str, /, **params: Any) -> list[Row]:
        if _DELETES.search(query):
            self._sync_labels()
        return self._run("GRAPH.QUERY", query, params)

    def _sync_labels(self) -> None:
        """Read every label once before a query that deletes nodes (FalkorDB 4.16 bug, fixed in 4.20).

        Nodes deleted while a label's matrix still has a pending resize stay in that label as ghosts without
        attributes: the next filtered scan of the label fails with "Attempted to access undefined attribute"
        (FalkorDB/FalkorDB#2103; here after clearing a 19k-node graph, and possible after a large `forget`).
        Reading the label first applies the pending resize; it costs a few tenths of a millisecond.
        """
        for label in NODE_LABELS:
            self._run("GRAPH.RO_QUERY", f"MATCH (n:{label}) RETURN 1 AS one LIMIT 1", {})

    def _run(self, command: str, query: str, params: dict[str, Any]) -> list[Row]:
        """Send one query (`--compact` replies, as the client does) and turn the reply into plain rows.

        The client's reply parsing is generic, and slow for the many plain rows refresh reads; this does the same
        work for plain values and hands nodes, edges and maps to it.
        """
        from redis.exceptions import ResponseError

        try:
            reply = self._graph.execute_command(
                command, self._graph_name, _params_header(params) + query, "--compact"
            )
            if reply and isinstance(reply[-1], ResponseError):  # a run-time error arrives as the last element
                raise reply[-1]
        except Exception as exc:
            raise self._mapped(exc) from exc
        if len(reply) < 3:  # statistics only: a write without RETURN
            return []
        names = [h[1] if isinstance(h, list | tuple) else h for h in reply[0]]
        graph = self._graph
        return [dict(zip(names, [_cell(v, graph) for v in row], strict=True)) for row in reply[1]]

    def _indexed(self) -> set[tuple[str, str]]:
        return {(r["label"], prop) for r in self.read(INDEXES_FALKORDB) for prop in r["properties"]}

    def ensure_index(self, label: str, prop: str) -> None:
        if (label, prop) in self._indexed():
            return
        try:
            self.write(self.dialect.index_statement(label, prop))
        except ActorgraphError as exc:
            if "already indexed" not in str(exc):  # another process made it between our read and write
                raise

    def _schema_unique(self, label: str) -> None:
        self.ensure_index(label, "id")
        constraints = {(c["label"], tuple(c["properties"])) for c in self._constraints()}
        if (label, ("id",)) not in constraints:
            try:
                self._graph.create_node_unique_constraint(label, "id")
            except Exception as exc:
                if "already exists" not in str(exc):
                    raise self._mapped(exc) from exc
        self._wait_constraints()

    def _constraints(self) -> list[Row]:
        try:
            return [
                {k: _plain(v) for k, v in c.items()} if isinstance(c, dict) else c
                for c in self._graph.list_constraints()
            ]
        except Exception as exc:
            raise self._mapped(exc) from exc

    def _wait_constraints(self, timeout: float = 30.0) -> None:
        """GRAPH.CONSTRAINT CREATE replies PENDING; wait until every constraint is OPERATIONAL."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = [c.get("status") for c in self._constraints()]
            if all(s == "OPERATIONAL" for s in states):
                return
            if any(s == "FAILED" for s in states):
                raise ConfigError("a unique constraint failed to build: the graph already holds duplicate ids")
            time.sleep(0.02)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a dead connection is not worth an error
            self._db.connection.close()

    def describe(self) -> dict[str, str]:
        return {
            "backend": "embedded FalkorDB",
            "where": f"unix:{self._socket}",
            "graph": self._graph_name,
            "data_dir": self._data_dir,
        }


# -- Neo4j --------------------------------------------------------------------------------------------------------

_DRIVERS: dict[tuple[str, str], Any] = {}  # one driver per process and (uri, user): drivers pool connections


class Neo4jStore(GraphStore):
    """Neo4j (local, cluster, Aura) through the official driver: managed transactions, READ access for reads."""

    backend = "neo4j"
    dialect = NEO4J

    def __init__(self, settings: Settings) -> None:
        import neo4j

        if not settings.neo4j_uri:
            raise ConfigError("NEO4J_URI is not set")
        self._uri, self._database = settings.neo4j_uri, settings.neo4j_database
        key = (settings.neo4j_uri, settings.neo4j_user)
        try:
            driver = _DRIVERS.get(key)
            if driver is None:
                auth = (settings.neo4j_user, settings.neo4j_password or "")
                driver = neo4j.GraphDatabase.driver(
                    settings.neo4j_uri,
                    auth=auth,
                    connection_timeout=CONNECT_TIMEOUT,
                    max_transaction_retry_time=5.0,
                    connection_acquisition_timeout=CONNECT_TIMEOUT * 2,
                )
                driver.verify_connectivity()
                _DRIVERS[key] = driver
            self._driver = driver
        except Exception as exc:
            _DRIVERS.pop(key, None)
            raise self._mapped(exc) from exc

    def _mapped(self, exc: Exception) -> ActorgraphError:
        if isinstance(exc, ActorgraphError):
            return exc
        if isinstance(exc, ValueError) and "URI" in str(exc):
            return ConfigError(f"invalid NEO4J_URI {self._uri!r}: {exc}", hint="use neo4j://, neo4j+s:// or bolt://")
        return self.dialect.map_error(exc)

    def _run(self, query: str, params: dict[str, Any], *, read: bool) -> list[Row]:
        import neo4j

        def work(tx: Any) -> list[Row]:
            return [record.data() for record in tx.run(query, params)]

        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        try:
            with self._driver.session(database=self._database, default_access_mode=mode) as session:
                return list(session.execute_read(work) if read else session.execute_write(work))
        except Exception as exc:
            raise self._mapped(exc) from exc

    def read(self, query: str, /, **params: Any) -> list[Row]:
        return self._run(query, params, read=True)

    def write(self, query: str, /, **params: Any) -> list[Row]:
        return self._run(query, params, read=False)

    def _schema_unique(self, label: str) -> None:
        self.write(self.dialect.unique_statement(label))

    def ensure_index(self, label: str, prop: str) -> None:
        self.write(self.dialect.index_statement(label, prop))

    def close(self) -> None:
        pass  # the driver is shared by the process; closed at exit

    def describe(self) -> dict[str, str]:
        return {"backend": "Neo4j", "where": self._uri, "graph": self._database or "(server default database)"}
