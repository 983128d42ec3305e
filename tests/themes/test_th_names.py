"""Theme names in people's own words, on the demo's consultation replies."""

from __future__ import annotations

import re

import pytest

from upstream.evidence.redact import redact
from upstream.themes import ThemeDiscovery
from upstream.themes.labels import KeyphraseLabeller
from upstream.themes.phrases import PLACEHOLDERS, phrases

PLACEHOLDER_WORDS = {p.lower() for p in PLACEHOLDERS} | {"ni", "number"}


@pytest.fixture(scope="module")
def redacted_texts(reply_texts):
    """The replies with personal details swapped for placeholders, plus a few made-up ones."""
    extra = [
        "Email me at jo.bloggs@example.com or ring 07700 900123 about the youth club",
        "My phone is 020 7946 0018, please call about the community centre",
        "Contact me: sam@example.org, postcode SW1A 1AA, youth club closed",
    ]
    return [redact(text)[0] for text in [*reply_texts, *extra]]


@pytest.fixture(scope="module")
def themes(redacted_texts, reply_vectors):
    import numpy as np

    from upstream.embed import get_embedder

    extra = get_embedder("default").embed(redacted_texts[len(reply_vectors) :])
    vectors = np.vstack([reply_vectors, extra])
    return ThemeDiscovery(seed=0).fit(redacted_texts, vectors=vectors).themes_


def _all_named(themes):
    """Every theme and sub-theme named from its items (not the mixed "Other comments")."""
    from upstream.records.themes import EVERYTHING_ELSE
    from upstream.themes.labels import OTHER_LABEL

    for theme in themes:
        if theme.label != OTHER_LABEL:
            yield theme
        yield from (s for s in theme.subthemes if s.label != EVERYTHING_ELSE)


def test_redaction_placeholders_are_in_the_texts(redacted_texts):
    assert any("[EMAIL]" in text for text in redacted_texts)
    assert any("[PHONE]" in text for text in redacted_texts)


def test_no_placeholder_ever_becomes_a_name_or_keyword(themes):
    for theme in _all_named(themes):
        words = set(re.findall(r"[A-Za-z_]+", " ".join([theme.label, *theme.keywords])))
        assert not {w for w in words if w in PLACEHOLDERS}, theme.label
        assert "[" not in theme.label
        assert not any(k.upper() in PLACEHOLDERS for k in theme.keywords), theme.keywords


def test_names_are_phrases_that_occur_in_the_themes_items(themes, redacted_texts):
    for theme in _all_named(themes):
        if theme.label.startswith("Theme "):
            continue
        said = [redacted_texts[i].lower().replace("’", "'") for i in theme.members]
        # A name is one phrase, or two joined by "and" when one leaves most of the theme out;
        # a sub-theme at its theme's core is that phrase "in general".
        for part in theme.label.lower().removesuffix(" in general").split(" and "):
            users = [s for s in said if part in s]
            assert users, f"{part!r} of {theme.label!r} is not in its theme's items"
            if theme.size >= 4 and theme.parent is None:
                assert len(users) >= 2, f"{part!r} of {theme.label!r} is one person's words"


def test_a_theme_with_no_shared_phrase_is_named_from_one_item_not_numbered():
    texts = [
        "Bring back the mobile library van",
        "Potholes on every road near the school",
        "Street lights broken for months",
        "Nobody answers the phone at the council",
    ]
    (name,) = KeyphraseLabeller().fit(texts).name([[0, 1, 2, 3]])
    assert not name.label.startswith("Theme ")
    assert any(name.label.lower() in text.lower() for text in texts)


def test_names_read_as_phrases_in_sentence_case(themes):
    from upstream.evidence.stopwords import STOP_WORDS

    for theme in _all_named(themes):
        assert theme.label[0].isupper()
        assert "," not in theme.label
        words = theme.label.split()
        assert 1 <= len(words) <= 7
        assert words[0].lower() not in STOP_WORDS and words[-1].lower() not in STOP_WORDS
        # Longer than one phrase may be: two phrases joined by "and".
        if len(words) > 5:
            assert all(1 <= len(part.split()) <= 5 for part in theme.label.split(" and "))


def test_top_level_names_differ_and_keywords_are_kept(themes):
    labels = [t.label for t in themes]
    assert len(set(labels)) == len(labels)
    assert all(t.keywords for t in themes)


