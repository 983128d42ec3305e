"""The report as a PDF (reportlab), with matplotlib charts and a table after each chart."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import cm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from upstream import __version__
from upstream.policy import FEWER_THAN
from upstream.reports import png
from upstream.reports.method import describe_mode
from upstream.reports.model import Matrix, ReportData
from upstream.reports.model import Table as ReportTable
from upstream.reports.tables import report_tables

FONT = "UpstreamSans"
BRAND = colors.HexColor("#0b5563")
MUTED = colors.HexColor("#4f5b62")
LINE = colors.HexColor("#d3d9dd")
TEXT_WIDTH = A4[0] - 4 * cm
WIDE_WIDTH = A4[1] - 4 * cm


def _register_font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(png.font_path())))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _register_font()
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, spaceAfter=6)
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", base, fontSize=22, leading=27, textColor=BRAND, spaceAfter=8
        ),
        "kicker": ParagraphStyle("kicker", base, fontSize=8.5, textColor=MUTED, spaceAfter=2),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontSize=15,
            leading=19,
            textColor=BRAND,
            spaceBefore=14,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3", base, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4, keepWithNext=1
        ),
        "lead": ParagraphStyle("lead", base, keepWithNext=1),
        "note": ParagraphStyle("note", base, fontSize=8.5, leading=11, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10, spaceAfter=0),
        "num": ParagraphStyle(
            "num", base, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT
        ),
        "quote": ParagraphStyle(
            "quote",
            base,
            fontSize=10,
            leading=14,
            leftIndent=10,
            borderPadding=(4, 6, 4, 8),
            spaceAfter=1,
        ),
        "said": ParagraphStyle(
            "said", base, fontSize=8.5, textColor=MUTED, leftIndent=10, spaceAfter=8
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Any:
    return Paragraph(escape(text), style)


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    styles: dict[str, ParagraphStyle],
    *,
    widths: Sequence[float] | None = None,
    shading: Sequence[Sequence[float | None]] | None = None,
) -> Any:
    data = [[_p(h, styles["num"] if numeric[n] else styles["cell"]) for n, h in enumerate(header)]]
    data += [
        [_p(cell, styles["num"] if numeric[n] else styles["cell"]) for n, cell in enumerate(row)]
        for row in rows
    ]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for r, row_shades in enumerate(shading or []):
        for c, share in enumerate(row_shades):
            if share:
                tint = colors.HexColor("#0b5563")
                commands.append(
                    (
                        "BACKGROUND",
                        (c, r + 1),
                        (c, r + 1),
                        colors.Color(
                            tint.red, tint.green, tint.blue, alpha=0.12 + 0.6 * min(share, 1.0)
                        ),
                    )
                )
    table.setStyle(TableStyle(commands))
    return table


def _report_table(table: ReportTable, styles: dict[str, ParagraphStyle]) -> list[Any]:
    numeric = [table.numeric(n) for n in range(len(table.columns))]
    rows = [[table.text(r, c) for c in range(len(table.columns))] for r in range(len(table.rows))]
    flow = [_table(table.columns, rows, numeric, styles)]
    if table.note:
        flow.append(_p(table.note, styles["note"]))
    return flow


def _matrix_table(matrix: Matrix, styles: dict[str, ParagraphStyle]) -> list[Any]:
    header = [matrix.title, "Items", "Coded", *matrix.titles]
    rows: list[list[str]] = []
    shading: list[list[float | None]] = []
    for row in matrix.rows:
        if row.suppressed:
            rows.append([row.name, row.shown, "", *([""] * len(matrix.codes))])
            shading.append([None] * len(header))
            continue
        rows.append([row.name, f"{row.items:,}", f"{row.coded:,}", *map(str, row.counts)])
        shading.append([None, None, None, *(row.share(n) for n in range(len(matrix.codes)))])
    first = 4.5 * cm
    rest = (WIDE_WIDTH - first - 2 * 1.4 * cm) / max(1, len(matrix.codes))
    widths = [first, 1.4 * cm, 1.4 * cm, *([rest] * len(matrix.codes))]
    numeric = [False, *([True] * (len(header) - 1))]
    return [
        _table(header, rows, numeric, styles, widths=widths, shading=shading),
        _p(
            "Numbers are coded items; shading is their share of the organisation's coded items. "
            f"Organisations with {FEWER_THAN} items are not broken down.",
            styles["note"],
        ),
    ]


def _chart(
    data: bytes, description: str, styles: dict[str, ParagraphStyle], *, width: float = TEXT_WIDTH
) -> list[Any]:
    image = Image(BytesIO(data))
    scale = min(1.0, width / image.drawWidth, 12 * cm / image.drawHeight)
    image.drawWidth *= scale
    image.drawHeight *= scale
    image.keepWithNext = 1  # with its caption (and headings before it, which keep with it)
    return [image, _p(description, styles["note"])]


def _bullets(lines: Sequence[str], style: ParagraphStyle, *, numbered: bool = False) -> Any:
    return ListFlowable(
        [ListItem(_p(line, style), leftIndent=14) for line in lines],
        bulletType="1" if numbered else "bullet",
        bulletFormat="%s." if numbered else None,
        bulletFontName=style.fontName,
        bulletFontSize=style.fontSize,
        leftIndent=14,
    )


def story(data: ReportData) -> list[Any]:
    """The PDF's content, in reading order, as reportlab flowables."""
    s = _styles()
    tables = {t.key: t for t in report_tables(data)}
    flow: list[Any] = [
        _p(f"Learning report · {data.workspace}", s["kicker"]),
        _p(data.title, s["title"]),
        _p(
            f"Made on {data.generated_at:%d %B %Y} by upstream {__version__}, from "
            f"{data.items_shown} items of evidence.",
            s["note"],
        ),
        _p("Headline findings", s["h2"]),
        _bullets(data.headlines, s["body"], numbered=True),
        Spacer(1, 6),
        *_report_table(tables["organisations"], s),
    ]
    if data.coverage and data.method:
        flow += [
            _p(f"Framework coverage: {data.method.framework}", s["h2"]),
            _p(
                "How often each element of the framework comes up in the coded evidence. An "
                "item can touch more than one element.",
                s["lead"],
            ),
            *_chart(png.coverage_png(data.coverage), "Coded items per element.", s),
            *_report_table(_elements_only(tables["coverage"]), s),
        ]
    if data.matrix is not None:
        flow += [
            NextPageTemplate("wide"),
            PageBreak(),
            _p("Patterns across organisations", s["h2"]),
            _p("Where each organisation's evidence sits", s["h3"]),
        ]
        if any(not r.suppressed for r in data.matrix.rows):
            flow += _chart(
                png.heatmap_png(data.matrix, wide=True),
                "Organisations against elements: darker means a larger share of that "
                "organisation's coded items.",
                s,
                width=WIDE_WIDTH,
            )
        flow += [*_matrix_table(data.matrix, s), NextPageTemplate("page"), PageBreak()]
    if data.patterns:
        if data.matrix is None:
            flow.append(_p("Patterns across organisations", s["h2"]))
        flow.append(_p("Barriers and enablers named across organisations", s["h3"]))
        for kind, label in (
            ("barrier", "Barriers"),
            ("enabler", "Enablers"),
            ("driver", "Drivers"),
        ):
            if any(r.kind == kind for r in data.patterns):
                flow += _chart(
                    png.patterns_png(data.patterns, kind),
                    f"{label}: number of organisations naming each one.",
                    s,
                )
        flow += _report_table(tables["barriers_enablers"], s)
    if data.trend is not None and data.trend.series:
        flow += [
            _p("Trends over time", s["h2"]),
            *_chart(png.trend_png(data.trend), "Coded items per month for each element.", s),
            *_report_table(tables["trends"], s),
        ]
    flow += _quotes(data, s)
    flow += _method(data, tables, s)
    flow += [_p("Caveats", s["h2"]), _bullets(data.caveats, s["body"])]
    return flow


