"""The parts of a coding run that differ when a model endpoint codes instead of the built-in coder.

:mod:`upstream.workflows.coding` is the one path for every coding run; these
helpers choose the coder, report progress through a slow endpoint, and say
what a run records about the endpoint (its address and model, never its key).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from upstream import __version__
from upstream.coding.coder import FrameworkCoder, make_coder
from upstream.coding.endpoint_coder import EndpointCoder
from upstream.coding.results import CodingResult
from upstream.embed.base import Embedder
from upstream.frameworks.model import Codebook
from upstream.records.chat import ChatClient

__all__ = [
    "Coder",
    "choose_coder",
    "coder_model",
    "coder_name",
    "endpoint_failures",
    "endpoint_parameters",
    "predict_through_endpoint",
]

Coder = FrameworkCoder | EndpointCoder
Stage = Callable[[str], None]


def choose_coder(
    codebook: Codebook,
    embedder: str | Embedder,
    threshold: float | None,
    context: bool,
    endpoint: ChatClient | None,
) -> Coder:
    """The built-in coder, or the endpoint coder when a model endpoint was named."""
    if endpoint is None:
        return make_coder(codebook, embedder=embedder, threshold=threshold, context=context)
    coder = EndpointCoder(codebook, endpoint)
    if threshold is not None:
        coder.set_params(threshold=threshold)
    return coder


def endpoint_failures(coder: Coder) -> list[str]:
    """Why some items were left uncoded by a model endpoint (empty for the built-in coder)."""
    return list(dict.fromkeys(coder.failures_)) if isinstance(coder, EndpointCoder) else []


def predict_through_endpoint(
    coder: EndpointCoder, texts: list[str], stage: Stage
) -> list[CodingResult]:
    """Code through the model endpoint, saying how far it has got about every tenth of the way."""
    stage(f"Coding {len(texts):,} items through the model endpoint at {coder.endpoint.url}")
    told = [0.0]

    def progress(done: int, total: int) -> None:
        if done == total or done / total - told[0] >= 0.1:
            told[0] = done / total
            stage(f"Coded {done:,} of {total:,} distinct items through the model endpoint")

    return coder.predict(texts, progress=progress)


def coder_model(coder: Coder) -> str:
    """The model that coded: the endpoint's model, or the built-in coder's text model."""
    if isinstance(coder, EndpointCoder):
        return ", ".join(sorted(coder.models_) or [coder.endpoint.model])
    return str(coder.embedder_.model_id)


def coder_name(coder: Coder) -> str:
    """Who made a run's suggestions, as each stored suggestion records it."""
    if isinstance(coder, EndpointCoder):
        return f"{coder_model(coder)} (model endpoint)"[:200]
    return f"upstream {__version__}"


def endpoint_parameters(coder: Coder) -> dict[str, Any]:
    """What a run records about a model endpoint: its address and model, never its key."""
    if not isinstance(coder, EndpointCoder):
        return {}
    return {
        "endpoint": coder.endpoint.url,
        "endpoint_model": coder.endpoint.model,
        "calibrated_on_decisions": coder.calibrated_,
        "agreement_with_decisions": coder.agreement_,
    }
