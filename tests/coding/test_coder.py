from __future__ import annotations

import numpy as np
import pytest

from upstream.coding.active import review_order
from upstream.coding.coder import FrameworkCoder
from upstream.embed import CachedEmbedder, InMemoryCache, USEEmbedder
from upstream.frameworks import Code, Codebook

CODEBOOK = Codebook(
    id="services",
    title="Public services",
    description="A tiny hand-written framework for tests.",
    version="1",
    codes=(
        Code("care", "Health and care", "Doctors, hospitals, nurses and social care."),
        Code(
            "care.gp",
            "GP access",
            "Getting an appointment with a family doctor (GP).",
            parent="care",
            examples=("I could not get a GP appointment for three weeks.",),
        ),
        Code(
            "care.hospital",
            "Hospital waits",
            "Waiting times in hospital, A&E and for operations.",
            parent="care",
            examples=("We waited nine hours in A&E.",),
        ),
        Code(
            "housing",
            "Housing",
            "Homes, rent, repairs, damp and council housing.",
            examples=("The landlord never fixes the damp in our flat.",),
        ),
        Code(
            "transport",
            "Transport",
            "Buses, trains, roads and cycling.",
            examples=("The bus to town was cancelled again.",),
        ),
    ),
)

TRAIN = [
    ("My GP surgery has no appointments for a month.", "care.gp"),
    ("The receptionist said to ring at 8am for a doctor's slot.", "care.gp"),
    ("Could not see my doctor, only a phone call.", "care.gp"),
    ("Booking a GP visit online is impossible.", "care.gp"),
    ("My operation was postponed twice.", "care.hospital"),
    ("The emergency department was packed all night.", "care.hospital"),
    ("Waiting list for my hip replacement is two years.", "care.hospital"),
    ("A&E waits are getting longer every winter.", "care.hospital"),
    ("Our council flat has mould in every room.", "housing"),
    ("Rent went up again and repairs never happen.", "housing"),
    ("We have been on the housing list for six years.", "housing"),
    ("The heating in our home broke in December.", "housing"),
    ("Trains are always late and overcrowded.", "transport"),
    ("The number 12 bus was cut.", "transport"),
    ("Potholes on our road damaged my bike.", "transport"),
    ("No buses run after 7pm in the village.", "transport"),
]
TEST = [
    ("I phoned the surgery but there were no doctor appointments left.", "care.gp"),
    ("I waited months for surgery at the hospital.", "care.hospital"),
    ("Damp and mould in the rented flat made my children ill.", "housing"),
    ("The train was cancelled and the replacement bus never came.", "transport"),
]


@pytest.fixture(scope="module")
def embedder() -> CachedEmbedder:
    return CachedEmbedder(USEEmbedder(), InMemoryCache())


def _coder(embedder: CachedEmbedder, **params: object) -> FrameworkCoder:
    # Sixteen labels: enough to exercise the supervised path when allowed to.
    settings: dict[str, object] = {"threshold": 0.0, "min_labels": 2, **params}
    return FrameworkCoder(CODEBOOK, embedder=embedder, **settings)  # type: ignore[arg-type]


def test_zero_shot_gets_obvious_cases_right(embedder: CachedEmbedder) -> None:
    coder = _coder(embedder).fit([t for t, _ in TEST])
    assert coder.mode_ == "zero-shot" and coder.n_labelled_ == 0
    results = coder.predict([t for t, _ in TEST])
    assert [r.code for r in results] == [c for _, c in TEST]
    for result in results:
        assert 0.0 < result.confidence <= 1.0
        assert result.path[-1] == result.code


def test_supervised_improves_over_zero_shot(embedder: CachedEmbedder) -> None:
    texts, labels = zip(*TRAIN, strict=True)
    test_texts = [t for t, _ in TEST]
    truth = [CODEBOOK.codes[[c.id for c in CODEBOOK.codes].index(c)].id for _, c in TEST]
    columns = _coder(embedder).fit(texts).classes_
    index = [columns.index(c) for c in truth]
    zero = _coder(embedder).fit(texts).predict_proba(test_texts)
    supervised_coder = _coder(embedder).fit(texts, labels)
    supervised = supervised_coder.predict_proba(test_texts)
    assert supervised_coder.mode_ == "supervised" and supervised_coder.n_labelled_ == len(TRAIN)
    rows = np.arange(len(TEST))
    # Log-likelihood of the true codes rises once labels are used.
    assert np.log(supervised[rows, index]).sum() > np.log(zero[rows, index]).sum()
    assert [r.code for r in supervised_coder.predict(test_texts)] == truth


