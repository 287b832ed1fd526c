"""Demo jobs for ``manage.py seed_demo``, after the accounts demo: jobs of every visibility and
state, invitations, proposals, offers and contracts, posted by the demo clients and the two demo
organisations and answered by the demo freelancers.

Everything goes through the services (so every status-change row and domain event exists), with
one exception the product has no service for: an expired job is posted, then its expiry date is
moved into the past and the expiry service runs. Each job is one transaction, keyed on its
client and fixed title, so a second run adds nothing. No demo freelancer sends more than a few
proposals, far below the daily cap.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import City, Skill, User
from marketplace.contracts import services as contract_services
from marketplace.contracts.models import Contract, Milestone
from marketplace.core.exceptions import DomainError
from marketplace.jobs import services
from marketplace.jobs.models import Job, JobInvitation, Offer, Proposal
from marketplace.organisations.models import Organisation, Role

from .accounts import (
    DOMAIN,
    FREELANCERS,
    ORGANISATIONS,
    TRACKS,
    Step,
    client_email,
    freelancer_email,
    member_email,
)

logger = logging.getLogger(__name__)

FIXED, HOURLY = Job.BudgetType.FIXED, Job.BudgetType.HOURLY
PUBLIC, INVITE_ONLY, POOL = Job.Visibility.PUBLIC, Job.Visibility.INVITE_ONLY, Job.Visibility.POOL
# Fates that hire the freelancer, named by how the contract then stands.
HIRES = ("active", "completed", "cancelled")


@dataclass(frozen=True)
class Bid:
    """A proposal and what becomes of it: submitted, shortlisted, archived, declined, withdrawn;
    offer (sent, unanswered), offer_declined, offer_withdrawn; or one of ``HIRES``."""

    freelancer: int  # the demo freelancer's number
    amount: int  # whole currency units: the price (fixed) or the rate (hourly)
    fate: str = "submitted"


@dataclass(frozen=True)
class JobPlan:
    poster: str  # email of the client, or of the organisation member who posts
    title: str
    brief: str
    tasks: list[str]
    category: str
    skills: list[str]
    currency: str
    budget: tuple[int, int] | int  # fixed: the budget; hourly: (lowest, highest) rate
    status: str = Job.Status.OPEN
    visibility: str = PUBLIC
    organisation: str = ""  # the key of an organisation of the accounts demo
    duration: str = Job.Duration.WEEKS
    experience: str = Job.ExperienceLevel.INTERMEDIATE
    onsite: tuple[str, str, int] | None = None  # (city, country code, radius in km)
    invited: list[int] = field(default_factory=list)
    bids: list[Bid] = field(default_factory=list)


NORTHWIND, BRIGHTWAVE = (plan.key for plan in ORGANISATIONS)


def _org_member(key: str, role: str) -> str:
    return member_email(next(plan for plan in ORGANISATIONS if plan.key == key), role)


JOBS = [
    JobPlan(
        client_email(1), "Website and project booking for an architecture studio",
        "We are a twelve-person architecture practice in London and our site has not changed since 2016. "
        "We want a fast, accessible site that shows our projects and lets clients book a first consultation.",
        ["A project gallery we can update ourselves", "Consultation booking with calendar sync",
         "Hosting set up and handed over to us"],
        "web", ["Django", "HTML & CSS", "PostgreSQL"], "GBP", 6_000,
        invited=[1, 16],
        bids=[Bid(1, 5_800, "shortlisted"), Bid(2, 6_200), Bid(15, 5_400, "declined"),
              Bid(29, 6_000, "withdrawn"), Bid(44, 7_500, "archived")],
    ),
    JobPlan(
        client_email(2), "Speed up our PostgreSQL reporting queries",
        "Our monthly reports take forty minutes to build. We would like someone to profile the worst "
        "queries, fix the indexes and schema, and show us how to keep it fast.",
        ["Profile the reporting queries", "Indexes, rewrites and partitioning where it helps",
         "A short write-up for our team"],
        "data", ["PostgreSQL", "Python", "SQL"], "EUR", (60, 110),
        duration=Job.Duration.UNDER_WEEK, experience=Job.ExperienceLevel.EXPERT,
        bids=[Bid(43, 95, "offer"), Bid(32, 85), Bid(4, 100, "shortlisted")],
    ),
    JobPlan(
        client_email(3), "Landing page for residential solar quotes",
        "Sunbeam Solar needs a landing page that turns ad traffic into quote requests: a short form, "
        "a savings estimate and a thank-you page our CRM can track.",
        ["Responsive landing page", "Quote form with validation", "Conversion tracking"],
        "web", ["JavaScript", "HTML & CSS", "React"], "USD", 3_500,
        bids=[Bid(30, 3_400, "active"), Bid(11, 3_000)],
    ),
    JobPlan(
        client_email(4), "Brand refresh for a specialty coffee roaster",
        "Kaya Coffee Roasters is ten years old and our bags look it. We want a refreshed logo, a colour "
        "palette and bag labels for our six single-origin coffees.",
        ["Logo refresh (not a full rebrand)", "Palette and type", "Six bag labels ready to print"],
        "design", ["Logo design", "Graphic design", "Illustration"], "USD", 4_800,
        bids=[Bid(7, 4_600, "completed"), Bid(21, 5_200, "declined")],
    ),
    JobPlan(
        client_email(5), "Two years of bookkeeping clean-up in Xero",
        "My design studio's books fell behind. I need 2023 and 2024 reconciled in Xero, the VAT "
        "returns checked, and a simple monthly routine I can keep up.",
        ["Reconcile two years of transactions", "Check the VAT returns", "A monthly checklist"],
        "finance", ["Bookkeeping", "Accounting"], "EUR", (35, 70),
        duration=Job.Duration.MONTHS,
        bids=[Bid(13, 55, "cancelled"), Bid(27, 48)],
    ),
    JobPlan(
        client_email(6), "Patient check-in app for three clinics",
        "Lumen Health wants patients to check in from their phones instead of at the desk. We have the "
        "API; we need the iOS and Android apps and help through the store reviews.",
        ["iOS and Android apps (one code base is fine)", "Check-in, queue position and notifications",
         "Store submissions"],
        "mobile", ["Flutter", "iOS", "Android"], "USD", 18_000,
        visibility=INVITE_ONLY, duration=Job.Duration.QUARTER, experience=Job.ExperienceLevel.EXPERT,
        invited=[3, 17, 31],
        bids=[Bid(3, 17_500, "offer_declined"), Bid(17, 16_800, "shortlisted")],
    ),
    JobPlan(
        client_email(7), "Route optimisation analysis for our delivery fleet",
        "Greenline Logistics runs 40 vans in Chicago. We want to know how much shorter our routes could "
        "be, using a year of delivery data.",
        ["Clean and explore a year of routes", "Model better routes", "Report with recommendations"],
        "data", ["Data analysis", "Python", "Machine learning"], "USD", (70, 130),
        status=Job.Status.DRAFT, duration=Job.Duration.MONTHS,
    ),
    JobPlan(
        client_email(9), "Translate our online shop into German and Spanish",
        "Atelier Dubois sells linen clothing online in French and English. We want the shop, emails "
        "and size guide in German and Spanish, written for people who buy clothes, not dictionaries.",
        ["About 9,000 words per language", "Product pages, emails, size guide", "One round of edits"],
        "writing", ["Translation", "Editing & proofreading"], "EUR", 2_400,
        status=Job.Status.CLOSED,
        bids=[Bid(24, 2_300), Bid(38, 2_600)],
    ),
    JobPlan(
        client_email(10), "Developer documentation for our payments API",
        "Oduduwa Payments has a working API and a README. We need a getting-started guide, an API "
        "reference generated from our OpenAPI file, and three worked examples.",
        ["Getting-started guide", "Reference from OpenAPI", "Examples in Python and JavaScript"],
        "writing", ["Technical writing", "REST APIs"], "USD", 5_500,
        status=Job.Status.EXPIRED,
        bids=[Bid(9, 5_200), Bid(23, 5_800, "shortlisted"), Bid(37, 5_500, "offer")],
    ),
    JobPlan(
        client_email(11), "Online shop for a hand-poured candle studio",
        "Ember & Wick sells candles at markets around Seattle and wants to sell online: a small shop "
        "with gift sets, local pick-up and shipping across the US.",
        ["Shop design and product pages", "Checkout with local pick-up and shipping", "Launch and training"],
        "web", ["JavaScript", "HTML & CSS"], "USD", 3_000,
        bids=[Bid(16, 3_000, "cancelled")],
    ),
    JobPlan(
        client_email(12), "Calibration tool for a pick-and-place robot arm",
        "Tanaka Robotics needs a small desktop tool that walks a technician through calibrating our arm "
        "and logs the results. You will work at our Tokyo workshop for the test days.",
        ["Calibration wizard", "Results log and export", "Two days of on-site testing"],
        "engineering", ["Python", "Computer vision"], "USD", 9_000,
        experience=Job.ExperienceLevel.EXPERT, onsite=("Tokyo", "JP", 50),
        bids=[Bid(46, 8_800)],
    ),
    JobPlan(
        client_email(13), "Product photography for a furniture catalogue",
        "Weber Möbel is shooting 60 pieces for the autumn catalogue at our Berlin showroom: white-"
        "background product shots and a few styled room scenes.",
        ["60 products on white", "8 styled room scenes", "Retouched files in two sizes"],
        "design", ["Photography"], "EUR", (40, 75),
        onsite=("Berlin", "DE", 30),
        bids=[Bid(22, 60, "shortlisted"), Bid(36, 55)],
    ),
    JobPlan(
        client_email(15), "Illustrations for a children's picture book",
        "Harbour Books is publishing a 32-page picture book about a lighthouse keeper's cat. We need "
        "a cover and 14 spreads in a warm, hand-drawn style.",
        ["Character sketches", "Cover and 14 spreads", "Print-ready files"],
        "design", ["Illustration"], "EUR", (30, 60),
        duration=Job.Duration.MONTHS,
        bids=[Bid(35, 45, "active")],
    ),
    JobPlan(
        _org_member(NORTHWIND, Role.HIRING_MANAGER), "Network cabling refit across 14 stores",
        "Northwind Retail is refitting the network in 14 London stores over six weekends. Our pool "
        "technicians know the stores; we need one lead to plan and carry it out.",
        ["Survey and plan each store", "Cabling and cabinet refit", "Photo report per store"],
        "field", ["Network cabling", "Site survey"], "GBP", 24_000,
        visibility=POOL, organisation=NORTHWIND, duration=Job.Duration.MONTHS, onsite=("London", "GB", 60),
        bids=[Bid(12, 23_500, "offer"), Bid(5, 26_000)],
    ),
    JobPlan(
        _org_member(NORTHWIND, Role.HIRING_MANAGER), "Store sales dashboard in Power BI",
        "Our store managers read sales from a spreadsheet emailed on Mondays. We want a Power BI "
        "dashboard fed from the warehouse, with a view per store and per region.",
        ["Data model on our warehouse", "Store and region views", "Hand-over session"],
        "data", ["Power BI", "SQL", "Data analysis"], "GBP", (50, 90),
        organisation=NORTHWIND,
        bids=[Bid(18, 75, "active"), Bid(32, 80)],
    ),
    JobPlan(
        _org_member(NORTHWIND, Role.HIRING_MANAGER), "UX research for our loyalty app",
        "Our loyalty app has two million members and a two-star rating. We want twelve interviews, a "
        "usability test of the sign-up and a prioritised list of what to fix.",
        ["Twelve member interviews", "Usability test of sign-up", "Findings and priorities"],
        "design", ["UX research", "UI design"], "GBP", 7_500,
        visibility=INVITE_ONLY, organisation=NORTHWIND, invited=[6, 20, 34],
        bids=[Bid(6, 7_200, "offer_withdrawn"), Bid(20, 6_900)],
    ),
    JobPlan(
        _org_member(NORTHWIND, Role.HIRING_MANAGER), "Stock-take support for the spring season",
        "Two people per store for the spring stock-take, working from our counting app.",
        ["Counting with our app", "Variance checks with the store manager"],
        "admin", ["Data entry"], "GBP", (25, 40),
        status=Job.Status.DRAFT, visibility=POOL, organisation=NORTHWIND,
        duration=Job.Duration.UNDER_WEEK, experience=Job.ExperienceLevel.ENTRY,
    ),
    JobPlan(
        _org_member(NORTHWIND, Role.OWNER), "Runbooks for our store systems",
        "When a till or the store Wi-Fi fails, staff call head office. We want runbooks that let a "
        "store fix the common problems itself.",
        ["Runbooks for the ten most common incidents", "Escalation guide", "Review with two stores"],
        "engineering", ["Linux administration", "Docker"], "GBP", 3_200,
        visibility=POOL, organisation=NORTHWIND,
        bids=[Bid(19, 3_100, "active"), Bid(33, 3_600, "declined")],
    ),
    JobPlan(
        _org_member(BRIGHTWAVE, Role.HIRING_MANAGER), "Audience analytics for our streaming channel",
        "Brightwave Media publishes documentaries on three platforms. We want one view of who watches "
        "what, where they drop off, and which trailers work.",
        ["Pull data from three platforms", "Retention and drop-off analysis", "Monthly report template"],
        "data", ["Data analysis", "Tableau"], "EUR", (55, 95),
        visibility=POOL, organisation=BRIGHTWAVE, duration=Job.Duration.MONTHS,
        bids=[Bid(4, 85, "active"), Bid(2, 70, "declined")],
    ),
    JobPlan(
        _org_member(BRIGHTWAVE, Role.HIRING_MANAGER), "Motion graphics for a product launch campaign",
        "We are launching a subscription for our documentary archive. We need a 30-second spot, six "
        "social cut-downs and animated titles in our brand style.",
        ["30-second spot", "Six social cut-downs", "Animated title templates"],
        "design", ["Motion graphics", "Video editing"], "EUR", 8_000,
        organisation=BRIGHTWAVE,
        bids=[Bid(49, 7_800, "offer"), Bid(50, 7_200, "shortlisted"), Bid(36, 8_400)],
    ),
    JobPlan(
        _org_member(BRIGHTWAVE, Role.HIRING_MANAGER), "Podcast transcripts and subtitles, season two",
        "Ten episodes of our podcast need clean transcripts and English and German subtitles.",
        ["Ten transcripts", "English and German subtitles"],
        "writing", ["Translation", "Editing & proofreading"], "EUR", 1_800,
        status=Job.Status.EXPIRED, visibility=INVITE_ONLY, organisation=BRIGHTWAVE, invited=[10, 24, 38],
        bids=[Bid(10, 1_750)],
    ),
    JobPlan(
        _org_member(BRIGHTWAVE, Role.HIRING_MANAGER), "Audio-visual installation for the Berlin studio",
        "Our new Berlin studio needs its screens, speakers and the control room wired and tested.",
        ["Screens and speakers mounted", "Control-room cabling", "Test and hand-over"],
        "field", ["Electrical work", "Network cabling"], "EUR", 5_000,
        status=Job.Status.CLOSED, visibility=POOL, organisation=BRIGHTWAVE, onsite=("Berlin", "DE", 40),
        bids=[Bid(26, 4_900, "shortlisted"), Bid(40, 5_200)],
    ),
]  # fmt: skip


# --- Building one job -----------------------------------------------------------------------------


def _user(email: str) -> User:
    return User.objects.get(email__iexact=email)


def _description(plan: JobPlan) -> str:
    tasks = "\n".join(f"- {task}" for task in plan.tasks)
    closing = "Tell us how you would approach it and when you could start."
    return f"{plan.brief}\n\n### What we need\n\n{tasks}\n\n{closing}"


def _job_fields(plan: JobPlan) -> dict:
    fields = {
        "title": plan.title,
        "description": _description(plan),
        "category": plan.category,
        "skills": list(Skill.objects.filter(name__in=plan.skills).values_list("pk", flat=True)),
        "currency": plan.currency,
        "duration": plan.duration,
        "experience_level": plan.experience,
        "visibility": plan.visibility,
        "hires_wanted": 1,
    }
    if isinstance(plan.budget, tuple):
        low, high = plan.budget
        fields |= {"budget_type": HOURLY, "hourly_min_minor": low * 100, "hourly_max_minor": high * 100}
    else:
        fields |= {"budget_type": FIXED, "budget_minor": plan.budget * 100}
    if plan.onsite:
        name, country, radius = plan.onsite
        city = City.objects.filter(name=name, country_code=country).order_by("-population").first()
        fields |= {"location_type": Job.LocationType.ONSITE, "city": city.pk, "radius_km": radius}
    return fields


def _milestones(amount_minor: int) -> list[dict]:
    """Fixed-price bids of 3,000 or more come in three parts (30/40/30); smaller ones in one."""
    if amount_minor < 300_000:
        return []
    first = third = amount_minor * 3 // 10
    parts = [
        ("Plan and first draft", first),
        ("Build", amount_minor - first - third),
        ("Launch and hand-over", third),
    ]
    return [{"title": title, "amount_minor": amount} for title, amount in parts]


def _cover_letter(n: int, plan: JobPlan) -> str:
    full_name, _ = FREELANCERS[n - 1]
    track = TRACKS[(n - 1) % len(TRACKS)]
    return (
        f"Hello,\n\nI'm {full_name.split()[0]}, a {track.title.lower()}. {track.blurb}\n\n"
        f"For “{plan.title}” I would start with {plan.tasks[0].lower()}, share something you can look at "
        f"within the first week, and keep you updated in writing every Friday.\n\n"
        f"Recent work: {', '.join(track.portfolio[:2]).lower()}. I can start next week."
    )


def _bid(plan: JobPlan, job: Job, bid: Bid) -> Proposal:
    amount = bid.amount * 100
    return services.proposal_submit(
        acting_user=_user(freelancer_email(bid.freelancer)),
        job=job,
        cover_letter=_cover_letter(bid.freelancer, plan),
        amount_minor=amount,
        milestones=_milestones(amount) if job.budget_type == FIXED else None,
        duration=plan.duration,
    )


def _settle(poster: User, proposal: Proposal, fate: str) -> None:
    """Move a submitted proposal to its fate, as the client and freelancer would."""
    freelancer = proposal.freelancer
    if fate == "shortlisted":
        services.proposal_shortlist(acting_user=poster, proposal=proposal)
    elif fate == "archived":
        services.proposal_archive(acting_user=poster, proposal=proposal)
    elif fate == "declined":
        services.proposal_decline(
            acting_user=poster,
            proposal=proposal,
            message="Thank you — we chose someone closer to our time zone.",
        )
    elif fate == "withdrawn":
        services.proposal_withdraw(
            acting_user=freelancer, proposal=proposal, reason="I took on another project."
        )
    elif fate != "submitted":
        services.proposal_shortlist(acting_user=poster, proposal=proposal)
        offer = services.offer_send(
            acting_user=poster, proposal=proposal, message="We'd love to work with you on these terms."
        )
        _answer(poster, offer, fate)


def _answer(poster: User, offer: Offer, fate: str) -> None:
    freelancer = offer.freelancer
    if fate == "offer_declined":
        services.offer_decline(
            acting_user=freelancer, offer=offer, reason="The timeline clashes with another contract, sorry."
        )
    elif fate == "offer_withdrawn":
        services.offer_withdraw(acting_user=poster, offer=offer, reason="We're rethinking the scope first.")
    elif fate in HIRES:
        contract = contract_services.offer_accept(acting_user=freelancer, offer=offer)
        if contract.budget_type == FIXED:
            return  # it ends after its money has moved (demo/money.py): completing needs it paid
        if fate == "completed":
            contract_services.contract_complete(
                acting_user=poster, contract=contract, note="Delivered on time — thank you!"
            )
        elif fate == "cancelled":
            contract_services.contract_cancel(
                acting_user=poster,
                contract=contract,
                reason="We've paused the project until next year.",
                cancel_reason=Contract.CancelReason.PLANS_CHANGED,
            )


def _finish(poster: User, job: Job, status: str) -> None:
    job.refresh_from_db()
    if status == Job.Status.CLOSED and job.status == Job.Status.OPEN:
        services.job_close(acting_user=poster, job=job, reason="We found someone outside the marketplace.")
    elif status == Job.Status.EXPIRED:
        # No service ages a job: move its expiry into the past, then expire it as the sweep would.
        Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        services.job_expire(job_id=job.pk)


def _organisation(key: str) -> Organisation | None:
    if not key:
        return None
    owner = _user(_org_member(key, Role.OWNER))
    return Organisation.objects.filter(created_by=owner).order_by("pk").first()


def job_seed(plan: JobPlan) -> bool:
    """The job with its invitations, proposals, offers and contract; all or nothing, once only."""
    poster = _user(plan.poster)
    if Job.objects.filter(client=poster, title=plan.title).exists():
        return False
    try:
        with transaction.atomic():
            job = services.job_create(
                acting_user=poster,
                organisation=_organisation(plan.organisation),
                fields=_job_fields(plan),
                publish=plan.status != Job.Status.DRAFT,
            )
            for n in plan.invited:
                handle = _user(freelancer_email(n)).freelancer_profile.handle
                services.job_invite(
                    acting_user=poster,
                    job=job,
                    freelancer_handle=handle,
                    message="Your profile fits this well.",
                )
            proposals = [(_bid(plan, job, bid), bid.fate) for bid in plan.bids]
            # Hiring closes a single-hire job, so every other proposal is settled first.
            for proposal, fate in sorted(proposals, key=lambda item: item[1] in HIRES):
                _settle(poster, proposal, fate)
            _finish(poster, job, plan.status)
    except DomainError as exc:
        # Someone changed the demo (left a pool, say) so that a step is no longer allowed.
        logger.warning("Demo job “%s” skipped: %s", plan.title, exc.message)
        return False
    return True


# --- The plan ---------------------------------------------------------------------------------------


def seed_steps() -> list[Step]:
    return [Step(plan.title, lambda plan=plan: job_seed(plan)) for plan in JOBS]


def demo_counts() -> dict[str, int]:
    """What exists now on the demo's jobs (for the command's summary and the tests)."""
    jobs = Job.objects.filter(client__email__iendswith=f"@{DOMAIN}")
    return {
        "jobs": jobs.count(),
        "job invitations": JobInvitation.objects.filter(job__in=jobs).count(),
        "proposals": Proposal.objects.filter(job__in=jobs).count(),
        "offers": Offer.objects.filter(job__in=jobs).count(),
        "contracts": Contract.objects.filter(job__in=jobs).count(),
        "milestones": Milestone.objects.filter(contract__job__in=jobs).count(),
    }


def hired_people(job_title: str) -> tuple[str, str]:
    """The emails of a planned job's poster and of the freelancer it hires."""
    job = next(job for job in JOBS if job.title == job_title)
    hired = next(bid.freelancer for bid in job.bids if bid.fate in HIRES)
    return job.poster, freelancer_email(hired)
