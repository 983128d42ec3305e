"""Where each figure on the dashboards leads: the items and quotes behind it.

A heatmap cell leads to the evidence list filtered to that organisation (or
group) and element; a bar, a pattern or a headline to the page of its code,
which quotes the organisations naming it. Links carry the evidence-type
filter, so the list shows the same kind of evidence the figure counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from upstream.reports import ReportData
from upstream.reports.evidence import DBE
from upstream.reports.svg import bar_chart

__all__ = ["FigureLinks", "headline_links", "linked_bars"]


@dataclass(frozen=True)
class FigureLinks:
    """Builds the addresses the dashboards link to.

    Attributes:
        workspace_id: The workspace.
        framework: The framework the heatmap counts (its key, such as ``nom``).
        code_ids: Stored ids of that framework's codes, by key.
        evidence_type: The evidence-type filter in force ("" for every type).
    """

    workspace_id: int
    framework: str
    code_ids: dict[str, int]
    evidence_type: str = ""

    def items(self, code: str, **filters: str) -> str:
        """The evidence list of items coded ``code`` (or below it) that match ``filters``.

        Returns:
            The address, or "" when the code is not stored in the workspace.
        """
        code_id = self.code_ids.get(code)
        if code_id is None:
            return ""
        args = {**filters, "code": str(code_id), "type": self.evidence_type}
        query = urlencode({k: v for k, v in args.items() if v})
        return f"/w/{self.workspace_id}/evidence?{query}"

    def code_page(self, code: str, framework: str = "") -> str:
        """The page of a code across the network, with the quotes behind it."""
        book = framework or self.framework
        return f"/w/{self.workspace_id}/codes/{quote(book)}/{quote(code)}"

    def pattern(self, code: str) -> str:
        """The page of a barrier, enabler or driver."""
        return self.code_page(code, DBE)


def headline_links(data: ReportData, links: FigureLinks) -> list[tuple[str, str]]:
    """Each headline with the page of the code it is about ("" when it names none).

    A headline names a code by its title; the longest title found wins, so
    "Procurement rules" is not mistaken for a shorter title inside it.
    """
    named = [(r.title, links.pattern(r.code)) for r in data.patterns]
    named += [(r.title, links.code_page(r.code)) for r in data.top_level]
    named.sort(key=lambda pair: len(pair[0]), reverse=True)
    found: list[tuple[str, str]] = []
    for line in data.headlines:
        lowered = line.lower()
        href = next((h for title, h in named if title and title.lower() in lowered), "")
        found.append((line, href))
    return found


def linked_bars(
    labels: Sequence[str],
    values: Sequence[int | None],
    hrefs: Sequence[str],
    *,
    title: str,
    of: int | None = None,
    css_class: str = "",
    withheld: Sequence[str] | None = None,
) -> Markup:
    """A bar chart whose bars lead to their evidence.

    The chart is hidden from screen readers and left out of the tab order:
    the table beside it holds the same numbers with the same links, which
    reads better than a picture of links.
    """
    svg = bar_chart(labels, values, title=title, of=of, withheld=withheld)
    head, *bars = svg.removesuffix("</svg>").split('<text class="chart-label"')
    head = head.replace('role="img"', 'aria-hidden="true" focusable="false"', 1)
    if css_class:
        head = head.replace('class="chart-svg"', f'class="chart-svg {css_class}"', 1)
    parts = [head]
    for bar, href in zip(bars, hrefs, strict=True):
        body = '<text class="chart-label"' + bar
        parts.append(f'<a href="{escape(href)}" tabindex="-1">{body}</a>' if href else body)
    return Markup("".join(parts) + "</svg>")