def test_a_few_decisions_are_examples_not_a_calibration(embedder: CachedEmbedder) -> None:
    # Calibrated on a handful of held-out items, a coder once called every code
    # certain; below ``min_labels`` the codebook codes and items like a decided
    # one lean to its code.
    texts, labels = zip(*TRAIN[::2], strict=True)
    test_texts = [t for t, _ in TEST]
    few = FrameworkCoder(CODEBOOK, embedder=embedder, threshold=0.0).fit(texts, labels)
    assert few.mode_ == "zero-shot" and few.n_labelled_ == 8 and few.labels_as_examples_
    zero = FrameworkCoder(CODEBOOK, embedder=embedder, threshold=0.0).fit(texts)
    assert few.temperature_ == zero.temperature_
    # Sentences unlike any decision are coded as the codebook alone codes them
    # (calibrated on the eight, the coder gave these 1.0, 0.995 and 0.998).
    off_topic = ["The weather was nice.", "I like cheese.", "Our meeting is on Tuesday."]
    assert [round(r.confidence, 9) for r in few.predict(off_topic)] == [
        round(r.confidence, 9) for r in zero.predict(off_topic)
    ]
    # One that says what a decided item says takes its code.
    again = "My GP surgery has no appointments for a month!"
    (leaned,) = few.predict([again])
    assert leaned.code == "care.gp" and leaned.confidence > zero.predict([again])[0].confidence
    truth = [c for _, c in TEST]
    index = [few.classes_.index(c) for c in truth]
    rows = np.arange(len(TEST))
    # The decisions still teach: the true codes become more likely than from the codebook alone.
    assert (
        np.log(few.predict_proba(test_texts)[rows, index]).sum()
        > np.log(zero.predict_proba(test_texts)[rows, index]).sum()
    )
    # A decision is named as the example behind a code, by its own id.
    explained = few.predict(["Nobody at the surgery would give me a doctor's appointment."])[0]
    assert any(not n.id.startswith("codebook:") for n in explained.explanation.neighbours)


@pytest.mark.parametrize("min_labels", [2, 30])
def test_a_decision_that_no_code_fits_leaves_items_like_it_uncoded(
    embedder: CachedEmbedder, min_labels: int
) -> None:
    # "Not relevant to this framework" used to teach nothing: the coder went on
    # coding replies that say the same. It is an empty label (not None, which
    # nobody looked at), in zero-shot and supervised coding alike.
    texts, labels = zip(*TRAIN, strict=True)
    unfitting = "The bus stop outside the library is a nice place to meet friends."
    asked = [unfitting.replace("nice", "lovely"), *(t for t, _ in TEST)]
    settings = {"threshold": 0.35, "min_labels": min_labels}
    before = _coder(embedder, **settings).fit([*texts, unfitting], [*labels, None])
    after = _coder(embedder, **settings).fit([*texts, unfitting], [*labels, ()])
    assert before.mode_ == after.mode_ and before.n_labelled_ == after.n_labelled_
    assert after.n_no_code_ == 1 and before.n_no_code_ == 0
    if after.mode_ == "supervised":
        # How sure the coder is counts the item as held out: any code it gets is wrong.
        assert before.held_out_ is not None and after.held_out_ is not None
        assert len(after.held_out_[0]) == len(before.held_out_[0]) + 1
        assert not after.held_out_[1][-1] and 0 < after.held_out_[0][-1] <= 1
    was, *others_before = before.predict(asked)
    now, *others_after = after.predict(asked)
    assert was.code == "transport"
    assert now.uncoded and now.confidence < was.confidence
    # Items on other subjects are coded as before.
    assert [r.code for r in others_after] == [r.code for r in others_before]
    assert [round(r.confidence, 6) for r in others_after] == [
        round(r.confidence, 6) for r in others_before
    ]


def test_abstains_below_threshold(embedder: CachedEmbedder) -> None:
    texts, labels = zip(*TRAIN, strict=True)
    coder = _coder(embedder, threshold=0.99).fit(texts, labels)
    results = coder.predict(["The weather was nice.", *[t for t, _ in TEST]])
    assert results[0].uncoded and results[0].code is None
    assert results[0].codes == () and results[0].path == ()
    assert 0 < results[0].confidence < 0.99
    relaxed = coder.set_params(threshold=0.0).predict(["The weather was nice."])
    assert relaxed[0].code is not None  # the same item is coded when not abstaining
    # An abstaining result keeps its most probable code, as predict_proba gives it, so
    # storing a tentative suggestion needs no second pass through the text model.
    probabilities = coder.predict_proba(["The weather was nice."])[0]
    best = int(np.argmax(probabilities))
    assert results[0].best is not None
    assert results[0].best[0] == coder.output_codes()[best]
    assert results[0].best[1] == pytest.approx(float(probabilities[best]), abs=1e-12)
    assert all(r.best is None for r in results if not r.uncoded)


