"""Stance inside a theme: the contested low-traffic neighbourhood in the demo replies."""

from __future__ import annotations

import re

from upstream.themes import ThemeDiscovery, summarise_stance

LTN = re.compile(r"\bLTNs?\b|low traffic|road blocks|war on motorists|planters on Farrant", re.I)


def test_for_and_against_the_ltn_are_not_lumped_together(reply_texts, reply_vectors):
    members = [i for i, text in enumerate(reply_texts) if LTN.search(text)]
    assert len(members) >= 15
    summary = summarise_stance(reply_texts, members, vectors=reply_vectors)
    assert summary.contested
    against, for_ = summary.count("against"), summary.count("for")
    # Four replies are plainly pleased with it ("brilliant", "so much nicer", "changed my
    # mind", "safer streets"); "Keep the LTN!" asks, with no tone of its own.
    assert against > for_ >= 4
    sides = {s.side: s for s in summary.sides}
    assert "Scrap" in sides["against"].quote.text or "LTN" in sides["against"].quote.text
    # Without a theme name the split is one of tone, and says so.
    assert summary.sentence.startswith(f"Most ({against} of {len(members)}) were negative in tone")
    assert f"a minority ({for_}) were positive in tone" in summary.sentence
    named = summarise_stance(reply_texts, members, vectors=reply_vectors, topic="The LTN")
    assert named.sentence.startswith(
        f"On the LTN: most ({against} of {len(members)}) were negative in tone"
    )
    # Check the split item by item against the tone the replies plainly take. A bare
    # request ("Keep the LTN!") asks and carries no tone of its own; a demand to be
    # rid of something reads as negative.
    scores = {i: s for i, s in zip(members, _scores(reply_texts, members), strict=True)}
    for i in members:
        text = reply_texts[i]
        if text.startswith(("The LTN has been brilliant", "Honestly the LTN has made")):
            assert scores[i] > 0, text
        if text == "Keep the LTN!":
            assert scores[i] == 0, text
        if text.startswith(("Scrap the", "Get rid of", "Remove the planters", "dont agree")):
            assert scores[i] < 0, text


def _scores(texts, members):
    from upstream.signals import sentiment_scores

    return sentiment_scores([texts[i] for i in members])


def test_the_ltn_theme_reports_most_and_minority(reply_texts, reply_vectors):
    # Ten clusters keep the campaign replies in the LTN theme, so it has a majority. Items
    # are left in their clusters (no matching to names): the wording is what is tested.
    discovery = ThemeDiscovery(n_themes=10, match_names=False).fit(
        reply_texts, vectors=reply_vectors
    )
    scrap = next(
        i for i, t in enumerate(reply_texts) if t.startswith("Scrap the Farrant Park LTN.")
    )
    theme = discovery.themes_[int(discovery.labels_[scrap])]
    assert theme.stance is not None and theme.stance.contested
    assert "most (" in theme.stance.sentence and "a minority (" in theme.stance.sentence
    # The sentence says what the split is about: the theme's name, and not a demand
    # ("Scrap the Farrant Park LTN") that takes one side of the split.
    assert not theme.label.lower().startswith("scrap")
    label = theme.label
    subject = label if label[1:] != label[1:].lower() else label[:1].lower() + label[1:]
    assert theme.stance.sentence.startswith(f"On {subject}: "), (label, theme.stance.sentence)
    assert " it " not in theme.stance.sentence.split('"')[0]


def test_stance_sentences_say_what_the_split_is_about():
    from upstream.themes.stance import describe_stance

    def stance_sentence(sides: dict[str, int], total: int, topic: str = "") -> str:
        return describe_stance(sides, total, topic=topic)

    assert stance_sentence({"against": 14, "for": 9, "neutral": 18}, 41, "Youth clubs") == (
        "On youth clubs: the largest group (14 of 41) were negative in tone; "
        "a minority (9) were positive in tone; 18 were neutral in tone."
    )
    assert stance_sentence({"for": 1, "against": 1}, 2, "Copper Row") == (
        "On Copper Row, tone was split: 1 of 2 was negative in tone; 1 of 2 was positive in tone."
    )
    assert stance_sentence({"for": 5, "against": 2}, 7, "LTN").startswith("On LTN: most (5 of 7)")
    # No name, or only a number: the split is one of tone, and says so.
    for topic in ("", "Theme 4"):
        assert stance_sentence({"for": 5, "against": 2}, 7, topic) == (
            "Most (5 of 7) were positive in tone; a minority (2) were negative in tone."
        )
    # Never "for it" without an "it", and never "for" at all: the score measures tone.
    for topic in ("", "Buses"):
        said = stance_sentence({"for": 3, "against": 3, "neutral": 1}, 7, topic)
        assert " it " not in said and " for " not in said and "against" not in said


def test_everyone_on_one_side_is_all_of_them() -> None:
    from upstream.themes.stance import describe_stance

    assert describe_stance({"for": 5}, 5, topic="Fines") == "On fines: all 5 were positive in tone."


def test_a_split_theme_s_quotes_hear_both_sides() -> None:
    from upstream.records.themes import Quote, StanceSide, StanceSummary
    from upstream.themes.describe import _both_tones

    texts = ["Scrap it", "Scrap it now", "Awful scheme", "Bad idea", "Brilliant, keep it", "Ok"]
    scores = [-0.5, -0.5, -0.6, -0.4, 0.7, 0.0]
    quotes = tuple(Quote(i, texts[i], 0.9) for i in range(4))  # all against
    split = StanceSummary(
        (
            StanceSide("against", 4, Quote(0, texts[0], 0.9)),
            StanceSide("for", 1, Quote(4, texts[4], 0.8)),
            StanceSide("neutral", 1, Quote(5, texts[5], 0.8)),
        ),
        "",
        contested=True,
    )
    heard = _both_tones(quotes, split, scores)
    assert len(heard) == 4 and heard[0] == quotes[0]
    assert [q.text for q in heard][-1] == "Brilliant, keep it"
    # A theme whose tone is not split keeps its most typical quotes.
    calm = StanceSummary(split.sides, "", contested=False)
    assert _both_tones(quotes, calm, scores) == quotes
