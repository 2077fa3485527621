"""actorgraph: an evidence-backed knowledge graph of actors and accusations, read from news text."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("actorgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
