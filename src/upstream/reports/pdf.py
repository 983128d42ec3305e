"""The report as a tagged, accessible PDF: the HTML report's template, printed by WeasyPrint.

The PDF opens with a two-page board summary and carries the full report as an
appendix. It is written as PDF/UA-1: tagged with headings, lists, tables and
figures with text alternatives, in the document's language, so screen readers
can read it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from upstream.reports.html import render_html_text
from upstream.reports.model import ReportData, ReportError

PDF_VARIANT: Final = "pdf/ua-1"
"""The PDF standard written: PDF/UA-1, tagged for accessibility."""


def pdf_bytes(data: ReportData) -> bytes:
    """The report as PDF bytes (see :func:`render_pdf`).

    Raises:
        ReportError: WeasyPrint, or the Pango libraries it draws text with, is missing.
    """
    return html_pdf_bytes(render_html_text(data, board=True))


def html_pdf_bytes(html: str) -> bytes:
    """A self-contained HTML document printed as a tagged PDF (PDF/UA-1).

    Args:
        html: The document, with its styles inline (nothing is fetched).

    Returns:
        The PDF's bytes.

    Raises:
        ReportError: WeasyPrint, or the Pango libraries it draws text with, is missing.
    """
    try:  # heavy, and it needs system libraries: load on first use
        from weasyprint import HTML  # type: ignore[import-untyped]
    except ModuleNotFoundError as exc:
        raise ReportError("PDF reports need WeasyPrint: pip install weasyprint==70.0") from exc
    except OSError as exc:  # the Pango libraries are not installed
        raise ReportError(
            "PDF reports need the Pango libraries (on Debian or Ubuntu: "
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0): {exc}"
        ) from exc

    # The screen style sheet has rules paper has no use for (scrolling, focus
    # rings); WeasyPrint would log each one it skips.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = HTML(string=html, base_url=None)
    content: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
    return content


def render_pdf(data: ReportData, path: str | Path) -> Path:
    """Write the report as an A4 PDF: a board summary, then the full report.

    Args:
        data: The report's data (see :func:`upstream.workflows.reports.build_report_data`).
        path: Where to write the ``.pdf`` file.

    Returns:
        The path written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf_bytes(data))
    return target


__all__ = ["PDF_VARIANT", "html_pdf_bytes", "pdf_bytes", "render_pdf"]
