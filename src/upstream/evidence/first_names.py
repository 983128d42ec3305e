"""Given names people in UK public services carry, from Faker's name lists.

Redaction finds a name only where the words around it say one is there
(:mod:`upstream.evidence.person_names`). "Dev said" and "Procurement said" have
the same shape, so for the shapes that organisations and places share with
people (someone speaking, someone met, a first name and a surname) the first
word must also be a given name. Faker (MIT) ships the lists, drawn from
census and registry data for many countries; the locales here cover names
common in the UK's communities.
"""

from __future__ import annotations

import importlib
from functools import cache

__all__ = ["is_given_name"]

_LOCALES = (
    "en_GB", "en_IE", "en_US", "en_IN", "en_PK", "en_NG", "en_KE", "en_NZ", "ga_IE",
    "pl_PL", "ro_RO", "lt_LT", "lv_LV", "bg_BG", "it_IT", "pt_PT", "es_ES", "fr_FR",
    "de_DE", "nl_NL", "tr_TR", "hi_IN", "bn_BD", "ar_AA", "so_SO", "ur_PK", "tw_GH",
)  # fmt: skip
_ATTRIBUTES = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")

# Given names that are also words a council's evidence capitalises for other reasons:
# months, virtues and faiths, places and buildings ("Victoria Station", "Eden Project").
_ALSO_WORDS = frozenset(
    {
        "April", "August", "June", "May", "March", "January", "Christian", "Trinity",
        "Eden", "Zion", "Victoria", "Florence", "Summer", "Autumn", "Hope", "Joy",
        "Grace", "Faith", "Dawn", "Mercy", "Patience", "Harmony", "Destiny", "Unity",
        "Royal", "Major", "Chase", "Guy", "Will", "Bill", "Mark", "Rose", "Sky",
        "Star", "Angel", "Page", "Lane", "Holly", "Ivy", "Amber", "Crystal", "Penny",
        "Ruby", "Jade", "Sunny", "Duke", "Earl", "Jesus", "Islam", "Precious",
        "Sterling", "Justice", "Liberty", "Haven", "Miles", "Dale", "Glen", "Lance",
        "Sol", "Rex", "Max", "Gene", "Carol", "Don", "Ken", "Frank", "Jack", "Ray",
        "Mary", "Tuesday", "Monday", "Friday",
        # Places and countries that are given names in some lists.
        "Arran", "Aurora", "Brent", "Brooklyn", "Carolina", "Chad", "Chelsea", "Dakota",
        "Devon", "Georgia", "India", "Iona", "Israel", "Kent", "Kingston", "Lincoln",
        "Man", "Marine", "Milton", "Orlando", "Paris", "Peace", "Phoenix", "Preston",
        "Savannah", "Sierra", "Skye", "Sydney", "Trent", "Virginia", "Warwick", "Canal",
    }
)  # fmt: skip


@cache
def _given_names() -> frozenset[str]:
    names: set[str] = set()
    for locale in _LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ModuleNotFoundError:
            continue  # a locale this Faker release does not ship
        for attribute in _ATTRIBUTES:
            listed = getattr(provider, attribute, None) or ()
            names.update(n for n in listed if isinstance(n, str) and n.isalpha())
    return frozenset(names - _ALSO_WORDS)


def is_given_name(word: str) -> bool:
    """Whether a capitalised word is a given name and rarely anything else.

    Args:
        word: One word as written ("Gareth").

    Returns:
        True for a listed given name that is not also a common capitalised word
        (a month, a virtue, a place).
    """
    return word in _given_names()