def test_demo_themes_have_readable_names(themes):
    labels = {t.label.lower() for t in themes}
    assert "fly tipping" in labels
    assert any("community centre" in label for label in labels)


def test_a_place_name_stands_only_when_the_theme_is_about_it():
    texts = [
        "The youth club in Copper Row closed and the kids have nowhere to go",
        "Reopen the youth club, there is nothing for teenagers",
        "Bring back the youth club please",
        "Our youth club was the only safe place for young people",
        "The bins in Larkfield are never emptied",
        "Bins in Larkfield overflowing again, the bins smell",
        "Larkfield bins left for three weeks",
        "Nobody empties the bins in Larkfield",
    ]
    labeller = KeyphraseLabeller().fit(texts)
    youth, bins = labeller.name([[0, 1, 2, 3], [4, 5, 6, 7]])
    assert youth.label == "Youth club"
    # Every item about the bins names Larkfield, so the place may stand or the bins may.
    assert bins.label in {"Larkfield", "Bins", "Bins in Larkfield"}
    assert "Copper Row" not in youth.label


def test_a_name_is_not_cut_out_of_a_longer_name():
    found = {p.surface for p in phrases("Please ask Pellow Cross residents first")}
    assert "Pellow Cross" in found
    assert not any(s.endswith("Pellow") or s.startswith("Cross") for s in found)
    assert not any(s.startswith("ask") for s in found)


def test_a_number_that_is_part_of_a_name_stays_with_it():
    surfaces = {
        p.surface
        for t in ["20mph zones outside schools", "Waits at A&E", "The A14 at 8am"]
        for p in phrases(t)
    }
    assert {"20mph zones", "A&E", "A14"} <= surfaces
    # A time, an ordinal or a bare number is not part of a name.
    assert not any(
        s[:1].isdigit() for s in {p.surface for p in phrases("Buses at 8am, the 2nd and the 14")}
    )


def test_each_theme_has_a_description_from_its_own_phrases(themes):
    for theme in _all_named(themes):
        if theme.parent is not None:
            continue
        assert theme.description.endswith(".")
        first = theme.label.lower().split(" and ")[0]
        assert f"“{first}”" in theme.description.lower()
        assert " items mention " in theme.description


def test_naming_is_deterministic(reply_texts):
    groups = [list(range(0, 60)), list(range(60, 120)), list(range(120, 204))]
    first = KeyphraseLabeller().fit(reply_texts).name(groups)
    again = KeyphraseLabeller().fit(reply_texts).name(groups)
    assert first == again


def test_a_description_from_hidden_items_is_not_shown():
    from upstream.store.theme_visibility import seen_description

    described = "Most items mention “youth club”; some also mention “Copper Row”."
    assert seen_description(described, ["the youth club in Copper Row"]) == described
    assert seen_description(described, ["the youth club is shut"]) == ""


def test_a_clause_is_not_a_candidate_name():
    text = "The staff at Abbeygate are brilliant and doing their best."
    found = {p.surface for p in phrases(text)}
    assert "staff at Abbeygate" in found and "Abbeygate" in found
    # "are" and "doing" make a clause ("Abbeygate are brilliant"), not a name.
    assert not any({"are", "doing"} & set(name.lower().split()) for name in found)
    # Nouns joined by "and" or "of" still make names.
    joined = {p.surface for p in phrases("Please fix the potholes and pavements of Mill Lane.")}
    assert "potholes and pavements" in joined


def test_a_tiny_group_is_named_by_what_two_of_its_items_say_not_by_one_person():
    texts = [
        "skatepark for the kids please",
        "A skatepark. Been asking for years.",
        "skate park please, the one in the next borough is always rammed",
        "Fix the potholes on the main road",
        "Potholes everywhere on the main road",
        "The main road potholes damaged my car",
    ]
    skate, _roads = KeyphraseLabeller().fit(texts).name([[0, 1, 2], [3, 4, 5]])
    assert skate.label == "Skatepark"


def test_a_group_whose_subject_names_its_siblings_gets_a_name_of_its_own():
    texts = [
        "Toilets please",
        "More toilets",
        "Toilets, now",
        "Public toilets in town",
        "Reopen the public toilets",
        "Public toilets locked",
        "Please reopen the toilets in Victoria Park",
        "Changing Places toilet please",
        "Thank you for reopening the Chapel Lane toilets",
        "Can we have toilets at the play park at King George's Field?",
    ]
    names = KeyphraseLabeller().fit(texts).name([[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]])
    assert [n.label for n in names[:2]] == ["Toilets", "Public toilets"]
    # Every phrase the third group shares is taken: it is named from its own words, not numbered.
    assert not names[2].label.startswith("Theme ")
    assert names[2].label.lower() in " ".join(texts[6:]).lower()


