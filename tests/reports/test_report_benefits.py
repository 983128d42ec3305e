"""The report's benefits section: the register's entries, evidence counted only where readable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from upstream.records.measures import BenefitDraft, SeriesKey
from upstream.reports import render_html
from upstream.store import Store
from upstream.workflows.benefits.register import add_benefit, link_item
from upstream.workflows.ingest import ImportOptions, import_file
from upstream.workflows.reports import build_report_data, gather, report_from


def _item(store: Store, tmp_path: Path, org: str, text: str, *, shared: bool) -> int:
    path = tmp_path / f"{org}-{shared}.csv"
    path.write_text(f"text\n{text}\n", encoding="utf-8")
    import_file(store, path, ImportOptions(workspace="w", organisation=org, shared=shared))
    return next(i.id for i in store.workspace("w").items() if i.text == text)


def test_the_report_lists_benefits_and_counts_only_evidence_the_reader_may_see(
    tmp_path: Path,
) -> None:
    with Store(f"sqlite:///{tmp_path / 'r.db'}") as store:
        private = _item(store, tmp_path, "North", "North kept this to itself", shared=False)
        shared = _item(store, tmp_path, "North", "Calls fell once the form worked", shared=True)
        other = _item(store, tmp_path, "South", "South's own words", shared=True)
        draft = BenefitDraft(
            "North",
            "Fewer phone calls",
            "cashable",
            status="on track",
            owner="Head of contact",
            series=SeriesKey("North", "Contact centre", "contacts", "phone"),
            baseline=12000,
            target=9000,
            due=date(2027, 3, 31),
            value=8040,
        )
        benefit = add_benefit(store, "w", draft, actor="me")
        link_item(store, "w", benefit, private, actor="me")
        link_item(store, "w", benefit, shared, actor="me")
        add_benefit(store, "w", BenefitDraft("South", "Warmer homes", "social"), actor="me")

        everything = build_report_data(store, "w")
        lines = {b.title: b for b in everything.benefits}
        assert set(lines) == {"Fewer phone calls", "Warmer homes"}
        north = lines["Fewer phone calls"]
        assert (north.evidence, north.baseline, north.target) == (2, 12000, 9000)
        # "Head of contact" beside North's name is one person: the report gives the band.
        assert north.measure.startswith("contacts") and north.owner == "Senior leader"

        # A reader who sees only the shared items: the private link is not counted.
        readable = [i for i in store.workspace("w").items() if i.id in {shared, other}]
        seen = report_from(gather(store, "w", items=readable))
        assert {b.title: b.evidence for b in seen.benefits}["Fewer phone calls"] == 1

        # One organisation's report shows its own benefits only.
        own = report_from(gather(store, "w"), org="North")
        assert [b.title for b in own.benefits] in ([], ["Fewer phone calls"])

        path = tmp_path / "report.html"
        render_html(everything, path)
        html = path.read_text(encoding="utf-8")
        assert 'id="benefits"' in html and "Benefits being tracked" in html
        assert "Fewer phone calls" in html and "12,000" in html and "by 31 March 2027" in html
        # What the register's benefits are worth, cash kept apart from the rest.
        assert "£8,040" in html
        assert "Valued at £8,040 a year: £8,040 cashable (1 of 2 benefits have a value)." in html
