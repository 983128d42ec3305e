# ruff: noqa: E501
"""Write the bundled demo dataset for upstream.

Every organisation, place, person and sentence here is fictional and was written for
the project. The texts are hand-written; this script only attaches metadata (ids,
dates within a visit, like counts, handles) deterministically and writes the files.

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

SEED: Final = 20240213
HERE: Final = Path(__file__).resolve().parent

# The hand-written tables below keep one record per line.
# fmt: off

# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------

# key: (name, kind, region, population, headcount)
ORGS: Final[dict[str, tuple[str, str, str, int, int]]] = {
    "BRK": ("Brackenshire County Council", "county council", "East Midlands", 742_000, 5_870),
    "ORR": ("Orrinsford City Council", "unitary council", "North West", 318_000, 4_120),
    "STN": ("London Borough of Stannerton", "London borough", "London", 271_000, 3_340),
    "HOL": ("Hollinsby Metropolitan Borough Council", "metropolitan borough", "Yorkshire and the Humber", 221_000, 3_690),
    "MAR": ("Mardenholt District Council", "district council", "South East", 131_000, 520),
    "KES": ("Kestlebury Council", "unitary council", "South West", 198_000, 3_080),
    "WEY": ("Weyhaven District Council", "district council", "East of England", 94_000, 410),
    "LAR": ("London Borough of Larkwell", "London borough", "London", 334_000, 4_560),
    "TUL": ("Tullworth Borough Council", "district council", "West Midlands", 109_000, 640),
    "OCH": ("Orrinsford Community Health NHS Trust", "NHS trust", "North West", 460_000, 5_210),
    "FEL": ("Fellstone Homes", "housing association", "Yorkshire and the Humber", 58_000, 870),
    "BVA": ("Brackenshire Voluntary Action", "voluntary sector infrastructure body", "East Midlands", 742_000, 34),
}

# ---------------------------------------------------------------------------
# Visit notes
# ---------------------------------------------------------------------------

VISIT_NAMES: Final[dict[str, str]] = {
    "D": "Discovery visit",
    "F": "Follow-up visit",
    "M": "Mainstreaming review",
    "C": "Cyber incident learning review",
    "W": "Flood response debrief",
}

# First day of each visit; interviews run over that day and the next.
VISITS: Final[dict[str, dict[str, str]]] = {
    "BRK": {"D": "2024-02-13", "F": "2025-03-04", "M": "2026-05-19"},
    "BVA": {"D": "2024-02-14", "F": "2025-03-05", "M": "2026-05-20"},
    "ORR": {"D": "2024-03-05", "F": "2025-02-11", "M": "2026-04-21"},
    "OCH": {"D": "2024-03-06", "F": "2025-02-12", "M": "2026-04-22"},
    "STN": {"D": "2024-02-27", "F": "2025-04-08", "M": "2026-06-09"},
    "HOL": {"D": "2024-04-16", "F": "2025-05-13", "M": "2026-07-07"},
    "FEL": {"D": "2024-04-17", "F": "2025-05-14", "M": "2026-07-08"},
    "MAR": {"D": "2024-01-23", "F": "2025-01-28", "M": "2026-03-10"},
    "KES": {"D": "2024-05-14", "C": "2025-03-25", "F": "2025-06-17", "M": "2026-08-18"},
    "WEY": {"D": "2024-03-19", "W": "2024-11-26", "F": "2025-07-15", "M": "2026-09-08"},
    "LAR": {"D": "2024-06-04", "F": "2025-06-03", "M": "2026-10-06"},
    "TUL": {"D": "2024-07-09", "F": "2025-08-12", "M": "2026-09-22"},
}

# (org, visit, role, text)
NOTES: Final[list[tuple[str, str, str, str]]] = [
    # Brackenshire: large, cautious county; legacy IT, procurement and sign-off
    # chains; pockets of staff-led innovation in libraries; a sandbox by 2026.
    ("BRK", "D", "Chief Executive", "Described a £46m gap over the next three years. Her worry is that members will try to cut their way through it: 'Trim adult social care and the cost turns up somewhere else, usually in A&E.'"),
    ("BRK", "D", "Head of Transformation", "Every new idea goes through the same gateway as a £20m capital scheme - legal, procurement, information governance, then a board that sits every six weeks. By the time a pilot is approved, the people who wanted it have often moved on."),
    ("BRK", "D", "Procurement lead", "Defended the contract procedure rules as protecting public money, but agreed that a £12k grant to a parish lunch club should not need three quotes and a waiver. 'I know how it looks from outside. The rules were tightened after an audit finding years ago and nobody has dared touch them since.'"),
    ("BRK", "D", "Frontline social worker", "Our case management system dates from 2006. I type the same family history into three different screens and it still can't see the health record. Some weeks that's a day and a half gone."),
    ("BRK", "D", "Library manager", "In the cold snap the libraries opened as warm spaces with no business case at all; staff simply did it. People came in for the heating and stayed for the company. She wants to keep it going but says nobody in the council owns it."),
    ("BRK", "D", "Data analyst", "Fourteen systems hold resident data and there is no single view of a household. We can report on almost everything and learn from almost nothing."),
    ("BRK", "F", "Head of Transformation", "The test-and-learn team set up last year has been folded into the corporate programme office. It now produces highlight reports with RAG ratings, and team members say the experiments have quietly stopped. A textbook case of the old model absorbing the new one."),
    ("BRK", "F", "Councillor", "Residents in my division don't care which tier does what. They want the bus back and someone to answer the phone. I'd back taking more risk if officers could tell me what we'd learn from it."),
    ("BRK", "F", "Finance business partner", "Budgets sit in service lines, so nobody can fund prevention when the saving lands in another directorate. Showed us a falls-prevention bid that was turned down because most of the benefit would fall to the NHS."),
    ("BRK", "F", "Frontline social worker", "Morale in the locality team is low. Vacancies are covered by agency staff who don't know the community groups, and referrals to the voluntary sector have dropped as a result."),
    ("BRK", "F", "Head of IT", "A replacement case system is in the capital programme for 2027. Until then it's patching. He accepted that years of bolt-ons have made things worse, not better."),
    ("BRK", "M", "Chief Executive", "Cabinet approved an innovation sandbox last autumn: up to £250k a year, lighter sign-off, and a written promise that an experiment that fails will not be treated as a failing officer. Small money, but the first time the council has put in writing that it will take upside risk."),
    ("BRK", "M", "Head of Transformation", "Three sandbox pilots are running, one of them co-designed with Brackenshire Voluntary Action. The full procurement rules still apply above £25k, so the team keep pilots deliberately small, which limits what they can learn."),
    ("BRK", "M", "Library manager", "The warm spaces became 'community living rooms' in eleven libraries. Footfall is up and social prescribing link workers now come in on Tuesdays. It happened because staff were trusted to run it, not because of a strategy."),
    ("BRK", "M", "Data analyst", "Still no shared data with health. We looked at how Orrinsford got their agreement signed and the honest answer seems to be years of relationship, not a clever template."),
    # Orrinsford: strong data partnership with the community trust; prevention;
    # pooled frailty budget; tension over consent and police access.
    ("ORR", "D", "Director of Public Health", "The linked dataset with the community trust shows who is heading for a crisis before they reach the front door. Last winter it flagged around 1,900 older residents at risk of a fall and living in a cold home, and the warm-homes team knocked on doors before the first frost."),
    ("ORR", "D", "Data analyst", "Two years went on the information-sharing agreement, mostly in rooms with the Caldicott guardian and the DPO. Once it was signed we never had to renegotiate it project by project. That was the breakthrough: one agreement, many uses."),
    ("ORR", "D", "Chief Executive", "Sees the council as a convener and data provider for the city as much as a provider of services. 'If we hold the best picture of need, we should share it - including with the charities, who are often closer to people than we are.'"),
    ("ORR", "D", "Head of Transformation", "Adult social care still runs on weekly targets and 'contacts closed'. The data partnership tells us who to help; the culture in some teams still rewards closing the case fast."),
    ("ORR", "D", "Councillor", "Worried about consent. People on her estate are suspicious about who sees their information. The citizens' data panel has helped, but it's thirty people and they aren't the ones who are most suspicious."),
    ("ORR", "F", "Data analyst", "The joint team now has four council analysts and three from the trust sitting together two days a week, with one backlog and one dashboard. Nobody checks whose lanyard you're wearing."),
    ("ORR", "F", "Finance business partner", "The pooled frailty budget is £8.4m, split roughly 60/40 with the NHS. It ended the argument about whose savings they are. It hasn't ended the argument about whose overspend it is."),
    ("ORR", "F", "Frontline social worker", "The risk list is useful, but a name on a spreadsheet isn't a relationship. We still need time to sit with people, and caseloads haven't come down."),
    ("ORR", "F", "Community connector", "The data said one street had the highest loneliness score in the city. When we went, we found a busy WhatsApp group and a retired cook feeding six neighbours. Numbers get you to the door; conversations tell you what's behind it."),
    ("ORR", "F", "Head of Transformation", "Teams are starting to use the dataset for learning rather than judgement: a monthly session looking at what changed and why, instead of which number went red."),
    ("ORR", "M", "Director of Public Health", "Emergency admissions for falls among over-75s are down about 11% over two years in the targeted neighbourhoods, against 3% elsewhere. He was careful to call it the whole system's result, not one intervention's."),
    ("ORR", "M", "Data analyst", "The next argument is with the police. They want to join the dataset, the residents' panel is uneasy, and we don't yet have an answer on how far is too far."),
    ("ORR", "M", "Chief Executive", "Mainstreaming is the real test. Prevention now sits in the base budget rather than a grant, so the next time money is tight it has to be argued for like any other service. 'I think it survives. I'm not certain.'"),
    ("ORR", "M", "Housing officer", "We get an alert when a private tenant appears on the fuel-poverty list. Half our damp and mould inspections now start from that feed rather than from a complaint."),
    # Stannerton: far ahead on community asset-based working ('doing with');
    # participatory budgeting; housing demand and staff burnout.
    ("STN", "D", "Head of Communities", "There are now 38 community connectors, most recruited from the estates they work on. They don't assess anyone. Their job is to find out what people care about and who else nearby cares about the same thing."),
    ("STN", "D", "Community connector", "I used to be the person people complained to about the council. Now I'm the one who helps them do something about it. Last month some mums started a Saturday football session in the car park - all I did was get them the keys and the insurance."),
    ("STN", "D", "Chief Executive", "We stopped asking what services people need and started asking what's strong round here and what's getting in the way. It sounds like a small change. It changed every conversation we have with residents."),
    ("STN", "D", "Councillor", "Participatory budgeting put £600k in residents' hands this year across eight wards, and turnout beat the local elections in two of them. Some colleagues hated it, because it means giving up control of the decision."),
    ("STN", "D", "Housing officer", "Temporary accommodation is what keeps her awake: over 3,000 households, and the nightly B&B rate has nearly doubled. 'No amount of community work fixes the housing market.'"),
    ("STN", "D", "Finance business partner", "The micro-grants sit outside the normal procurement route, capped at £5k and decided by a panel of residents. Audit were nervous at first. The loss rate is lower than on our contracts."),
    ("STN", "F", "Community connector", "The hard part is what we do with what we learn. A mum tells me about her son's debts, but I can't pass that to early help without her say-so, and I wouldn't want to. The systems assume consent is a tick box."),
    ("STN", "F", "Head of Transformation", "Other councils visit most months wanting to copy the connectors. What they miss is the eight years of relationships underneath it. You can't procure trust."),
    ("STN", "F", "Frontline social worker", "Caseloads are at 24 and the team is running on goodwill. Two colleagues went off with stress in the spring. Strengths-based practice is right, but it takes more time, not less."),
    ("STN", "F", "VCS partner", "The council used to commission us to deliver a service. Now they ask what we think should happen and help pay for it. That shift is real - but the grants still run one year at a time."),
    ("STN", "F", "Data analyst", "Connectors are measured on stories as well as numbers: a quarterly learning harvest where residents and staff describe what changed. The cabinet actually reads it, which is unusual."),
    ("STN", "M", "Chief Executive", "Working with residents rather than on them is now in the council plan, and every directorate has to show what that means in practice. The danger is it turns into a slogan, so she has asked the connectors to tell her whenever they hear it used that way."),
    ("STN", "M", "Community connector", "Some of the new managers talk about 'rolling out' community power. You can't roll it out. It grows or it doesn't."),
    ("STN", "M", "Housing officer", "The homelessness prevention surgery now runs in the residents' café on the Marsh estate. More people come early, before the eviction notice rather than after it."),
    ("STN", "M", "Head of Communities", "Staff wellbeing is now the top risk on the register. Connectors absorb a lot of other people's trauma and we were slow to give them proper supervision. That's being fixed this year."),
    # Hollinsby: place-based neighbourhood teams with NHS, police and Fellstone;
    # pooled neighbourhood budgets; IT and police data-sharing barriers.
    ("HOL", "D", "Neighbourhood manager", "Six neighbourhood teams, each with council staff, a PCSO, a district nurse and a Fellstone Homes officer under one roof. The morning huddle lasts fifteen minutes and does more than any of the old multi-agency panels did."),
    ("HOL", "D", "Chief Executive", "Place is our unit of change. Problems don't respect directorate boundaries, so we organised around where people live rather than the services we happen to run."),
    ("HOL", "D", "Finance business partner", "Each neighbourhood has a pooled budget of about £400k from the council, the NHS and the police. Teams can spend up to £2,000 on a household without asking anyone, and most spends are under £300 - a washing machine, a month's arrears, a bus pass."),
    ("HOL", "D", "Early help practitioner", "We reach families about eighteen months earlier than we used to. Usually it's the school or the nurse in the huddle who spots something, not a referral form."),
    ("HOL", "D", "Head of IT", "Every partner brought its own laptops and its own system, so staff in the hubs carry three devices. One shared record is years away, and the police system is the hardest of all to connect."),
    ("HOL", "D", "Police inspector", "Intelligence still moves between police and council by phone and email, because the formal route takes weeks. It works because people trust each other - which is fine until someone leaves."),
    ("HOL", "F", "Neighbourhood manager", "The building matters more than we thought. In the two neighbourhoods where the team sits above the library, residents just walk in. In the one based in the civic centre, they don't."),
    ("HOL", "F", "Data analyst", "The data-sharing protocol with the police has been with the lawyers for eleven months. Meanwhile we count what we can count rather than what matters."),
    ("HOL", "F", "Councillor", "The neighbourhood model has cross-party support, which helps a lot. On the doorstep people now know the name of their worker."),
    ("HOL", "F", "Procurement lead", "We wanted to fund a local youth charity for detached work, but the framework pushed us into a regional tender. A national provider won it, the local group lost its funding, and the relationships went with it."),
    ("HOL", "F", "Workforce development lead", "Everyone in the neighbourhood teams, police and nurses included, has done the same five days of training in strengths-based conversations. Sharing a language turned out to matter as much as sharing a building."),
    ("HOL", "F", "Early help practitioner", "We're tired. The neighbourhood teams have absorbed demand that other services closed their doors to, and being the front door for everything wears you down."),
    ("HOL", "M", "Chief Executive", "The pooled budgets have survived two budget rounds, and health colleagues are now asking to add mental health money. That's the real sign it has become normal."),
    ("HOL", "M", "Head of Transformation", "The evaluation shows school exclusions down in four of the six neighbourhoods and fewer repeat calls to police. The two that didn't improve had the highest staff turnover, which tells you where the work really is."),
    ("HOL", "M", "Neighbourhood manager", "Getting better at asking the community for help, not just offering it. The litter-picking group in Eastgate now runs the summer holiday lunches as well."),
    # Mardenholt: small district; chief executive's permission to experiment;
    # leisure centre turned community hub; short-term money; two-tier friction.
    ("MAR", "D", "Chief Executive", "I told staff in my first month that they had permission to try things and that I'd take the flak if an experiment went wrong. Nobody believed me until the first one went wrong and I did."),
    ("MAR", "D", "Head of Transformation", "We're a district of five hundred-odd staff. We don't have a transformation team; we have six people who care and a bit of time on Fridays."),
    ("MAR", "D", "Community connector", "The old leisure centre shut and was due to be sold. The council borrowed it for a month as a winter hub; two winters on it's still open, run mostly by volunteers, with the food bank, a credit union desk and a county adult social care drop-in."),
    ("MAR", "D", "Finance business partner", "Net budget of about £18m. One bad year on planning fees and we're in trouble, so anything we try has to be cheap or it doesn't happen."),
    ("MAR", "D", "Housing officer", "Homelessness is up by a third. We don't hold social care, so when someone needs support we refer to the county and wait. Two tiers means two sets of forms for the same person."),
    ("MAR", "D", "Councillor", "The hub was controversial. Some members wanted the capital receipt. It was residents turning up to the committee meeting that changed their minds."),
    ("MAR", "F", "Head of Transformation", "Most of what we do is paid for from one-year government pots. We build something, it works, the money ends and we lose the person. He has lost count of the fixed-term contracts."),
    ("MAR", "F", "Data analyst", "The housing system and the council tax system came from different suppliers and can't match a household. I do it by hand in a spreadsheet every month."),
    ("MAR", "F", "Chief Executive", "Three experiments failed this year and she's pleased, because each taught them something they then used. The failed online booking system for the hub showed that people wanted to just walk in."),
    ("MAR", "F", "VCS partner", "Mardenholt gets it; the officers pick up the phone. But their procurement team still sends us a forty-page tender for a £15k befriending contract."),
    ("MAR", "F", "Economic development officer", "The high street traders' association now runs a Saturday repair café at the hub and pays for its own insurance. We didn't ask them to. They asked us."),
    ("MAR", "M", "Community connector", "The hub is now in the asset strategy as a community building, on a 25-year lease to a residents' trust. It has stopped being a pilot."),
    ("MAR", "M", "Chief Executive", "Her worry is that the permission culture depends on her. 'If I leave, does it leave with me?' They're trying to write it into how managers are appraised."),
    ("MAR", "M", "Housing officer", "Homelessness prevention has moved into the hub. We see people when they first worry about the rent, not the day the bailiffs arrive."),
    # Kestlebury: new unitary from a merger; culture clash; legacy systems;
    # ransomware in January 2025 as a crisis accelerant; devolved spend.
    ("KES", "D", "Chief Executive", "We inherited four organisations, four cultures and four sets of terms and conditions. People still say 'we' and mean their old district. The first job is simply to become one council."),
    ("KES", "D", "Head of Transformation", "Five finance systems and three HR systems. Until they're consolidated we can't say with confidence how many staff work in each service."),
    ("KES", "D", "Frontline social worker", "The county culture came across with the merger: everything escalates and everything needs a manager's signature. I need a director to approve £150 of emergency food for a family."),
    ("KES", "D", "Procurement lead", "The contract rules were harmonised by taking the strictest version from each predecessor council. It felt safe at the time. It means a village hall grant now carries the same paperwork as a highways contract."),
    ("KES", "D", "Councillor", "Members from the old districts feel the new council is remote. Local area committees were promised and haven't really happened."),
    ("KES", "D", "Head of IT", "The legacy estate is the biggest risk on his register; some of the servers are older than the council. There is a plan to move to cloud, but it keeps losing out to statutory spending."),
    ("KES", "C", "Head of IT", "The ransomware attack in January took out email, the housing system and revenues for nearly four weeks. Homelessness was run on paper and one shared spreadsheet."),
    ("KES", "C", "Housing officer", "Strangely, those weeks had the best teamwork I've seen here. No system, no process, so we talked to each other and decided things on the spot. Nobody wants the attack back. We do want that back."),
    ("KES", "C", "Chief Executive", "The incident did in six weeks what the IT strategy hadn't managed in two years. We had to rebuild, so we rebuilt on cloud. Crisis as accelerant, whether we liked it or not."),
    ("KES", "C", "Data analyst", "Recovering the data showed how much of it was duplicated or simply wrong. We lost less than we feared, partly because half of it was never used."),
    ("KES", "F", "Finance business partner", "The merger was meant to save £16m and about £9m has been found. The rest is coming from holding posts vacant, which is exactly where the burnout is coming from."),
    ("KES", "F", "Head of IT", "Since the attack three finance systems have been retired and email and housing now run in the cloud. Two of the old HR systems are still there because nobody wants to be the one who switches them off."),
    ("KES", "M", "Head of Transformation", "A few things have stuck since the review: a daily stand-up in housing and a single decision log. The risk is that as the systems come back, the old sign-off chains come back with them."),
    ("KES", "M", "Frontline social worker", "I can now authorise up to £500 myself. It's a small thing, but it tells me I'm trusted."),
    ("KES", "M", "Councillor", "Two local area committees now have small devolved budgets. Early days, and patchy."),
    # Weyhaven: coastal district; trusted VCS relationships and long grants;
    # flood of October 2024; short national pots; shared IT contract.
    ("WEY", "D", "Chief Executive", "A small coastal district with some of the poorest wards in the region. 'We can't afford to do everything, so we've bet on the voluntary sector and on relationships that last.'"),
    ("WEY", "D", "VCS partner", "Weyhaven gives three-year grants with a one-page report and a conversation twice a year. The question they ask is what we're learning, not whether we hit the target. I've never had that from any other funder."),
    ("WEY", "D", "Head of Communities", "They stopped commissioning outputs. 'Pay for 400 sessions and you get 400 sessions.' They would rather fund a partner to work out what helps and tell them when something isn't working."),
    ("WEY", "D", "Housing officer", "Seasonal lets push local families out every summer, so homelessness peaks in September when the holiday season ends. No national funding formula understands that."),
    ("WEY", "W", "Community connector", "When the sea wall overtopped in October, the first people on the street were the lifeboat crew and the church, not us. We backed them up rather than taking over, and that's the bit we want to keep."),
    ("WEY", "W", "Data analyst", "We couldn't get the list of vulnerable residents out of the county's adult social care system in time. We used the food bank's list and the GP surgery's list and compared them by hand."),
    ("WEY", "W", "Head of Communities", "Trusted partners were given pre-paid cards on day two with no paperwork, and every pound was accounted for within a month. The relationships did the work the procedures couldn't."),
    ("WEY", "F", "Finance business partner", "National money arrives in short competitive pots with six weeks to bid. We spend more on bidding than some of the pots are worth."),
    ("WEY", "F", "Head of IT", "IT is shared with two neighbouring districts under a contract that runs to 2028. Nothing changes on our side unless all three councils agree."),
    ("WEY", "F", "Councillor", "The trust is real but it's personal - it lives in a handful of officers and a handful of charity leaders. Succession is what worries me."),
    ("WEY", "F", "VCS partner", "The county still procures things we could do better locally, like carers' support. Big providers win on price and then subcontract to us at a loss."),
    ("WEY", "M", "Chief Executive", "The partnership compact is now signed by 31 organisations and sets out how power and risk are shared, including what happens when things go wrong. That was harder to agree than the money."),
    ("WEY", "M", "Community safety officer", "We asked the youth project to design last summer's anti-social behaviour plan with young people themselves. Calls to police about the seafront in August roughly halved."),
    # Larkwell: strong digital and data capability; KPI and target culture
    # ('doing to'); low-traffic neighbourhood row; ran the public question.
    ("LAR", "D", "Head of Digital", "Around 78% of council tax and parking transactions are now online. The app handles missed bins and potholes, and the chatbot deals with about a third of enquiries. Channel shift has saved real money."),
    ("LAR", "D", "Chief Executive", "We're very good at efficient transactions. We're much less good at the messy stuff - the family with four agencies involved and nobody in charge. Digital hasn't touched that."),
    ("LAR", "D", "Councillor", "Residents tell me the council does things to them: the parking zones, the bins, the traffic filters. We consult, but it's 'here's our plan, do you agree?'"),
    ("LAR", "D", "Data analyst", "The corporate dashboard has 140 KPIs and cabinet spends an hour on the red ones. Nobody asks what we learned."),
    ("LAR", "D", "Frontline social worker", "The target is to complete assessments within 45 days. I've closed cases I knew would come back because the clock was running."),
    ("LAR", "D", "Head of Transformation", "There's a small test-and-learn lab with its own design team. The work is good; the trouble is getting it out of the lab and into the service without it being turned back into a project plan."),
    ("LAR", "F", "Head of Digital", "Buying agile digital work under our procurement rules is painful. The framework wants a fixed specification up front, and you can't specify something you haven't learned about yet."),
    ("LAR", "F", "Neighbourhood engagement officer", "The Farrant Park low-traffic scheme has split the neighbourhood. Her reading: we asked for views once, late, and then spent a year defending the answer."),
    ("LAR", "F", "Chief Executive", "After the traffic row they're trying a residents' panel that shapes the next scheme from the start. Slower, he admits, but the first time the engineers have been in a room with residents before the drawings exist."),
    ("LAR", "F", "HR business partner", "Stress-related absence is up for the third year running, worst in children's services and the contact centre, where the volume never drops."),
    ("LAR", "F", "Data analyst", "We put one open question on social media - what would make your neighbourhood better - and got hundreds of replies in a couple of days. Sorting them took two of us a week. Youth provision and fly-tipping came out on top, and neither was on the corporate dashboard."),
    ("LAR", "M", "Head of Transformation", "The dashboard has gone from 140 measures to 30, and each directorate holds a quarterly learning review instead of the performance clinic. Some managers miss the red-amber-green; others say it's the first useful meeting they've had."),
    ("LAR", "M", "Frontline social worker", "The 45-day target is still there, but we can flag a case as needing longer without it counting against us. Sounds like nothing. It changed how I work."),
    ("LAR", "M", "Councillor", "The youth hub that came out of last year's question opened in Copper Row in the summer. Young people sat on the panel that chose the staff."),
    # Tullworth: rewrote procurement rules; alliance contracts; learning
    # reviews instead of performance reports; key-person risk.
    ("TUL", "D", "Procurement lead", "The contract procedure rules were rewritten from scratch three years ago. Grants to local groups under £50k go to a simple panel, and services for people are commissioned as alliances where providers share one outcome and one budget."),
    ("TUL", "D", "Chief Executive", "Procurement used to be seen as the department of no. Now it's the first team people go to, because they help you work out what you're actually trying to buy."),
    ("TUL", "D", "VCS partner", "Under the young people's alliance, five of us share a budget and meet every fortnight to decide who does what. We stopped competing with each other for the same contract."),
    ("TUL", "D", "Head of Transformation", "They no longer report performance to members; they report learning. Each quarter a service brings one thing that worked and one that didn't, with a resident's story alongside the numbers."),
    ("TUL", "D", "Data analyst", "Legacy IT is still a pain - we're on the county's social care system and can't change it. But most of what the learning reviews need comes from conversations, not systems."),
    ("TUL", "F", "Procurement lead", "Six councils have visited this year to ask about the rules, Brackenshire and Kestlebury among them. He tells them the rules were the easy part; getting legal and audit to trust frontline judgement took far longer."),
    ("TUL", "F", "Finance business partner", "The alliance has a shared risk pot. If one partner overspends on a complex case, the others cover it. Under a standard contract that would have been unthinkable."),
    ("TUL", "F", "Councillor", "The opposition called the new rules a charter for cronyism. We answered with transparency: every grant is published within a week, with the panel's reasons."),
    ("TUL", "F", "Housing officer", "Homelessness is commissioned as an alliance with two charities and a housing association, and we now share one caseload. People don't get handed over any more."),
    ("TUL", "F", "Head of Transformation", "Before designing the homelessness alliance they mapped one man's journey over two years: 23 agencies, 61 contacts, nobody responsible for the whole. That map persuaded members more than any business case could."),
    ("TUL", "M", "Chief Executive", "The approach leans heavily on the procurement lead and two or three others. He knows key-person risk is the weak point in the whole thing."),
    ("TUL", "M", "Procurement lead", "They have written a short plain-English guide for other councils, with the actual clauses. Copying the clauses won't work on its own, he says, but it saves a year of drafting."),
    ("TUL", "M", "Head of Transformation", "The county is now trialling the alliance model for carers' support - the first time something has moved up the tiers rather than down."),
    # Orrinsford Community Health NHS Trust: the other half of the data
    # partnership; national targets pull against prevention; vacancies.
    ("OCH", "D", "Clinical lead", "The linked data changed who we see. District nurses used to wait for referrals; now they get a weekly list of people whose risk has jumped and they call in before something goes wrong."),
    ("OCH", "D", "Director of Strategy", "The board was nervous about sharing patient data with the council. What settled it was a citizens' jury saying, clearly, that people expected us to share if it kept them out of hospital."),
    ("OCH", "D", "Data analyst", "Our clinical record and the council's social care system still don't talk to each other. The linked dataset is rebuilt every month from extracts. Clunky, but legal, and it works."),
    ("OCH", "F", "Clinical lead", "National targets pull us back to four-hour waits and elective lists. None of the prevention work shows up in the measures we're judged on."),
    ("OCH", "F", "Community nurse", "Working alongside the council's connectors has taught us that not everything is clinical. Half my frail patients needed company and a warmer house more than they needed another visit from me."),
    ("OCH", "F", "Director of Strategy", "The pooled frailty budget with the city council is the most mature in the region, yet finance still has to report it through two different accounting regimes."),
    ("OCH", "F", "HR business partner", "Community nursing vacancies are running at about 14%. Everyone wants prevention; nobody can staff it."),
    ("OCH", "M", "Clinical lead", "Each primary care network now has a neighbourhood team with a council social worker and a housing officer attached. The first joint caseload review was awkward. By the fifth it was normal."),
    ("OCH", "M", "Data analyst", "The police have asked to join the linked dataset. We've said not yet - the residents' panel asked for a year to see how the data is used first."),
    ("OCH", "M", "Director of Strategy", "It isn't mainstream until it survives a bad winter. This winter it did: we didn't raid the prevention teams to staff the wards."),
    # Fellstone Homes: housing association in Hollinsby and Brackenshire; a
    # partner in one, a contractor in the other; wants data sharing.
    ("FEL", "D", "Tenancy sustainment officer", "Most evictions start as rent arrears we knew about months earlier. If we could see which tenants the council was already supporting, we'd be in there much sooner."),
    ("FEL", "D", "Chief Executive", "We own 24,000 homes across Hollinsby and Brackenshire. In Hollinsby we sit in the neighbourhood teams. In Brackenshire we're a name on a distribution list."),
    ("FEL", "D", "Housing officer", "Damp and mould is the biggest complaint. With the cost-of-living crisis people switch the heating off and the problem gets worse every winter."),
    ("FEL", "F", "Tenancy sustainment officer", "The council won't share safeguarding information with us without a formal request every time, even though we're in the same huddle every morning. It's absurd."),
    ("FEL", "F", "Head of Communities", "Our community investment money has moved out of a grants round and into the neighbourhood pots. Less visible for us as a brand, much more useful for tenants."),
    ("FEL", "F", "Data analyst", "The repairs system can flag homes where nobody has reported anything for three years. Silence is often a warning sign, not a good one, and we'd love to match it against council data."),
    ("FEL", "M", "Tenancy sustainment officer", "Evictions for arrears are down by about 40% in the Hollinsby neighbourhoods since we joined the huddles. In Brackenshire they're flat."),
    ("FEL", "M", "Chief Executive", "Brackenshire has asked for help designing a locality model. We said yes - on condition we're at the table as a partner, not as a contractor."),
    ("FEL", "M", "Resident involvement officer", "Tenants now sit on the panel that decides neighbourhood spending. They are tougher on waste than any auditor I've met."),
    # Brackenshire Voluntary Action: voice of small groups; procurement and
    # short-term money as barriers; relationship with the county warming.
    ("BVA", "D", "Chief Executive", "Around 2,600 voluntary and community groups in the county, most with no paid staff at all. The county's procurement portal is built for companies with a bid writer."),
    ("BVA", "D", "VCS partner", "We're told the council values us, but every conversation is a contract management meeting. Nobody asks what we know."),
    ("BVA", "D", "Development officer", "Three small charities closed last year, each after losing a contract to a larger provider that undercut them on price."),
    ("BVA", "F", "Chief Executive", "The county has signed a compact with us: three-year funding for infrastructure support and a promise to talk before re-tendering. Relationships are warmer than a year ago. Whether the rules change is another matter."),
    ("BVA", "F", "Development officer", "Volunteer numbers never recovered after the pandemic. The same people do everything and they're exhausted; a lot of retired volunteers are now looking after grandchildren or working longer."),
    ("BVA", "F", "VCS partner", "The library warm spaces worked because library staff let us in without a contract. That's how it should work."),
    ("BVA", "M", "Chief Executive", "One of the county's sandbox pilots is ours: community navigators in three market towns. It's small and slow to sign off, but for once we helped design it."),
    ("BVA", "M", "Development officer", "Went to Tullworth with county officers to watch their grants panel. It helped to see it working somewhere with the same audit rules as everyone else."),
    ("BVA", "M", "VCS partner", "Funding still comes a year at a time. You can't build trust with a community on twelve-month money."),
]

# ---------------------------------------------------------------------------
# Workshop sticky notes
# ---------------------------------------------------------------------------

W_OPEN: Final = "Open space: leading places through change"
W_REFLECT: Final = "Reflection: leave behind, keep, do differently"
W_BARRIERS: Final = "Barriers and enablers clinic"

WORKSHOP_DATES: Final[dict[str, str]] = {
    W_OPEN: "2024-10-09",
    W_REFLECT: "2025-04-23",
    W_BARRIERS: "2025-11-18",
}

# (workshop, column, org, role, text)
STICKIES: Final[list[tuple[str, str, str, str, str]]] = [
    # Open space on leadership: columns are the four themes participants chose.
    (W_OPEN, "System leadership of place", "HOL", "Chief Executive", "Lead the place, not just your organisation - hardest when it's your budget being cut"),
    (W_OPEN, "System leadership of place", "ORR", "Chief Executive", "Council, trust and police chief execs meeting monthly with no officers and no papers"),
    (W_OPEN, "System leadership of place", "TUL", "Head of Transformation", "Nobody is in charge of the whole system so everyone has to act a bit as if they are"),
    (W_OPEN, "System leadership of place", "WEY", "Chief Executive", "Give away the credit. Partners stick around when they get the headline."),
    (W_OPEN, "System leadership of place", "BVA", "Chief Executive", "System leadership needs time in diaries, not another board"),
    (W_OPEN, "System leadership of place", "MAR", "Councillor", "Two-tier areas: who leads the place when county and district disagree??"),
    (W_OPEN, "System leadership of place", "HOL", "Head of Transformation", "One outcomes framework for all partners, written in residents' words not ours"),
    (W_OPEN, "System leadership of place", "OCH", "Director of Strategy", "Every winter hospital targets trump the place priorities. Be honest about that."),
    (W_OPEN, "System leadership of place", "FEL", "Chief Executive", "Leaders should spend a day a month sitting in a neighbourhood hub"),
    (W_OPEN, "System leadership of place", "STN", "Head of Communities", "stop badging everything - let the place own the work"),
    (W_OPEN, "Community empowerment", "STN", "Councillor", "Give residents real money to decide on, not a consultation about our plan"),
    (W_OPEN, "Community empowerment", "STN", "Community connector", "Connectors recruited from the estates they work on. Lived experience > job description"),
    (W_OPEN, "Community empowerment", "HOL", "Neighbourhood manager", "Ask communities for help before offering them a service"),
    (W_OPEN, "Community empowerment", "WEY", "VCS partner", "Empowerment means letting people do it differently from how the council would"),
    (W_OPEN, "Community empowerment", "MAR", "Community connector", "Asset transfer WITH support. Not asset dumping."),
    (W_OPEN, "Community empowerment", "LAR", "Head of Digital", "Co-design the brief with residents, not just the leaflet at the end"),
    (W_OPEN, "Community empowerment", "TUL", "Councillor", "Put residents on grant panels - they're harder on waste than officers"),
    (W_OPEN, "Community empowerment", "LAR", "Councillor", "We consult too late, after the decision is basically made"),
    (W_OPEN, "Community empowerment", "BVA", "Development officer", "Small grants, quick decisions, light paperwork. That's it, that's the ask."),
    (W_OPEN, "Community empowerment", "WEY", "Community safety officer", "Young people designing youth services, and paid for their time"),
    (W_OPEN, "Relationship-based leadership", "MAR", "Chief Executive", "Trust first, check later - and mean it when things go wrong"),
    (W_OPEN, "Relationship-based leadership", "HOL", "Police inspector", "Know the names of people in partner organisations, not just their job titles"),
    (W_OPEN, "Relationship-based leadership", "WEY", "Head of Communities", "Relationships outlast restructures. Protect them when you reorganise."),
    (W_OPEN, "Relationship-based leadership", "KES", "Frontline social worker", "Managers who coach rather than check up on us"),
    (W_OPEN, "Relationship-based leadership", "ORR", "Community connector", "Leadership = listening more than talking in the room"),
    (W_OPEN, "Relationship-based leadership", "BRK", "Head of Transformation", "Finance sees time spent on relationships as inefficiency"),
    (W_OPEN, "Relationship-based leadership", "LAR", "Data analyst", "fewer meetings, more actual conversations"),
    (W_OPEN, "Relationship-based leadership", "TUL", "Chief Executive", "Relationships are personal. What happens when the person moves on?"),
    (W_OPEN, "Relationship-based leadership", "STN", "Chief Executive", "Humility - we don't have all the answers and residents know it"),
    (W_OPEN, "Relationship-based leadership", "ORR", "Head of Transformation", "Curiosity over certainty: ask what is going on here before asking who is to blame"),
    (W_OPEN, "Relationship-based leadership", "ORR", "Director of Public Health", "Build the relationships before the crisis, not in the middle of it"),
    (W_OPEN, "Psychological and physical safety", "KES", "Head of Transformation", "Staff must be able to say 'this isn't working' without it costing them their career"),
    (W_OPEN, "Psychological and physical safety", "STN", "Frontline social worker", "Burnout is a leadership problem not a resilience training problem"),
    (W_OPEN, "Psychological and physical safety", "FEL", "Housing officer", "Lone working on estates - frontline safety gets forgotten in the rush to be 'in the community'"),
    (W_OPEN, "Psychological and physical safety", "STN", "Community connector", "Proper supervision for connectors. We hear trauma every single day."),
    (W_OPEN, "Psychological and physical safety", "MAR", "Head of Transformation", "Leaders owning up to their own mistakes first"),
    (W_OPEN, "Psychological and physical safety", "BRK", "Frontline social worker", "Blame after every complaint means people stop trying anything new"),
    (W_OPEN, "Psychological and physical safety", "LAR", "Head of Transformation", "No experimentation without psychological safety. It comes first."),
    (W_OPEN, "Psychological and physical safety", "OCH", "Community nurse", "Nurses are exhausted. Safety starts with safe staffing."),
    (W_OPEN, "Psychological and physical safety", "BVA", "VCS partner", "Volunteers need looking after too. They are not free labour."),
    (W_OPEN, "Psychological and physical safety", "HOL", "Early help practitioner", "Laptops shut at 6pm and leaders modelling it"),
    # Reflection: leave behind / keep / do differently.
    (W_REFLECT, "Leave behind", "KES", "Procurement lead", "Three quotes for a £5k grant to a village hall"),
    (W_REFLECT, "Leave behind", "WEY", "VCS partner", "Annual grant cycles for small charities"),
    (W_REFLECT, "Leave behind", "BRK", "Head of Transformation", "RAG-rated highlight reports that nobody reads"),
    (W_REFLECT, "Leave behind", "LAR", "Data analyst", "140 KPIs and an hour a month arguing about the red ones"),
    (W_REFLECT, "Leave behind", "HOL", "Finance business partner", "The 'not my budget' conversation"),
    (W_REFLECT, "Leave behind", "KES", "Frontline social worker", "five signatures for emergency spend on a family in crisis"),
    (W_REFLECT, "Leave behind", "STN", "VCS partner", "Tendering for things that are really relationships"),
    (W_REFLECT, "Leave behind", "LAR", "Councillor", "Doing things to communities and calling it engagement"),
    (W_REFLECT, "Leave behind", "TUL", "Chief Executive", "Heroic individuals carrying whole programmes on their backs"),
    (W_REFLECT, "Leave behind", "MAR", "Head of Transformation", "Pilots that never end and never scale"),
    (W_REFLECT, "Leave behind", "BRK", "Frontline social worker", "Paper forms that then get typed into 3 systems"),
    (W_REFLECT, "Leave behind", "ORR", "Data analyst", "Treating data sharing as only a legal problem when it's a trust problem"),
    (W_REFLECT, "Leave behind", "WEY", "Finance business partner", "Bidding wars for six-week government funding pots"),
    (W_REFLECT, "Leave behind", "BVA", "VCS partner", "Charities competing against each other for the same contract"),
    (W_REFLECT, "Leave behind", "LAR", "Frontline social worker", "closing cases to beat the clock"),
    (W_REFLECT, "Leave behind", "OCH", "HR business partner", "Presenteeism - being seen at a desk as a proxy for doing the work"),
    (W_REFLECT, "Leave behind", "HOL", "Neighbourhood manager", "Multi-agency panels where everyone reports and nobody decides"),
    (W_REFLECT, "Leave behind", "MAR", "Housing officer", "Separate front doors for the district and the county"),
    (W_REFLECT, "Keep", "KES", "Housing officer", "Deciding on the day with whoever is in the room"),
    (W_REFLECT, "Keep", "KES", "Head of Transformation", "Keep the daily stand-up in housing!"),
    (W_REFLECT, "Keep", "HOL", "Early help practitioner", "Trust in frontline judgement, without second-guessing every call"),
    (W_REFLECT, "Keep", "LAR", "HR business partner", "Flexible and hybrid working. It kept people who would otherwise have left."),
    (W_REFLECT, "Keep", "BRK", "Library manager", "Libraries as warm spaces, run by staff who were trusted to get on with it"),
    (W_REFLECT, "Keep", "WEY", "Head of Communities", "Cash to trusted partners in an emergency, no forms"),
    (W_REFLECT, "Keep", "STN", "Community connector", "Neighbours checking on neighbours - keep the street WhatsApp groups alive"),
    (W_REFLECT, "Keep", "HOL", "Finance business partner", "The pooled budget. Never give it back."),
    (W_REFLECT, "Keep", "ORR", "Director of Public Health", "Data shared because people needed help, not because a form said we could"),
    (W_REFLECT, "Keep", "TUL", "Head of Transformation", "Learning reviews instead of performance clinics"),
    (W_REFLECT, "Keep", "MAR", "Chief Executive", "Permission to fail small and fail fast"),
    (W_REFLECT, "Keep", "STN", "Councillor", "Participatory budgeting - and make the pot bigger"),
    (W_REFLECT, "Keep", "OCH", "Clinical lead", "Joint caseload reviews with council colleagues"),
    (W_REFLECT, "Keep", "FEL", "Resident involvement officer", "Tenants deciding how neighbourhood money is spent"),
    (W_REFLECT, "Keep", "BVA", "Chief Executive", "The compact. Written down so it outlives the people who signed it."),
    (W_REFLECT, "Keep", "MAR", "Community connector", "Online for people who want online, an open door for everyone else"),
    (W_REFLECT, "Keep", "TUL", "Procurement lead", "Alliance contracts with one shared budget"),
    (W_REFLECT, "Keep", "LAR", "Neighbourhood engagement officer", "talking to residents BEFORE the drawings exist"),
    (W_REFLECT, "Keep", "WEY", "Community connector", "Asking the community what's strong, not just what's wrong"),
    (W_REFLECT, "Do differently", "BVA", "Development officer", "Pay partners to find out what helps, not to hit output numbers"),
    (W_REFLECT, "Do differently", "BRK", "Procurement lead", "Rewrite our contract rules so small groups can actually bid. Go and see Tullworth."),
    (W_REFLECT, "Do differently", "HOL", "Data analyst", "One information-sharing agreement, reused for many purposes"),
    (W_REFLECT, "Do differently", "ORR", "Finance business partner", "Put prevention in the base budget, not in grants that run out"),
    (W_REFLECT, "Do differently", "STN", "Head of Communities", "Wellbeing support and supervision for frontline staff and connectors as standard"),
    (W_REFLECT, "Do differently", "KES", "Head of IT", "Invest in the boring IT first - nothing else works without it"),
    (W_REFLECT, "Do differently", "WEY", "Councillor", "Plan succession for relationships, not just for posts"),
    (W_REFLECT, "Do differently", "LAR", "Head of Transformation", "Measure what residents value and put stories next to the numbers"),
    (W_REFLECT, "Do differently", "LAR", "Councillor", "Involve residents at the very start of any traffic scheme"),
    (W_REFLECT, "Do differently", "TUL", "Finance business partner", "Share risk with partners, not just contracts"),
    (W_REFLECT, "Do differently", "WEY", "VCS partner", "Fewer, longer grants to local groups"),
    (W_REFLECT, "Do differently", "MAR", "Councillor", "Design for two-tier areas: one door for the resident whichever council it is"),
    (W_REFLECT, "Do differently", "HOL", "Police inspector", "Bring police into data sharing, with residents' consent built in from the start"),
    (W_REFLECT, "Do differently", "FEL", "Chief Executive", "Housing officers in every neighbourhood team, not just in Hollinsby"),
    (W_REFLECT, "Do differently", "BRK", "Chief Executive", "Ring-fence a small pot for experiments with much lighter sign-off"),
    (W_REFLECT, "Do differently", "ORR", "Community connector", "Count loneliness and connection, not just contacts"),
    (W_REFLECT, "Do differently", "HOL", "Head of Transformation", "Protected time for reflection in every team every month"),
    (W_REFLECT, "Do differently", "ORR", "Head of Transformation", "Stop rewarding speed of closure in adult social care"),
    # Barriers and enablers clinic.
    (W_BARRIERS, "Barrier", "BRK", "Head of Transformation", "Contract rules written for buying gritters, applied to befriending"),
    (W_BARRIERS, "Barrier", "KES", "Finance business partner", "Procurement thresholds so low that every small grant turns into a tender"),
    (W_BARRIERS, "Barrier", "HOL", "Procurement lead", "Regional procurement frameworks that lock out local charities"),
    (W_BARRIERS, "Barrier", "LAR", "Head of Digital", "Procurement wants a fixed spec for digital work before we've learned anything"),
    (W_BARRIERS, "Barrier", "MAR", "VCS partner", "Forty-page tender for a £15k service. Really?"),
    (W_BARRIERS, "Barrier", "WEY", "VCS partner", "County procurement of services we could run better locally"),
    (W_BARRIERS, "Barrier", "BVA", "Development officer", "The procurement portal. Small groups take one look and give up."),
    (W_BARRIERS, "Barrier", "STN", "Finance business partner", "Procurement rules for micro-grants - we had to build a workaround"),
    (W_BARRIERS, "Barrier", "BRK", "Frontline social worker", "Case management system older than some of our social workers"),
    (W_BARRIERS, "Barrier", "HOL", "Neighbourhood manager", "Three devices each in the hub because none of the partners' IT connects"),
    (W_BARRIERS, "Barrier", "MAR", "Data analyst", "Housing and council tax systems can't match a household"),
    (W_BARRIERS, "Barrier", "KES", "Head of IT", "HR systems from four predecessor councils still running"),
    (W_BARRIERS, "Barrier", "WEY", "Head of IT", "Shared IT contract with two other districts, locked in until 2028"),
    (W_BARRIERS, "Barrier", "OCH", "Data analyst", "Clinical and social care records that don't talk to each other"),
    (W_BARRIERS, "Barrier", "HOL", "Data analyst", "Data protocol with the police stuck with the lawyers for a year"),
    (W_BARRIERS, "Barrier", "FEL", "Tenancy sustainment officer", "We can't see which of our tenants the council is already supporting"),
    (W_BARRIERS, "Barrier", "STN", "Community connector", "Consent treated as a tick box rather than a conversation"),
    (W_BARRIERS, "Barrier", "BRK", "Data analyst", "fear of the ICO stops perfectly sensible sharing"),
    (W_BARRIERS, "Barrier", "BVA", "Chief Executive", "One-year funding for work that takes five years to show results"),
    (W_BARRIERS, "Barrier", "MAR", "Head of Transformation", "Short competitive government pots with six-week deadlines"),
    (W_BARRIERS, "Barrier", "STN", "Frontline social worker", "Staff are exhausted. Goodwill is not a resourcing plan."),
    (W_BARRIERS, "Barrier", "KES", "Frontline social worker", "Vacancies covered by agency staff who don't know the area or the groups"),
    (W_BARRIERS, "Barrier", "OCH", "HR business partner", "Community nursing vacancies at 14% - who does the prevention?"),
    (W_BARRIERS, "Barrier", "KES", "Housing officer", "Sign-off culture creeping back now the systems are back"),
    (W_BARRIERS, "Barrier", "BRK", "Councillor", "Risk appetite set by the most cautious person in the room"),
    (W_BARRIERS, "Barrier", "BRK", "Finance business partner", "Budgets held in silos - the savings always land in someone else's"),
    (W_BARRIERS, "Barrier", "OCH", "Clinical lead", "National targets that only count hospital activity"),
    (W_BARRIERS, "Barrier", "LAR", "Data analyst", "KPI culture. People still manage to the dashboard."),
    (W_BARRIERS, "Barrier", "TUL", "Procurement lead", "Key-person dependency: if two of us leave, it unravels"),
    (W_BARRIERS, "Barrier", "LAR", "HR business partner", "Stress absence rising year on year in the contact centre"),
    (W_BARRIERS, "Barrier", "WEY", "Community connector", "volunteer burnout - the same ten people run every group in town"),
    (W_BARRIERS, "Enabler", "WEY", "Head of Communities", "Three-year grants with a one-page report"),
    (W_BARRIERS, "Enabler", "WEY", "Chief Executive", "Trusted relationships with charity leaders, built up over years"),
    (W_BARRIERS, "Enabler", "STN", "VCS partner", "VCS partners at the table from the start, not brought in at the end"),
    (W_BARRIERS, "Enabler", "MAR", "Community connector", "Good relationships with local groups mean we hear about problems early"),
    (W_BARRIERS, "Enabler", "BVA", "Chief Executive", "Compact with the county - relationships already warmer"),
    (W_BARRIERS, "Enabler", "HOL", "Finance business partner", "Pooled neighbourhood budgets with the NHS and police"),
    (W_BARRIERS, "Enabler", "ORR", "Finance business partner", "Pooled frailty budget - ended the 'whose savings' argument"),
    (W_BARRIERS, "Enabler", "TUL", "Finance business partner", "Alliance contract with a shared risk pot"),
    (W_BARRIERS, "Enabler", "FEL", "Head of Communities", "Putting our community investment money into the neighbourhood pots"),
    (W_BARRIERS, "Enabler", "MAR", "Head of Transformation", "A chief exec who takes the flak when an experiment fails"),
    (W_BARRIERS, "Enabler", "BRK", "Head of Transformation", "Innovation sandbox with lighter sign-off - small but it's a start"),
    (W_BARRIERS, "Enabler", "LAR", "Head of Transformation", "Test-and-learn lab with its own design team"),
    (W_BARRIERS, "Enabler", "KES", "Frontline social worker", "Permission to spend £500 without asking anyone"),
    (W_BARRIERS, "Enabler", "HOL", "Early help practitioner", "Frontline discretion up to £2,000 per household"),
    (W_BARRIERS, "Enabler", "ORR", "Data analyst", "One data-sharing agreement with the trust, reused for every project"),
    (W_BARRIERS, "Enabler", "OCH", "Data analyst", "Linked dataset rebuilt monthly. Clunky but legal, and it works"),
    (W_BARRIERS, "Enabler", "ORR", "Councillor", "A citizens' data panel to tell us what's acceptable"),
    (W_BARRIERS, "Enabler", "TUL", "Procurement lead", "Contract rules rewritten from scratch, simple grants panel under £50k"),
    (W_BARRIERS, "Enabler", "TUL", "Head of Transformation", "A procurement team that helps you work out what you're buying"),
    (W_BARRIERS, "Enabler", "STN", "Head of Communities", "Community connectors recruited from the estates"),
    (W_BARRIERS, "Enabler", "STN", "Councillor", "Participatory budgeting with turnout higher than the local elections"),
    (W_BARRIERS, "Enabler", "HOL", "Neighbourhood manager", "Co-located teams in buildings residents already use"),
    (W_BARRIERS, "Enabler", "MAR", "Councillor", "A community hub in a building we very nearly sold"),
    (W_BARRIERS, "Enabler", "LAR", "Head of Digital", "In-house digital team - we can change things in days, not months"),
    (W_BARRIERS, "Enabler", "KES", "Head of IT", "The attack forced us onto cloud. Now we can actually move faster."),
    (W_BARRIERS, "Enabler", "TUL", "Head of Transformation", "Learning reviews that pair the numbers with a resident's story"),
    (W_BARRIERS, "Enabler", "HOL", "Councillor", "Cross-party support for the neighbourhood model"),
    (W_BARRIERS, "Enabler", "FEL", "Tenancy sustainment officer", "Housing officers in the morning neighbourhood huddles"),
]

# ---------------------------------------------------------------------------
# Consultation replies (London Borough of Larkwell, May 2025)
# ---------------------------------------------------------------------------

CONSULTATION_ORG: Final = "LAR"
CONSULTATION_QUESTION: Final = "What one thing would make your neighbourhood a better place to live?"
CONSULTATION_START: Final = date(2025, 5, 14)

# (ward, likes, day offset, handle, text). None means: draw it (likes skewed
# towards 0-5, most replies in the first two days, a generated handle).
REPLIES: Final[list[tuple[str, int | None, int | None, str | None, str]]] = [
    # Youth provision
    ("Tansy Green", 312, 0, None, "More for young people to do. There's literally nothing for teenagers round here so they hang about outside the shops."),
    ("Copper Row", None, None, None, "youth club!!! bring it back"),
    ("Pellow Cross", 33, None, None, "Somewhere for teenagers to go after school that isn't the chicken shop"),
    ("Copper Row", 207, 0, None, "I was a youth worker for 20 years and closing the Copper Row youth centre was a false economy. The same young people ended up excluded, in front of the magistrates, or worse. Fund proper detached youth work, employ people who know the area, and give the kids a say in what happens. It's not complicated, it just costs money up front."),
    ("Sallowfield", None, None, None, "Proper youth provision. My son is 14 and there's nothing for him in Sallowfield unless you pay £8 a session"),
    ("Wrenfield", None, None, None, "Free sports sessions in the holidays. The summer scheme last year was brilliant but it only ran for 3 weeks"),
    ("Northgate Vale", None, None, None, "Kids need somewhere to go. simple as"),
    ("Farrant Park", None, None, None, "A skatepark. Been asking for years."),
    ("Farrant Park", None, None, None, "skate park please!! the one in the next borough is always rammed"),
    ("Larkwell Central", None, None, None, "Youth centre with actual youth workers, not just a room with a pool table in it"),
    ("Tansy Green", 76, 0, None, "Speaking as a parent of three: somewhere safe and warm for teenagers in the evenings, especially in winter. They're not bad kids, they're bored."),
    ("Pellow Cross", None, None, None, "more stuff for the youth innit"),
    ("Canal Side", None, None, None, "Music studio / youth hub like they have in other boroughs. So much talent round here and nowhere for it to go"),
    ("Abbotsmead", 26, None, None, "Youth provision. Every time there's trouble on the estate the council blames the kids but it took away everything they had."),
    ("Wrenfield", None, None, None, "Open the school sports halls in the evenings and at weekends. The buildings are already there, sitting empty."),
    ("Larkwell Central", None, None, None, "I'd say youth services but I'd also say apprenticeships. Young people need a way into work, not just somewhere to hang out"),
    ("Sallowfield", None, None, None, "Activities for teens in the holidays pls"),
    # Potholes and pavements
    ("Abbotsmead", 176, 0, None, "Fix the potholes. Abbotsmead Road is like driving on the moon."),
    ("Northgate Vale", None, None, None, "Potholes potholes potholes"),
    ("Tansy Green", 44, 0, None, "Pavements that aren't broken. My mum is 82 and has fallen twice on the uneven slabs outside the chemist."),
    ("Larkwell Central", None, None, None, "The pavements on Station Road are a disgrace, you can't get a pushchair down them"),
    ("Wrenfield", None, None, None, "Fix the roads before you spend a penny on anything else"),
    ("Pellow Cross", None, None, None, "fix the pot holes on quarry hill my car needed 2 new tyres last month"),
    ("Sallowfield", 21, None, None, "Dropped kerbs! I use a wheelchair and half the crossings in Sallowfield don't have them."),
    ("Canal Side", None, None, None, "Resurface the roads properly instead of patching the same hole every six months"),
    ("Farrant Park", None, None, None, "Reported a pothole on the app in February. Still there. Still reporting it. What's the point of the app?"),
    ("Abbotsmead", None, None, None, "Level pavements please, for those of us with walking frames. It's getting dangerous to go out."),
    ("Northgate Vale", None, None, None, "Roads. That's it. Fix the roads."),
    ("Tansy Green", None, None, None, "Potholes on Mill Lane are shocking, nearly came off my bike last week"),
    ("Wrenfield", None, None, None, "Sort the roads out"),
    # Safer crossings and speeding
    ("Northgate Vale", 238, 0, None, "A zebra crossing outside St Aldric's primary. Someone is going to get killed there."),
    ("Northgate Vale", None, None, None, "Safer crossing by the school on Northgate Road, cars fly down there at pick up time"),
    ("Northgate Vale", None, None, None, "Crossing outside St Aldrics school PLEASE before a child gets hurt"),
    ("Pellow Cross", None, None, None, "Bring back the lollipop lady at the primary. She retired and they never replaced her."),
    ("Larkwell Central", None, None, None, "A pedestrian crossing on the high street near the bus station, it takes ages to get across with the buggy"),
    ("Wrenfield", None, None, None, "20mph outside schools and actually enforce it"),
    ("Sallowfield", None, None, None, "Traffic lights at the junction by the big supermarket, its an accident waiting to happen"),
    ("Canal Side", None, None, None, "Speed cameras on Canal Road. Boy racers every single night."),
    # Green space and trees
    ("Copper Row", None, None, None, "More trees. Our street hasn't got a single one and it's boiling in summer."),
    ("Larkwell Central", None, None, None, "Plant trees along the main roads, it would make such a difference to the air and how the place looks"),
    ("Tansy Green", None, None, None, "Look after the parks we've already got. Tansy Green Rec used to be lovely, now the benches are broken and the toilets are shut."),
    ("Abbotsmead", None, None, None, "More green space and wildflower verges. Less mowing everything to within an inch of its life"),
    ("Farrant Park", None, None, None, "Community garden on the empty lot behind the flats on Farrant Street. Loads of us would help run it."),
    ("Wrenfield", None, None, None, "Trees!"),
    ("Sallowfield", None, None, None, "Allotments - the waiting list is 7 years. SEVEN."),
    ("Pellow Cross", 39, None, None, "Keep the green spaces green. Stop selling them off for flats."),
    ("Canal Side", None, None, None, "A proper play park for under 5s. The one at Canal Side is for older kids and it's all broken anyway"),
    ("Northgate Vale", None, None, None, "plant some trees and flowers, make it look like someone cares"),
    ("Copper Row", None, None, None, "Street trees and planters. People on our road would water them if the council put them in."),
    ("Tansy Green", 71, 0, None, "Open up the old railway line as a green walking and cycling route. It's just sitting there overgrown."),
    # Fly-tipping and bulky waste
    ("Farrant Park", 96, 0, None, "Tackle fly-tipping. The alley behind Farrant Street has had the same mattress in it for a month."),
    ("Abbotsmead", 203, 0, None, "Fly tipping is out of control in Abbotsmead. Fine people properly, cameras, whatever it takes."),
    ("Pellow Cross", 267, 0, None, "Bring back free bulky waste collection. Charging £35 to take a sofa away is exactly why people dump them."),
    ("Canal Side", None, None, None, "fly tipping everywhere. disgusting"),
    ("Sallowfield", None, None, None, "Free bulky collections - people fly tip because they can't afford the fee"),
    ("Tansy Green", None, None, None, "CCTV at the fly tipping hotspots and prosecute them"),
    ("Northgate Vale", None, None, None, "I reported a pile of rubbish in the lane 3 times on the app. It got closed as 'resolved' and the rubbish is still there. Happy to send a photo if anyone at the council wants to look."),
    ("Canal Side", None, None, None, "Sort out the fly tipping on Canal Road, it's rats now as well"),
    ("Wrenfield", None, None, None, "Stop the fly-tipping!!!"),
    ("Larkwell Central", 29, None, None, "Make the tip easier to use. You have to book a slot two weeks ahead and then they turn you away if your van is too big. No wonder people dump stuff."),
    ("Copper Row", None, None, None, "Clean streets. Fly tipping, litter, dog mess, the lot."),
    # Community centre and places to meet
    ("Copper Row", 356, 0, "CopperRowKev", "Bring back the Copper Row community centre. It was the heart of this area for 40 years."),
    ("Copper Row", 24, None, None, "Reopen the community centre!!"),
    ("Copper Row", None, None, None, "bring back the community centre on copper row"),
    ("Copper Row", None, None, None, "Bring back Copper Row community centre please"),
    ("Abbotsmead", None, None, None, "A community centre where older people can meet. My nan hasn't been out properly since the luncheon club closed."),
    ("Tansy Green", 54, None, None, "Somewhere people can just meet. A café, a hall, anything. We've lost the pubs, the library's on shorter hours, where are people meant to go?"),
    ("Copper Row", 189, 0, None, "The community centre was where I learnt English when I first came here. Please bring it back for the next people."),
    ("Northgate Vale", None, None, None, "Community hub in Northgate Vale - we have nothing at all, not even a church hall"),
    ("Sallowfield", None, None, None, "Longer library opening hours. It's the only community space we've got and it's shut half the week"),
    ("Larkwell Central", None, None, None, "Use the empty shops on the high street as community spaces instead of leaving them boarded up"),
    # Buses
    ("Pellow Cross", 154, 0, None, "Better buses. The 47 is every 40 minutes in the evening and never on time."),
    ("Abbotsmead", 52, None, None, "Bring back the bus route through Abbotsmead, older people are stranded without it"),
    ("Wrenfield", None, None, None, "Buses that run after 7pm"),
    ("Tansy Green", None, None, None, "More reliable buses please, I've been late for work 3 times this week"),
    ("Sallowfield", None, None, None, "A bus to the hospital that doesn't mean changing twice"),
    ("Canal Side", None, None, None, "better bus service!!"),
    ("Wrenfield", None, None, None, "Bus shelter at the Wrenfield Lane stop. Standing in the rain for half an hour with a toddler isn't fun."),
    ("Northgate Vale", None, None, None, "Cheaper buses for young people. My daughter can't afford to get to college."),
    # Low-traffic neighbourhood: for
    ("Farrant Park", 61, 0, "FarrantCyclingMum", "Keep the Farrant Park low traffic neighbourhood. My kids can cycle to school now and the street is quiet for the first time in years."),
    ("Farrant Park", None, None, None, "Honestly the LTN has made Farrant Park so much nicer. Kids playing out, neighbours actually talking. Please don't cave in to the loudest voices."),
    ("Larkwell Central", None, None, None, "More low traffic schemes like Farrant Park. Less rat running = safer streets."),
    ("Tansy Green", None, None, None, "LTNs everywhere please. Our road is a rat run for people avoiding the lights."),
    ("Farrant Park", None, None, None, "I was against the LTN at first but I've changed my mind. The air is better and it's easier to get across the road with my dad's wheelchair."),
    ("Canal Side", None, None, None, "Modal filters on Canal Road would stop the speeding overnight"),
    ("Farrant Park", None, 2, "FarrantCyclingMum", "Protected cycle lanes linking the LTN to the town centre"),
    ("Farrant Park", None, None, None, "Keep the LTN!"),
    # Low-traffic neighbourhood: against
    ("Pellow Cross", 221, 0, "PellowX_Resident", "Scrap the Farrant Park LTN. All it's done is push the traffic onto our road instead."),
    ("Farrant Park", 87, 0, None, "Get rid of the road blocks. It takes me 25 minutes to drive what used to be 5 and I'm a carer, I haven't got 25 minutes."),
    ("Farrant Park", 41, None, None, "The LTN is a cash cow. £130 fines for people who didn't see the sign."),
    ("Pellow Cross", 27, None, None, "Nobody asked us about the LTN. The consultation was a joke."),
    ("Farrant Park", 25, None, None, "Remove the planters on Farrant Road, emergency vehicles can't get through"),
    ("Wrenfield", None, None, None, "Stop the war on motorists. Some of us need our cars for work."),
    ("Abbotsmead", None, None, None, "Scrap the LTN and fix the roads with the money instead"),
    # Copy-and-paste campaign
    ("Pellow Cross", None, 2, "PellowX_Resident", "Scrap the Farrant Park LTN now. Sign the petition and tell the council: #NoToFarrantLTN"),
    ("Farrant Park", None, 2, None, "Scrap the Farrant Park LTN now - sign the petition and tell the council #NoToFarrantLTN"),
    ("", None, 2, None, "Scrap the Farrant Park LTN now. Sign the petition & tell the council: #NoToFarrantLTN"),
    ("Pellow Cross", None, 3, None, "Scrap the Farrant Park LTN now. Sign the petition and tell the council #NoToFarrantLTN !!"),
    # Bins, litter, dog mess
    ("Abbotsmead", None, None, None, "Weekly bin collections. Fortnightly doesn't work for a family of six."),
    ("Tansy Green", None, None, None, "More bins in the park and empty them more often, they overflow every weekend"),
    ("Wrenfield", None, None, None, "Dog poo. Fine the owners."),
    ("Sallowfield", None, None, None, "Recycling collections that actually turn up on the right day"),
    ("Larkwell Central", None, None, None, "Food waste bins for flats, we've got nowhere to put it"),
    ("Larkwell Central", None, None, None, "Litter pickers on the high street on a Sunday morning, it's a state after Saturday night"),
    # Policing, safety, lighting
    ("Canal Side", 58, 0, None, "More police on the streets. You never see them."),
    ("Canal Side", None, None, None, "Do something about the drug dealing by the garages on Canal Side. Everyone knows, nobody does anything."),
    ("Pellow Cross", None, None, None, "PCSOs who actually know the area, like we used to have"),
    ("Larkwell Central", None, None, None, "Something about the e-bikes on the pavements, it's lethal"),
    ("Abbotsmead", None, None, None, "Stop the motorbikes racing round the estate at midnight"),
    ("Tansy Green", None, None, None, "Better street lighting on the path through the rec, I don't feel safe walking home"),
    ("Sallowfield", None, None, None, "Lights in the underpass. Women shouldn't have to go the long way round."),
    ("Wrenfield", None, None, None, "More CCTV"),
    # Housing
    ("Wrenfield", 37, None, None, "Affordable homes for local people. My kids will never be able to live in the area they grew up in."),
    ("Copper Row", None, None, None, "Make the landlords fix the damp. Our flat has had black mould for two winters."),
    ("Northgate Vale", None, None, None, "Stop building flats with no parking and no doctors to go with them"),
    ("Larkwell Central", 23, None, None, "Council housing. Actual council housing, not 'affordable' at 80% of market rent."),
    ("Canal Side", None, None, None, "License the private landlords and inspect them properly"),
    # Other ideas
    ("Larkwell Central", None, None, None, "Public toilets. There isn't one in the whole town centre."),
    ("Abbotsmead", None, None, None, "Benches along the high street so older people can stop for a rest"),
    ("Larkwell Central", None, None, None, "A proper market again on Saturdays. Local food, local traders."),
    ("Northgate Vale", None, None, None, "Shops! Half the parade in Northgate is empty."),
    ("Sallowfield", 45, None, None, "Being able to get a GP appointment within a fortnight would make more difference than anything else on this list"),
    ("Wrenfield", None, None, None, "Free parking for the first hour in the town centre, it'd bring people back to the shops"),
    ("Farrant Park", None, None, None, "Water fountains in the parks"),
    ("Copper Row", None, None, None, "Neighbours knowing each other. Street parties, events, anything that brings people together."),
    ("Tansy Green", None, None, None, "A lido. I know, I know. But imagine."),
    ("Abbotsmead", None, None, None, "Faster broadband in Abbotsmead, half our road can't work from home properly"),
    ("Pellow Cross", None, None, None, "A swimming pool that's open when people aren't at work"),
    ("Canal Side", None, None, None, "Less empty promises tbh"),
    ("Pellow Cross", 21, None, None, "Listen to residents and then actually do what they say, for once"),
    ("Abbotsmead", None, None, None, "More for older people - lunch clubs, exercise classes, a reason to get out of the house"),
    ("Tansy Green", None, None, None, "Support the food bank properly. It's run by volunteers who are on their knees."),
    ("Northgate Vale", 28, None, None, "Honestly just a council that answers the phone. I was on hold for 48 minutes yesterday."),
    # Longer replies
    ("Pellow Cross", 145, 0, None, "I've lived in Pellow Cross for 31 years. When I moved here there was a post office, a bank, a youth club, a library and a bus every 10 minutes. Now we've got a betting shop, two vape shops and a bus when it feels like it. I'm not saying that's all the council's fault. But you asked for one thing: invest in the high street so there's a reason to walk down it. Let local people have the empty units at a peppercorn rent for a year and see what happens."),
    ("Sallowfield", 198, 0, None, "It's not one thing, it's how you go about it. Every few years there's a consultation like this, we all say the same things (youth club, potholes, buses) and nothing changes. If you want people to believe this time is different, publish what people said, say what you will and won't do and why, and come back in six months and tell us how it went."),
    ("Canal Side", 31, None, None, "Speaking as a GP receptionist, a lot of what comes through our door isn't medical. It's loneliness, debt, housing. A place on each estate where people can get help with that without an appointment would take the pressure off all of us."),
    ("Wrenfield", 64, 0, None, "Mental health support for young people. My daughter waited 14 months for CAMHS and the only help we got in all that time was from a charity in the church hall. Fund them, they know what they're doing."),
    ("Northgate Vale", 49, None, None, "I help run a small community group in Northgate Vale. We'd love to do more - holiday activities, a lunch club - but every time we apply for council funding it's a 20 page form and a 3 month wait. Make it easier for groups like us and we'll do the rest."),
    # Off-topic
    ("Wrenfield", 0, None, None, "Does anyone know if the tip is open on the bank holiday Monday?"),
    ("Tansy Green", 33, None, None, "LOST CAT - ginger tom, answers to Biscuit, last seen near Tansy Green Rec. Please share!"),
    ("", None, None, None, "Come on you Larkwell! Up the Larks"),
    ("Sallowfield", None, None, None, "Anyone know a good plumber in Sallowfield?"),
    ("Pellow Cross", None, None, None, "Why is my council tax going up again when you've just spent a fortune on a new logo"),
    ("", None, None, None, "Is this account run by a bot? Genuine question"),
    ("Larkwell Central", 0, None, None, "What time does the Christmas market start this year?"),
    ("", 0, 0, None, "first"),
    # Spam and advertising
    ("", 0, 1, "CashFromHome_247", "Make £400 a day working from home!!! No experience needed. DM me for details 💰💰"),
    ("", 0, 3, "EasyMoneyLisa", "Make £400 a day working from home!!! No experience needed. DM me for details 💰💰"),
    ("", 0, 1, "LarkwellDrivewaysPro", "Driveways, patios and block paving - FREE quotes across Larkwell. Call Dave on 07700 900456"),
    ("", 1, 2, "GrowYourFollowersFast", "Want more followers? Grow your account fast with our packages. Link in bio."),
    ("", 0, 4, "mentor_success_sophia", "I turned £200 into £6,000 with crypto in one month thanks to my mentor. Message her now, she's helped so many people"),
    ("", 0, 5, "SparkleWashLDN", "CHEAP gutter cleaning and pressure washing. Best prices in the area!! Whatsapp 07700 900871"),
    # Abusive
    ("Pellow Cross", 23, None, None, "The council are a bunch of useless clowns. Sack the lot of them and start again."),
    ("", None, None, None, "Whoever runs this account is a complete muppet. Read the replies and do something for once you idiots"),
    ("Wrenfield", None, None, None, "Get a real job you lot. Parasites living off our council tax."),
    # Replies containing (fictional) personal details
    ("Sallowfield", None, None, None, "I've reported the broken street light outside number 14 three times. If anyone from highways wants to actually come and look, email me at jo.bloggs@example.org"),
    ("Abbotsmead", None, None, None, "My elderly neighbour needs help with her garden and can't get through to anyone. You can reach me on 07700 900123 and I'll let you in, we're at LK7 2RW"),
    ("Canal Side", None, None, None, "Please ring me about the fly tipping behind our house, 020 7946 0321. I've got photos of the van and its number plate"),
    ("Copper Row", 21, None, None, "Re the community centre: I was on the old management committee and we've still got the equipment in storage. Happy to talk to whoever at the council, sam.okafor-dean@example.com or 07700 900645"),
    ("Copper Row", None, None, None, "Youth club volunteers available! I ran the Tuesday session for 9 years. Contact Priya on 07700 900312, postcode LK12 9DF if you want to drop round"),
    ("Wrenfield", None, None, None, "The school bus stop is dangerous, you can see it from our window at Flat 3, 22 Wrenfield Lane, LK4 6QS. Email danny.w@example.net if you want to come and look"),
    # More short replies, repeats and near-duplicates
    ("Abbotsmead", None, None, None, "potholes and fly tipping, in that order"),
    ("Northgate Vale", None, None, None, "Youth club and a proper bus service. Thats 2 things sorry"),
    ("Tansy Green", None, None, None, "Bring back the community centre"),
    ("Canal Side", None, None, None, "more trees less concrete"),
    ("Larkwell Central", None, None, None, "Fix the pavements"),
    ("Northgate Vale", None, None, None, "A zebra crossing by St Aldric's school. Its so dangerous at home time."),
    ("Pellow Cross", None, None, None, "Bring back free bulky waste collection"),
    ("Wrenfield", None, None, None, "skatepark for the kids please"),
    ("Sallowfield", None, None, None, "Nothing. It's perfect. (It's not.)"),
    ("Farrant Park", None, None, None, "Cleaner streets"),
    ("Farrant Park", None, None, None, "The LTN has been brilliant for us, please keep it"),
    ("Pellow Cross", None, None, None, "LTN is a disaster for the roads around it. Ask anyone on Pellow Lane."),
    ("Canal Side", None, None, None, "Better lighting and more police. Don't feel safe after dark."),
    ("Abbotsmead", None, None, None, "Somewhere for teenagers to go in the evenings!"),
    ("Tansy Green", None, None, None, "more busses in the evening"),
    ("Pellow Cross", None, None, None, "Youth workers on the streets again like in the 90s. they knew every kid by name"),
    ("Copper Row", None, None, None, "Tree planting on Copper Row please, it's just concrete"),
    ("Larkwell Central", None, None, None, "Litter. Everywhere."),
    ("Tansy Green", 19, None, None, "Stop closing things. Every year something else shuts."),
    ("Pellow Cross", None, None, None, "Sort the drains out, the road floods at the bottom of Quarry Hill every time it rains"),
    ("Sallowfield", None, None, None, "Make it easier to start a community group. Insurance, a room, a bit of help with the forms."),
    ("Tansy Green", None, None, None, "an actual park keeper again, someone who's there every day"),
    ("Northgate Vale", None, None, None, "dog fouling on the school route is disgusting"),
    ("Abbotsmead", None, None, None, "Invest in Abbotsmead for once, everything goes to the town centre"),
    ("Sallowfield", None, None, None, "Speed bumps on Sallowfield Road"),
    ("Farrant Park", None, None, None, "cycle lanes that are actually separated from the traffic"),
    ("Wrenfield", 22, None, None, "Stop wasting money on consultations like this and just fix stuff"),
    ("Sallowfield", None, None, None, "Better bus links to the hospital. Three buses for a 4 mile journey is ridiculous."),
    ("Copper Row", None, None, "CopperRowKev", "Youth centre. Thats it thats the list"),
    ("Northgate Vale", None, None, None, "pedestrian crossing outside the school on northgate rd, the cars dont stop"),
    ("Tansy Green", None, None, None, "Keep Tansy Green library open, it's a lifeline"),
    ("Abbotsmead", None, None, None, "Please do something about the fly tipping in the Abbotsmead lanes. It's every week now."),
    ("Canal Side", None, None, None, "A warm space in winter for people who can't afford the heating"),
    ("Larkwell Central", 20, None, None, "Let residents decide how some of the money gets spent, like they do in other boroughs"),
    ("Wrenfield", None, None, None, "Plant fruit trees so kids can see where food comes from"),
    ("Copper Row", None, None, None, "Honestly? A bit of kindness. Everyone's so stressed."),
    ("Canal Side", None, None, None, "More recycling bins at the flats, they're always overflowing"),
    ("Pellow Cross", None, None, None, "free swimming for under 16s in the holidays"),
    ("Wrenfield", None, None, None, "fill in the potholes on the Wrenfield estate!!!! its ridiculous"),
    ("Sallowfield", None, None, None, "More trees please and less grey"),
    ("Larkwell Central", None, None, None, "Get the old cinema on the high street open again as an arts centre"),
    ("Northgate Vale", None, None, None, "dont agree with the LTN, it pushes traffic onto the main road where the school is"),
    ("Abbotsmead", None, None, None, "Bring the youth club back. Kids these days have nothing."),
]

# ---------------------------------------------------------------------------
# Staff survey comments (councils only)
# ---------------------------------------------------------------------------

QUESTIONS: Final[dict[str, str]] = {
    "Q1": "What gets in the way of doing your best work?",
    "Q2": "What should we keep from how we worked during the pandemic?",
    "Q3": "What one change would most help you support residents better?",
}

B13: Final = "Band 1-3"
B46: Final = "Band 4-6"
B79: Final = "Band 7-9"
SLT: Final = "Senior leadership"

AH: Final = "Adults and Health"
CF: Final = "Children and Families"
PE: Final = "Place and Environment"
HC: Final = "Housing and Communities"
RS: Final = "Resources"
CX: Final = "Chief Executive's Office"
CM: Final = "Communities and Libraries"

# (org, directorate, grade band, year, question, text)
SURVEY: Final[list[tuple[str, str, str, int, str, str]]] = [
    ("BRK", AH, B46, 2024, "Q1", "The case system. I spend more time feeding it than talking to the people I'm meant to be helping."),
    ("BRK", RS, B46, 2024, "Q1", "Approvals. Anything slightly out of the ordinary goes up four levels and comes back with questions nobody at my level can answer."),
    ("BRK", CF, B46, 2024, "Q1", "Caseloads and agency turnover. I'm the only permanent worker in my team so I end up holding everything."),
    ("BRK", PE, B79, 2024, "Q1", "Procurement. We wanted to buy a small piece of work from a local social enterprise and it took five months. By then they'd taken on other work."),
    ("BRK", AH, B13, 2024, "Q2", "Being trusted to just get on with it. In lockdown we rang people, sorted shopping, found volunteers, and nobody asked us to fill in a form first."),
    ("BRK", RS, B79, 2025, "Q1", "Fourteen systems that don't talk to each other, and 'we've always done it this way' whenever you suggest anything different."),
    ("BRK", CF, B46, 2025, "Q1", "My laptop takes 15 minutes to start and crashes when I open a case record on a home visit. It's embarrassing in front of families."),
    ("BRK", CX, B79, 2025, "Q3", "Let us pool money with health for prevention. Every good idea dies on the question of whose budget it comes out of."),
    ("BRK", CM, B13, 2025, "Q2", "The warm spaces. Best thing we've done in years and it came from staff, not from a strategy."),
    ("BRK", AH, B46, 2025, "Q3", "One record per person that health and social care can both see."),
    ("BRK", PE, B46, 2026, "Q1", "Still the IT. The new system is promised for 2027. It was promised for 2024 as well."),
    ("BRK", CX, SLT, 2026, "Q1", "Risk appetite. The sandbox is a start but outside it the default answer is still no."),
    ("BRK", CM, B46, 2026, "Q3", "Fewer hoops for small grants to community groups. The paperwork puts off exactly the groups we most need."),
    ("BRK", CF, B13, 2026, "Q2", "Flexible hours. I can do the school run and still be there for families in the evening, which is when they actually need us."),
    ("ORR", AH, B46, 2024, "Q1", "Targets for closing cases quickly. The data tells us who needs help, but the performance report still counts how fast we got them off our books."),
    ("ORR", RS, B79, 2024, "Q2", "Sharing information because it was the right thing for residents. We proved it could be done safely."),
    ("ORR", HC, B46, 2024, "Q3", "Time to build relationships. The risk list gets us to the door; after that it's trust, and that takes more than one visit."),
    ("ORR", AH, B13, 2025, "Q1", "Short staffing. Everyone is doing two jobs and it isn't sustainable."),
    ("ORR", CX, B79, 2025, "Q2", "Working across organisations without worrying whose badge you've got. The joint team with the trust is the best place I've ever worked."),
    ("ORR", CF, B46, 2025, "Q1", "Too many meetings about data and not enough time to act on it."),
    ("ORR", PE, B46, 2025, "Q3", "Joined-up home visits. If I'm standing in a cold, damp flat I want to refer for a health check and a heating grant in one go."),
    ("ORR", AH, B46, 2026, "Q1", "Caseloads are still too high. Prevention is great in theory but most days we're still firefighting."),
    ("ORR", RS, B46, 2026, "Q2", "Hybrid working, and the trust that came with it."),
    ("ORR", HC, B13, 2026, "Q3", "More community connectors. Residents trust them more than they trust us, which is fine - we should use that."),
    ("ORR", CX, SLT, 2026, "Q1", "Not knowing what the funding looks like beyond next year makes it hard to commit to anything long term, even when the evidence says it works."),
    ("STN", HC, B46, 2024, "Q1", "Volume. Temporary accommodation cases doubled and the team didn't."),
    ("STN", CF, B46, 2024, "Q1", "Burnout. I believe in the strengths-based approach but it takes time we simply don't have."),
    ("STN", HC, B13, 2024, "Q2", "The mutual aid groups. Residents looking after each other, with us backing them rather than running it."),
    ("STN", CX, B79, 2024, "Q3", "More participatory budgeting. Residents made better calls than we would have."),
    ("STN", AH, B46, 2025, "Q1", "Consent and data rules mean I ask a family the same questions three other services have already asked."),
    ("STN", CF, B13, 2025, "Q1", "Exhaustion. Two people off with stress in my team and no cover for either."),
    ("STN", HC, B46, 2025, "Q2", "Meeting residents where they are - community cafés, the school gate - instead of making them come to us."),
    ("STN", RS, B46, 2025, "Q1", "Procurement rules for tiny amounts of money. We built a workaround for micro-grants but it shouldn't need one."),
    ("STN", HC, B46, 2026, "Q3", "Proper clinical supervision for connectors and frontline staff. We carry a lot of it home."),
    ("STN", CF, B46, 2026, "Q1", "Managers who talk about community power but still want every decision signed off centrally."),
    ("STN", AH, B79, 2026, "Q2", "Kindness to each other. We had it for a while and it's slipping again."),
    ("STN", PE, B13, 2026, "Q3", "Let street teams fix small things on the spot instead of logging a job and waiting a fortnight."),
    ("HOL", HC, B46, 2024, "Q1", "Carrying three laptops because the partners' systems don't connect. Ridiculous in 2024."),
    ("HOL", CF, B46, 2024, "Q2", "The morning huddle. It started as a Covid thing and now it's just how we work."),
    ("HOL", RS, B79, 2024, "Q3", "Make the neighbourhood budgets permanent so teams can plan beyond March."),
    ("HOL", PE, B13, 2025, "Q1", "Waiting for data sharing with the police. We know who's at risk but can't put it in writing."),
    ("HOL", HC, B46, 2025, "Q1", "Being the front door for everything. Other services send people to us because we're there, and it's wearing everyone down."),
    ("HOL", AH, B46, 2025, "Q2", "Being able to spend small amounts without forms. The single biggest thing that made us quicker."),
    ("HOL", CF, B13, 2025, "Q3", "More early help workers in the neighbourhoods with the highest staff turnover."),
    ("HOL", CX, B79, 2026, "Q1", "Regional procurement frameworks that squeeze out the local charities we rely on."),
    ("HOL", HC, B46, 2026, "Q1", "Tiredness. The model works but we are stretched very thin."),
    ("HOL", AH, B46, 2026, "Q3", "Mental health workers in the huddle. That's the missing piece."),
    ("HOL", PE, B46, 2026, "Q2", "Working out in the community, not from the civic centre. Residents talk to you differently when you're in their building."),
    ("MAR", RS, B46, 2024, "Q1", "Systems that don't match up. I reconcile housing and council tax records by hand every month."),
    ("MAR", HC, B46, 2024, "Q1", "Waiting for the county to pick up referrals. We do the prevention, they hold the social care."),
    ("MAR", CX, B79, 2024, "Q2", "Permission to try things. Our chief exec says it and for the first time I actually believe it."),
    ("MAR", PE, B13, 2025, "Q1", "Fixed-term contracts. Half my team don't know if they'll still be here in April."),
    ("MAR", HC, B13, 2025, "Q2", "The hub. People walk in and we can help them there and then."),
    ("MAR", RS, B79, 2025, "Q3", "Simpler contracts for local charities. Our procurement process is built for big companies."),
    ("MAR", HC, B46, 2025, "Q3", "A shared front door with the county so residents only tell their story once."),
    ("MAR", PE, B46, 2026, "Q1", "Not enough people. We're a very small council and very stretched."),
    ("MAR", CX, B46, 2026, "Q2", "Honest conversations about what didn't work. We got good at that in lockdown."),
    ("MAR", HC, B46, 2026, "Q3", "Keep the hub open on Saturdays - that's when working families can come."),
    ("KES", RS, B46, 2024, "Q1", "Five finance systems. Enough said."),
    ("KES", CF, B46, 2024, "Q1", "Sign-off for everything. I need a director to approve £150 for emergency food."),
    ("KES", PE, B46, 2024, "Q1", "It still feels like four councils. Different forms and different rules depending on which old district you're in."),
    ("KES", AH, B13, 2024, "Q2", "The team spirit when everything went online. People helped each other without worrying about job descriptions."),
    ("KES", HC, B46, 2025, "Q1", "The backlog since the cyber attack. We're still catching up on cases we ran on paper."),
    ("KES", RS, B79, 2025, "Q2", "Deciding things on a daily call instead of waiting for a monthly board. We did it in the pandemic and again after the attack. Why only in a crisis?"),
    ("KES", CF, B46, 2025, "Q1", "Posts held empty to hit the savings target. The work doesn't go away, it lands on whoever's left."),
    ("KES", PE, B13, 2025, "Q3", "Let local area committees actually decide things. Residents feel the council has moved away from them."),
    ("KES", HC, B46, 2026, "Q2", "The daily stand-up in housing. It's the one thing that survived from the cyber weeks."),
    ("KES", AH, B46, 2026, "Q1", "Procurement. A village hall grant needs the same paperwork as a highways contract."),
    ("KES", CF, B46, 2026, "Q3", "The £500 discretion has helped. Raise it and give it to family support workers too."),
    ("KES", RS, B46, 2026, "Q1", "The old HR systems. Nobody wants to be the one who switches them off."),
    ("WEY", HC, B46, 2024, "Q1", "The September spike. Homelessness jumps when the holiday lets end and we're staffed for an average month."),
    ("WEY", RS, B46, 2024, "Q1", "Shared IT with two other councils. Any change takes a year."),
    ("WEY", HC, B13, 2024, "Q2", "How we worked with local charities - trust, phone calls, no forms. It worked."),
    ("WEY", CX, B79, 2025, "Q3", "Longer funding for partners. One-year money is wasteful for everyone involved."),
    ("WEY", PE, B46, 2025, "Q2", "Letting the community lead in an emergency. The flood proved they can."),
    ("WEY", HC, B46, 2025, "Q1", "We can't get information from the county about who's vulnerable. During the flood we compared lists by hand."),
    ("WEY", RS, B46, 2026, "Q1", "Bidding for small government pots instead of doing the actual work."),
    ("WEY", PE, B13, 2026, "Q3", "Involve young people in designing what happens on the seafront. It worked last summer."),
    ("WEY", CX, B46, 2026, "Q1", "Everything depends on a few people who know everyone. If they go, we're stuck."),
    ("LAR", CF, B46, 2024, "Q1", "The 45-day clock. I close cases I know aren't ready."),
    ("LAR", RS, B46, 2024, "Q1", "Dashboard culture. We spend more time explaining red numbers than fixing whatever is behind them."),
    ("LAR", PE, B79, 2024, "Q2", "Remote working, and fewer pointless meetings."),
    ("LAR", RS, B13, 2024, "Q1", "Call volumes in the contact centre. The chatbot takes the easy ones, so we get the hard ones all day long."),
    ("LAR", CX, B79, 2025, "Q3", "Involve residents before we've decided. The traffic scheme taught us that the hard way."),
    ("LAR", CF, B46, 2025, "Q1", "Stress. Sickness in my team is the highest it's ever been."),
    ("LAR", PE, B46, 2025, "Q1", "Having to buy digital work through procurement rules designed for buying buildings."),
    ("LAR", HC, B46, 2025, "Q2", "Being allowed to work from home when I'm writing reports. I get twice as much done."),
    ("LAR", AH, B46, 2026, "Q2", "The fast decisions, and the feeling that we were all in it together."),
    ("LAR", CF, B46, 2026, "Q3", "Being able to say a case needs longer without it counting against us. Keep that and widen it."),
    ("LAR", RS, B79, 2026, "Q1", "The learning reviews are better than the old clinics, but some managers still want their RAG ratings."),
    ("LAR", PE, B13, 2026, "Q3", "Follow through on last year's consultation. Residents asked for youth provision and action on fly-tipping - show them we listened."),
    ("TUL", RS, B46, 2024, "Q1", "The county's social care system. We have to use it and we can't change it."),
    ("TUL", HC, B46, 2024, "Q2", "Working in an alliance with the charities instead of managing them. That started in lockdown."),
    ("TUL", CX, B79, 2024, "Q3", "Keep telling members stories, not just numbers. It changes the questions they ask."),
    ("TUL", PE, B13, 2025, "Q1", "Not much, honestly. Sometimes the number of visitors wanting to learn about our procurement!"),
    ("TUL", HC, B46, 2025, "Q3", "One shared caseload across the homelessness alliance. We're nearly there."),
    ("TUL", RS, B79, 2025, "Q1", "Relying on a handful of people. If our procurement lead left we would struggle."),
    ("TUL", HC, B13, 2026, "Q2", "Flexibility and trust. My manager judges me on outcomes, not hours at a desk."),
    ("TUL", PE, B46, 2026, "Q1", "Two-tier working. The county still does things to us rather than with us."),
    ("TUL", CX, B46, 2026, "Q3", "Share our learning reviews with partners as well, not just with members."),
]

# fmt: on

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
`manifest.yaml` says how to import each file; `_generate.py` writes all of them
deterministically from its hand-written texts.

- `organisations.csv` - name, kind, region, population (residents served, for partners), headcount
- `visit_notes.jsonl` - id, organisation, role, date, visit, text
- `workshop_stickies.csv` - note_id, workshop, column, organisation, role, date, text
- `consultation_replies.csv` - reply_id, date, respondent, ward, likes, reposts, text
  (asked by {ORGS[CONSULTATION_ORG][0]}: "{CONSULTATION_QUESTION}")
- `survey_comments.csv` - response_id, organisation, directorate, grade_band, year,
  question, text
- `manifest.yaml` - import instructions for the files above
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