def test_hierarchy_rolls_children_up(embedder: CachedEmbedder) -> None:
    texts, labels = zip(*TRAIN, strict=True)
    coder = _coder(embedder).fit(texts, labels)
    fine = coder.predict_proba([TEST[0][0]])
    classes = coder.classes_
    result = coder.predict([TEST[0][0]])[0]
    assert result.path == ("care", "care.gp")
    codes = dict(result.codes)
    assert codes["care"] >= codes["care.gp"]  # a child implies its parent
    expected_care = fine[0, classes.index("care")] + fine[0, classes.index("care.gp")]
    expected_care += fine[0, classes.index("care.hospital")]
    assert codes["care"] == pytest.approx(expected_care, abs=1e-5)

    top = _coder(embedder, level=1).fit(texts, labels)
    assert top.output_codes() == ["care", "housing", "transport"]
    proba = top.predict_proba([t for t, _ in TEST])
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert [r.code for r in top.predict([t for t, _ in TEST])] == [
        "care",
        "care",
        "housing",
        "transport",
    ]


def test_explanation_has_terms_and_neighbours(embedder: CachedEmbedder) -> None:
    texts, labels = zip(*TRAIN, strict=True)
    ids = [f"reply-{i}" for i in range(len(texts))]
    coder = _coder(embedder).fit(texts, labels, ids=ids)
    explanation = coder.predict([TEST[2][0]])[0].explanation
    terms = [term for term, _ in explanation.terms]
    assert terms and any(t in {"damp", "mould", "flat", "rented"} for t in terms)
    assert explanation.neighbours
    assert all(n.code == "housing" for n in explanation.neighbours)
    assert explanation.neighbours[0].similarity >= explanation.neighbours[-1].similarity
    assert {n.id for n in explanation.neighbours} & {*ids, "codebook:housing"}

    zero = _coder(embedder).fit(texts).predict([TEST[2][0]])[0].explanation
    assert zero.neighbours and zero.neighbours[0].id == "codebook:housing"
    assert any(term in {"damp", "flat"} for term, _ in zero.terms)
    # The codebook is quoted by its descriptions and examples, not by the code's bare
    # title or its title and definition run together (the definition said twice).
    quoted = {n.text for n in zero.neighbours}
    assert "Housing" not in quoted
    assert not any(text.startswith("Housing. ") for text in quoted)
    assert "The landlord never fixes the damp in our flat." in quoted


def test_deterministic_and_params(embedder: CachedEmbedder) -> None:
    texts, labels = zip(*TRAIN, strict=True)
    first = _coder(embedder, seed=3).fit(texts, labels).predict([t for t, _ in TEST])
    second = _coder(embedder, seed=3).fit(texts, labels).predict([t for t, _ in TEST])
    assert first == second
    params = _coder(embedder).get_params()
    assert params["threshold"] == 0.0 and params["codebook"] is CODEBOOK
    with pytest.raises(ValueError, match="Invalid parameter 'colour'"):
        _coder(embedder).set_params(colour="red")


def test_context_uses_documents(embedder: CachedEmbedder) -> None:
    texts, labels = zip(*TRAIN, strict=True)
    documents = [f"doc-{i // 4}" for i in range(len(texts))]
    coder = _coder(embedder).fit(texts, labels, documents=documents)
    stay = np.diag(coder.transition_)
    assert np.allclose(coder.transition_.sum(axis=1), 1.0)
    assert stay[coder.classes_.index("housing")] > 0.7  # runs of four share a code
    ambiguous = ["The service was poor.", "Nobody called back.", "It took ages."]
    alone = coder.predict_proba(ambiguous)
    together = coder.predict_proba(
        ["My operation was cancelled at the hospital.", *ambiguous], documents=["a"] * 4
    )[1:]
    hospital = coder.classes_.index("care.hospital")
    assert (together[:, hospital] > alone[:, hospital]).all()


def test_bad_labels_are_reported(embedder: CachedEmbedder) -> None:
    with pytest.raises(ValueError, match="'parking' of item 0 is not a code"):
        _coder(embedder).fit(["Parking is expensive."], ["parking"])
    with pytest.raises(ValueError, match="labels has 1 entries for 2 texts"):
        _coder(embedder).fit(["a", "b"], ["housing"])
    with pytest.raises(RuntimeError, match="not fitted"):
        _coder(embedder).predict(["a"])


def test_multi_label_and_unlabelled_items(embedder: CachedEmbedder) -> None:
    texts = [t for t, _ in TRAIN] + ["Buses to the hospital stopped.", "Thanks for listening."]
    labels: list[object] = [c for _, c in TRAIN] + [["transport", "care.hospital"], None]
    coder = _coder(embedder).fit(texts, labels)  # type: ignore[arg-type]
    assert coder.n_labelled_ == len(TRAIN) + 1


