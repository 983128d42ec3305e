"""The REFI-QDA schemas shipped as test data, loaded once."""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

import xmlschema

DATA = Path(__file__).resolve().parent.parent / "data" / "refiqda"


@cache
def codebook_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(DATA / "Codebook.xsd"))


@cache
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(DATA / "Project-mrt2019.xsd"))


def assert_valid_codebook(data: bytes) -> None:
    errors = [str(e.reason) for e in codebook_schema().iter_errors(data.decode("utf-8"))]
    assert errors == []


def assert_valid_project(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("project.qde").decode("utf-8")
    errors = [str(e.reason) for e in project_schema().iter_errors(xml)]
    assert errors == []
