from __future__ import annotations

import pytest

from upstream.evidence.redact import describe_redactions, luhn_ok, redact


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


@pytest.mark.parametrize(
    ("text", "expected", "names"),
    [
        ("Contact Priya on 07700 900312 to help", "Contact [NAME] on [PHONE] to help", 1),
        ("My name is Priya Shah and I live here.", "My name is [NAME] and I live here.", 1),
        ("Speak to Tom at the library. He knows", "Speak to [NAME] at the library. He knows", 1),
        ("Mrs Okafor next door has complained", "Mrs [NAME] next door has complained", 1),
        ("Mrs O'Neill's garden floods", "Mrs [NAME]'s garden floods", 1),
        ("Great work. Kind regards, J. Smith", "Great work. Kind regards, [NAME]", 1),
        ("Keep it open. Thanks, Sam", "Keep it open. Thanks, [NAME]", 1),
        ("Call me: 07700 900123. Margaret Ellis", "Call me: [PHONE]. [NAME]", 1),
        # The words of a personal address are names wherever they appear capitalised.
        ("email priya.shah@example.org or ask Priya; the Shah family",
         "email [EMAIL] or ask [NAME]; the [NAME] family", 2),
        # Someone tagged in a social-media reply, and a writer who says who they are.
        ("@Karen Whitby look at this", "@[NAME] look at this", 1),
        ("@bex_brennan agreed, and @Sam too", "@[NAME] agreed, and @[NAME] too", 2),
        ("Hi, I'm Amanda and I live on the estate", "Hi, I'm [NAME] and I live on the estate", 1),
        # A given name speaking, met or told, or with a surname; then everywhere in the text.
        ("Met with Dev Sharma (team leader). Later Dev showed me the board.",
         "Met with [NAME] (team leader). Later [NAME] showed me the board.", 2),
        ("Gareth said the targets come first", "[NAME] said the targets come first", 1),
        ("Sarah was quite sceptical", "[NAME] was quite sceptical", 1),
        ("Advisers told Tom to close it", "Advisers told [NAME] to close it", 1),
        ("they ring Jo directly instead", "they ring [NAME] directly instead", 1),
        ("Amira Haddad runs the hub", "[NAME] runs the hub", 1),
        ("since January Dev has run a huddle", "since January [NAME] has run a huddle", 1),
        ("Tom's team is measured on call time", "[NAME]'s team is measured on call time", 1),
        ("with a regeneration officer (Amira).", "with a regeneration officer ([NAME]).", 1),
        ("Amira disagreed and said it is about trust",
         "[NAME] disagreed and said it is about trust", 1),
        ("Follow up: Dev wants a copy", "Follow up: [NAME] wants a copy", 1),
    ],
)  # fmt: skip
def test_names_are_redacted_where_the_words_around_them_say_so(
    text: str, expected: str, names: int
) -> None:
    redacted, counts = redact(text)
    assert redacted == expected
    assert counts["NAME"] == names


@pytest.mark.parametrize(
    "text",
    [
        "Please contact Highways on 0300 123 4567",  # a team, not a person
        "ring The Council on 0300 123 4567",
        "Cllr Jones said no at the meeting",  # a councillor in their public role
        "I moved here from London in 2019",
        "Contact info@mardenholt.gov.uk for help",  # a role address names nobody
        "Call me on 07700 900123",
        "Priya Street needs resurfacing",  # a capital alone is not a name
        "Hi, I'm really fed up with the buses",
        "I'm British and proud of this town",  # no greeting: not an introduction
        # The shapes of a given name's rules, taken by teams, places and other words.
        "Procurement said no and Residents told us; Staff wanted more",
        "Ashby Court asked for a ramp",
        "Modal filters on Canal Road would stop the speeding",
        "We met with Brackenshire and Tullworth in June",
        "The Lewis House team and Grace Road surgery both said yes",
        "Will this help? Mark my words. May was busy.",
        "Devon has the highest rate and Kent was next",
        "Kent's roads and the Grace Road surgery (Hope Street) improved",
        "Our Early Help Hub is open and the Housing Options team said yes",
        # A possessive name in a place's name: a title before it, or a capital after.
        "The pitch at King George's Field is waterlogged again",
        "Parking at St Mary's is a nightmare",
        "Guy's Hospital has the clinic",
    ],
)
def test_capitalised_words_without_a_name_cue_are_kept(text: str) -> None:
    redacted, counts = redact(text)
    assert "NAME" not in counts
    assert "[NAME]" not in redacted


def test_councillors_and_people_called_something_go_only_when_strict() -> None:
    assert redact("Cllr Jones said no") == ("Cllr Jones said no", {})
    assert redact("Cllr Jones said no", strict=True) == ("Cllr [NAME] said no", {"NAME": 1})
    text = "A volunteer called Sam Jones helped"
    assert redact(text, strict=True) == ("A volunteer called [NAME] helped", {"NAME": 1})


def test_what_was_replaced_is_said_in_words() -> None:
    _, counts = redact("Contact Priya on 07700 900312 or a@b.org, c@d.org")
    assert describe_redactions(counts) == "2 email addresses, 1 phone number, 1 name"
    assert describe_redactions({}) == ""


def test_a_date_of_birth_and_an_account_number_go_but_the_words_before_them_stay() -> None:
    text = "My son Oliver Brown, date of birth 04/05/2014, library card 2210045, was fined."
    redacted, counts = redact(text)
    assert redacted == "My son [NAME], date of birth [DOB], library card [ID], was fined."
    assert counts == {"DOB": 1, "ID": 1, "NAME": 1}
    assert redact("DOB: 4 May 1950. NHS number 943 476 5919.")[0] == "DOB: [DOB]. NHS number [ID]."
    for kept in ("I was born in 1975 in Westgate.", "The library opened on 04/05/2014."):
        assert redact(kept) == (kept, {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "you can see it from our window at Flat 3, 22 Wrenfield Lane, LK4 6QS.",
            "you can see it from our window at [ADDRESS], [POSTCODE].",
        ),
        ("I live at 14a Church Road and the bins", "I live at [ADDRESS] and the bins"),
        ("Write to 7 St Anne's Close.", "Write to [ADDRESS]"),
    ],
)
def test_a_house_number_and_its_street_go(text: str, expected: str) -> None:
    redacted, counts = redact(text)
    assert redacted == expected
    assert counts["ADDRESS"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "Bus shelter at the Wrenfield Lane stop.",
        "We spent 3 years on Park Road",
        "In 2024 Station Road was closed for months",
        "£5 to park on Market Street",
        "20mph outside schools",
    ],
)
def test_a_street_without_a_house_number_stays(text: str) -> None:
    assert redact(text) == (text, {})


def test_a_street_address_is_said_in_words() -> None:
    assert describe_redactions({"ADDRESS": 2}) == "2 street addresses"
