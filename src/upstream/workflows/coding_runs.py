"""Storing a coding run: the run's record, each machine coding, and what it explains.

Every way of coding (a file, stored items, a whole workspace, partitions on
Dask) ends here, so a run records the same parameters, versions and
explanations whichever entry point started it. An abstained item keeps its
most likely code as a tentative suggestion, so the review queue can offer it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from importlib.metadata import version
from typing import Any

import numpy as np

from upstream import __version__
from upstream.coding.active import review_order
from upstream.coding.endpoint_coder import EndpointCoder
from upstream.coding.results import CodingResult
from upstream.frameworks.model import Codebook
from upstream.store.coding_repository import CodingStore, MachineCoding
from upstream.workflows.endpoint_coding import (
    Coder,
    coder_model,
    coder_name,
    endpoint_parameters,
)
from upstream.workflows.explanations import stored_neighbour

__all__ = ["store_coding_run"]


def store_coding_run(
    coding: CodingStore,
    coder: Coder,
    item_ids: Sequence[int],
    texts: Sequence[str],
    results: Sequence[CodingResult],
    *,
    actor: str,
    extra: dict[str, Any],
    in_context: bool = False,
    no_suggestion: Collection[int] = (),
) -> int:
    """Store a coding run: its parameters and versions, every machine coding, its summary.

    Args:
        coding: The workspace's coding store.
        coder: The fitted coder that produced ``results``.
        item_ids: The stored item of each result.
        texts: The text of each result (an abstained item's suggestion is worked out from it).
        results: What the coder said about each item.
        actor: Who started the run.
        extra: Further parameters to record (threshold, its basis, the input file).
        in_context: Whether the items were coded in document context (then an
            abstained item's suggestion is worked out again out of context).
        no_suggestion: Positions of items to store no best guess for (spam).

    Returns:
        The new run's id.
    """
    codebook = coder.codebook
    codebook_id = coding.save_codebook(codebook)
    hidden = {"codebook", "embedder", "endpoint"}
    params = {k: v for k, v in coder.get_params().items() if k not in hidden}
    params |= endpoint_parameters(coder)
    run_id = coding.start_run(
        "coding",
        parameters={
            **params,
            **extra,
            "codebook": codebook.id,
            "codebook_version": codebook.version,
            "mode": coder.mode_,
            "labelled_examples": coder.n_labelled_,
            # Items people found no code fits, which items like them lean from.
            "no_code_examples": getattr(coder, "n_no_code_", 0),
        },
        versions=_versions(coder),
        seed=coder.seed,
        actor=actor,
    )
    codings = list(_machine_codings(coder, item_ids, texts, results, in_context, no_suggestion))
    coding.add_machine_codings(run_id, codebook_id, codings, coder=coder_name(coder))
    coded = sum(1 for r in results if not r.uncoded)
    summary: dict[str, Any] = {
        "items": len(results),
        "coded": coded,
        "uncoded": len(results) - coded,
        # Spam and abuse get no best guess either, so the review queue never offers them.
        "no_suggestion": sum(1 for n in set(no_suggestion) if results[n].uncoded),
    }
    if isinstance(coder, EndpointCoder) and coder.failures_:
        summary["endpoint_failures"] = list(dict.fromkeys(coder.failures_))
    coding.finish_run(run_id, summary=summary)
    return run_id


def _machine_codings(
    coder: Coder,
    item_ids: Sequence[int],
    texts: Sequence[str],
    results: Sequence[CodingResult],
    in_context: bool,
    no_suggestion: Collection[int] = (),
) -> list[MachineCoding]:
    order = review_order(list(results))
    priority = np.empty(len(order))
    priority[order] = np.linspace(1.0, 0.0, num=len(order)) if order else []
    skip = set(no_suggestion)
    abstained = [n for n, r in enumerate(results) if r.uncoded and texts[n] and n not in skip]
    # The suggestion for an abstained item is its most probable code out of context;
    # coded out of context, the result already holds it, with no second embedding pass.
    tentative: dict[int, tuple[str, float]] = {
        n: suggested
        for n in abstained
        if not in_context and (suggested := results[n].best) is not None
    }
    abstained = [n for n in abstained if n not in tentative]
    if abstained:
        probabilities = coder.predict_proba([texts[n] for n in abstained])
        codes = coder.output_codes()
        for n, row in zip(abstained, probabilities, strict=True):
            best = int(np.argmax(row))
            if row[best] <= 0:
                continue  # no usable answer at all (a model endpoint's invalid code)
            tentative[n] = (codes[best], float(row[best]))
    codings: list[MachineCoding] = []
    for n, (item_id, result) in enumerate(zip(item_ids, results, strict=True)):
        note = {"priority": round(float(priority[n]), 6), "margin": round(result.margin, 6)}
        if result.uncoded:
            if n in tentative:
                code, confidence = tentative[n]
                codings.append(MachineCoding(item_id, code, confidence, True, note))
            continue
        explained = {
            **note,
            "path": list(result.path),
            "terms": [[term, round(weight, 4)] for term, weight in result.explanation.terms],
            # Ids only: the examples may be any organisation's items, so their words
            # are looked up through the viewer's scope when shown (workflows.explanations).
            "neighbours": [
                stored_neighbour(nb.id, nb.text, nb.similarity, nb.code)
                for nb in result.explanation.neighbours
            ],
        }
        if result.explanation.quote:
            explained["quote"] = result.explanation.quote
        if result.explanation.prompt:
            explained["prompt"] = result.explanation.prompt
        for code, confidence in _most_specific(coder.codebook, result.codes):
            codings.append(MachineCoding(item_id, code, confidence, False, explained))
    return codings


def _most_specific(
    codebook: Codebook, codes: Sequence[tuple[str, float]]
) -> list[tuple[str, float]]:
    """Drop codes implied by a more specific code in the same result (ancestors roll up)."""
    present = {code for code, _ in codes}
    implied = {a.id for code in present for a in codebook.ancestors(code)}
    return [(code, confidence) for code, confidence in codes if code not in implied]


def _versions(coder: Coder) -> dict[str, str]:
    if isinstance(coder, EndpointCoder):
        return {"upstream": __version__, "model": coder_model(coder)}
    return {
        "upstream": __version__,
        "embedder": coder.embedder_.model_id,
        "scikit-learn": version("scikit-learn"),
        "numpy": version("numpy"),
    }
