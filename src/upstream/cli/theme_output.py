"""What ``upstream themes`` writes and says: the summary file, the printed list, citations.

Kept apart from the command's options so the command reads as the workflow it
drives; the web app shows the same figures from the stored run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from upstream.cli.common import console
from upstream.records.themes import OTHER_LABEL, Theme, listing_order
from upstream.signals.export import write_csv
from upstream.themes.citations import Citation
from upstream.workflows.themes import ThemeRun, below_engagement_count

__all__ = ["RANKS", "Answer", "report", "write_cited", "write_outputs"]

Answer = tuple[str, int, str]  # the row's id, its theme number (-1 for none), label or reason

RANKS = ("items", "people", "organisations", "engagement")
RANK_LINES = {
    "engagement": "Largest by engagement (each item counts once, plus its likes, reposts ...):",
    "people": "Largest by people (items that do not say who wrote them count as one each):",
    "organisations": "Largest by the number of organisations whose evidence is in them:",
}


def write_cited(run: ThemeRun, path: Path) -> None:
    """Write the most-cited names and links, and say the first few."""
    found = run.cited()
    labels = {t.number: t.label for t in run.discovery.themes_}
    write_csv(
        path,
        ["kind", "cited", "items", "people", "themes", "example"],
        [
            [
                c.kind,
                c.text,
                c.items,
                "" if c.people is None else c.people,
                "; ".join(f"{labels.get(n, n)} ({count})" for n, count in c.themes),
                run.discovery.texts_[c.example],
            ]
            for c in found
        ],
    )
    if found:
        top = ", ".join(f"{c.text} ({_cited_by(c)})" for c in found[:5])
        console.print(f"Cited most: {top}.")
    console.print(f"Wrote {path}.")


def _without_theme(run: ThemeRun, answers: list[Answer], missing: int) -> str:
    """Why rows have theme -1, each reason counted apart ("343 had fewer likes than asked")."""
    if not missing:
        return "Every row is in a theme."
    share = missing / len(answers)
    quiet = below_engagement_count(run.set_aside)
    reasons = [
        (len(run.set_aside) - quiet, "set aside as spam, abuse or off-topic"),
        (quiet, "had fewer likes and other reactions than asked for"),
        (sum(1 for a in answers if a[1] < 0 and a[2] == "unassigned"), "fit no theme"),
        (sum(1 for a in answers if a[1] < 0 and a[2].startswith("no text")), "had no text"),
    ]
    said = [f"{count:,} {why}" for count, why in reasons if count]
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return f"{missing:,} rows ({share:.1%}) have theme -1: {listed}."


def _cited_by(citation: Citation) -> str:
    """How many cite it: people when the evidence says who wrote each row, else items."""
    if citation.people is None:
        return f"{citation.items:,} {'item' if citation.items == 1 else 'items'}"
    return f"{citation.people:,} {'person' if citation.people == 1 else 'people'}"


def write_outputs(run: ThemeRun, answers: list[Answer], output: Path, summary: Path | None) -> None:
    """Write the row-by-row file and, when asked for, the summary of the themes.

    Args:
        run: The finished run.
        answers: Each input row's id, theme number and label (or why it has none).
        output: The row-by-row CSV.
        summary: The themes' summary CSV, or ``None``.
    """
    write_csv(output, ["id", "theme", "theme_label"], [list(a) for a in answers])
    if summary is None:
        return
    discovery = run.discovery
    columns = _engagement_columns(run)
    table: list[list[object]] = [
        [
            t.code,
            t.label,
            t.size,
            t.description,
            "; ".join(t.keywords),
            " | ".join(q.text for q in t.quotes),
            *_engagement_cells(run, t, columns),
        ]
        for t in discovery.themes_
    ]
    missing = sum(1 for a in answers if a[1] < 0)
    if missing:
        blank = [""] * (len(columns) + 1 if columns else 0)
        unassigned = "unassigned (fits no theme, set aside, or no text)"
        table.append([-1, unassigned, missing, "", "", "", *blank])
    header = ["theme", "label", "size", "description", "keywords", "quotes"]
    # People and organisations only when the evidence says who wrote it and where from.
    known = _people_known(discovery.themes_)
    places = any(t.organisations for t in discovery.themes_)
    for row, theme in zip(table, discovery.themes_, strict=False):
        row[3:3] = ([theme.respondents] if known else []) + (
            [len(theme.organisations)] if places else []
        )
    for row in table[len(discovery.themes_) :]:
        row[3:3] = [""] * (int(known) + int(places))
    header[3:3] = (["people"] if known else []) + (["organisations"] if places else [])
    if columns:
        header += ["engagement_size", *columns]
    if any(t.named_by for t in discovery.themes_):
        # Only when a model endpoint wrote the names, so the file is otherwise unchanged.
        header += ["summary", "named_by"]
        for row, theme in zip(table, discovery.themes_, strict=False):
            row += [_summary_text(run, theme), theme.named_by]
        for row in table[len(discovery.themes_) :]:
            row += ["", ""]
    write_csv(summary, header, table)


def _summary_text(run: ThemeRun, theme: Theme) -> str:
    """A theme's summary with each sentence's citations as item ids: "... (items 12, 40)"."""
    items = run.items
    parts = []
    for sentence in theme.summary:
        cited = ", ".join(str(items[i].id) for i in sentence.quotes)
        noun = "item" if len(sentence.quotes) == 1 else "items"
        parts.append(f"{sentence.text} ({noun} {cited})")
    return " ".join(parts)


def _engagement_columns(run: ThemeRun) -> list[str]:
    """The engagement counts the themed items carry (likes, reposts, ...), by name."""
    return sorted({name for item in run.items for name in item.engagement})


def _engagement_cells(run: ThemeRun, theme: Theme, columns: list[str]) -> list[object]:
    """A theme's engagement: its weighted size, then each count summed over its items."""
    if not columns:
        return []
    totals = [
        sum(float(run.items[i].engagement.get(name) or 0) for i in theme.members)
        for name in columns
    ]
    size = theme.engagement_size
    return [
        "" if size is None else round(size),
        *(int(t) if t == int(t) else round(t, 2) for t in totals),
    ]


