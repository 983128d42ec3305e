# ruff: noqa: E501
"""Write the bundled demo dataset for upstream.

Every organisation, place, person and sentence here is fictional and was written for
the project. The texts are hand-written and kept in ``_texts_network.py`` (visits and
workshops) and ``_texts_public.py`` (consultation replies and the staff survey); this
script only attaches metadata (ids, dates within a visit, like counts, handles)
deterministically and writes the files.

Run from anywhere with ``python _generate.py``; output goes next to this file.
Re-running with the same seed gives byte-identical files.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Final

from upstream.demo.data._texts_network import (
    NOTES,
    ORGS,
    STICKIES,
    VISIT_NAMES,
    VISITS,
    WORKSHOP_DATES,
)
from upstream.demo.data._texts_public import (
    CONSULTATION_ORG,
    CONSULTATION_QUESTION,
    CONSULTATION_START,
    QUESTIONS,
    REPLIES,
    SURVEY,
)

SEED: Final = 20240213
HERE: Final = Path(__file__).resolve().parent

# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------

FIRST_NAMES: Final = [
    "jo",
    "dave",
    "sarah",
    "kez",
    "mo",
    "priya",
    "tom",
    "bex",
    "gaz",
    "ade",
    "lou",
    "nat",
    "sam",
    "kat",
    "rich",
    "jen",
    "dan",
    "amira",
    "chris",
    "steph",
    "pete",
    "lisa",
    "raj",
    "fi",
    "olu",
    "mags",
    "ben",
    "tash",
    "liz",
    "deano",
    "shaz",
    "yusuf",
    "ellie",
    "marc",
    "bridget",
    "tony",
    "hannah",
    "kwame",
    "ros",
    "wes",
]
HANDLE_WORDS: Final = [
    ("Tired", "Commuter"),
    ("Green", "Fingers"),
    ("NightShift", "Nurse"),
    ("Proud", "Larkwellian"),
    ("Old", "Rambler"),
    ("Busy", "Mum"),
    ("Grumpy", "Cyclist"),
    ("Retired", "Teacher"),
    ("Local", "Lad"),
    ("Dog", "Walker"),
    ("School", "Run"),
    ("Allotment", "Dreamer"),
    ("Bus", "Stop"),
    ("Canal", "Walker"),
    ("Corner", "Shop"),
    ("Quiet", "Neighbour"),
    ("Rainy", "Day"),
    ("Park", "Bench"),
    ("Big", "Sister"),
    ("Weekend", "Dad"),
]
SURNAMES: Final = [
    "hadley",
    "okafor",
    "mensah",
    "brennan",
    "patel",
    "walsh",
    "ng",
    "osei",
    "kowalski",
    "reid",
    "ahmed",
    "doyle",
    "fenwick",
    "hussain",
    "carter",
    "lowe",
    "murphy",
    "quinn",
]


def ward_stub(ward: str) -> str:
    """Turn a ward name into the kind of fragment people put in handles."""
    return ward.replace("'", "").replace(" ", "").lower() if ward else "larkwell"


def make_handle(rng: random.Random, ward: str, taken: set[str]) -> str:
    """Invent a pseudonymous social-media handle not used before."""
    while True:
        style = rng.randrange(6)
        if style == 0:
            handle = f"{rng.choice(FIRST_NAMES)}{rng.choice('abcdefghjklmnprstw')}{rng.randrange(10, 99)}"
        elif style == 1:
            handle = f"{rng.choice(FIRST_NAMES)}_{ward_stub(ward)}"
        elif style == 2:
            adj, noun = rng.choice(HANDLE_WORDS)
            handle = f"{adj}{noun}{rng.choice(['', str(rng.randrange(1, 99))])}"
        elif style == 3:
            handle = f"{rng.choice(FIRST_NAMES)}.{rng.choice(SURNAMES)}"
        elif style == 4:
            handle = f"{ward_stub(ward).capitalize()}{rng.choice(['Mum', 'Dad', 'Resident', 'Local', 'Born', 'Gran'])}"
        else:
            handle = f"{rng.choice(FIRST_NAMES)}{rng.choice(SURNAMES)}{rng.randrange(1960, 2008)}"
        if handle not in taken and "69" not in handle:
            taken.add(handle)
            return handle


def draw_likes(rng: random.Random) -> int:
    """Skewed like count for an ordinary reply: mostly 0-5, occasionally more."""
    roll = rng.random()
    if roll < 0.36:
        return 0
    if roll < 0.56:
        return 1
    if roll < 0.70:
        return 2
    if roll < 0.79:
        return 3
    if roll < 0.86:
        return 4
    if roll < 0.91:
        return 5
    if roll < 0.98:
        return rng.randrange(6, 13)
    return rng.randrange(13, 19)


def draw_reposts(rng: random.Random, likes: int) -> int:
    """Reposts loosely follow likes."""
    if likes >= 100:
        return int(likes * rng.uniform(0.08, 0.25))
    if likes >= 20:
        return int(likes * rng.uniform(0.02, 0.15))
    roll = rng.random()
    return 0 if roll < 0.82 else 1 if roll < 0.96 else 2


def draw_day(rng: random.Random) -> int:
    """Days after the question was posted: most replies come in the first two days."""
    roll = rng.random()
    if roll < 0.45:
        return 0
    if roll < 0.67:
        return 1
    if roll < 0.77:
        return 2
    return rng.randrange(3, 14)


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Write a UTF-8 CSV with standard quoting."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def build_organisations() -> None:
    """Write organisations.csv."""
    rows = [list(org) for org in ORGS.values()]
    write_csv(
        HERE / "organisations.csv", ["name", "kind", "region", "population", "headcount"], rows
    )


def build_visit_notes(rng: random.Random) -> None:
    """Write visit_notes.jsonl, one note per line, in date order."""
    dated: list[tuple[date, int, dict[str, str]]] = []
    for order, (org, visit, role, text) in enumerate(NOTES):
        start = date.fromisoformat(VISITS[org][visit])
        when = start + timedelta(days=rng.choice([0, 0, 1]))
        record = {
            "organisation": ORGS[org][0],
            "role": role,
            "date": when.isoformat(),
            "visit": VISIT_NAMES[visit],
            "text": text,
        }
        dated.append((when, order, record))
    dated.sort(key=lambda item: (item[0], item[1]))
    with (HERE / "visit_notes.jsonl").open("w", encoding="utf-8", newline="\n") as handle:
        for number, (_, _, record) in enumerate(dated, start=1):
            line = {"id": f"VN-{number:04d}", **record}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def build_stickies(rng: random.Random) -> None:
    """Write workshop_stickies.csv, stickies shuffled within each board column."""
    groups: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for workshop, column, org, role, text in STICKIES:
        groups.setdefault((workshop, column), []).append((org, role, text))
    rows: list[list[str]] = []
    for (workshop, column), notes in groups.items():
        shuffled = list(notes)
        rng.shuffle(shuffled)
        for org, role, text in shuffled:
            rows.append([workshop, column, ORGS[org][0], role, WORKSHOP_DATES[workshop], text])
    numbered = [[f"ST-{n:04d}", *row] for n, row in enumerate(rows, start=1)]
    write_csv(
        HERE / "workshop_stickies.csv",
        ["note_id", "workshop", "column", "organisation", "role", "date", "text"],
        numbered,
    )


def build_replies(rng: random.Random) -> None:
    """Write consultation_replies.csv in the order replies arrived."""
    taken = {handle for _, _, _, handle, _ in REPLIES if handle}
    drafted: list[tuple[int, float, list[object]]] = []
    for ward, likes, day, handle, text in REPLIES:
        likes_value = draw_likes(rng) if likes is None else likes
        day_value = draw_day(rng) if day is None else day
        who = handle or make_handle(rng, ward, taken)
        when = CONSULTATION_START + timedelta(days=day_value)
        reposts = draw_reposts(rng, likes_value)
        # Popular replies tend to be early; sort key mixes day and a random tie-break.
        drafted.append(
            (
                day_value,
                rng.random() - likes_value / 1000,
                [when.isoformat(), who, ward, likes_value, reposts, text],
            )
        )
    drafted.sort(key=lambda item: (item[0], item[1]))
    rows = [[f"R-{n:04d}", *row] for n, (_, _, row) in enumerate(drafted, start=1)]
    write_csv(
        HERE / "consultation_replies.csv",
        ["reply_id", "date", "respondent", "ward", "likes", "reposts", "text"],
        rows,
    )


def build_survey() -> None:
    """Write survey_comments.csv ordered by year then organisation."""
    ordered = sorted(SURVEY, key=lambda row: (row[3], list(ORGS).index(row[0])))
    rows = [
        [f"SC-{n:04d}", ORGS[org][0], directorate, grade, year, QUESTIONS[q], text]
        for n, (org, directorate, grade, year, q, text) in enumerate(ordered, start=1)
    ]
    write_csv(
        HERE / "survey_comments.csv",
        ["response_id", "organisation", "directorate", "grade_band", "year", "question", "text"],
        rows,
    )


MANIFEST: Final = f"""\
# How to import the bundled demo dataset. Paths are relative to this file.
# Every organisation, person, place and text in it is fictional.
workspace: Demo learning network
organisations: organisations.csv
files:
  - path: visit_notes.jsonl
    source: Learning visits and interviews
    kind: visit notes
    text_column: text
    id_column: id
    org_column: organisation
    role_column: role
    date_column: date
    attribute_columns: [visit]
  - path: workshop_stickies.csv
    source: Network workshops
    kind: workshop notes
    text_column: text
    id_column: note_id
    org_column: organisation
    role_column: role
    date_column: date
    attribute_columns: [workshop, column]
  - path: consultation_replies.csv
    source: Public question on social media, May 2025
    question: "{CONSULTATION_QUESTION}"
    kind: consultation replies
    org: {ORGS[CONSULTATION_ORG][0]}
    text_column: text
    id_column: reply_id
    date_column: date
    engagement_columns: [likes, reposts]
    attribute_columns: [ward, respondent]
    redact: true
  - path: survey_comments.csv
    source: Staff survey open comments
    kind: survey comments
    text_column: text
    id_column: response_id
    org_column: organisation
    attribute_columns: [directorate, grade_band, year, question]
