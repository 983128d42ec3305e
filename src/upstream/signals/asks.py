"""Whether an item asks for something or tells of something.

"Make the neighbourhood budgets permanent" and "Each neighbourhood has a pooled
budget of about £400k" are both about pooled budgets and both point the helpful
way, so a coder rightly gives both the enabler. Only the second shows a peer
that has got past the funding barrier: the first is a wish. A convener looking
for who to learn from needs what has been done, so suggestions of "a way past"
leave out asks (:mod:`upstream.signals.patterns`).

An item asks when the question it answers asks for a change ("What one change
would most help?", a workshop's "Do differently" column), or when its own words
do: it opens with an instruction ("Rewrite our contract rules"), or says what
someone wants or needs ("I want to refer", "that's the ask", "should").
The cues are general English, not any one data set's.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["asks_for", "sentence_asks"]

# A question or board column that invites wishes rather than accounts: it asks
# what would, could or should be, or what to do differently.
_ASKING_PROMPT: Final = re.compile(
    r"\b(would|could|should|do differently|wish|wishes|want|ideas?|suggest\w*|"
    r"one change|what change|changes? (?:you|we) (?:would|could)|if you could|improve)\b",
    re.IGNORECASE,
)
# Words that tell the prompt is about what already happened, which outweigh the above
# ("What has helped, and what would you keep?").
_ACCOUNT_PROMPT: Final = re.compile(
    r"\b(has|have|had|did|worked|went|keep|kept|helped|enablers?)\b", re.IGNORECASE
)

# Saying what someone wants, needs or asks for, anywhere in the item.
_WISH: Final = re.compile(
    r"\b(?:i|we|they|you|people|staff|residents|families) "
    r"(?:really |just |still |all |badly |desperately )?(?:want|wants|need|needs|wish)\b"
    r"|\b(?:would|'d) (?:really )?(?:like|love)\b|\bneeds? to be\b"
    r"|\bplease\b|\bpls\b|\bif only\b|\b(?:the|my|our) ask\b"
    r"|\blet's\b|\blet us\b|\bwhy (?:can't|don't|do not|not|won't)\b"
    r"|\b(?:could|can) we\b|\bwe could\b",
    re.IGNORECASE,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that open an instruction. A word that is as often a noun ("change",
# "support", "trust") counts only when an object follows it ("Change the rules").
_INSTRUCTION: Final = _words(
    "make put give let stop bring rewrite fix restore reopen scrap invest allow simplify "
    "reduce increase extend introduce provide ban hire recruit listen remove improve protect "
    "keep get treat move replace publish involve expand abolish employ merge ring-fence "
    "ringfence relax loosen ditch"
)
_NOUN_TOO: Final = _words(
    "change support review share use end set offer help plan focus design test start return "
    "balance trust cut fund pool train free drop lift raise speed sort guarantee pay spend "
    "build ask lower scale join create"
)
_OBJECT: Final = _words(
    "the a an our your their its us them it this that these those more less fewer every all "
    "some people staff money time budgets budget teams services local small community "
    "partners groups everyone prevention"
)
# "Should" and "ought to" ask, unless they report what someone else asks about
# ("they ask what we think should happen").
_OUGHT: Final = re.compile(r"\b(?:should|ought to)\b", re.IGNORECASE)
_REPORTED: Final = re.compile(
    r"\b(?:what|how|who|which|where|when|whether)\b[^.!?]{0,30}$", re.IGNORECASE
)
# Words that open a wish for a better state of something ("more" and "less" open
# claims as often: "Less rat running = safer streets").
_BETTER: Final = _words(
    "better safer cleaner easier quieter nicer cheaper faster quicker greener proper decent"
)
_WORD: Final = re.compile(r"[a-z]+(?:['’-][a-z]+)*")
_SENTENCE: Final = re.compile(r"(?<=[.!?;])\s+|\s+[-–—]\s+")


def asks_for(text: str, prompt: str | None = None) -> bool:
    """Whether ``text`` asks for something rather than telling of something done or in place.

    Args:
        text: The item's words.
        prompt: The question or board column it answers, when known.

    Returns:
        True for a wish, a request or an instruction; False for an account.
    """
    if prompt and _ASKING_PROMPT.search(prompt) and not _ACCOUNT_PROMPT.search(prompt):
        return True
    if _WISH.search(text):
        return True
    if any(not _REPORTED.search(text[: m.start()]) for m in _OUGHT.finditer(text)):
        return True
    return any(_instructs(sentence) for sentence in _SENTENCE.split(text.strip()))


def sentence_asks(sentence: str) -> bool:
    """Whether one sentence is itself a wish: "Cleaner streets", "Make the tip easier".

    A sentence asks when it opens with an instruction (as in :func:`asks_for`)
    or with a word for a better state of something ("Safer crossing by the
    school", "better bus service!!"), unless it goes on to compare ("Better
    than it was"). A "please" elsewhere does not make the rest of the sentence
    a wish: "The LTN has been brilliant, please keep it" tells how it has been.

    Args:
        sentence: One sentence.

    Returns:
        True when the sentence names what the writer wants.
    """
    if _instructs(sentence):
        return True
    words = _WORD.findall(sentence.lower().replace("’", "'"))
    return bool(words) and words[0] in _BETTER and "than" not in words[1:3]


def _instructs(sentence: str) -> bool:
    """Whether a sentence opens with an instruction: "Rewrite our contract rules ..."."""
    words = _WORD.findall(sentence.lower().replace("’", "'"))
    while words and words[0] in {"just", "so", "and", "then", "also", "simply"}:
        words = words[1:]
    if len(words) < 2:
        return False
    first, second = words[0], words[1]
    if first in _INSTRUCTION:
        return True
    return first in _NOUN_TOO and second in _OBJECT
