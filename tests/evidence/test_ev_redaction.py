from __future__ import annotations

import pytest

from upstream.evidence.redact import luhn_ok, redact


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("write to jo.bloggs+council@example.co.uk today", "write to [EMAIL] today", "EMAIL"),
        ("call 07700 900123 after six", "call [PHONE] after six", "PHONE"),
        ("call 07700-900-123", "call [PHONE]", "PHONE"),
        ("ring +44 7700 900123", "ring [PHONE]", "PHONE"),
        ("ring +44 (0)20 7946 0018", "ring [PHONE]", "PHONE"),
        ("office 020 7946 0018.", "office [PHONE].", "PHONE"),
        ("office (020) 7946 0018", "office [PHONE]", "PHONE"),
        ("landline 01632 960123", "landline [PHONE]", "PHONE"),
        ("I live at SW1A 1AA now", "I live at [POSTCODE] now", "POSTCODE"),
        ("M1 1AE", "[POSTCODE]", "POSTCODE"),
        ("b33 8th", "b33 8th", None),
        ("B33 8TH", "[POSTCODE]", "POSTCODE"),
        ("near cr2 6xh", "near [POSTCODE]", "POSTCODE"),
        ("DN55 1PT", "[POSTCODE]", "POSTCODE"),
        ("I live in AB12 3CD", "I live in [POSTCODE]", "POSTCODE"),
        ("see you at a1 3pm", "see you at a1 3pm", None),
        ("NI: QQ 12 34 56 C.", "NI: [NI_NUMBER].", "NI_NUMBER"),
        ("NI QQ123456C", "NI [NI_NUMBER]", "NI_NUMBER"),
        ("card 4111 1111 1111 1111 ok", "card [CARD] ok", "CARD"),
        ("card 5500-0000-0000-0004", "card [CARD]", "CARD"),
    ],
)
def test_each_kind_is_redacted(text: str, expected: str, kind: str | None) -> None:
    redacted, counts = redact(text)
    assert redacted == expected
    assert counts == ({kind: 1} if kind else {})


@pytest.mark.parametrize(
    "text",
    [
        "The scheme cost £1,250,000 in 2024.",
        "call 3 times a day",
        "Since 2024 I have waited 12 weeks",
        "Reference 1234 5678 9012 3456 is not a card",  # fails the Luhn check
        "on 01/03/2024 at 10:30",
        "rated 4.5 out of 5; 0.25 per cent",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == (text, {})


def test_counts_add_up() -> None:
    text = "a@b.org, c@d.com; 07700 900123 / 07700 900456, SW1A 1AA"
    redacted, counts = redact(text)
    assert redacted == "[EMAIL], [EMAIL]; [PHONE] / [PHONE], [POSTCODE]"
    assert counts == {"EMAIL": 2, "PHONE": 2, "POSTCODE": 1}


def test_luhn() -> None:
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")
