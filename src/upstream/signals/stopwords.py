"""Words too common to say anything (kept here for the signals that use them).

The list itself lives in :mod:`upstream.evidence.stopwords`, a lower layer, so
the coder's explanations leave out the same words as word counts and theme names.
"""

from __future__ import annotations

from upstream.evidence.stopwords import STOP_WORDS

__all__ = ["STOP_WORDS"]
