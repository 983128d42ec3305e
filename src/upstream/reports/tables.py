"""The report's tables: the same rows behind every chart, page and worksheet."""

from __future__ import annotations

from upstream.policy import FEWER_THAN, shown_count
from upstream.policy import suppressed as too_small
from upstream.reports.checks import count as counted
from upstream.reports.checks import count_shown
from upstream.reports.counts import NOT_SHOWN, Cell, Matrix, PatternRow
from upstream.reports.model import Method, ReportData, Table

TOO_FEW_DECISIONS = "too few decisions to measure (fewer than 10)"
SUPPRESSED_NOTE = (
    f"Groups with {FEWER_THAN} items are shown as \u201c{FEWER_THAN}\u201d, and a group "
    "that would let you work one out is \u201cnot shown\u201d."
)


def organisations_table(data: ReportData) -> Table:
    """Items per organisation, small ones suppressed."""
    rows: list[list[Cell]] = [
        [
            row.name,
            row.shown if row.suppressed else row.items_shown if row.totals_covered else row.items,
        ]
        for row in data.by_organisation
    ]
    return Table(
        "organisations",
        "Evidence by organisation",
        ["Organisation", "Items"],
        rows,
        note=SUPPRESSED_NOTE,
    )


def coverage_table(data: ReportData) -> Table:
    """Items per code, in the framework's order, with each element's share of coded items."""
    columns = [
        "Code", "Element or code", "Level", "Items coded", "Share of coded items", "Organisations",
    ]  # fmt: skip
    focus = data.organisation is not None
    if focus:
        columns.append("Share across the network")
    rows: list[list[Cell]] = []
    for row in data.coverage:
        cells: list[Cell] = [
            row.code,
            row.title,
            "element" if row.depth == 0 else f"level {row.depth + 1}",
            row.items if row.share_shown is not None else row.shown,
            row.share_shown,
            row.organisations,
        ]
        if focus:
            cells.append(row.network_share)
        rows.append(cells)
    return Table(
        "coverage",
        "Framework coverage",
        columns,
        rows,
        note="Each code counts the items coded to it or to any code below it; an item can "
        "count towards more than one element. A code with no items coded is one that neither "
        "the machine (sure enough to count) nor a person gave to any item here: it does not "
        "mean the evidence never mentions it, since many items are left uncoded.",
        percent_columns=(4, 6) if focus else (4,),
    )


def matrix_table(matrix: Matrix, key: str = "organisations_by_element") -> Table:
    """Groups against elements: items per element and the share of the group's coded items."""
    columns = [matrix.title, "Items", "Coded items"]
    for title in matrix.titles:
        columns += [title, f"{title} (share)"]
    shares = tuple(4 + 2 * n for n in range(len(matrix.titles)))
    rows: list[list[Cell]] = []
    for row in matrix.rows:
        if row.suppressed:
            rows.append([row.name, row.shown, None, *([None] * 2 * len(matrix.titles))])
            continue
        coded: Cell = row.coded_shown if too_small(row.coded) or row.totals_covered else row.coded
        items: Cell = row.items_shown if row.totals_covered else row.items
        cells: list[Cell] = [row.name, items, coded]
        for n, count in enumerate(row.counts):
            cells += [row.cell(n), None] if row.withheld(n) else [count, row.share(n)]
        rows.append(cells)
    note = SUPPRESSED_NOTE
    if matrix.hidden_groups:
        verb = "is" if matrix.hidden_groups == 1 else "are"
        note += f" {counted(matrix.hidden_groups, 'smaller group')} {verb} not listed."
    return Table(
        key, f"{matrix.title} by element", columns, rows, note=note, percent_columns=shares
    )


def _named_by_focus(row: PatternRow) -> str:
    """Whether the report's organisation names a code, as far as its coded evidence says."""
    if row.named_by_focus:
        return "yes"
    if row.focus_coded == "none":
        return "not coded yet"
    return "not in the part coded" if row.focus_coded == "part" else "no"


def patterns_table(data: ReportData) -> Table:
    """Barriers, enablers and drivers with how many organisations name each."""
    columns = ["Kind", "Code", "Organisations naming it", "Of organisations", "Items"]
    focus = data.organisation is not None
    if focus:
        columns.append(f"Named by {data.organisation}")
    rows: list[list[Cell]] = []
    for row in data.patterns:
        shown: Cell = row.shown if row.hidden else row.items
        cells: list[Cell] = [row.kind.capitalize(), row.title, row.organisations, row.of, shown]
        if focus:
            cells.append(_named_by_focus(row))
        rows.append(cells)
    return Table(
        "barriers_enablers",
        "Barriers, enablers and drivers across organisations",
        columns,
        rows,
        note="Counts organisations with at least one item coded to it.",
    )


