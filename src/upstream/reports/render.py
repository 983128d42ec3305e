"""Write a report in the format its file name asks for: ``.html``, ``.pdf`` or ``.xlsx``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from upstream.reports.model import ReportData, ReportError

FORMATS: Final = {".html": "HTML", ".htm": "HTML", ".pdf": "PDF", ".xlsx": "XLSX"}
_INSTALL: Final = {
    "plotly": "plotly==7.1.0",
    "weasyprint": "weasyprint==70.0",
}
Renderer = Callable[[ReportData, str | Path], Path]


def report_format(path: str | Path) -> str:
    """The format a file name asks for: ``HTML``, ``PDF`` or ``XLSX``.

    Raises:
        ReportError: The extension is not one of ``.html``, ``.pdf`` or ``.xlsx``.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        shown = f"{suffix!r}" if suffix else "no extension"
        raise ReportError(
            f"{Path(path).name}: a report can be written as .html, .pdf or .xlsx, not {shown}."
        )
    return FORMATS[suffix]


def renderer(kind: str) -> Renderer:
    """The function that writes format ``kind`` (imported only when needed).

    Raises:
        ReportError: A library the format needs is not installed.
    """
    try:
        if kind == "PDF":
            from upstream.reports.pdf import render_pdf

            return render_pdf
        if kind == "XLSX":
            from upstream.reports.xlsx import render_xlsx

            return render_xlsx
        from upstream.reports.html import render_html

        return render_html
    except ModuleNotFoundError as exc:
        name = (exc.name or "").split(".")[0]
        package = _INSTALL.get(name, name)
        raise ReportError(f"{kind} reports need the {name} package: pip install {package}") from exc


def write_report(data: ReportData, path: str | Path) -> Path:
    """Write ``data`` to ``path`` in the format its extension names.

    Args:
        data: The report's data (see :func:`upstream.workflows.reports.build_report_data`).
        path: A ``.html``, ``.pdf`` or ``.xlsx`` file to write.

    Returns:
        The path written.

    Raises:
        ReportError: The extension is unknown, or a library the format needs is missing.
    """
    return renderer(report_format(path))(data, path)


__all__ = ["FORMATS", "renderer", "report_format", "write_report"]
