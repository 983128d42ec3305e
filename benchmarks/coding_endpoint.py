"""Coding quality through a model endpoint on human-coded UK manifestos, as for the built-in coder.

The same data, split, codebook and table as ``coding_manifesto.py``, so the
rows can be read beside the built-in coder's: point it at any
OpenAI-compatible endpoint (a llama.cpp server, vLLM, Ollama's /v1 API or an
approved service) and it codes the test manifestos through
:class:`upstream.coding.endpoint_coder.EndpointCoder`.

* Forced figures use the code the model gave (threshold 0); a sentence it gives
  no valid code counts as wrong (the label ``none``), as an abstention would.
* Coverage and accuracy are at the abstain threshold, on the calibrated confidence.
* ``--calibrate N`` first asks the model about N labelled training sentences
  and calibrates its confidence on them, as people's decisions calibrate it
  in use; without it the model's own confidence is used.
* ``--limit N`` scores a fixed random sample of N test sentences (seed 0),
  since a model endpoint is far slower than the built-in coder.

    .venv/bin/python benchmarks/coding_endpoint.py --endpoint http://127.0.0.1:8080/v1 \\
        --model qwen2.5-7b-instruct --limit 500 --calibrate 200

The API key, if any, is read from UPSTREAM_LLM_API_KEY. Rows are recorded in
docs/benchmarks.md unless --no-record is given.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import numpy as np
from _record import markdown_table, record
from coding_manifesto import (
    TEST,
    THRESHOLD,
    Corpus,
    expected_calibration_error,
    manifesto_codebook,
    scores,
    split,
)

from upstream.coding.endpoint_coder import EndpointCoder
from upstream.endpoint import ChatEndpoint

HEADERS = [
    "embedder",
    "setting",
    "code acc",
    "code macro-F1",
    "code κ",
    "domain acc",
    "domain macro-F1",
    "domain κ",
    f"coverage@{THRESHOLD}",
    f"acc@{THRESHOLD}",
    "mean conf",
    "ECE",
    "s",
]
KEYS = [
    "code_acc",
    "code_macro_f1",
    "code_kappa",
    "domain_acc",
    "domain_macro_f1",
    "domain_kappa",
    "coverage",
    "acc_kept",
    "mean_conf",
    "ece",
]


def sample(corpus: Corpus, limit: int | None, seed: int = 0) -> tuple[list[str], list[str]]:
    """The scored (coded) rows of ``corpus``: all, or a fixed random sample of ``limit``."""
    rows = [(t, c) for t, c in zip(corpus.texts, corpus.codes, strict=True) if c is not None]
    if limit is not None and limit < len(rows):
        rows = random.Random(seed).sample(rows, limit)
    return [t for t, _ in rows], [str(c) for _, c in rows]


def evaluate(coder: EndpointCoder, texts: list[str], truth: list[str]) -> dict[str, float]:
    """The table's figures for the endpoint's codes on ``texts``."""

    def progress(done: int, total: int) -> None:
        print(f"\r{done:,} of {total:,} sentences coded", end="", file=sys.stderr, flush=True)

    coder.set_params(threshold=0.0)
    results = coder.predict(texts, progress=progress)
    print(file=sys.stderr)
    predicted = [r.code or "none" for r in results]
    out = {f"code_{k}": v for k, v in scores(truth, predicted).items()}
    domains = [p[0] if p != "none" else "none" for p in predicted]
    out |= {f"domain_{k}": v for k, v in scores([t[0] for t in truth], domains).items()}
    confidence = np.array([r.confidence for r in results])
    correct = np.array(predicted) == np.array(truth)
    kept = confidence >= THRESHOLD
    out["coverage"] = float(kept.mean())
    out["acc_kept"] = float(correct[kept].mean()) if kept.any() else float("nan")
    out["mean_conf"] = float(confidence.mean())
    out["ece"] = expected_calibration_error(confidence, correct)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="API root, e.g. http://127.0.0.1:8080/v1")
    parser.add_argument("--model", default="default", help="Model name to ask for.")
    parser.add_argument("--limit", type=int, default=None, help="Score a sample of N sentences.")
    parser.add_argument(
        "--calibrate", type=int, default=0, help="Calibrate on N labelled training sentences."
    )
    parser.add_argument("--batch-size", type=int, default=8, help="Sentences per request.")
    parser.add_argument("--timeout", type=float, default=120.0, help="Seconds per request.")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()

    train, test = split()
    codebook = manifesto_codebook()
    endpoint = ChatEndpoint(args.endpoint, args.model, timeout=args.timeout)
    coder = EndpointCoder(codebook, endpoint, batch_size=args.batch_size)
    started = time.perf_counter()
    if args.calibrate:
        texts, labels = sample(train, args.calibrate, seed=1)
        coder.fit(texts, labels)
    else:
        coder.fit()
    texts, truth = sample(test, args.limit)
    result = evaluate(coder, texts, truth)
    result["seconds"] = time.perf_counter() - started
    model = ", ".join(sorted(coder.models_)) or args.model
    setting = (
        f"endpoint, calibrated on {coder.n_labelled_} labels"
        if coder.calibrated_
        else "endpoint, stated confidence"
    )
    table = [[f"endpoint: {model}", setting] + [f"{result[k]:.3f}" for k in KEYS]]
    table[0].append(f"{result['seconds']:.0f}")
    failures = sorted(set(coder.failures_))
    body = (
        f"Test: {', '.join(TEST)}, {len(texts):,} coded sentences"
        + (" (a fixed random sample)" if args.limit else "")
        + f"; the same codebook and table as `coding_manifesto.py`. Endpoint model {model}, "
        f"{args.batch_size} sentences per request; no document context. A sentence the model "
        "gives no valid code counts as wrong.\n\n"
        + markdown_table(HEADERS, table)
        + (f"\n\nFailures: {len(failures)} kinds, e.g. {failures[0]}" if failures else "")
    )
    print(body)
    if not args.no_record:
        record(f"Coding through a model endpoint (`coding_endpoint.py`, {model})", body)


if __name__ == "__main__":
    main()
