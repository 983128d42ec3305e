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
    assert against > for_ >= 5
    sides = {s.side: s for s in summary.sides}
    assert "Scrap" in sides["against"].quote.text or "LTN" in sides["against"].quote.text
    assert summary.sentence.startswith(f"Most ({against} of {len(members)}) were against")
    assert f"a minority ({for_}) were for" in summary.sentence
    # Check the split item by item against what the replies plainly say.
    scores = {i: s for i, s in zip(members, _scores(reply_texts, members), strict=True)}
    for i in members:
        text = reply_texts[i]
        if text.startswith(("Keep the", "The LTN has been brilliant", "LTNs everywhere")):
            assert scores[i] > 0, text
        if text.startswith(("Scrap the", "Get rid of", "Remove the planters", "dont agree")):
            assert scores[i] < 0, text


def _scores(texts, members):
    from upstream.signals import sentiment_scores

    return sentiment_scores([texts[i] for i in members])


def test_the_ltn_theme_reports_most_and_minority(reply_texts, reply_vectors):
    discovery = ThemeDiscovery().fit(reply_texts, vectors=reply_vectors)
    scrap = next(
        i for i, t in enumerate(reply_texts) if t.startswith("Scrap the Farrant Park LTN.")
    )
    theme = discovery.themes_[int(discovery.labels_[scrap])]
    assert theme.stance is not None and theme.stance.contested
    assert "Most (" in theme.stance.sentence and "a minority (" in theme.stance.sentence