def test_review_order_puts_uncertain_items_first(embedder: CachedEmbedder) -> None:
    probabilities = np.array(
        [[0.9, 0.05, 0.05], [0.4, 0.35, 0.25], [0.5, 0.5, 0.0], [0.9, 0.05, 0.05]]
    )
    assert review_order(probabilities) == [2, 1, 0, 3]
    texts, labels = zip(*TRAIN, strict=True)
    results = _coder(embedder).fit(texts, labels).predict(["It was fine.", TEST[0][0]])
    order = review_order(results)
    assert sorted(order) == [0, 1]
    assert results[order[0]].margin <= results[order[1]].margin
    assert review_order([]) == []


WIDER = Codebook(
    id="services-wide",
    title="Public services, wider",
    description="The tiny framework plus more top-level areas, so 'care' is a small share.",
    version="1",
    codes=(
        *CODEBOOK.codes,
        Code("schools", "Schools", "Teachers, classes, exams and school places."),
        Code("parks", "Parks", "Green spaces, playgrounds and trees."),
        Code("waste", "Waste", "Bin collections, recycling and fly-tipping."),
        Code("jobs", "Jobs", "Work, wages and training for employment."),
        Code("safety", "Community safety", "Crime, policing and antisocial behaviour."),
    ),
)


def test_backs_off_to_the_broader_code_when_the_exact_one_is_unclear(
    embedder: CachedEmbedder,
) -> None:
    texts, labels = zip(*TRAIN, strict=True)
    mixed = "Between the GP surgery and the hospital, the NHS kept us waiting for months."
    coder = FrameworkCoder(WIDER, embedder=embedder).fit(texts, labels)
    classes = coder.classes_
    proba = coder.predict_proba([mixed])[0]
    gp, hospital = proba[classes.index("care.gp")], proba[classes.index("care.hospital")]
    care = proba[classes.index("care")] + gp + hospital
    leaf_best = max(proba[i] for i, c in enumerate(classes) if c != "care")
    # A threshold no single code reaches but the care area as a whole does.
    threshold = (max(leaf_best, proba[classes.index("care")]) + care) / 2
    assert care >= 2 * 3 / len(classes) and threshold > max(gp, hospital)

    coder.set_params(threshold=threshold)
    result = coder.predict([mixed])[0]
    assert result.code == "care" and result.path == ("care",)
    assert result.confidence == pytest.approx(care, abs=1e-5)
    assert result.margin > 0

    strict = coder.set_params(back_off=False).predict([mixed])[0]
    assert strict.code is None  # without backing off, the same item is left uncoded


def test_tfidf_behind_a_cache_is_fitted_to_the_corpus() -> None:
    """The workflows wrap every embedder in a cache; TF-IDF must still be fitted, not refused."""
    from upstream.embed import get_embedder

    cached = CachedEmbedder(get_embedder("tfidf"), InMemoryCache())
    texts = [text for text, _ in TRAIN]
    coder = FrameworkCoder(CODEBOOK, embedder=cached, threshold=0.0).fit(texts, None)
    results = coder.predict([text for text, _ in TEST])
    assert len(results) == len(TEST)
    assert all(result.codes for result in results)
    assert coder.get_params()["embedder"] is cached


def test_explanation_words_say_something() -> None:
    from upstream.coding.explain import _words_that_matter
    from upstream.evidence.stopwords import meaningful_term

    junk = ["in", "the", "in the", "leadership in", "email", "2024", "a", "phone number", "it"]
    assert not any(meaningful_term(term) for term in junk)
    assert all(meaningful_term(t) for t in ["leadership", "lack of funding", "legacy systems"])
    # Only junk left: say nothing rather than list it.
    assert _words_that_matter([("in", 0.3), ("the", 0.2), ("in the", 0.1)], 5) == ()
    # A word that pushed under a quarter as hard as the strongest ("weeks") is no reason.
    picked = _words_that_matter(
        [
            ("legacy", 0.5),
            ("in", 0.4),
            ("legacy systems", 0.3),
            ("systems", 0.2),
            ("cost", 0.15),
            ("weeks", 0.1),
        ],
        5,
    )
    assert [term for term, _ in picked] == ["legacy systems", "cost"]


def test_codes_marked_not_codable_are_never_assigned(embedder: CachedEmbedder) -> None:
    from dataclasses import replace

    grouping = replace(
        CODEBOOK,
        codes=tuple(
            replace(code, codable=False) if code.id in {"care", "housing"} else code
            for code in CODEBOOK.codes
        ),
    )
    texts = [t for t, _ in TEST] + ["Health and care, doctors, hospitals and nurses."]
    coder = FrameworkCoder(grouping, embedder=embedder, threshold=0.0).fit(texts)
    results = coder.predict(texts)
    assert results and all(r.code not in {"care", "housing"} for r in results)
    assert all(code not in {"care", "housing"} for r in results for code, _ in r.codes)
    assert any(r.code == "care.gp" for r in results)