def test_a_name_keeps_the_capitals_it_was_written_with():
    found = {p.surface for p in phrases("Toilets at the play park at King George's Field please")}
    assert "King George's Field" in found
    assert not any("george's" in s for s in found)


def test_the_first_quote_bears_out_the_name() -> None:
    import numpy as np

    from upstream.records.themes import Quote
    from upstream.themes.describe import _name_first

    texts = [
        "Why is my council tax going up again",
        "Council tax is too high for what we get",
        "A lollipop lady at the primary school please",
        "The lollipop lady at the primary retired and nobody replaced her",
    ]
    vectors = np.eye(4, dtype=np.float32)
    centre = np.array([0.6, 0.5, 0.4, 0.3], dtype=np.float32)
    members = np.arange(4)
    name = "Lollipop lady at the primary"

    def first(quotes: tuple[Quote, ...], label: str = name) -> list[int]:
        return [q.index for q in _name_first(quotes, label, members, vectors, centre, texts)]

    typical = (Quote(0, texts[0], 0.6), Quote(1, texts[1], 0.5))
    # None of the typical quotes uses the name: the most typical item that does leads,
    # in place of the last, so there are as many quotes as the quote stage chose.
    assert first(typical) == [2, 0]
    # One of them does: it is moved to the front.
    assert first((Quote(1, texts[1], 0.5), Quote(3, texts[3], 0.3))) == [3, 1]
    assert first(typical, "Other comments (mixed subjects)") == [0, 1]
    assert first(()) == []  # no quote stage, no quotes


def test_a_sub_theme_is_not_named_after_another_theme() -> None:
    texts = [
        "Bring back the youth club, the teenagers need somewhere to go",
        "The youth club closed and teenagers have nowhere on the high street",
        "Youth club please",
        "Shops on the high street are empty",
        "Empty shops everywhere on the high street",
    ]
    labeller = KeyphraseLabeller().fit(texts)
    (free,) = labeller.name([[0, 1, 2]])
    assert free.label == "Youth club"
    (kept_apart,) = labeller.name([[0, 1, 2]], avoid=["Youth club and kids"])
    (single,) = labeller.name([[0, 1, 2]], avoid=["Club"])
    assert single.label == "Youth club"  # a single word of another name is not avoided
    assert "youth" not in kept_apart.label.lower() and "kids" not in kept_apart.label.lower()
    assert kept_apart.label.lower() in " ".join(texts[:3]).lower()


def test_a_name_says_what_the_split_is_about_without_taking_a_side():
    texts = [
        "Scrap the Farrant Park LTN now, it just moves traffic onto our road",
        "Scrap the Farrant Park LTN, the planters are a joke",
        "Scrap the LTN and listen to residents",
        "The LTN has been brilliant for us, please keep it",
        "Keep the LTN, the children can walk to school",
        "The LTN is the best thing the council has done",
        "Bins left out for three weeks on Mill Lane",
        "Nobody has emptied the bins on our street",
    ]
    ltn, _bins = KeyphraseLabeller().fit(texts).name([[0, 1, 2, 3, 4, 5], [6, 7]])
    # A demand names one side; the subject everyone writes about names the theme,
    # though two of them call it by the place's name.
    assert ltn.label == "LTN"
    assert not any(p.surface.lower().startswith("scrap") for p in phrases(texts[0]))


def test_an_initialism_is_spelled_out_as_the_evidence_spells_it() -> None:
    from upstream.themes.labels import KeyphraseLabeller

    texts = [
        "Scrap the LTN now",
        "The LTN is a disaster for deliveries",
        "Keep the low traffic neighbourhood, the streets are calm",
        "LTN petition signed",
        "Tell them to let them know about the bins",  # "let them know" spells LTN too
        "NHS dentist please",
    ]
    labeller = KeyphraseLabeller().fit(texts)
    [named] = labeller.name([[0, 1, 2, 3]])
    assert named.label == "LTN"
    assert named.description.startswith("Most items mention “LTN” (low traffic neighbourhood)")
    # Inside a longer phrase it says which word it spells out; one nobody spells out stays.
    assert labeller._spelled_out("Farrant Park LTN") == "LTN: low traffic neighbourhood"
    assert labeller._spelled_out("NHS dentist") == ""


