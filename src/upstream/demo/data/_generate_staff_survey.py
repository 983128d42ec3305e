"""Write the demo staff survey: every demo organisation's staff, 2024 to 2026.

Every answer is invented. Each organisation has a culture of its own on the four
culture themes (empowerment, outward focus, mission, risk and change) and a
direction of travel, written below as a short story; each person's answers are
drawn around it, and engagement follows culture. Answers are 1 (strongly
disagree) to 5 (strongly agree), blank now and then.

Run from anywhere with ``python _generate_staff_survey.py``; output goes next to
this file. Re-running gives a byte-identical ``staff_survey.csv``.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path
from typing import Final

SEED: Final = 20261204
HERE: Final = Path(__file__).resolve().parent
YEARS: Final = (2024, 2025, 2026)
THEMES: Final = {
    "empowerment": ("emp_say", "emp_freedom", "emp_trusted", "emp_voice"),
    "outward_focus": ("out_residents", "out_improve", "out_ideas", "out_listen"),
    "mission": ("mis_purpose", "mis_contribute", "mis_manager", "mis_motivated"),
    "risk_change": ("risk_new_idea", "risk_challenge", "risk_change_well", "risk_better"),
}
ENGAGEMENT: Final = ("eng_proud", "eng_recommend", "eng_belong", "eng_inspired", "eng_motivated")

# name: (empowerment, outward focus, mission, risk and change) in 2024 on a latent
# scale (0 is neutral), then the change per year on each; the story in a comment.
CULTURE: Final[dict[str, tuple[tuple[float, ...], tuple[float, ...]]]] = {
    # Devolved decisions to neighbourhood teams; the pioneer of the network.
    "London Borough of Larkwell": ((1.0, 1.1, 1.0, 0.6), (0.10, 0.05, 0.0, 0.20)),
    # A new chief executive opened things up: a steep climb from a low start.
    "Kestlebury Council": ((0.1, 0.5, 0.6, -0.2), (0.35, 0.15, 0.10, 0.40)),
    # Case systems and procedure: inward-looking, little movement.
    "Brackenshire County Council": ((0.0, 0.1, 0.7, -0.3), (0.0, 0.02, -0.05, 0.0)),
    "Orrinsford City Council": ((0.5, 0.6, 0.8, 0.2), (0.05, 0.10, 0.0, 0.05)),
    "London Borough of Stannerton": ((0.7, 0.9, 0.9, 0.4), (0.05, 0.0, 0.05, 0.10)),
    "Hollinsby Metropolitan Borough Council": ((0.4, 0.5, 0.7, 0.1), (0.10, 0.10, 0.05, 0.05)),
    # A restructure in 2025: risk and change falls away.
    "Mardenholt District Council": ((0.6, 0.7, 0.8, 0.5), (-0.10, -0.05, -0.10, -0.40)),
    "Weyhaven District Council": ((0.6, 0.8, 0.8, 0.3), (0.0, 0.05, 0.0, 0.0)),
    "Tullworth Borough Council": ((0.3, 0.6, 0.6, 0.0), (0.05, 0.05, 0.05, 0.10)),
    # Strong sense of purpose, little say for staff.
    "Orrinsford Community Health NHS Trust": ((-0.2, 0.8, 1.3, -0.1), (0.05, 0.0, 0.0, 0.05)),
    "Fellstone Homes": ((0.5, 1.0, 0.9, 0.3), (0.10, 0.05, 0.05, 0.05)),
    "Brackenshire Voluntary Action": ((1.2, 1.3, 1.4, 1.0), (0.0, 0.0, 0.0, 0.0)),
}
DIRECTORATES: Final = {
    "district council": (
        "Chief Executive's Office",
        "Housing and Communities",
        "Place and Environment",
        "Resources",
    ),
    "NHS trust": ("Community Services", "Nursing and Therapies", "Corporate Services"),
    "housing association": ("Housing Services", "Repairs", "Resources"),
    "voluntary sector infrastructure body": ("Whole organisation",),
}
COUNCIL_DIRECTORATES: Final = (
    "Adults and Health",
    "Chief Executive's Office",
    "Children and Families",
    "Housing and Communities",
    "Place and Environment",
    "Resources",
)
GRADES: Final = (
    ("Band 1-3", 0.35),
    ("Band 4-6", 0.4),
    ("Band 7-9", 0.2),
    ("Senior leadership", 0.05),
)


def level(latent: float) -> int:
    """A latent agreement as an answer from 1 (strongly disagree) to 5 (strongly agree)."""
    for answer, cut in enumerate((-1.6, -0.6, 0.25, 1.5), start=1):
        if latent < cut:
            return answer
    return 5


def respondents(headcount: int) -> int:
    """How many people answer in a year: more in larger organisations, a few in the smallest."""
    return max(12, min(90, round(1.2 * math.sqrt(headcount))))


def rows() -> list[list[object]]:
    """Every respondent's row, organisations in file order, then by year."""
    rng = random.Random(SEED)
    with (HERE / "organisations.csv").open(encoding="utf-8", newline="") as handle:
        organisations = list(csv.DictReader(handle))
    out: list[list[object]] = []
    number = 0
    for org in organisations:
        base, trend = CULTURE[org["name"]]
        directorates = DIRECTORATES.get(org["kind"], COUNCIL_DIRECTORATES)
        for year in YEARS:
            shift = year - YEARS[0]
            for _ in range(respondents(int(org["headcount"])) + rng.randint(-3, 3)):
                number += 1
                person = rng.gauss(0, 0.7)
                grade = rng.choices([g for g, _ in GRADES], weights=[w for _, w in GRADES])[0]
                senior = 0.3 if grade == "Senior leadership" else 0.0
                answers: list[object] = []
                culture = []
                for index, items in enumerate(THEMES.values()):
                    theme = base[index] + trend[index] * shift + person + senior
                    culture.append(theme)
                    answers += [level(theme + rng.gauss(0, 0.9)) for _ in items]
                engaged = 0.2 + 0.7 * sum(culture) / len(culture) + rng.gauss(0, 0.3)
                answers += [level(engaged + rng.gauss(0, 0.8)) for _ in ENGAGEMENT]
                answers = ["" if rng.random() < 0.02 else a for a in answers]
                out.append(
                    [
                        f"SS-{number:05d}",
                        org["name"],
                        year,
                        rng.choice(directorates),
                        grade,
                        *answers,
                    ]
                )
    return out


def main() -> None:
    """Write ``staff_survey.csv`` next to this file."""
    header = [
        "respondent_id",
        "organisation",
        "year",
        "directorate",
        "grade_band",
        *(item for items in THEMES.values() for item in items),
        *ENGAGEMENT,
    ]
    with (HERE / "staff_survey.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows())


if __name__ == "__main__":
    main()
