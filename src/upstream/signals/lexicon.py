"""Word lists for sentiment and stance, written for upstream.

Valences run from -3 (strongly negative) to +3 (strongly positive). The lists
record how people *feel* ("brilliant", "lethal", "fed up") and a demand to be rid
of something ("scrap", "ban"), which reads as negative in tone. A request for
more of something or to keep it ("please", "more", "keep", "bring back") carries
no tone: "Please reopen the toilets" is neutral, as readers judge it, and
counting it as positive made most requests look pleased (a blind reader's tone
labels on 130 replies, Cohen's kappa 0.28 with such words, 0.36 without; see
docs/benchmarks.md). The lists are written for what upstream reads -
consultation replies, visit notes, survey comments - and everyday words they do
not list come from VADER's general list (:data:`GENERAL`).
"""

from __future__ import annotations

from importlib import resources

__all__ = ["GENERAL", "INTENSIFIERS", "NEGATORS", "PHRASES", "WORDS"]

# The tables keep several entries per line so they stay readable.
# fmt: off

WORDS: dict[str, float] = {
    # being for it ("keep", "more", "please" and "bring back" ask; they carry no tone)
    "support": 1.5, "supported": 1.2, "supportive": 1.5, "favour": 1.5, "favor": 1.5,
    "welcome": 1.8, "welcomed": 1.8,
    # removing it, stopping it
    "scrap": -2.2, "scrapped": -1.5, "remove": -1.6, "removed": -1.0, "stop": -1.4,
    "ban": -1.6, "against": -1.8, "abolish": -2.2, "oppose": -2.0, "opposed": -2.0,
    "reverse": -1.4, "ditch": -2.0, "cancel": -1.4, "axe": -1.8, "petition": -0.6,
    # feeling good
    "good": 1.9, "great": 2.2, "brilliant": 2.6, "excellent": 2.7, "fantastic": 2.6,
    "amazing": 2.5, "wonderful": 2.6, "lovely": 2.2, "love": 2.4, "loved": 2.3,
    "loves": 2.3, "like": 0.8, "liked": 1.2, "enjoy": 1.8, "enjoyed": 1.8, "happy": 2.2,
    "glad": 1.9, "pleased": 2.0, "proud": 2.0, "better": 1.6, "best": 2.0,
    "improve": 1.3, "improved": 1.8, "improvement": 1.6, "improving": 1.4, "nicer": 1.8,
    "nice": 1.7, "safer": 1.8, "safe": 1.4, "quiet": 1.0, "quieter": 1.6, "calm": 1.2,
    "easier": 1.6, "easy": 1.2, "helpful": 2.0, "helped": 1.6, "help": 0.8, "kind": 1.6,
    "caring": 1.8, "thanks": 1.8, "thank": 1.8, "grateful": 2.2, "success": 2.0,
    "successful": 2.0, "works": 1.0, "worked": 1.0, "working": 0.4, "effective": 1.8,
    "trust": 1.4, "trusted": 1.6, "confident": 1.6, "confidence": 1.2, "hope": 1.2,
    "hopeful": 1.6, "agree": 1.3, "fair": 1.3, "clean": 1.2, "cleaner": 1.4,
    "healthier": 1.6, "vibrant": 1.8, "thriving": 2.0, "empowered": 1.8, "valued": 1.8,
    "listened": 1.4, "positive": 1.8, "benefit": 1.4, "benefits": 1.4, "worth": 1.2,
    "together": 0.6, "talking": 0.3, "playing": 0.5, "freedom": 1.2, "flexible": 1.2,
    # feeling bad
    "bad": -2.2, "terrible": -2.8, "awful": -2.8, "horrible": -2.7, "dreadful": -2.7,
    "worse": -2.0, "worst": -2.7, "poor": -1.8, "disaster": -2.8, "disastrous": -2.8,
    "joke": -2.0, "shambles": -2.6, "useless": -2.4, "pointless": -2.0, "waste": -2.0,
    "wasted": -2.0, "broken": -1.8, "dangerous": -2.2, "unsafe": -2.2, "lethal": -2.6,
    "danger": -2.0, "accident": -1.5, "crime": -1.8, "dirty": -1.8, "filthy": -2.4,
    "overflow": -1.4, "overflowing": -1.6, "dumped": -1.5, "dump": -1.2, "mess": -1.8,
    "state": -0.4, "angry": -2.2, "furious": -2.6, "frustrated": -2.0,
    "frustrating": -2.0, "frustration": -2.0, "fed": -0.5, "sick": -1.6, "tired": -1.2,
    "scared": -2.0, "afraid": -2.0, "worried": -1.8, "worry": -1.4, "fear": -1.8,
    "terrified": -2.6, "lonely": -1.8, "loneliness": -1.8, "struggle": -1.6,
    "struggling": -1.8, "stressed": -2.0, "stress": -1.6, "burnout": -2.2,
    "exhausted": -2.0, "hate": -2.7, "hated": -2.6, "unfair": -2.0, "fines": -1.4,
    "fined": -1.2, "congestion": -1.6, "gridlock": -2.0, "polluted": -2.0,
    "pollution": -1.6, "nobody": -0.8, "nothing": -0.8, "never": -0.6,
    "ignored": -2.0, "ignore": -1.4, "blame": -1.6, "slow": -1.2, "delay": -1.4,
    "delays": -1.4, "wait": -0.8, "waited": -1.2, "waiting": -1.0, "hold": -0.3,
    "problem": -1.2, "problems": -1.2, "difficult": -1.4, "hard": -0.8, "fail": -2.0,
    "failed": -2.0, "failing": -2.0, "failure": -2.0, "cut": -1.0, "cuts": -1.4,
    "lost": -1.2, "lose": -1.2, "losing": -1.2, "empty": -0.8, "closed": -1.0,
    "damp": -1.4, "mould": -1.8, "rubbish": -1.6, "litter": -1.0, "disagree": -1.6,
    "wrong": -1.6, "unfortunately": -1.2, "sadly": -1.4, "sad": -1.8, "crisis": -1.8,
    "idiots": -2.8, "idiot": -2.8, "clowns": -2.4, "muppet": -2.2, "parasites": -2.8,
    "pathetic": -2.6, "disgrace": -2.8, "disgraceful": -2.8, "shocking": -2.2,
    "ridiculous": -2.2, "impossible": -1.6, "confusing": -1.6, "complicated": -1.2,
    "barrier": -1.2, "barriers": -1.2, "bureaucracy": -1.6, "pushes": -0.8,
    "push": -0.6, "stuck": -1.4, "rigid": -1.4, "siloed": -1.4, "silos": -1.2,
}
"""Single words and their valence."""