"""

README: Final = f"""\
# Demo learning network

This folder is upstream's bundled demo: a small, self-consistent learning network of
{len(ORGS)} fictional organisations (nine English councils of different kinds, an NHS
community trust, a housing association and a voluntary-sector infrastructure body) and
what their staff, partners and residents said between January 2024 and October 2026 -
notes from learning visits, sticky notes from three network workshops, replies to a
council's public question on social media, and open comments from staff surveys. Every
organisation, place, ward, person, handle, email address, phone number, postcode and
sentence here is invented and was written for the project; any resemblance to real
councils or people is accidental (phone numbers are in Ofcom's drama ranges, email
addresses use example domains, and postcodes use an area code that does not exist).
`manifest.yaml` says how to import each file; `_generate.py` writes the text files
deterministically from the hand-written texts in `_texts_network.py` and
`_texts_public.py`.

- `organisations.csv` - name, kind, region, population (residents served, for partners), headcount
- `visit_notes.jsonl` - id, organisation, role, date, visit, text
- `workshop_stickies.csv` - note_id, workshop, column, organisation, role, date, text
- `consultation_replies.csv` - reply_id, date, respondent, ward, likes, reposts, text
  (asked by {ORGS[CONSULTATION_ORG][0]}: "{CONSULTATION_QUESTION}")