def test_only_the_themes_own_items_spell_out_its_initialism() -> None:
    from upstream.themes.labels import KeyphraseLabeller

    texts = [
        "Cant get a GP appointment before Friday",
        "GP appointment waits are six weeks",
        "The GP surgery phone line is always engaged",
        "My grandad proposed to my gran on the meadow",  # "grandad proposed" spells GP
        "Save the meadow from the bypass",
    ]
    gp, _meadow = KeyphraseLabeller().fit(texts).name([[0, 1, 2], [3, 4]])
    assert "GP" in gp.label
    assert "grandad" not in gp.description
    assert "(" not in gp.description


def test_no_sub_theme_has_its_themes_name(themes):
    for theme in themes:
        for sub in theme.subthemes:
            assert sub.label.casefold() != theme.label.casefold(), theme.label


def test_the_core_sub_theme_is_named_as_such():
    from dataclasses import replace

    from upstream.records.themes import EVERYTHING_ELSE, Theme
    from upstream.themes.describe import _apart_from_parent
    from upstream.themes.labels import OTHER_LABEL

    core = Theme(0, "LTN", (), 11, 11, (), None, (), ())
    campaign = replace(core, id=1, label="Farrant Park LTN", size=5)
    assert [t.label for t in _apart_from_parent((campaign, core), "LTN")] == [
        "Farrant Park LTN",
        "LTN in general",
    ]
    mixed = replace(core, label=OTHER_LABEL)
    assert _apart_from_parent((mixed,), OTHER_LABEL)[0].label == EVERYTHING_ELSE


def test_keywords_are_words_people_wrote_side_by_side() -> None:
    from upstream.themes.phrases import keyword_terms

    terms = keyword_terms(
        "Fly tipping is out of control in Abbotsmead. Fine people properly, cameras, "
        "whatever it takes. The alley behind Farrant Street, EMAIL me"
    )
    assert {"fly tipping", "farrant street", "cameras", "takes"} <= set(terms)
    # Never a pair across a stop word or a clause break.
    assert "cameras takes" not in terms and "alley farrant" not in terms
    assert "abbotsmead fine" not in terms and "properly cameras" not in terms
    # A placeholder is no keyword, and a number alone is no word.
    assert not {"email", "street email"} & set(terms)
    assert sorted(keyword_terms("20mph zones by 2 schools")) == [
        "20mph",
        "20mph zones",
        "schools",
        "zones",
    ]


def test_a_word_every_theme_uses_does_not_name_a_sub_theme() -> None:
    # In a town's consultation "town" is in replies on every subject: too general
    # to name a theme, and so a sub-theme, though among two siblings it looks rare.
    subjects = {
        "free parking": ["free parking would bring people back", "give us free parking"],
        "potholes": ["fill the potholes", "potholes everywhere"],
        "bus station": ["reopen the bus station", "the bus station is filthy"],
        "public toilets": ["open the public toilets", "public toilets are shut"],
        "christmas lights": ["bring back the christmas lights", "christmas lights were dim"],
        "youth club": ["the youth club closed", "fund the youth club"],
    }
    texts: list[str] = []
    groups: list[list[int]] = []
    for subject, replies in subjects.items():
        start = len(texts)
        texts += [f"{reply} in the town" for reply in replies]
        texts += [f"{subject} matter to the town, said resident {n}" for n in range(2)]
        groups.append(list(range(start, len(texts))))
    # Parking replies that only say "town": the name's best second phrase among siblings.
    texts += [
        "The town needs more visitors",
        "The town is dying on its feet",
        "Nobody comes into town now",
    ]
    groups[0] += [len(texts) - 3, len(texts) - 2, len(texts) - 1]
    labeller = KeyphraseLabeller().fit(texts)
    whole = labeller.name(groups)
    assert "town" not in whole[0].label.lower()
    parking = groups[0]
    parts = labeller.name([parking[:2] + parking[4:], parking[2:4]])
    assert all("town" not in part.label.lower().split() for part in parts), [p.label for p in parts]
    assert "town" in labeller.common_


def test_a_verb_s_form_does_not_end_a_name_but_a_noun_s_does() -> None:
    found = {p.surface for p in phrases("No public toilets means people wee in doorways")}
    assert "public toilets" in found and "toilets means" not in found
    assert "bus stops" in {p.surface for p in phrases("The bus stops have no shelter")}