def trend_table(data: ReportData) -> Table | None:
    """Items per period (month, quarter or year), in all and per element."""
    trend = data.trend
    if trend is None:
        return None
    note = f"By the date of each item. Counts of 1 to 9 items read \u201c{FEWER_THAN}\u201d."
    if trend.undated_covered:
        note += " Items without a date are left out (how many is not shown)."
    elif trend.undated:
        verb = "is" if trend.undated == 1 and not too_small(trend.undated) else "are"
        note += f" {count_shown(trend.undated, 'item')} without a date {verb} left out."
    return Table(
        "trends",
        f"Items per {trend.period}",
        [trend.period.capitalize(), "All items", *trend.titles],
        trend.rows_shown(),
        note=note,
    )


def _as_number(text: str) -> Cell:
    """A figure kept as text ("-5") as a number, so a spreadsheet sorts and sums it."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _change_in_words(change: str, reading: str) -> str | None:
    """A change with its reading, such as "−1 (could be chance)".

    A minus sign, not a hyphen, so no spreadsheet takes the cell for a formula
    and shows it with an apostrophe in front.
    """
    if not change:
        return reading or None
    signed = "\u2212" + change[1:] if change.startswith("-") else change
    return f"{signed} ({reading})" if reading else signed


def culture_table(data: ReportData) -> Table | None:
    """The organisation's staff-survey culture themes in their latest year."""
    if not data.culture:
        return None
    rows: list[list[Cell]] = [
        [
            line.theme,
            str(line.year),
            line.score,
            line.respondents,
            _change_in_words(line.change, line.reading),
            line.median,
            _as_number(line.gap),
        ]
        for line in data.culture
    ]
    surveys = sorted({line.survey for line in data.culture})
    note = (
        f"From {', '.join(surveys)}. The median is that of comparable organisations the same "
        "year. A change \u201ccould be chance\u201d when, with this many people answering, a "
        "difference that size would turn up more often than 1 time in 20 even if nothing "
        "had changed."
    )
    return Table(
        "culture",
        "Staff survey: culture themes",
        ["Theme", "Year", "Score", "People", "Change since the last survey", "Median", "Gap"],
        rows,
        note=note,
    )


def quotes_table(data: ReportData) -> Table:
    """Every quote in the report with its code and attribution."""
    rows: list[list[Cell]] = [
        [
            group.title,
            q.text,
            q.attribution,
            q.when.isoformat() if q.when else None,
            "a person" if q.origin == "human" else f"machine ({q.confidence:.0%} confident)",
        ]
        for group in data.quotes
        for q in group.quotes
    ]
    return Table("quotes", "Quotes", ["Code", "Quote", "Said by", "Date", "Coded by"], rows)


def themes_table(data: ReportData) -> Table | None:
    """Themes with their web app numbers, sizes, what they hold, keywords and a quote."""
    if not data.themes:
        return None
    rows: list[list[Cell]] = [
        [
            int(t.code) if t.code else None,
            t.label,
            FEWER_THAN if too_small(t.size) else t.size,
            t.reactions,
            t.description or None,
            "; ".join(f"{s.label} ({s.size_shown})" for s in t.subthemes) or None,
            ", ".join(t.keywords),
            t.quotes[0].text if t.quotes else None,
        ]
        for t in data.themes
    ]
    header = [
        "Number", "Theme", "Items", "Likes and other reactions", "Description", "Sub-themes",
        "Key words", "Example",
    ]  # fmt: skip
    return Table("themes", "Themes", header, rows)


