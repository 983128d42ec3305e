"""Does a threshold chosen for a precision target keep its promise on unseen manifestos?

Same split as ``coding_manifesto.py`` (train on eight manifestos, test on the
Conservative and UKIP 2015 manifestos). The supervised coder is trained as
``upstream code --train`` trains it (no document context), its threshold chosen
by :func:`upstream.workflows.certainty.choose_for` from cross-validation on the
training labels, and the test manifestos are then coded with ``predict`` as the
command line writes them. A code is right when it is the human code, or the
human code's domain (a back-off to the broader code). The codebook-only coder
is scored the same way at its default threshold.

    PYTHONPATH=src python benchmarks/coding_precision.py [--embedder default] [--record]
"""

from __future__ import annotations

import argparse
import sys
import time

from _record import markdown_table, record
from coding_manifesto import TEST, Corpus, cached, manifesto_codebook, split

from upstream.coding.coder import FrameworkCoder
from upstream.coding.results import CodingResult
from upstream.workflows.certainty import choose_for


def score(results: list[CodingResult], test: Corpus) -> tuple[float, float, int]:
    """Coverage and precision over the human-coded rows, and how many were coded."""
    scored = [(r, c) for r, c in zip(results, test.codes, strict=True) if c is not None]
    coded = [(r, c) for r, c in scored if not r.uncoded]
    right = sum(1 for r, c in coded if r.code in {c, c[0]})
    return len(coded) / len(scored), right / max(1, len(coded)), len(coded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="default")
    parser.add_argument("--target", type=float, default=0.75)
    parser.add_argument("--zero-shot-target", type=float, default=0.6)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    train, test = split()
    codebook = manifesto_codebook()
    embedder = cached(args.embedder, train.texts + test.texts)
    rows: list[list[str]] = []

    def line(setting: str, threshold: float, expected: str, results: list[CodingResult]) -> None:
        coverage, precision, n = score(results, test)
        rows.append(
            [setting, f"{threshold:.3f}", expected, f"{coverage:.3f}", f"{precision:.3f}", f"{n:,}"]
        )
        print(rows[-1], file=sys.stderr)

    started = time.perf_counter()
    coder = FrameworkCoder(codebook, embedder=embedder, context=False)
    coder.fit(train.texts, train.codes)
    default = float(coder.threshold)
    line("supervised, default threshold", default, "—", coder.predict(test.texts))
    for target in (args.target, 0.65, 0.85):
        choice = choose_for(coder, target=target)
        coder.set_params(threshold=choice.threshold)
        expected = f"{choice.expected_precision:.3f}" if choice.expected_precision else "—"
        line(
            f"supervised, target {target:.2f} ({choice.basis}, {choice.support:,} labels)",
            choice.threshold,
            expected,
            coder.predict(test.texts),
        )
    zero = FrameworkCoder(codebook, embedder=embedder, context=False)
    zero.fit(train.texts + test.texts)
    choice = choose_for(zero, target=args.zero_shot_target)
    expected = (
        f"{choice.expected_precision:.3f} ({choice.basis})" if choice.expected_precision else "—"
    )
    line("zero-shot, default threshold", choice.threshold, expected, zero.predict(test.texts))
    seconds = time.perf_counter() - started
    table = markdown_table(
        ["setting", "threshold", "expected precision", "coverage", "precision", "coded"], rows
    )
    print(table)
    print(f"{seconds:.0f} s", file=sys.stderr)
    if args.record:
        record(
            "Precision-targeted thresholds on unseen manifestos (`coding_precision.py`)",
            f"Train: {len(train.texts):,} rows of 8 manifestos; test: {', '.join(TEST)} "
            f"({sum(c is not None for c in test.codes):,} human-coded rows scored); "
            f"`{args.embedder}` text model, no document context, coded with `predict` as "
            "`upstream code` writes its output. Expected precision is what the threshold "
            "choice promised from cross-validation on the training labels; coverage and "
            "precision are measured on the test manifestos (a code is right when it is the "
            f"human code or its domain). {seconds:.0f} s.\n\n{table}\n",
        )


if __name__ == "__main__":
    main()
