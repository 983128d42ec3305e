"""The ``--endpoint`` options shared by ``upstream code`` and ``upstream themes``."""

from __future__ import annotations

from upstream.cli.common import console, settings
from upstream.endpoint import ChatEndpoint

__all__ = ["ENDPOINT_HELP", "MODEL_HELP", "open_endpoint"]

ENDPOINT_HELP = (
    "Optional OpenAI-compatible model endpoint, such as http://127.0.0.1:8080/v1 "
    "($UPSTREAM_ENDPOINT). Off unless given: the items' redacted text is sent to it. "
    "The API key is read from $UPSTREAM_LLM_API_KEY."
)
MODEL_HELP = "Model name to ask the endpoint for ($UPSTREAM_ENDPOINT_MODEL; default: default)."


def open_endpoint(url: str | None, model: str | None, *, purpose: str) -> ChatEndpoint | None:
    """The model endpoint named on the command line or in the settings, if any.

    Says plainly that text will be sent, and where, before anything is sent.

    Args:
        url: ``--endpoint``, or None to use the setting.
        model: ``--endpoint-model``, or None to use the setting.
        purpose: What the endpoint is used for, for the notice ("code the items").

    Returns:
        The endpoint, or None when none is named (nothing is sent anywhere).
    """
    chosen = settings().with_options(endpoint=url, endpoint_model=model)
    if not chosen.endpoint:
        return None
    endpoint = ChatEndpoint(
        chosen.endpoint, chosen.endpoint_model, timeout=float(chosen.endpoint_timeout)
    )
    console.print(
        f"Using the model endpoint at {endpoint.url} (model {endpoint.model}) to {purpose}: "
        "the redacted text of the items is sent to it.",
        markup=False,
    )
    return endpoint