def _people_known(themes: Sequence[Theme]) -> bool:
    """Whether the evidence says who wrote any themed item (else people are not known)."""
    return any(t.unnamed < t.size for t in themes)


def _ranked(themes: Sequence[Theme], rank_by: str | None) -> tuple[list[Theme], str]:
    """The themes in the order to list them, and a line saying what the order is."""
    weighted = any(t.engagement_size is not None for t in themes)
    rank = (rank_by or ("engagement" if weighted else "items")).strip().lower()
    weights: dict[str, Callable[[Theme], float]] = {
        "items": lambda t: float(t.size),
        "engagement": lambda t: t.engagement_size or 0.0,
        "people": lambda t: float(t.respondents),
        "organisations": lambda t: float(len(t.organisations)),
    }
    line = RANK_LINES.get(rank, "")
    if rank == "engagement" and not weighted:
        rank, line = "items", "No item has likes or reactions, so the themes are listed by items."
    if rank == "people" and not _people_known(themes):
        rank, line = "items", "The evidence does not say who wrote it: themes are listed by items."
    # Numbers stay with themes from run to run, so they are not an order of size.
    weight = weights.get(rank, weights["items"])
    # As in the web app: the "Other" theme of mixed subjects stays last.
    ordered = sorted(themes, key=lambda t: (t.label == OTHER_LABEL, -weight(t), t.number))
    return ordered, line


def report(
    run: ThemeRun,
    answers: list[Answer],
    output: Path,
    summary: Path | None,
    stored: bool,
    rank_by: str | None = None,
) -> None:
    """Say what was found: the largest themes in the order asked for, and what fit none.

    Args:
        run: The finished run.
        answers: Each input row's answer, as written to ``output``.
        output: The row-by-row CSV written.
        summary: The summary CSV written, or ``None``.
        stored: Whether the run was kept in a workspace (earlier edits re-applied).
        rank_by: ``items``, ``people``, ``organisations`` or ``engagement``.
    """
    discovery = run.discovery
    rows = answers
    missing = sum(1 for a in answers if a[1] < 0)
    console.print(f"Found {discovery.n_themes_} themes in {len(rows):,} rows.")
    shown, line = _ranked(discovery.themes_, rank_by)
    if line:
        console.print(line, markup=False)
    known = _people_known(discovery.themes_)
    for theme in shown[:10]:
        size = f"{theme.size:,} items"
        if known:
            people = "person" if theme.respondents == 1 else "people"
            size += f" from {theme.respondents:,} {people}"
        if theme.organisations:
            count = len(theme.organisations)
            size += f" in {count:,} organisation{'' if count == 1 else 's'}"
        if theme.engagement_size is not None:
            reactions = max(0, round(theme.engagement_size) - theme.size)
            size += f", with {reactions:,} likes and other reactions on them"
        if theme.repeated:
            size += f"; {theme.repeated:,} repeat another word for word"
        console.print(f"  {theme.code:>3}  {theme.label}  ({size})")
        if theme.subthemes:
            # What a theme holds tells a reader far better what belongs in it.
            parts = sorted(theme.subthemes, key=lambda s: listing_order(s.label, s.size))
            holds = "; ".join(f"{s.label} ({s.size:,})" for s in parts)
            console.print(f"       holds: {holds}", highlight=False)
        if theme.stance is not None and theme.stance.contested:
            console.print(f"       {theme.stance.sentence}")
    if discovery.n_themes_ > 10:
        console.print(f"  ... and {discovery.n_themes_ - 10} more (see the summary file).")
    _endpoint_note(run)
    console.print(_without_theme(run, answers, missing))
    if stored:
        applied, unmatched = discovery.edits_applied_, discovery.edits_unmatched_
        if applied or unmatched:
            console.print(
                f"Re-applied {len(applied)} earlier theme edits; {len(unmatched)} no longer match."
            )
    console.print(f"Wrote {output}" + (f" and {summary}" if summary else "") + ".")


def _endpoint_note(run: ThemeRun) -> None:
    """Say which names a model endpoint wrote, and where it failed."""
    discovery = run.discovery
    models = sorted({t.named_by for t in discovery.themes_ if t.named_by})
    if models:
        console.print(
            f"Theme names and summaries were written by a model endpoint ({', '.join(models)}), "
            "from each theme's keywords and quotes: check them against the quotes.",
            markup=False,
        )
    errors = list(getattr(discovery.labeller_, "errors_", []))
    if errors:
        console.print(
            f"{len(errors)} theme(s) kept upstream's own name because the model endpoint "
            f"failed. {errors[0]}",
            markup=False,
        )
