"""Frameworks as data: codebooks, their loading, validation and exchange.

Typical use::

    from upstream.frameworks import load_codebook

    nom = load_codebook("nom")            # a built-in framework
    mine = load_codebook("codes.csv")     # or the user's own file
    for depth, code in nom.walk():
        print("  " * depth, code.id, code.title)

Built-in codebooks: ``nom`` (New Operating Models), ``hls`` (Human Learning
Systems), ``dbe`` (drivers, barriers and enablers), ``aftershock`` (after-the-shock
reflection), ``leadership`` and ``culture``.
"""

from upstream.frameworks.export import (
    codebook_to_dict,
    export_codebook,
    export_csv,
    export_yaml,
)
from upstream.frameworks.load import (
    builtin_names,
    load_builtin,
    load_codebook,
    read_codebook,
    validate_file,
)
from upstream.frameworks.model import Code, Codebook, CodebookError, CodeSet, InvalidCodebook
from upstream.frameworks.refiqda import code_guid, export_qdc
from upstream.frameworks.refiqda_read import import_qdc
from upstream.frameworks.validate import check_codebook

__all__ = [
    "Code",
    "CodeSet",
    "Codebook",
    "CodebookError",
    "InvalidCodebook",
    "builtin_names",
    "check_codebook",
    "code_guid",
    "codebook_to_dict",
    "export_codebook",
    "export_csv",
    "export_qdc",
    "export_yaml",
    "import_qdc",
    "load_builtin",
    "load_codebook",
    "read_codebook",
    "validate_file",
]