def method_rows(method: Method) -> list[list[Cell]]:
    """Method figures as measure / value pairs."""
    found = method.agreement
    rows: list[list[Cell]] = [
        [
            "Framework",
            method.framework
            + (f" (version {method.framework_version})" if method.framework_version else ""),
        ],
        ["Coding run", method.run_id],
        ["Run started", method.run_started.strftime("%-d %B %Y, %H:%M")],
        ["Started by", method.started_by or None],
        ["Coder mode", method.mode],
        [
            "Labelled examples learned from"
            if method.mode == "supervised"
            else "Decisions whose like items take their code",
            method.labelled_examples,
        ],
        ["Confidence threshold", method.threshold],
        [
            f"Items {method.scope}" if method.scope else "Items",
            NOT_SHOWN if method.covered else method.items,
        ],
        ["Items coded", NOT_SHOWN if method.covered else method.coded],
        ["Items left uncoded", NOT_SHOWN if method.covered else method.uncoded],
        ["Share uncoded", NOT_SHOWN if method.covered else f"{100 * method.uncoded_share:.0f}%"],
        ["Items coded or checked by people", shown_count(method.reviewed)],
    ]
    # The parts of a total withheld as small would give it away by adding up, and a
    # handful of decisions says nothing about how often the machine is right.
    few = too_small(method.reviewed)
    rows += [
        ["Items people coded with no suggestion to accept", FEWER_THAN if few else method.placed],
        ["Suggestions accepted", FEWER_THAN if few else method.accepted],
        ["Suggestions rejected", FEWER_THAN if few else method.rejected],
        ["Items recoded", FEWER_THAN if few else method.recoded],
    ]
    if found and too_small(found.decisions):
        rows.append(["Machine and people agree", TOO_FEW_DECISIONS])
    else:
        rows += [
            [
                "Machine and people agree",
                f"{found.agreed:,} of {found.decisions:,}" if found else None,
            ],
            [
                "Cohen's kappa, machine v people",
                f"{found.kappa:.2f}" if found and found.kappa is not None else None,
            ],
        ]
    if method.dbe_run_id is not None:
        rows.append(["Barriers and enablers run", method.dbe_run_id])
    return rows


def run_details_rows(method: Method) -> list[list[Cell]]:
    """The run's seed, software versions and every parameter, for repeating it."""
    rows: list[list[Cell]] = [["Random seed", str(method.seed)]]
    rows += [[f"Version: {name}", str(value)] for name, value in sorted(method.versions.items())]
    skip = {"codebook", "codebook_version", "mode", "labelled_examples", "threshold", "seed"}
    rows += [
        [f"Parameter: {name}", str(value)]
        for name, value in sorted(method.parameters.items())
        if name not in skip
    ]
    return rows


def ways_past_table(data: ReportData) -> Table | None:
    """Peers whose shared evidence shows a way past the organisation's barriers."""
    if not data.ways_past:
        return None
    rows: list[list[Cell]] = [
        [
            way.barrier,
            way.peer,
            way.enabler,
            quote.text,
            "a person" if quote.origin == "human" else f"the machine, {quote.confidence:.0%} sure",
        ]
        for way in data.ways_past
        for quote in way.quotes
    ]
    return Table(
        "ways_past",
        "Peers who show a way past its barriers",
        ["Barrier", "Peer", "Enabler", "In their words", "Coded by"],
        rows,
        "Suggested from the codes: an enabler on the barrier's topic that the peer has in "
        "place. Wishes and requests are not offered; only evidence shared with the network "
        "is quoted.",
    )


def report_tables(data: ReportData) -> list[Table]:
    """Every table of the report, in reading order (one worksheet each)."""
    tables = [
        Table("headlines", "Headline findings", ["Finding"], [[h] for h in data.headlines]),
        organisations_table(data),
    ]
    if data.coverage:
        tables.append(coverage_table(data))
    if data.matrix is not None:
        tables.append(matrix_table(data.matrix))
    if data.patterns:
        tables.append(patterns_table(data))
    for optional in (
        trend_table(data),
        ways_past_table(data),
        themes_table(data),
        culture_table(data),
    ):
        if optional is not None:
            tables.append(optional)
    if data.quotes:
        tables.append(quotes_table(data))
    if data.method is not None:
        tables.append(
            Table("method", "Method and trust", ["Measure", "Value"], method_rows(data.method))
        )
        tables.append(
            Table(
                "run_details",
                "Run parameters and software versions",
                ["Setting", "Value"],
                run_details_rows(data.method),
            )
        )
    tables.append(Table("caveats", "Caveats", ["Bear in mind"], [[c] for c in data.caveats]))
    return tables


__all__ = [
    "coverage_table",
    "culture_table",
    "matrix_table",
    "method_rows",
    "organisations_table",
    "patterns_table",
    "quotes_table",
    "report_tables",
    "run_details_rows",
    "themes_table",
    "trend_table",
    "ways_past_table",
]
