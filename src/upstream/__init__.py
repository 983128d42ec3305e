"""upstream: turn what people say about public services into shared, trustworthy learning."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("upstream")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
