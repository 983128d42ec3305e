"""Civil Service People Survey 2009-2020: import time, panel size and published-median match.

Usage: .venv/bin/python benchmarks/survey_csps.py [--data ../shared/data/csps] [--repeat 3]
Reads every year with the library, stores the panel in a fresh SQLite file, computes
benchmarks and compares them with the published 2009-2020 median series. Prints a
table and appends it to docs/benchmarks.md. Source: Cabinet Office, Civil Service
People Survey, Open Government Licence v3.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _record import markdown_table, record

from upstream.store import Store
from upstream.survey.benchmarks import benchmarks
from upstream.survey.published import choose_files, import_published
from upstream.survey.reference import (
    CSPS_KNOWN_DIFFERENCES,
    compare_with_published,
    match_rates,
    read_published_benchmarks,
)
from upstream.workflows.survey.storage import save_panel

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "csps"
SERIES = "2020/Civil_Service_People_Survey_2009_to_2020_Median_Benchmark_Scores.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"The CSPS folder {args.data} is missing.", file=sys.stderr)
        return 1
    files = choose_files([args.data])
    read_times, store_times = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        panel = import_published([args.data])
        read_times.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
            start = time.perf_counter()
            save_panel(store, panel)
            store_times.append(time.perf_counter() - start)
    computed = benchmarks(panel)
    comparison = compare_with_published(
        computed, read_published_benchmarks(args.data / SERIES), known=CSPS_KNOWN_DIFFERENCES
    )
    rates = match_rates(comparison)
    read_s, store_s = statistics.median(read_times), statistics.median(store_times)
    headers = ["measure", "value"]
    rows = [
        [
            "years (files)",
            f"{len(panel.years)} ({panel.years[0]}-{panel.years[-1]}, {len(files)} files)",
        ],
        ["read + harmonise (median of runs)", f"{read_s:.1f} s"],
        ["store in SQLite (median of runs)", f"{store_s:.1f} s"],
        ["scores (rows)", f"{len(panel.scores):,}"],
        ["organisations (canonical)", str(len(panel.organisations))],
        ["raw names mapped", f"{len(panel.mapping):,}"],
        ["measures (stable ids)", str(len(panel.measure_ids))],
        ["published medians", str(rates["published"])],
        ["computable from organisation tables", str(rates["computable"])],
        [
            "match to published rounding",
            f"{rates['matched']} ({rates['match_rate_computable']:.1%} of computable, "
            f"{rates['match_rate_all']:.1%} of all)",
        ],
        [
            "differences with a known cause",
            str(rates["explained"] - (rates["published"] - rates["computable"])),
        ],
        ["not in organisation tables (explained)", str(rates["published"] - rates["computable"])],
        ["unexplained", str(rates["unexplained"])],
    ]
    table = markdown_table(headers, rows)
    by_year = markdown_table(
        ["year", "published", "computable", "matched", "match rate"],
        [
            [
                str(year),
                str(rate["published"]),
                str(rate["computable"]),
                str(rate["matched"]),
                f"{rate['match_rate_computable']:.1%}",
            ]
            for year, rate in (
                (int(year), match_rates(group)) for year, group in comparison.groupby("year")
            )
        ],
    )
    print(table)
    print(by_year)
    record(
        "CSPS survey import 2009-2020",
        f"{args.repeat} runs; `benchmarks/survey_csps.py`. Every year with both organisation "
        "tables and a published median is computed; the published median series and the "
        "files beside it end in 2020, so later years have nothing to reproduce here.\n\n"
        f"{table}\n\nPublished medians reproduced, by year:\n\n{by_year}",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
