"""Whole coded projects in the REFI-QDA project format (``.qdpx``).

A ``.qdpx`` file is a zip holding ``project.qde`` (XML in the
``urn:QDA-XML:project:1.0`` namespace) and a ``sources/`` folder with one file
per source. :mod:`upstream.exchange.project` holds the plain records,
:mod:`upstream.exchange.qdpx_write` and :mod:`upstream.exchange.qdpx_read` the
format, and :mod:`upstream.exchange.offsets` the character counting that tools
disagree about. The store is reached only through ``upstream.workflows.qdpx``.
"""

from upstream.exchange.project import Project, Selection, TextSource, User
from upstream.exchange.qdpx_read import read_qdpx
from upstream.exchange.qdpx_write import project_xml, write_qdpx

__all__ = [
    "Project",
    "Selection",
    "TextSource",
    "User",
    "project_xml",
    "read_qdpx",
    "write_qdpx",
]