- `survey_comments.csv` - response_id, organisation, directorate, grade_band, year,
  question, text
- `staff_survey.csv` - respondent_id, organisation, year (2024-2026), directorate, grade_band,
  then each culture statement (`emp_`, `out_`, `mis_`, `risk_`) and engagement statement
  (`eng_`) answered 1 (strongly disagree) to 5 (strongly agree); written by
  `_generate_staff_survey.py` and stored by `upstream demo` as the survey "Staff survey"
- `early_help_appraisal.csv` - a cost–benefit SPEC (item, kind, category, year, amount,
  optimism_bias, deadweight, attribution) for an early-help hub run by a county council,
  an NHS trust and the police; read by `upstream benefits appraise` and the appraisal page
- `channel_volumes.csv` - channel, contacts, unit_cost: one council's contacts a year
  (empty unit costs take the Socitm defaults)
- `measures.csv` - organisation, service, measure, period, value, unit, channel, kind,
  change: measure series with baselines, targets and the dates of changes made
- `manifest.yaml` - import instructions for the text files above
"""


def main() -> None:
    """Write every file of the demo dataset next to this script."""
    rng = random.Random(SEED)
    build_organisations()
    build_visit_notes(rng)
    build_stickies(rng)
    build_replies(rng)
    build_survey()
    (HERE / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    (HERE / "README.md").write_text(README, encoding="utf-8")


if __name__ == "__main__":
    main()