def _elements_only(table: ReportTable) -> ReportTable:
    rows = [row for row in table.rows if row[2] == "element"]
    keep = [1, 3, 4, 5, *([6] if len(table.columns) > 6 else [])]
    return ReportTable(
        table.key,
        "Coverage of each element",
        [table.columns[n] for n in keep],
        [[row[n] for n in keep] for row in rows],
        note=table.note,
        percent_columns=tuple(keep.index(n) for n in table.percent_columns if n in keep),
    )


def _quotes(data: ReportData, s: dict[str, ParagraphStyle]) -> list[Any]:
    flow: list[Any] = []
    groups = [(g.title, g.items, g.quotes) for g in data.quotes]
    groups += [(t.label, t.size, t.quotes) for t in data.themes]
    if not groups:
        return flow
    flow.append(_p("In their own words", s["h2"]))
    for title, items, quotes in groups:
        flow.append(_p(f"{title} ({items:,} item{'s' if items != 1 else ''})", s["h3"]))
        for q in quotes:
            when = f", {q.when:%B %Y}" if q.when else ""
            flow.append(
                KeepTogether(
                    [
                        _p(f"\u201c{q.text}\u201d", s["quote"]),
                        _p(f"\u2014 {q.attribution}{when}", s["said"]),
                    ]
                )
            )
    return flow