PHRASES: dict[str, float] = {
    "get rid": -2.2, "get rid of": -2.2, "no to": -2.0, "cash cow": -2.2,
    "rat run": -1.4, "war on": -1.8, "a joke": -2.2, "waste of money": -2.6,
    "waste of time": -2.4, "fed up": -2.0, "sick of": -2.0, "on hold": -1.4,
    "nobody asked": -2.0, "changed my mind": 1.2, "thank you": 2.0, "well done": 2.4,
    "made a difference": 2.0, "makes a difference": 2.0, "difference": 0.4,
    "in favour": 2.0, "all for": 1.8, "not safe": -2.0, "don't feel safe": -2.0,
    "doesn't work": -1.8, "isn't working": -1.8, "not working": -1.8,
    "can't get through": -1.6, "accident waiting to happen": -2.4,
    "taking the pressure off": 1.6, "take the pressure off": 1.6,
}
"""Multi-word expressions (matched before single words) and their valence."""

NEGATORS: frozenset[str] = frozenset(
    {
        "not", "no", "never", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt",
        "isn't", "isnt", "wasn't", "wasnt", "aren't", "arent", "won't", "wont",
        "can't", "cant", "cannot", "couldn't", "couldnt", "shouldn't", "shouldnt",
        "nor", "without", "hardly", "barely", "haven't", "havent", "hasn't", "hasnt",
        "hadn't", "hadnt", "wouldn't", "wouldnt", "weren't", "werent", "ain't", "aint",
    }
)
"""Words that flip the valence of the next few words."""

INTENSIFIERS: dict[str, float] = {
    "very": 0.3, "really": 0.3, "so": 0.2, "extremely": 0.5, "absolutely": 0.4,
    "totally": 0.3, "completely": 0.3, "utterly": 0.4, "incredibly": 0.4, "much": 0.2,
    "honestly": 0.1, "literally": 0.1, "bit": -0.3, "slightly": -0.4, "quite": -0.1,
}
"""Words that strengthen (or soften) the next valenced word, as a share of its valence."""
# fmt: on


# Words that name a service or a thing in public-service evidence, whose everyday
# feeling would colour a neutral reply ("social care", "charity shops", "a £60 fine",
# "warm spaces", "free bulky waste collection").
_NOT_TONE = frozenset(
    {
        "care",
        "cares",
        "caring",
        "charity",
        "charities",
        "free",
        "fine",
        "fines",
        "grant",
        "grants",
        "play",
        "played",
        "united",
        "justice",
        "pretty",
        "party",
        "parties",
        "warm",
        "warmth",
        "share",
        "shared",
        "sharing",
        "emergency",
        "emergencies",
        "benefit",
        "benefits",
        "credit",
        "interest",
        "honour",
        "lottery",
        "prize",
        "win",
        "reform",
        "reforms",
        "security",
        "secure",
        "welfare",
        "cancer",
        "fire",
        "fires",
        "alarm",
        "alarms",
        "police",
        "advice",
        "clear",
        "cleared",
        "challenge",
        "challenges",
        "opportunity",
        "opportunities",
        "please",
        "pls",
        "plz",
        "yes",
        "no",
        "ok",
        "okay",
        # Requests for more of something carry no tone (see the module's note).
        "keep",
        "more",
        "extend",
        "expand",
        "everywhere",
        "protect",
        "protected",
        "invest",
        "fund",
        "restore",
    }
)


def _general_words() -> dict[str, float]:
    """VADER's general-purpose word list, rescaled to -3..3, for words not listed above.

    From the ``vadersentiment`` package (Hutto and Gilbert, 2014; MIT licence), so
    that a reply's tone is read for everyday words this module does not list
    ("disgusting", "superb"). Emoticons, negators, intensifiers and words that name
    a service rather than a feeling are left out.
    """
    listing = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    words: dict[str, float] = {}
    for line in listing.read_text(encoding="utf-8").splitlines():
        token, _, rest = line.partition("\t")
        if not token.isalpha() or not token.islower() or token in _NOT_TONE:
            continue
        if token in NEGATORS or token in INTENSIFIERS:
            continue
        words[token] = round(float(rest.split("\t")[0]) * 0.75, 2)
    return words


GENERAL: dict[str, float] = _general_words()
"""Everyday words and their valence, read when a word is not in :data:`WORDS`."""
