"""The public story form in a resident's words: a question for each framework element.

A framework's element names ("Infrastructure", "External actors") are the
analyst's words. The convener sets a question per element for each collection;
until they do, these defaults ask the same thing plainly.
"""

from __future__ import annotations

from upstream.store.collection_repository import CollectionSpec

__all__ = ["DEFAULT_QUESTIONS", "DEFAULT_RETENTION", "element_question", "host_name"]

DEFAULT_RETENTION = "two years after the collection closes"

DEFAULT_QUESTIONS: dict[str, dict[str, str]] = {
    "nom": {
        "context": "Is it about pressures on your area, such as money, rising need or a crisis?",
        "purpose": "Is it about what the council or its partners are trying to achieve?",
        "mindset": "Is it about how people think and behave: openness, trust, working together?",
        "capabilities": "Is it about skills, or people learning to do things differently?",
        "infrastructure": "Is it about buildings, money, computer systems or rules?",
        "external_actors": "Is it about other organisations: the NHS, police, charities or "
        "businesses?",
        "outcomes": "Is it about what changed for people as a result?",
        "mainstreaming": "Is it about making a new way of working last or spread?",
    },
    "dbe": {
        "driver": "Is it about something that pushed for change?",
        "barrier": "Is it about something that got in the way?",
        "enabler": "Is it about something that helped change happen?",
    },
    "aftershock": {
        "leave_behind": "Is it about something we should stop doing?",
        "keep": "Is it about something we should keep doing?",
        "do_differently": "Is it about something we should do differently?",
    },
}


def element_question(spec: CollectionSpec, element: str, title: str) -> str:
    """The question the public form asks for one element.

    Args:
        spec: The collection's set-up (the convener's own wording wins).
        element: The element's id.
        title: The element's title, used when there is no better wording.

    Returns:
        The convener's question, the default for the framework, or the title.
    """
    own = dict(spec.element_questions).get(element, "").strip()
    return own or DEFAULT_QUESTIONS.get(spec.framework, {}).get(element, title)


def host_name(spec: CollectionSpec, workspace: str) -> str:
    """Who runs the collection, as the public form names them."""
    return spec.host.strip() or spec.organisation or workspace
