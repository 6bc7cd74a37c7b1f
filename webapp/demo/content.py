"""The demo's organisations: teams, their named members, company goals and the people who sign in.

Larkspur Logistics is the main demo organisation; Ferncliff Community Health is a second, small
one, there to show that one organisation never sees another's needs or engagements."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    description: str
    people: str  # how need texts refer to the team's people
    intros: tuple[str, ...]  # first sentence of a need: what the team does
    members: tuple[tuple[str, str], ...]  # (name, role title)
    goal: str  # the goal its needs serve unless a need names another


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    email_domain: str
    timezone: str
    leader: str
    program_manager: str | None
    goals: dict[str, tuple[str, str]]  # key -> (title, description)
    teams: tuple[TeamSpec, ...]


LARKSPUR = OrganisationSpec(
    name="Larkspur Logistics",
    email_domain="example.com",
    timezone="Europe/Amsterdam",
    leader="Dana Whitfield",
    program_manager="Rafael Ortega",
    goals={
        "response": ("Cut customer response times by 30% while keeping satisfaction above 90%",
                     "Measured on first replies across phone, chat and e-mail, quarter on quarter."),
        "close": ("Close the books in five working days instead of nine",
                  "A faster close with fewer manual corrections, without longer evenings for finance."),
        "data": ("One trusted source of operational data for every team",
                 "Teams decide from shared numbers they understand, without queueing for the data team."),
        "growth": ("Grow repeat business from mid-sized shippers by 15% this year",
                   "Fewer quiet departures and more shippers adding a second service."),
        "confidence": ("Help every colleague use AI confidently in their own work",
                       "80% of staff agree in the pulse survey that AI makes their work better, not just faster."),
        "downtime": ("Halve unplanned downtime of sorting equipment",
                     "Measured per depot on the evening peak, when a stopped sorter delays thousands of parcels."),
    },
    teams=(
        TeamSpec(
            "customer_ops", "Customer Operations",
            "Answers shippers and parcel recipients by phone, chat and e-mail in two shifts.",
            "our agents",
            ("Our customer operations team of 38 agents answers shippers and parcel recipients by phone, chat and e-mail, in Dutch, German and English.",
             "Customer Operations handles around 25,000 contacts a month from business shippers and from consumers waiting for a parcel."),
            (("Marieke de Boer", "Team lead, chat and e-mail"), ("Youssef El Amrani", "Senior support agent"),
             ("Lotte Hendriks", "Support agent"), ("Kwame Mensah", "Support agent, business customers"),
             ("Sanne Visser", "Quality coach"), ("Piotr Zielinski", "Workforce planner")),
            "response",
        ),
        TeamSpec(
            "finance", "Finance & Controlling",
            "Month-end close, controlling for the depots, billing disputes and cash forecasting.",
            "our controllers",
            ("Finance & Controlling is eleven people who close the books, run controlling for 14 depots and handle billing disputes with shippers.",
             "Our finance team closes the books for three countries and reports to the board every month."),
            (("Hendrik Smit", "Head of controlling"), ("Ayesha Siddiqui", "Financial controller"),
             ("Bram Willems", "Accounts payable lead"), ("Nora Lindqvist", "Treasury analyst"),
             ("Femke Janssen", "Billing specialist")),
            "close",
        ),
        TeamSpec(
            "data", "Data Platform",
            "Runs the data warehouse, the parcel-scan pipeline and the dashboards other teams rely on.",
            "our engineers",
            ("The Data Platform team runs the warehouse, pipelines and dashboards that every other Larkspur team relies on.",
             "Five engineers look after our data warehouse, the parcel-scan pipeline and about 200 dashboards."),
            (("Ravi Subramanian", "Data platform lead"), ("Eva Novotna", "Analytics engineer"),
             ("Thijs van Leeuwen", "Data engineer"), ("Grace Mwangi", "BI developer"),
             ("Jonas Peeters", "Data analyst")),
            "data",
        ),
        TeamSpec(
            "marketing", "Marketing & Growth",
            "Campaigns, the website and account growth with mid-sized shippers in six countries.",
            "our marketers",
            ("Marketing & Growth is a small team that runs campaigns, the website and account growth for mid-sized shippers in six countries.",
             "Our marketing team of seven supports 40 account managers who sell to business shippers."),
            (("Charlotte Dupont", "Marketing manager"), ("Mehmet Aydin", "Performance marketer"),
             ("Isla Cameron", "Content marketer"), ("Ruben Claes", "Account manager, mid-sized shippers"),
             ("Liesbeth Maes", "CRM specialist")),
            "growth",
        ),
        TeamSpec(
            "people", "People & Culture",
            "Recruiting drivers and warehouse staff, onboarding, learning and development.",
            "our HR partners",
            ("People & Culture recruits drivers and warehouse staff, onboards about 600 people a year and runs learning for the whole company.",
             "Our HR team supports 2,400 colleagues, most of them drivers, sorters and technicians working shifts."),
            (("Anouk Mulder", "HR director"), ("Dev Malhotra", "Talent acquisition lead"),
             ("Fatima Benali", "Learning and development partner"), ("Koen Jacobs", "HR business partner, depots"),
             ("Ewa Lis", "Recruiter, drivers")),
            "confidence",
        ),
        TeamSpec(
            "field", "Field Service",
            "Technicians who maintain sorting lines, conveyors and handheld scanners across 14 depots.",
            "our technicians",
            ("Field Service keeps sorting equipment, conveyors and handheld scanners running across 14 depots.",
             "Our 30 field technicians maintain the sorting lines and scanners that every parcel passes through."),
            (("Gerrit Bos", "Field service manager"), ("Stefan Wouters", "Senior technician, sorting systems"),
             ("Lina Hoffmann", "Technician"), ("Mohammed Tahiri", "Technician"), ("Jeroen Kok", "Dispatcher"),
             ("Anna Schulte", "Spare-parts coordinator"), ("Willem Dekker", "Senior technician, scanners")),
            "downtime",
        ),
    ),
)

FERNCLIFF = OrganisationSpec(
    name="Ferncliff Community Health",
    email_domain="example.org",
    timezone="Europe/London",
    leader="Ines Haddad",
    program_manager=None,
    goals={
        "referrals": ("Every referral answered within five working days",
                      "Today a third of referrals wait longer than two weeks for a first reply."),
        "attendance": ("Halve missed appointments",
                       "Measured across all twelve clinics, with no group of patients left behind."),
        "coding": ("Coding accuracy above 95% at the annual audit",
                   "Accurate coding keeps our funding and our waiting-list figures honest."),
    },
    teams=(
        TeamSpec(
            "patient_access", "Patient Access",
            "Books appointments and turns referral letters into appointments for twelve clinics.",
            "our booking staff",
            ("Patient Access books appointments and handles referrals for twelve community clinics.",
             "Our booking team answers patients and GP practices and turns referral letters into appointments."),
            (("Siobhan Kelly", "Booking team lead"), ("Arun Pillai", "Referrals coordinator"),
             ("Megan Price", "Booking officer"), ("Tomos Evans", "Booking officer")),
            "referrals",
        ),
        TeamSpec(
            "records", "Clinical Records",
            "Codes every clinic contact and prepares activity data for commissioners.",
            "our coders",
            ("Clinical Records codes every clinic contact and prepares activity data for commissioners.",
             "Our records team of six keeps patient records complete and coded for every clinic."),
            (("Joanne Fairweather", "Clinical coding manager"), ("Kelechi Eze", "Clinical coder"),
             ("Harriet Lowe", "Records officer"), ("Ben Hollis", "Information analyst")),
            "coding",
        ),
    ),
)

ORGANISATIONS = (LARKSPUR, FERNCLIFF)

# The freelancer who signs in for the demo: written out, not generated, as people will read it.
FEATURED_FREELANCER = {
    "name": "Sofia Marchetti",
    "headline": "Senior customer operations coach — pairing support teams with AI assistants",
    "bio": (
        "Senior CX operations specialist with 11 years in contact centres for parcel carriers and "
        "online retailers. At a Belgian courier I coached 40 agents through their first AI-drafted "
        "replies; handling time fell by a fifth and satisfaction held. I plan every engagement "
        "around what the team can do without me. Based in Rotterdam."
    ),
    "ai_usage": (
        "I pair with agents on real tickets: the assistant drafts, the agent edits and decides, and "
        "we note every suggestion that was wrong so the team learns where to trust it. I run short "
        "workshops where team leads write their own prompts and review rules, then step back "
        "week by week until they run the weekly review themselves."
    ),
    "hourly_rate": 115,
    "weekly_hours": 20,
    "timezone": "Europe/Amsterdam",
    "skills": (("customer service", 5), ("coaching techniques", 5), ("knowledge management", 4),
               ("natural language processing", 3), ("analyse call centre activities", 4),
               ("handle customer complaints", 4), ("develop training programmes", 3)),
}
