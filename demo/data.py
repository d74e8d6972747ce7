"""The content of the demo: themes, actions, organisations, people and the shapes of their histories.

The themes are those of the joint CPS and NPCC action plan published on 24 March 2021; the actions are written
from the public record of that plan and of the work that followed it (Operation Soteria, the ISVA framework,
pre-trial therapy guidance, the joint disclosure approach). Dates are offsets in days from the day the demo is
first seeded, so the demo always shows a live mix of finished, late, due and future work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NATIONAL_SLUG = "national"
NATIONAL_TITLE = "Joint national action plan for rape and serious sexual offences"
NATIONAL_SUMMARY = (
    "How the police and the CPS work together to improve their joint response to rape and serious sexual "
    "offence (RASSO) cases, so that victims have confidence in the criminal justice system and receive the best "
    "possible support and care while investigations and prosecutions take place. It complements the work of "
    "the joint operational improvement board (JOIB)."
)

# (number, title, purpose) - from the published plan's five themes.
THEMES: list[tuple[int, str, str]] = [
    (
        1,
        "Supporting victims",
        "Through an improved understanding of the impact of trauma, as well as better communication with victims, "
        "so they understand the process and what to expect in a way that enables them to give their best evidence.",
    ),
    (
        2,
        "Casework quality",
        "Addressing any issues relating to casework quality and progression, to ensure that the relationship "
        "between police and prosecutors is timely, effective and geared towards building the strongest case from "
        "the outset.",
    ),
    (
        3,
        "Right to privacy",
        "Balancing the needs of an investigation and a fair trial with the right to victims' and witnesses' right "
        "to privacy through work on digital capability and disclosure.",
    ),
    (
        4,
        "Training",
        "Providing our people with training, development and structure, and supporting their wellbeing, to ensure "
        "that they have the expertise and capacity to deliver justice.",
    ),
    (
        5,
        "Collaboration",
        "Working openly and being accountable through stakeholder engagement, to ensure that the action plan and "
        "its delivery is fit for purpose.",
    ),
]

# key -> (name, short name, kind)
NATIONAL_BODIES: dict[str, tuple[str, str, str]] = {
    "cps": ("CPS Headquarters", "CPS HQ", "cps"),
    "npcc": ("National Police Chiefs' Council", "NPCC", "police"),
    "college": ("College of Policing", "College of Policing", "police"),
    "home_office": ("Home Office", "Home Office", "other"),
    "moj": ("Ministry of Justice", "MoJ", "other"),
    "hmcts": ("HM Courts & Tribunals Service", "HMCTS", "other"),
}

# key -> (name, short name). The 14 CPS Areas of England and Wales.
CPS_AREAS: dict[str, tuple[str, str]] = {
    "cps-london-north": ("CPS London North", "London North"),
    "cps-london-south": ("CPS London South", "London South"),
    "cps-south-east": ("CPS South East", "South East"),
    "cps-south-west": ("CPS South West", "South West"),
    "cps-wessex": ("CPS Wessex", "Wessex"),
    "cps-thames-and-chiltern": ("CPS Thames and Chiltern", "Thames and Chiltern"),
    "cps-east-of-england": ("CPS East of England", "East of England"),
    "cps-east-midlands": ("CPS East Midlands", "East Midlands"),
    "cps-west-midlands": ("CPS West Midlands", "West Midlands"),
    "cps-mersey-cheshire": ("CPS Mersey-Cheshire", "Mersey-Cheshire"),
    "cps-north-west": ("CPS North West", "North West"),
    "cps-north-east": ("CPS North East", "North East"),
    "cps-yorkshire-and-humberside": ("CPS Yorkshire and Humberside", "Yorkshire and Humberside"),
    "cps-wales": ("CPS Cymru-Wales", "Cymru-Wales"),
}

# (slug, name, short name, CPS Area key): the 43 territorial forces of England and Wales, each paired with the
# CPS Area that prosecutes its cases. The first three are the default local plans. The Metropolitan Police works
# with both London Areas; the demo pairs it with London South and the City of London Police with London North.
POLICE_FORCES: list[tuple[str, str, str, str]] = [
    ("avon-and-somerset", "Avon and Somerset Police", "Avon and Somerset", "cps-south-west"),
    ("greater-manchester", "Greater Manchester Police", "Greater Manchester", "cps-north-west"),
    ("west-yorkshire", "West Yorkshire Police", "West Yorkshire", "cps-yorkshire-and-humberside"),
    ("bedfordshire", "Bedfordshire Police", "Bedfordshire", "cps-thames-and-chiltern"),
    ("cambridgeshire", "Cambridgeshire Constabulary", "Cambridgeshire", "cps-east-of-england"),
    ("cheshire", "Cheshire Constabulary", "Cheshire", "cps-mersey-cheshire"),
    ("city-of-london", "City of London Police", "City of London", "cps-london-north"),
    ("cleveland", "Cleveland Police", "Cleveland", "cps-north-east"),
    ("cumbria", "Cumbria Constabulary", "Cumbria", "cps-north-west"),
    ("derbyshire", "Derbyshire Constabulary", "Derbyshire", "cps-east-midlands"),
    ("devon-and-cornwall", "Devon and Cornwall Police", "Devon and Cornwall", "cps-south-west"),
    ("dorset", "Dorset Police", "Dorset", "cps-wessex"),
    ("durham", "Durham Constabulary", "Durham", "cps-north-east"),
    ("dyfed-powys", "Dyfed-Powys Police", "Dyfed-Powys", "cps-wales"),
    ("essex", "Essex Police", "Essex", "cps-east-of-england"),
    ("gloucestershire", "Gloucestershire Constabulary", "Gloucestershire", "cps-south-west"),
    ("gwent", "Gwent Police", "Gwent", "cps-wales"),
    ("hampshire-and-isle-of-wight", "Hampshire and Isle of Wight Constabulary", "Hampshire and IoW", "cps-wessex"),
    ("hertfordshire", "Hertfordshire Constabulary", "Hertfordshire", "cps-thames-and-chiltern"),
    ("humberside", "Humberside Police", "Humberside", "cps-yorkshire-and-humberside"),
    ("kent", "Kent Police", "Kent", "cps-south-east"),
    ("lancashire", "Lancashire Constabulary", "Lancashire", "cps-north-west"),
    ("leicestershire", "Leicestershire Police", "Leicestershire", "cps-east-midlands"),
    ("lincolnshire", "Lincolnshire Police", "Lincolnshire", "cps-east-midlands"),
    ("merseyside", "Merseyside Police", "Merseyside", "cps-mersey-cheshire"),
    ("metropolitan", "Metropolitan Police Service", "Met Police", "cps-london-south"),
    ("norfolk", "Norfolk Constabulary", "Norfolk", "cps-east-of-england"),
    ("north-wales", "North Wales Police", "North Wales", "cps-wales"),
    ("north-yorkshire", "North Yorkshire Police", "North Yorkshire", "cps-yorkshire-and-humberside"),
    ("northamptonshire", "Northamptonshire Police", "Northamptonshire", "cps-east-midlands"),
    ("northumbria", "Northumbria Police", "Northumbria", "cps-north-east"),
    ("nottinghamshire", "Nottinghamshire Police", "Nottinghamshire", "cps-east-midlands"),
    ("south-wales", "South Wales Police", "South Wales", "cps-wales"),
    ("south-yorkshire", "South Yorkshire Police", "South Yorkshire", "cps-yorkshire-and-humberside"),
    ("staffordshire", "Staffordshire Police", "Staffordshire", "cps-west-midlands"),
    ("suffolk", "Suffolk Constabulary", "Suffolk", "cps-east-of-england"),
    ("surrey", "Surrey Police", "Surrey", "cps-south-east"),
    ("sussex", "Sussex Police", "Sussex", "cps-south-east"),
    ("thames-valley", "Thames Valley Police", "Thames Valley", "cps-thames-and-chiltern"),
    ("warwickshire", "Warwickshire Police", "Warwickshire", "cps-west-midlands"),
    ("west-mercia", "West Mercia Police", "West Mercia", "cps-west-midlands"),
    ("west-midlands", "West Midlands Police", "West Midlands", "cps-west-midlands"),
    ("wiltshire", "Wiltshire Police", "Wiltshire", "cps-wessex"),
]
DEFAULT_LOCAL_PLANS = 3
MAX_LOCAL_PLANS = len(POLICE_FORCES)


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str | None  # a NATIONAL_BODIES key
    job_title: str


# The named national people. police.lead and cps.lead lead most national actions on their side; the two others
# lead the rest, so that each lead's list looks like a real portfolio rather than the whole plan.
NATIONAL_PEOPLE: list[Person] = [
    Person("admin", "Alison", "Whitfield", "admin", "cps", "RASSO programme manager"),
    Person("police.lead", "Sarah", "Thornton", "lead", "npcc", "NPCC RASSO delivery lead"),
    Person("cps.lead", "Daniel", "Okafor", "lead", "cps", "Head of RASSO policy"),
    Person("board.member", "Margaret", "Ellison", "board", "home_office", "Deputy Director, Crime and Policing"),
    Person("college.lead", "James", "Pritchard", "lead", "college", "Head of Public Protection Learning"),
    Person("cps.casework.lead", "Priya", "Raman", "lead", "cps", "Casework quality lead"),
]

# Pools for the names of local leads; picked deterministically from the force or Area slug.
FIRST_NAMES = [
    "Amelia", "Ben", "Catherine", "David", "Eleanor", "Farah", "Gareth", "Hannah", "Imran", "Joanne", "Kieran",
    "Lucy", "Mohammed", "Nadia", "Owen", "Rachel", "Simon", "Tessa", "Usman", "Victoria", "William", "Zoe",
    "Aled", "Bethan", "Connor", "Deborah", "Euan", "Grace", "Harjit", "Isla", "Jonathan", "Karen", "Liam",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Bailey", "Chaudhry", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jenkins",
    "Khan", "Lloyd", "Morgan", "Nolan", "O'Brien", "Patel", "Quinn", "Roberts", "Shaw", "Turner", "Walsh",
    "Williams", "Young", "Ahmed", "Brennan", "Clarke", "Doyle", "Edwards", "Foster", "Gill", "Harris",
]  # fmt: skip


@dataclass(frozen=True)
class ActionSpec:
    reference: str
    title: str
    description: str
    side: str  # police / cps / joint
    organisations: tuple[str, ...]  # NATIONAL_BODIES keys
    police_lead: str | None = None  # NATIONAL_PEOPLE username
    cps_lead: str | None = None


def _a(ref, side, orgs, title, description, police=None, cps=None) -> ActionSpec:
    if side in ("police", "joint") and police is None:
        police = "police.lead"
    if side in ("cps", "joint") and cps is None:
        cps = "cps.lead"
    return ActionSpec(ref, title, description, side, tuple(orgs), police, cps)


NATIONAL_ACTIONS: list[ActionSpec] = [
    # 1. Supporting victims
    _a(
        "1.1", "joint", ["cps", "npcc", "home_office", "moj"],
        "Agree a national framework for independent sexual violence advisers (ISVAs)",
        "Work with the Home Office, the Ministry of Justice and ISVA services to agree how police officers, "
        "prosecutors and ISVAs work together, so that every victim who wants one has an ISVA who is kept informed "
        "from report to trial.",
    ),
    _a(
        "1.2", "joint", ["cps", "npcc"],
        "Explain \u201cno further action\u201d decisions to victims in clear letters",
        "Rewrite the letters sent when the police or the CPS decide to take no further action, so that victims "
        "understand the reasons, what happens next and how to ask for a review under the Victims' Right to Review "
        "schemes.",
        cps="cps.casework.lead",
    ),
    _a(
        "1.3", "police", ["college", "npcc"],
        "Publish guidance on trauma-informed engagement with victims",
        "Authorised professional practice for officers on the impact of trauma on memory and behaviour, and on "
        "planning interviews so that victims can give their best evidence.",
        police="college.lead",
    ),
    _a(
        "1.4", "cps", ["cps"],
        "Issue updated guidance on pre-trial therapy",
        "Replace the 2002 practice guidance so that victims and therapists know that therapy before trial is the "
        "victim's choice and that notes are sought only when relevant to a reasonable line of enquiry.",
    ),
    _a(
        "1.5", "cps", ["cps", "hmcts"],
        "Offer every victim a meeting with the prosecutor before giving evidence",
        "Embed the speaking to witnesses at court guidance in RASSO cases and record whether the meeting was "
        "offered and held.",
        cps="cps.casework.lead",
    ),
    _a(
        "1.6", "police", ["npcc"],
        "Record and act on the reasons victims withdraw support for a prosecution",
        "A common way for forces to record why victims withdraw, reviewed quarterly to find the points in the "
        "process where support fails.",
    ),
    _a(
        "1.7", "joint", ["cps", "npcc", "moj"],
        "Check compliance with the Victims' Code in RASSO cases",
        "A joint dip sample each quarter of police and CPS compliance with the Victims' Code entitlements to "
        "information, referral and review.",
    ),
    # 2. Casework quality
    _a(
        "2.1", "joint", ["cps", "npcc"],
        "Make early investigative advice available in every suitable RASSO case",
        "Agree with forces when investigators seek early advice from a specialist prosecutor, and monitor its take-"
        "up, so that reasonable lines of enquiry are agreed at the start.",
        cps="cps.casework.lead",
    ),
    _a(
        "2.2", "joint", ["cps", "npcc"],
        "Agree joint case progression and file quality standards for RASSO",
        "Set the standard a RASSO file must meet when it is submitted for a charging decision and a shared way of "
        "measuring it, replacing local variations.",
        cps="cps.casework.lead",
    ),
    _a(
        "2.3", "joint", ["cps", "npcc", "hmcts"],
        "Hold joint case progression meetings for cases awaiting a charging decision",
        "Regular meetings between investigators and prosecutors to review the oldest cases awaiting a decision "
        "and agree the outstanding actions with dates.",
    ),
    _a(
        "2.4", "cps", ["cps"],
        "Quality assure RASSO charging decisions through a second specialist review",
        "A sample of decisions not to charge is reviewed by a second specialist prosecutor and the learning fed "
        "back to the Area RASSO units.",
        cps="cps.casework.lead",
    ),
    _a(
        "2.5", "police", ["npcc", "college"],
        "Adopt a national investigation plan template for rape investigations",
        "A single investigation plan that focuses on the suspect's behaviour and the context of the offence, "
        "building on the learning from Operation Soteria Bluestone.",
    ),
    _a(
        "2.6", "joint", ["cps", "npcc", "home_office"],
        "Apply the learning from Operation Soteria across police forces and CPS Areas",
        "Take the findings of the Operation Soteria pathfinder forces into the national operating model for the "
        "investigation and prosecution of rape.",
    ),
    # 3. Right to privacy
    _a(
        "3.1", "joint", ["cps", "npcc"],
        "Adopt a joint national RASSO disclosure approach",
        "One approach for investigators and prosecutors to identifying, reviewing and disclosing material in "
        "RASSO cases, in line with the Attorney General's Guidelines on Disclosure.",
    ),
    _a(
        "3.2", "joint", ["cps", "npcc"],
        "Make only proportionate requests for third-party material",
        "Templates and guidance so that requests for medical, counselling, school and social services records "
        "are made only when they meet a reasonable line of enquiry, and victims are told why.",
        cps="cps.casework.lead",
    ),
    _a(
        "3.3", "police", ["npcc", "home_office"],
        "Introduce digital processing notices for victims' phones and devices",
        "Replace the previous consent forms with notices that explain to victims what will be taken from their "
        "device, why, and what will happen to it, under the new statutory power to extract information.",
    ),
    _a(
        "3.4", "police", ["npcc", "home_office"],
        "Build digital forensic capability for targeted and timely device examination",
        "Self-service kiosks and selective extraction so that only relevant data is examined and phones are "
        "returned to victims quickly.",
    ),
    _a(
        "3.5", "cps", ["cps"],
        "Guide prosecutors on reasonable lines of enquiry for digital material",
        "Guidance and worked examples so that prosecutors ask for digital material only where it is relevant and "
        "proportionate, and challenge requests that are not.",
    ),
    _a(
        "3.6", "joint", ["cps", "npcc"],
        "Explain to victims how their personal information will be used",
        "A joint leaflet and script for officers and prosecutors on how personal information may be used in "
        "an investigation and at trial, and the victim's rights over it.",
    ),
    # 4. Training
    _a(
        "4.1", "cps", ["cps"],
        "Deliver specialist RASSO training and accreditation for prosecutors",
        "A refreshed RASSO curriculum, including rape myths and stereotypes, that every RASSO prosecutor "
        "completes before taking on cases, with accreditation renewed every three years.",
    ),
    _a(
        "4.2", "police", ["college", "npcc"],
        "Accredit specialist sexual offence investigators",
        "Expand the specialist sexual assault investigators development programme so that every rape "
        "investigation is led by an accredited investigator.",
        police="college.lead",
    ),
    _a(
        "4.3", "joint", ["cps", "college"],
        "Run joint training for investigators and prosecutors on consent and rape myths",
        "A joint module, delivered locally by police and CPS trainers together, so that both sides test the "
        "evidence in the same way.",
        police="college.lead",
    ),
    _a(
        "4.4", "joint", ["cps", "npcc"],
        "Provide wellbeing support for RASSO staff",
        "Trauma risk management, regular supervision and access to psychological support for officers and "
        "prosecutors working on RASSO cases.",
    ),
    _a(
        "4.5", "cps", ["cps"],
        "Review RASSO prosecutor caseloads and resourcing",
        "Set a caseload measure for RASSO units and use it to recruit and deploy prosecutors where the demand is.",
    ),
    _a(
        "4.6", "police", ["college"],
        "Train first responders in the first hours of a rape report",
        "Training for response officers on the first account, the forensic strategy and early referral to "
        "sexual assault referral centres.",
        police="college.lead",
    ),
    # 5. Collaboration
    _a(
        "5.1", "joint", ["cps", "npcc"],
        "Set up joint national and local RASSO steering groups",
        "A national steering group chaired jointly by the CPS and NPCC leads, with a joint steering group in "
        "every CPS Area and force, meeting at least quarterly.",
    ),
    _a(
        "5.2", "joint", ["cps", "npcc", "home_office"],
        "Report delivery of the plan to the joint operational improvement board",
        "Quarterly reports on each action to the joint operational improvement board (JOIB), with exceptions "
        "escalated for decision.",
    ),
    _a(
        "5.3", "joint", ["cps", "npcc"],
        "Engage victims' organisations through a stakeholder reference group",
        "A reference group of victims' and survivors' organisations that reviews the plan's products before they "
        "are published and hears how its views were used.",
    ),
    _a(
        "5.4", "joint", ["cps", "npcc", "home_office"],
        "Agree a data-sharing agreement and a joint RASSO performance data set",
        "Shared definitions and a data-sharing agreement so that police and CPS RASSO data can be joined from "
        "report to outcome and published as joint performance data.",
        cps="cps.casework.lead",
    ),
    _a(
        "5.5", "police", ["npcc", "home_office"],
        "Improve the recording of RASSO outcomes by forces",
        "Consistent recording of outcome types so that national data shows why cases do not proceed.",
    ),
    _a(
        "5.6", "joint", ["cps", "npcc"],
        "Develop local joint action plans that mirror the national plan",
        "Every force and CPS Area agrees a local joint action plan that mirrors this plan while responding to "
        "local issues, and reports on it to its local steering group.",
    ),
]  # fmt: skip

# Local additions: (theme number, side, title, description). A local plan gets one or two of them.
LOCAL_ADDITIONS: list[tuple[int, str, str, str]] = [
    (
        1, "joint", "Set up a victim liaison panel with the local ISVA service",
        "A quarterly panel with the local ISVA and sexual assault referral centre services to hear victims' "
        "experience of the local response and agree changes.",
    ),
    (
        2, "joint", "Review every RASSO case older than twelve months at a joint case progression meeting",
        "A monthly joint meeting that goes through the oldest open investigations and cases awaiting a decision.",
    ),
    (
        3, "police", "Clear the backlog of devices awaiting examination in RASSO cases",
        "Extra digital forensic capacity until no RASSO device has waited more than three months.",
    ),
    (
        4, "joint", "Hold joint local RASSO training days for investigators and prosecutors",
        "Twice-yearly training days run together by the force and the Area RASSO unit.",
    ),
    (
        5, "joint", "Report local RASSO performance to the local criminal justice board",
        "A quarterly joint report from the force and the Area to the local criminal justice board.",
    ),
    (
        2, "cps", "Check file quality at the point of charge in every RASSO case",
        "A file quality check by the Area RASSO unit, fed back to the force within five working days.",
    ),
]  # fmt: skip


# -- Shapes of history -----------------------------------------------------------------------------------------
# A step is one status update. `cycle` is how many review cycles ago it was made (0 = the cycle open now) and
# `day` the day within that cycle's window; a step with `at` instead is made that many days from today, outside
# any window. `target` revises the target date to that many days from today.


@dataclass(frozen=True)
class Step:
    status: str
    rag: str
    narrative: str
    cycle: int | None = None
    day: int = 5
    at: int | None = None
    target: int | None = None
    reason: str = ""
    evidence: bool = False
    closure: str = ""
    # A step of a joint action's sign-off ("proposed", "declined" or "confirmed"), made by the lead of `by`
    # ("police" or "cps").
    signoff: str = ""
    by: str = ""


@dataclass(frozen=True)
class Scenario:
    name: str
    start: int
    target: int
    steps: list[Step] = field(default_factory=list)
    # A scenario with sign-off steps is for joint actions; an action of one side takes this one instead.
    single_side: str = ""


IP, NS, DONE, CLOSED = "in_progress", "not_started", "completed", "closed"
G, A, R = "green", "amber", "red"

SCENARIOS: dict[str, Scenario] = {
    "completed_early": Scenario(
        "completed_early", -400, -100,
        [
            Step(IP, G, "Work started; project board and terms of reference agreed.", cycle=4, day=3),
            Step(IP, G, "Draft circulated to forces and Areas for comment.", cycle=3, day=8),
            Step(DONE, G, "Published and sent to all forces and Areas.", at=-120, evidence=True),
        ],
    ),
    "completed_recent": Scenario(
        "completed_recent", -300, -20,
        [
            Step(IP, G, "Scoping complete; working group meets fortnightly.", cycle=3, day=4),
            Step(IP, A, "Consultation took longer than planned; sign-off moved to the next board.", cycle=2, day=9),
            Step(IP, G, "Back on track after the board agreed the final draft.", cycle=1, day=6),
            Step(DONE, G, "Signed off by the joint steering group and in use.", at=-25, evidence=True),
        ],
    ),
    "completed_long_ago": Scenario(
        "completed_long_ago", -420, -200,
        [
            Step(IP, G, "Work started with the first pathfinder areas.", cycle=4, day=2),
            Step(DONE, G, "Delivered; evaluation report published.", at=-210, evidence=True),
        ],
    ),
    "green_long": Scenario(
        "green_long", -350, 150,
        [
            Step(IP, G, "Work started; milestones agreed with the steering group.", cycle=3, day=5),
            Step(IP, G, "First phase delivered on time.", cycle=2, day=7),
            Step(IP, G, "Second phase under way; no risks to the target date.", cycle=1, day=3),
            Step(IP, G, "On track: pilot results reported to the board.", cycle=0, day=4, evidence=True),
        ],
    ),
    "green_mid": Scenario(
        "green_mid", -150, 70,
        [
            Step(IP, G, "Started following the board's approval.", cycle=1, day=6),
            Step(IP, G, "On track; draft products shared with the stakeholder group.", cycle=0, day=2),
        ],
    ),
    "amber_due_soon": Scenario(
        "amber_due_soon", -250, 18,
        [
            Step(IP, G, "Started; lead officers nominated in each region.", cycle=2, day=5),
            Step(IP, A, "Two regions are behind; recovery plan agreed.", cycle=1, day=10),
            Step(IP, A, "Recovery plan under way but the target date is at risk.", cycle=0, day=3),
        ],
    ),
    "green_due_soon": Scenario(
        "green_due_soon", -200, 9,
        [
            Step(IP, G, "Started; delivery plan agreed.", cycle=2, day=6),
            Step(IP, G, "Final product drafted; sign-off booked.", cycle=1, day=4),
            Step(IP, G, "Sign-off due at the next steering group.", cycle=0, day=5),
        ],
    ),
    "red_overdue": Scenario(
        "red_overdue", -300, -40,
        [
            Step(IP, G, "Started; supplier engaged.", cycle=3, day=6),
            Step(IP, A, "Supplier delays; mitigation under discussion.", cycle=2, day=5),
            Step(IP, R, "Target date missed; escalated to the board for a decision on funding.", cycle=1, day=8),
            Step(IP, R, "Still awaiting the funding decision; no new date can be set yet.", cycle=0, day=6),
        ],
    ),
    "red_overdue_revised": Scenario(
        "red_overdue_revised", -260, -90,
        [
            Step(IP, G, "Started; working group formed.", cycle=3, day=2),
            Step(
                IP, A, "Dependent on new legislation; target date revised.", cycle=2, day=6, target=-5,
                reason="Waiting for the statutory code of practice to be laid before Parliament.",
            ),
            Step(IP, R, "Code of practice delayed again; the revised date is at risk.", cycle=1, day=9),
            Step(IP, R, "Revised date missed; options paper going to the board.", cycle=0, day=3),
        ],
    ),
    "revised_on_track": Scenario(
        "revised_on_track", -330, -30,
        [
            Step(IP, G, "Started; evidence review commissioned.", cycle=3, day=4),
            Step(IP, A, "Evidence review late; delivery at risk.", cycle=2, day=8),
            Step(
                IP, A, "Board agreed a new target date to allow a second round of consultation.", cycle=1, day=5,
                target=60, reason="A second round of consultation with victims' organisations was agreed.",
            ),
            Step(IP, G, "Consultation running to the new timetable.", cycle=0, day=7, evidence=True),
        ],
    ),
    "revised_due_soon": Scenario(
        "revised_due_soon", -280, -50,
        [
            Step(IP, A, "Started late because of staff vacancies.", cycle=2, day=7),
            Step(
                IP, A, "New target date agreed after recruitment.", cycle=1, day=3, target=12,
                reason="The lead post was vacant for four months.",
            ),
            Step(IP, A, "Working to the revised date; little margin left.", cycle=0, day=6),
        ],
    ),
    "not_started_future": Scenario(
        "not_started_future", 40, 300,
        [Step(NS, G, "Scoping agreed; work starts after the current phase completes.", cycle=1, day=7)],
    ),
    "not_started_late": Scenario(
        "not_started_late", -20, 25,
        [
            Step(NS, G, "Planned to start once the lead is in post.", cycle=1, day=9),
            Step(NS, A, "Start delayed: the lead post is still being filled.", cycle=0, day=8),
        ],
    ),
    "closed_superseded": Scenario(
        "closed_superseded", -380, -60,
        [
            Step(IP, G, "Started.", cycle=4, day=6),
            Step(IP, A, "Overlaps with the national operating model now being developed.", cycle=3, day=4),
            Step(
                CLOSED, A, "Closed by the board: superseded by the national operating model work.", cycle=2, day=9,
                closure="superseded",
            ),
        ],
    ),
    "closed_withdrawn": Scenario(
        "closed_withdrawn", -300, 30,
        [
            Step(IP, G, "Started; options being assessed.", cycle=3, day=3),
            Step(
                CLOSED, G, "Withdrawn by the board: the work is now led by the Ministry of Justice.", cycle=1, day=4,
                closure="withdrawn",
            ),
        ],
    ),
    "joint_completion_proposed": Scenario(
        "joint_completion_proposed", -320, 12,
        [
            Step(IP, G, "Started; joint task and finish group set up.", cycle=3, day=5),
            Step(IP, G, "Draft agreed by both sides' working groups.", cycle=2, day=6),
            Step(IP, G, "Final version agreed; roll-out to forces and Areas under way.", cycle=1, day=4),
            Step(
                IP, G, "Delivered for the police: published to every force and in use. Marked completed; the CPS "
                "side to confirm it is in use in every Area.", at=-4, signoff="proposed", by="police",
                evidence=True,
            ),
        ],
        single_side="green_mid",
    ),
    "joint_signed_off": Scenario(
        "joint_signed_off", -380, -15,
        [
            Step(IP, G, "Started; joint project board meets monthly.", cycle=3, day=3),
            Step(IP, G, "Products drafted and tested in two pathfinder areas.", cycle=2, day=5),
            Step(
                IP, G, "Rolled out to every force. Marked completed for the police.", cycle=1, day=7,
                signoff="proposed", by="police",
            ),
            Step(
                IP, G, "Not yet in use in three CPS Areas: the Area leads need the final guidance first.", cycle=1,
                day=9, signoff="declined", by="cps",
            ),
            Step(IP, G, "Guidance issued to the three remaining Areas.", at=-40),
            Step(
                IP, G, "In use in every force and Area; evaluation report attached. Marked completed again.", at=-30,
                signoff="proposed", by="police", evidence=True,
            ),
            Step(DONE, G, "Confirmed for the CPS: in use in every Area.", at=-27, signoff="confirmed", by="cps"),
        ],
        single_side="completed_recent",
    ),
}  # fmt: skip

# One scenario per national action (the same length as NATIONAL_ACTIONS). A local plan takes the same mix,
# rotated, so every plan has completed, on-track, at-risk, overdue, not started and closed actions.
SCENARIO_MIX: list[str] = [
    "completed_early", "green_long", "amber_due_soon", "red_overdue", "revised_on_track", "not_started_future",
    "completed_recent", "green_due_soon", "closed_superseded", "green_mid", "revised_due_soon", "red_overdue",
    "completed_long_ago", "not_started_late", "green_long", "amber_due_soon", "red_overdue_revised",
    "completed_recent", "joint_completion_proposed", "revised_on_track", "closed_withdrawn", "green_due_soon",
    "not_started_future", "green_long", "completed_early", "amber_due_soon", "revised_due_soon", "not_started_late",
    "joint_signed_off", "red_overdue", "completed_recent",
]  # fmt: skip
LOCAL_ADDITION_SCENARIOS = ["green_mid", "not_started_future", "amber_due_soon"]

assert len(SCENARIO_MIX) == len(NATIONAL_ACTIONS)
assert all(name in SCENARIOS for name in SCENARIO_MIX + LOCAL_ADDITION_SCENARIOS)
# Sign-off scenarios fall on joint national actions (3.6 and 5.4), and name a scenario for actions of one side.
assert all(
    spec.side == "joint"
    for spec, name in zip(NATIONAL_ACTIONS, SCENARIO_MIX, strict=True)
    if any(step.signoff for step in SCENARIOS[name].steps)
)
assert all(
    scenario.single_side in SCENARIOS for scenario in SCENARIOS.values() if any(step.signoff for step in scenario.steps)
)

EVIDENCE_URLS = [
    "https://www.cps.gov.uk/publication/rasso-joint-national-action-plan",
    "https://www.college.police.uk/app/major-investigation-and-public-protection",
    "https://www.gov.uk/government/publications/end-to-end-rape-review-report-on-findings-and-actions",
    "https://www.npcc.police.uk/our-work/violence-against-women-and-girls/",
]


# -- The "2022 refresh" revision of the national plan -----------------------------------------------------------
# Written for the demo in the spirit of the public record: a year on, completed commitments stay in the record,
# open ones are carried forward, reworded, merged or replaced, and new actions are added.

REVISION_NAME = "2022 refresh"
REVISION_EFFECTIVE_DAYS = -45
REVISION_RATIONALE = (
    "The plan refreshed a year on, in the light of the joint thematic inspection of the police and CPS response "
    "to rape by HMICFRS and HMCPSI (phase 1, July 2021; phase 2, February 2022) and the government's end-to-end "
    "rape review. Completed commitments stay in the record; open ones are carried forward, reworded, merged or "
    "replaced; new actions answer the inspection's recommendations. (Demo data.)"
)
# reference -> (new title, new description, reason)
REVISION_CHANGES: dict[str, tuple[str, str, str]] = {
    "1.2": (
        "Explain \u201cno further action\u201d decisions to victims in joint, plain-English letters",
        "Rewrite the police and CPS letters sent when no further action is taken as one joint set, tested with "
        "victims' organisations, so that victims understand the reasons, what happens next and how to ask for a "
        "review under the Victims' Right to Review schemes.",
        "The inspection found police and CPS letters that contradicted each other: one joint set replaces them.",
    ),
    "3.2": (
        "Request third-party material only when a reasonable line of enquiry needs it, using the national templates",
        "National request templates and guidance so that requests for medical, counselling, school and social "
        "services records are made only when they meet a reasonable line of enquiry, recorded with the reason, "
        "and victims are told why.",
        "The templates agreed with the Information Commissioner's Office are now part of the action.",
    ),
}
# (reference merged, reference it is merged into, reason)
REVISION_MERGES: list[tuple[str, str, str]] = [
    (
        "2.3",
        "2.1",
        "Early advice and the case progression meetings are one joint casework process: delivered together.",
    ),
]
# (reference withdrawn, reason)
REVISION_WITHDRAWALS: list[tuple[str, str]] = [
    ("5.5", "Outcome recording is now led by the Home Office's crime outcomes programme for every offence type."),
]
# New actions: (key, theme, side, title, description, police lead, CPS lead, start offset, target offset, reason)
REVISION_ADDITIONS: list[tuple[str, int, str, str, str, str | None, str | None, int, int, str]] = [
    (
        "operating-model", 2, "joint",
        "Adopt the national operating model for the investigation and prosecution of rape",
        "Every force and CPS Area adopts the operating model built from Operation Soteria's pathfinders, with its "
        "suspect-focused investigation and joint case strategy, and reports its progress to the JOIB.",
        "police.lead", "cps.lead", -40, 280,
        "Operation Soteria's national operating model replaces the separate investigation plan template.",
    ),
    (
        "data", 5, "joint",
        "Publish joint police and CPS RASSO performance data every quarter",
        "A quarterly publication of joined-up police and CPS data from report to outcome, with the measures "
        "agreed with the inspectorates, so that progress is visible to the public.",
        "police.lead", "cps.casework.lead", -40, 200,
        "The inspection asked for joint measures of progress that the public can see.",
    ),
]  # fmt: skip
# (reference superseded, key of the new action that supersedes it, reason)
REVISION_SUPERSEDED: list[tuple[str, str, str]] = [
    (
        "2.5",
        "operating-model",
        "Superseded by the national operating model, which includes a suspect-focused investigation plan.",
    ),
]


# -- Inspection recommendations ---------------------------------------------------------------------------------
# The two phases of the HMICFRS and HMCPSI joint thematic inspection of the police and CPS response to rape are
# real; the recommendation texts below are written for the demo, in the spirit of the public record.

# (key, title, short title, publisher, published (year, month, day), web address)
FINDING_SOURCES: list[tuple[str, str, str, str, tuple[int, int, int], str]] = [
    (
        "phase-1",
        "Joint thematic inspection of the police and CPS response to rape, phase 1: from report to police or CPS "
        "decision to take no further action",
        "Joint inspection, phase 1",
        "HMICFRS and HMCPSI (recommendation texts written for the demo)",
        (2021, 7, 27),
        "https://www.justiceinspectorates.gov.uk/hmicfrs/publications/",
    ),
    (
        "phase-2",
        "Joint thematic inspection of the police and CPS response to rape, phase 2: post-charge",
        "Joint inspection, phase 2",
        "HMICFRS and HMCPSI (recommendation texts written for the demo)",
        (2022, 2, 24),
        "https://www.justiceinspectorates.gov.uk/hmcpsi/publications/",
    ),
]
# source key -> [(number, addressee, text, national action references answering it)]
RECOMMENDATIONS: dict[str, list[tuple[str, str, str, list[str]]]] = {
    "phase-1": [
        ("1", "both", "Chief constables and Chief Crown Prosecutors should make sure that every victim who wants "
         "one is referred to an independent sexual violence adviser, and that the adviser is kept informed from "
         "report to decision.", ["1.1"]),
        ("2", "both", "Police forces and the CPS should agree joint letters that explain decisions to take no "
         "further action in plain English, and tell victims how to ask for a review.", ["1.2"]),
        ("3", "both", "The CPS and the NPCC should make early investigative advice available in every suitable "
         "rape case and measure how often it is sought.", ["2.1"]),
        ("4", "police", "Chief constables should make sure that requests for victims' third-party material and "
         "digital data are necessary and proportionate, and that victims are told why they are made.",
         ["3.2", "3.5"]),
        ("5", "both", "The College of Policing and the CPS should train investigators and prosecutors together "
         "on consent and on the myths and stereotypes about rape.", ["4.3"]),
        ("6", "both", "The police and the CPS should jointly collect and publish data that follows rape cases from "
         "report to outcome.", ["5.4"]),
    ],
    "phase-2": [
        ("1", "cps", "The CPS should make sure that every victim is offered a meeting with the prosecutor before "
         "giving evidence, and record whether it took place.", ["1.5"]),
        ("2", "cps", "The CPS should replace its guidance on pre-trial therapy, making clear that therapy is the "
         "victim's choice.", ["1.4"]),
        ("3", "both", "Police forces and the CPS should hold regular joint case progression meetings for rape "
         "cases awaiting a decision or trial.", ["2.3"]),
        ("4", "cps", "Chief Crown Prosecutors should make sure that prosecutors working on rape cases have "
         "manageable caseloads.", ["4.5"]),
        ("5", "other", "The Ministry of Justice and the Home Office should fund the support victims need between "
         "charge and trial.", []),
        ("6", "both", "The police and the CPS should give staff working on rape cases the wellbeing support they "
         "need.", ["4.4"]),
        ("7", "both", "Every force and CPS Area should agree a joint local action plan for rape and report on it to "
         "a local steering group.", ["5.6"]),
    ],
}  # fmt: skip
# (source key, number, evidence): recommendations the demo closes with evidence (all their actions completed).
RECOMMENDATIONS_CLOSED: list[tuple[str, str, str]] = [
    (
        "phase-1",
        "1",
        "The national ISVA framework was agreed with the Home Office and the Ministry of Justice and is in use in "
        "every force and CPS Area. (Demo text.)",
    ),
]


# -- Local plans answering the national plan ---------------------------------------------------------------------

# local plan slug -> [(reference, reason)]: national actions that do not apply locally.
LOCAL_NOT_APPLICABLE: dict[str, list[tuple[str, str]]] = {
    "avon-and-somerset-cps-south-west": [
        (
            "3.4",
            "Device examination for the force is done by the regional digital forensics unit, which reports against "
            "the national action itself. (Demo text.)",
        ),
        (
            "5.3",
            "Victims' organisations in the area sit on the national stakeholder reference group; no separate local "
            "group is needed. (Demo text.)",
        ),
    ],
}
# local plan slug -> [(reference, side of the local lead who answers, None to accept or the reason to keep)]: how
# local leads answered the "2022 refresh" rewording of national actions. Avon and Somerset has not answered yet.
LOCAL_CHANGE_ANSWERS: dict[str, list[tuple[str, str, str | None]]] = {
    "greater-manchester-cps-north-west": [("1.2", "police", None), ("3.2", "cps", None)],
    "west-yorkshire-cps-yorkshire-and-humberside": [
        ("1.2", "police", None),
        (
            "3.2",
            "cps",
            "The local wording names the West Yorkshire request templates agreed with the local NHS trusts. "
            "(Demo text.)",
        ),
    ],
}


# -- The public progress page of the national plan ---------------------------------------------------------------

PUBLIC_INTRODUCTION = (
    "The police and the Crown Prosecution Service publish their progress on the joint national action plan for rape "
    "and serious sexual offences here. Each theme shows how many of its actions are completed, in progress or not "
    "started, and what each completed action has delivered. (Demo text.)"
)
# national reference -> public summary of the completed action, written for the public and naming no one.
PUBLIC_SUMMARIES: dict[str, str] = {
    "1.1": "A national framework now sets out how officers, prosecutors and independent sexual violence advisers work "
    "together, so that victims who want an adviser have one from report to trial.",
    "1.7": "The police and the CPS check together, every quarter, a sample of cases against the Victims' Code, and "
    "act on what they find.",
    "2.6": "What the pathfinder forces learnt in Operation Soteria has been written into the national approach to "
    "investigating and prosecuting rape.",
    "3.5": "Prosecutors have guidance and worked examples on asking for digital material only when it is relevant "
    "and proportionate.",
    "4.6": "Response officers are trained in the first hours after a rape is reported: the first account, forensic "
    "evidence and early referral to specialist support.",
    "5.6": "Every police force and CPS Area has a local joint action plan that mirrors this plan and reports to a "
    "local steering group.",
}
