"""The board summary: two printed pages a board reads before the full report.

It holds the headline findings, one chart, three quotes for each of the three
most common codes, what people coded or checked, and the caveats. Every sentence is
taken from the report's own data, so the summary and the appendix agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from upstream.policy import excerpt
from upstream.reports.checks import thresholds
from upstream.reports.headlines import trust_line
from upstream.reports.model import QuoteGroup, ReportData
from upstream.reports.print_charts import coverage_chart, patterns_chart

GROUPS = 3
"""How many codes the summary quotes."""
QUOTES = 3
"""How many quotes it gives for each."""
QUOTE_LENGTH = 190
"""The longest quote on the summary, in characters (the appendix has the longer extract)."""


@dataclass(frozen=True)
class BoardSummary:
    """What the board summary says.

    Attributes:
        evidence: What the evidence is: how many items, from whom, over what time.
        checks: How much each framework could code and how much people coded or checked.
        trust: How far the machine's codes can be trusted ("" when nothing is coded).
        rule: When a machine code counts, per framework ("" when nothing is coded).
        findings: The headline findings, without the sentences already in ``checks``.
        chart: The one chart, as a ``data:`` URI ("" when there is nothing to draw).
        chart_alt: The chart's numbers in words, for people who cannot see it.
        chart_caption: What the chart shows.
        quotes: Quotes for the most common codes, shortened for the page.
        caveats: What to bear in mind.
    """

    evidence: str
    checks: list[str]
    trust: str
    rule: str
    findings: list[str]
    chart: str
    chart_alt: str
    chart_caption: str
    quotes: list[QuoteGroup]
    caveats: list[str]


def _chart(data: ReportData) -> tuple[str, str, str]:
    """The summary's one chart: coverage of the elements, else the barriers."""
    elements = sorted(data.top_level, key=lambda r: r.bar_order)
    if elements and data.method is not None:
        said = "; ".join(f"{r.title} {r.shown}" for r in elements)
        return (
            coverage_chart(data.coverage),
            f"Bar chart of coded items per element of {data.method.framework}: {said}.",
            f"Coded items per element of {data.method.framework}. An item can touch more "
            "than one element.",
        )
    barriers = [r for r in data.patterns if r.kind == "barrier"]
    if barriers:
        said = "; ".join(f"{r.title} {r.organisations:,} of {r.of:,}" for r in barriers)
        return (
            patterns_chart(data.patterns, "barrier"),
            f"Bar chart of how many organisations name each barrier: {said}.",
            "Organisations naming each barrier.",
        )
    return "", "", ""


def board_summary(data: ReportData) -> BoardSummary:
    """The board summary of a report (see :class:`BoardSummary`)."""
    checks = [check.sentence() for check in data.checks]
    trust = trust_line(data.method) if data.method is not None and data.method.coded else ""
    said_elsewhere = (*checks, trust) if trust else tuple(checks)
    findings = [
        line
        for line in data.headlines[1:]
        if not any(line.startswith(sentence) for sentence in said_elsewhere)
    ]
    rule = thresholds(data.checks)
    chart, alt, caption = _chart(data)
    quotes = [
        replace(
            group,
            quotes=[replace(q, text=excerpt(q.text, QUOTE_LENGTH)) for q in group.quotes[:QUOTES]],
        )
        for group in data.quotes[:GROUPS]
    ]
    return BoardSummary(
        evidence=data.headlines[0],
        checks=checks,
        trust=trust,
        rule=rule,
        findings=findings,
        chart=chart,
        chart_alt=alt,
        chart_caption=caption,
        quotes=quotes,
        caveats=[c for c in data.caveats if c != rule],
    )


__all__ = ["GROUPS", "QUOTES", "QUOTE_LENGTH", "BoardSummary", "board_summary"]