def _method(
    data: ReportData, tables: dict[str, ReportTable], s: dict[str, ParagraphStyle]
) -> list[Any]:
    flow: list[Any] = [_p("Method and trust", s["h2"])]
    m = data.method
    if m is None:
        return [*flow, _p("Nothing has been coded yet.", s["body"])]
    flow.append(
        _p(
            f"The evidence was coded against {m.framework} (version {m.framework_version}) "
            f"by upstream's machine coder, {describe_mode(m)}. It runs on this computer; "
            "no text was sent anywhere.",
            s["body"],
        )
    )
    if m.agreement is not None:
        kappa = (
            f"; Cohen's \u03ba between machine and people is {m.agreement.kappa:.2f}"
            if m.agreement.kappa is not None
            else ""
        )
        flow.append(
            _p(
                f"Where people decided, they kept the machine's top suggestion for "
                f"{m.agreement.agreed:,} of {m.agreement.decisions:,} items "
                f"({m.agreement.percent:.0f}%){kappa}.",
                s["body"],
            )
        )
    flow += _report_table(tables["method"], s)
    flow += [
        _p("Run parameters and software versions", s["h3"]),
        *_report_table(tables["run_details"], s),
    ]
    return flow


def render_pdf(data: ReportData, path: str | Path) -> Path:
    """Write the report as an A4 PDF.

    Args:
        data: The report's data (see :func:`upstream.workflows.reports.build_report_data`).
        path: Where to write the ``.pdf`` file.

    Returns:
        The path written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    font = _register_font()

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(2 * cm, 1.2 * cm, data.title[:90])
        canvas.drawRightString(document.pagesize[0] - 2 * cm, 1.2 * cm, f"Page {document.page}")
        canvas.restoreState()

    document = BaseDocTemplate(
        str(target),
        pagesize=A4,
        title=data.title,
        author="upstream",
        subject=f"Learning report for {data.workspace}",
        creator=f"upstream {__version__}",
    )
    portrait_frame = Frame(2 * cm, 2 * cm, TEXT_WIDTH, A4[1] - 4 * cm, id="page")
    wide = landscape(A4)
    wide_frame = Frame(2 * cm, 2 * cm, WIDE_WIDTH, wide[1] - 4 * cm, id="wide")
    document.addPageTemplates(
        [
            PageTemplate("page", [portrait_frame], onPage=footer, pagesize=A4),
            PageTemplate("wide", [wide_frame], onPage=footer, pagesize=wide),
        ]
    )
    document.build(story(data))
    return target


__all__ = ["render_pdf", "story"]
