"""Reports a board can read: findings, figures, quotes, method and caveats.

Library first: :func:`upstream.workflows.reports.build_report_data` gathers a
:class:`ReportData` from the store; :func:`render_html` writes one
self-contained offline HTML file with interactive charts, :func:`render_pdf` a tagged
(PDF/UA) PDF from the same template with a two-page board summary first, and
:func:`render_xlsx` a workbook of the underlying tables. :func:`write_report`
picks the renderer from the file's extension.

Typical use::

    from upstream.reports import write_report
    from upstream.workflows.reports import build_report_data

    data = build_report_data(store, "Demo learning network")
    write_report(data, "report.html")

An organisation or group with fewer than 10 items is never shown as a number
or broken down, and spreadsheet cells never run as formulas (see
:mod:`upstream.policy`).
"""

from __future__ import annotations

from pathlib import Path

from upstream.reports.model import ReportData, ReportError, Table
from upstream.reports.render import FORMATS, report_format, write_report
from upstream.reports.tables import report_tables

# The renderers import heavy libraries (WeasyPrint, plotly): load them on first use.


def render_html(data: ReportData, path: str | Path) -> Path:
    """Write one self-contained offline HTML report (see :mod:`upstream.reports.html`)."""
    from upstream.reports.html import render_html as render

    return render(data, path)


def render_pdf(data: ReportData, path: str | Path) -> Path:
    """Write the report as a tagged PDF with a board summary (see :mod:`upstream.reports.pdf`)."""
    from upstream.reports.pdf import render_pdf as render

    return render(data, path)


def render_xlsx(data: ReportData, path: str | Path) -> Path:
    """Write the report's tables as an XLSX workbook (see :mod:`upstream.reports.xlsx`)."""
    from upstream.reports.xlsx import render_xlsx as render

    return render(data, path)


__all__ = [
    "FORMATS",
    "ReportData",
    "ReportError",
    "Table",
    "render_html",
    "render_pdf",
    "render_xlsx",
    "report_format",
    "report_tables",
    "write_report",
]
