"""Sentiment, flags, frequencies and word clouds on the demo's replies."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from upstream.demo import data_dir
from upstream.signals import (
    flag_items,
    phrase_frequencies,
    safe_cell,
    sentiment,
    word_cloud,
    word_frequencies,
)


@pytest.fixture(scope="module")
def replies() -> list[dict[str, str]]:
    with (Path(data_dir()) / "consultation_replies.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # A request carries no tone of its own; a demand to be rid of something is negative.
        ("Keep the LTN!", "neutral"),
        ("Please reopen the toilets in the park", "neutral"),
        ("fly tipping everywhere. disgusting", "negative"),
        ("Superb new playground", "positive"),
        ("Scrap the LTN and fix the roads with the money instead", "negative"),
        ("The staff were kind and really helpful", "positive"),
        ("dont agree with the LTN, it pushes traffic onto the main road", "negative"),
        ("I was against it at first but I've changed my mind, it's been brilliant", "positive"),
        ("The systems don't connect. Ridiculous.", "negative"),
        ("Not good enough", "negative"),
        ("Bins on Tuesdays", "neutral"),
        # What a wish asks for is not how the writer feels.
        ("Cleaner streets", "neutral"),
        ("better bus service!!", "neutral"),
        ("Make the tip easier to use", "neutral"),
        ("Better than it was, the new crossing is great", "positive"),
        ("The LTN has been brilliant for us, please keep it", "positive"),
        # "like" compares as often as it likes.
        ("Fix the potholes. The road is like driving on the moon.", "neutral"),
        ("We like the new market", "positive"),
        ("", "neutral"),
    ],
)
def test_sentiment(text, label):
    scored = sentiment(text)
    assert scored.label == label
    assert -1.0 <= scored.score <= 1.0


def test_flags_separate_spam_abuse_and_off_topic(replies):
    texts = [r["text"] for r in replies]
    flags = flag_items(texts)
    by_text = dict(zip(texts, flags, strict=True))
    spam = [t for t, f in by_text.items() if f.spam]
    abuse = [t for t, f in by_text.items() if f.abuse]
    off = [t for t, f in by_text.items() if f.off_topic]
    assert len(spam) >= 5 and all(
        "£" in t or "07700" in t or "follow" in t.lower() or "quotes" in t.lower() for t in spam
    )
    assert any("clowns" in t for t in abuse) and any("Parasites" in t for t in abuse)
    assert "first" in off and any(t.startswith("LOST CAT") for t in off)
    campaign = [t for t, f in by_text.items() if f.campaign]
    assert len(campaign) >= 3 and all("#NoToFarrantLTN" in t for t in campaign)
    kept = [t for t, f in by_text.items() if not f.excluded]
    assert 0.85 * len(texts) <= len(kept) < len(texts)
    # Ordinary complaints are signal, not abuse.
    assert not by_text["Fix the potholes. Abbotsmead Road is like driving on the moon."].excluded
    assert all(f.reasons for f in flags if f.excluded)


def test_word_and_phrase_frequencies(replies):
    texts = [r["text"] for r in replies]
    words = dict(word_frequencies(texts, top=40))
    assert "ltn" in words and "the" not in words and "council" not in words
    assert words["ltn"] == sum(1 for t in texts if re.search(r"\bltn\b", t.lower()))
    phrases = dict(phrase_frequencies(texts, top=30))
    assert phrases.get("fly tipping", 0) >= 3
    assert word_frequencies(["the and of"]) == [] and word_frequencies([]) == []


def test_word_cloud_png(replies, tmp_path):
    path = word_cloud(
        word_frequencies([r["text"] for r in replies]),
        tmp_path / "c" / "cloud.png",
        width=400,
        height=200,
    )
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="no words"):
        word_cloud({}, tmp_path / "empty.png")


def test_safe_cells():
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)" and safe_cell("@x") == "'@x"
    assert safe_cell("+44 7700") == "'+44 7700" and safe_cell("-x") == "'-x"
    assert safe_cell(-1) == "-1" and safe_cell("-1") == "-1" and safe_cell(0.5) == "0.5"
    assert safe_cell(None) == "" and safe_cell(True) == "yes"


@pytest.mark.parametrize(
    "text",
    [
        "test",
        "Testing",
        "@Karen Whitby look at this",
        "@sam @jo this!",
        "Selling a kids bike, good condition, £40, collection from Oakridge",
        "Double buggy for sale, £25 ono",
        "can someone recommend a good dog groomer in the area",
        "Wrong group sorry",
        "Lovely photo on the post, where was it taken?",
    ],
)
def test_tests_tags_and_adverts_are_off_topic(text):
    (flags,) = flag_items([text])
    assert flags.excluded and flags.reasons


@pytest.mark.parametrize(
    "text",
    [
        "@Cllr Patel please fix the streetlights on Mill Lane, it has been dark for weeks",
        "Stop selling off the playing fields",
        "Stop selling our parks to developers",
        "The council is selling a car park that shoppers need",
        "The test centre parking is a nightmare",
        "The new one-way system sends lorries the wrong way past the school",
        "Can the council recommend a route for cyclists that avoids the ring road?",
    ],
)
def test_answers_that_mention_tags_selling_or_tests_are_kept(text):
    (flags,) = flag_items([text])
    assert not flags.excluded


def test_money_by_the_day_is_spam_only_as_a_promise_of_earnings():
    costs, parking, paid, promise, earn = flag_items(
        [
            "I work in town on minimum wage and it costs me over £25 a week to park",
            "Station car park is £9 a day, so people park on the residential streets instead.",
            "I've paid £9 a day to park at the station for years",
            "Make £400 a day from your phone",
            "Earn £5,000 a week with this one trick",
        ]
    )
    assert not (costs.excluded or parking.excluded or paid.excluded)
    assert promise.spam and 'spam: "Make £400 a day"' in promise.reasons
    assert earn.spam
    advert, view = flag_items(
        [
            "CHECK OUT my page for the best deals on vapes",
            "The best deal for the town is a new pool",
        ]
    )
    assert advert.spam and not view.excluded


def test_long_hostile_replies_are_flagged_by_what_they_say():
    # Written so that patterns of repeated groups, or ".*" after a repeated
    # phrase, would backtrack for minutes; the rules count in code instead.
    tag_and_word = "@" + "a" * 20000 + " " + "b" * 20000
    repeated = "@x " + "selling a " * 5000
    flags = flag_items([tag_and_word, repeated])
    assert flags[0].off_topic and "off-topic: only tags someone" in flags[0].reasons
    assert not flags[1].excluded


def test_cheap_with_a_way_to_get_in_touch_is_spam_and_cheap_alone_is_not():
    advert, answer, long_answer = flag_items(
        [
            "Cheap tyres fitted today, call 07700 900123",
            "We need cheap parking near the station",
            "cheap " * 20000 + "and nothing else",  # one pass, however often it says "cheap"
        ]
    )
    assert advert.spam and 'spam: "Cheap … call"' in advert.reasons
    assert not answer.excluded
    assert not long_answer.spam


def test_short_replies_that_say_nothing_are_set_aside_but_short_answers_are_kept() -> None:
    from upstream.signals.flags import flag_items

    nothing = ["Asdfgh test", "Good.", "No comment", "N/A", "qwerty", "Not sure"]
    answers = ["Trees!", "Fines", "Keep it open", "NHS dentist", "Great library", "Rhythm"]
    flags = flag_items(nothing + answers)
    assert [f.off_topic for f in flags] == [True] * len(nothing) + [False] * len(answers)
    assert flags[0].reasons == ("off-topic: no answer in it",)


def test_swearing_about_a_subject_is_a_view_not_abuse():
    sworn, insult, hedge = flag_items(
        [
            "The roads round here are shit, fix the potholes",
            "Sack the lot of them, useless idiots",
            "The prickly hedge on Mill Lane blocks the pavement",
        ]
    )
    assert sworn.rude and not sworn.abuse and not sworn.excluded
    assert insult.abuse and insult.excluded
    assert not hedge.abuse and not hedge.excluded


def test_a_negation_written_without_its_apostrophe_still_flips_and_pls_asks() -> None:
    from upstream.signals.sentiment import sentiment

    stuck = sentiment(
        "The temporary lights have been there 3 months and I havent seen anyone working"
    )
    assert stuck.label != "positive"
    assert sentiment("more buses pls").label == "neutral"


def test_a_redacted_tag_is_still_only_a_tag():
    # Redaction turns "@Karen Whitby look at this" into "@[NAME] look at this":
    # set aside either way, so the web app (which redacts) and a file agree.
    flags = flag_items(["@[NAME] look at this", "@[NAME] the bins on our road were missed again"])
    assert flags[0].off_topic and "off-topic: only tags someone" in flags[0].reasons
    assert not flags[1].off_topic
