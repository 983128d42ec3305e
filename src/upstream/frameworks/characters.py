"""Characters that XML 1.0 cannot hold, found before they break a file.

A title or definition pasted from Word can carry a vertical tab (Word's manual
line break, U+000B) or a form feed (a page break, U+000C). YAML and CSV hold
them, but XML 1.0 forbids every control character except tab, line feed and
carriage return, so a REFI-QDA file holding one is rejected by every tool.
Validation reports them, naming the code, the field and the character; the
REFI-QDA writer refuses to write them.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["bad_characters", "describe_character"]

# XML 1.0 section 2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | ...
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NAMES = {
    "\x0b": "vertical tab, a line break pasted from Word",
    "\x0c": "form feed, a page break pasted from Word",
    "\x00": "null character",
    "\x08": "backspace",
    "\x1b": "escape",
}


def describe_character(char: str) -> str:
    """Name a character for a person: its code point and what it usually is.

    Args:
        char: One character.

    Returns:
        Text such as ``"U+000B (vertical tab, a line break pasted from Word)"``.
    """
    name = _NAMES.get(char) or unicodedata.name(char, "control character").lower()
    return f"U+{ord(char):04X} ({name})"


def bad_characters(text: str) -> list[str]:
    """Return the characters in ``text`` that XML 1.0 cannot hold, each once, in order.

    Args:
        text: The text to check.

    Returns:
        The distinct offending characters; empty when the text is fine.
    """
    return list(dict.fromkeys(_NOT_XML.findall(text)))
