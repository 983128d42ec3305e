"""One quote record and one rule for cutting excerpts."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import upstream.policy
from upstream.policy import MAX_QUOTE, Quote, excerpt


def test_short_text_is_tidied_not_cut() -> None:
    assert excerpt("  Too   many\n spaces ") == "Too many spaces"


def test_long_text_is_cut_at_a_sentence_end_when_one_is_late_enough() -> None:
    text = "First sentence is here. " + "word " * 100
    cut = excerpt("A" * 10 + ". " + "x" * 200 + ". " + "tail " * 40, limit=250)
    assert cut.endswith(". …") and len(cut) <= 250
    assert excerpt(text, limit=60).endswith("…") and len(excerpt(text, limit=60)) <= 60
    assert len(excerpt("word " * 200)) <= MAX_QUOTE


def test_long_text_without_sentences_is_cut_at_a_word() -> None:
    cut = excerpt("alpha beta, gamma delta " * 20, limit=30)
    assert cut == "alpha beta, gamma delta…"  # never half a word


def test_quote_attribution() -> None:
    quote = Quote("Text", organisation="Mardenholt", role="Chief Executive", when=date(2025, 1, 2))
    assert quote.attribution == "Chief Executive, Mardenholt"
    assert Quote("Text").attribution == "Unattributed"
    assert Quote("Text", item_id=3).item_id == 3


def test_policy_imports_only_the_standard_library() -> None:
    folder = Path(upstream.policy.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top in {"__future__", *__import__("sys").stdlib_module_names} or (
                    name.startswith("upstream.policy")
                ), f"{path.name} imports {name}"


def test_every_quote_masks_swearing_and_keeps_the_view() -> None:
    from upstream.policy.quotes import swear_words

    assert excerpt("The roads round here are shit, fix the potholes") == (
        "The roads round here are s***, fix the potholes"
    )
    assert (
        excerpt("Parking is a f***ing joke. What the fuck.")
        == "Parking is a f***ing joke. What the f***."
    )
    # Words that merely contain the letters are left alone.
    assert excerpt("Shiitake at the market, and a prickly hedge in Scunthorpe") == (
        "Shiitake at the market, and a prickly hedge in Scunthorpe"
    )
    assert swear_words("Sh*t service") == ["Sh*t"] and swear_words("Fine service") == []


def test_a_clean_reply_is_fitter_to_quote_than_one_that_swears_or_insults() -> None:
    from upstream.policy.quotes import quote_rank

    assert quote_rank("The hub opened on Saturdays and queues fell") == 0
    assert quote_rank("The roads are shit") == 1
    assert quote_rank("Whoever runs this account is a muppet") == 2
    assert quote_rank("A prickly hedge blocks the pavement") == 0


def test_a_few_words_shouted_say_little_and_a_reworded_quote_is_a_repeat() -> None:
    from upstream.policy.quotes import repeats, says_little, words_of

    assert says_little("FREE PARKING FREE PARKING FREE PARKING")
    assert says_little("buses") and says_little("Keep the LTN!")
    assert not says_little("Reduce parking charges so people come back into town")
    assert repeats(words_of("Reduce parking charges"), words_of("Reduce parking charges please"))
    assert not repeats(words_of("Reduce parking charges"), words_of("More buses in the evening"))
    assert not repeats(frozenset(), words_of("anything"))


def test_redacted_contact_details_make_a_poor_quote() -> None:
    from upstream.policy.quotes import shows_contact_details

    assert shows_contact_details("For bulky items email [EMAIL] or ring [PHONE]")
    assert shows_contact_details("Flooding outside [ADDRESS] again")
    # A redacted name is a person, not a way to reach them: the view still stands.
    assert not shows_contact_details("[NAME] said the huddle helps")
    assert not shows_contact_details("Bins are collected late")
