"""A bounded generator of list-endpoint data: open public jobs (with clients, skills and some
proposals) and public freelancer profiles, written with bulk_create in batches, then ANALYZE.

    grow(10_000)    # makes (or tops up to) 10,000 open jobs and 10,000 freelancer profiles

Runs in a process where Django is set up on a scratch database (``bench.support``); it never
touches a database it did not make. The rows are plain and deterministic (row i is always the
same), written straight to the tables: the services would take far too long at 100,000 rows, and
what the list endpoints read is the same.
"""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

BATCH = 2_000
CLIENTS_PER_JOB = 0.1  # one client posts ten jobs
PROPOSALS_EVERY = 4  # every fourth job has proposals …
PROPOSALS_PER_JOB = 3  # … three of them
SKILLS_PER_ROW = 3
EMAIL_DOMAIN = "bench.invalid"
UNUSABLE_PASSWORD = "!bench"  # no hash: nobody logs in as these people

LOREM = (
    "We need an experienced developer to build and maintain a small web application. "
    "You will work with our team on the API, the pages and the tests. "
)


def counts() -> tuple[int, int]:
    from marketplace.accounts.models import FreelancerProfile
    from marketplace.jobs.models import Job

    return Job.objects.filter(status=Job.Status.OPEN).count(), FreelancerProfile.objects.count()


def grow(target: int, *, progress: bool = True) -> None:
    """Top the data up to ``target`` open public jobs and ``target`` freelancer profiles."""
    jobs, profiles = counts()
    todo = max(0, target - jobs) + max(0, target - profiles)
    if not todo:
        return
    with tqdm(total=todo, desc=f"bench data to {target:,}", unit="row", disable=not progress) as bar:
        for start in range(profiles, target, BATCH):
            _freelancers(start, min(start + BATCH, target))
            bar.update(min(start + BATCH, target) - start)
        for start in range(jobs, target, BATCH):
            _jobs(start, min(start + BATCH, target))
            bar.update(min(start + BATCH, target) - start)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # freshly written tables: without it the planner guesses 1 row


def _skill_ids() -> list[int]:
    from marketplace.accounts.models import Skill

    return list(Skill.objects.order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def _freelancers(start: int, stop: int) -> None:
    from marketplace.accounts.models import FreelancerProfile, User

    rng = random.Random(start)  # noqa: S311 (made-up data)
    skills = _skill_ids()
    users = User.objects.bulk_create(
        User(
            email=f"freelancer-{i}@{EMAIL_DOMAIN}",
            full_name=f"Bench Freelancer {i}",
            password=UNUSABLE_PASSWORD,
            is_freelancer=True,
        )
        for i in range(start, stop)
    )
    profiles = FreelancerProfile.objects.bulk_create(
        FreelancerProfile(
            user=user,
            handle=f"bench-{i}",
            headline=f"Developer number {i}",
            bio=LOREM,
            bio_html=f"<p>{LOREM}</p>",
            hourly_rate_minor=rng.randrange(2_000, 20_000, 100),
            currency="USD",
            languages=["en"],
        )
        for i, user in zip(range(start, stop), users, strict=True)
    )
    through = FreelancerProfile.skills.through
    through.objects.bulk_create(
        through(freelancerprofile_id=profile.pk, skill_id=skill)
        for profile in profiles
        for skill in rng.sample(skills, SKILLS_PER_ROW)
    )


@transaction.atomic
def _jobs(start: int, stop: int) -> None:
    from marketplace.accounts.models import ClientProfile, User
    from marketplace.jobs.models import Job, Proposal

    rng = random.Random(-start - 1)  # noqa: S311 (made-up data)
    skills = _skill_ids()
    now = timezone.now()
    first_client, last_client = int(start * CLIENTS_PER_JOB), int(stop * CLIENTS_PER_JOB) + 1
    existing = set(
        User.objects.filter(
            email__in=[f"client-{c}@{EMAIL_DOMAIN}" for c in range(first_client, last_client)]
        ).values_list("email", flat=True)
    )
    new_clients = User.objects.bulk_create(
        User(email=email, full_name=f"Bench Client {c}", password=UNUSABLE_PASSWORD, is_client=True)
        for c in range(first_client, last_client)
        if (email := f"client-{c}@{EMAIL_DOMAIN}") not in existing
    )
    ClientProfile.objects.bulk_create(ClientProfile(user=user) for user in new_clients)
    clients = dict(
        User.objects.filter(
            email__in=[f"client-{c}@{EMAIL_DOMAIN}" for c in range(first_client, last_client)]
        ).values_list("email", "pk")
    )
    jobs = []
    for i in range(start, stop):
        opened = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 25))
        jobs.append(
            Job(
                client_id=clients[f"client-{int(i * CLIENTS_PER_JOB)}@{EMAIL_DOMAIN}"],
                title=f"Build a booking page, job {i}",
                description=LOREM,
                description_html=f"<p>{LOREM}</p>",
                category=rng.choice(Job.Category.values),
                budget_type=Job.BudgetType.FIXED,
                currency="USD",
                budget_minor=rng.randrange(10_000, 1_000_000, 1_000),
                duration=rng.choice(Job.Duration.values),
                experience_level=rng.choice(Job.ExperienceLevel.values),
                visibility=Job.Visibility.PUBLIC,
                status=Job.Status.OPEN,
                opened_at=opened,
                expires_at=opened + timedelta(days=30),
            )
        )
    jobs = Job.objects.bulk_create(jobs)
    through = Job.skills.through
    through.objects.bulk_create(
        through(job_id=job.pk, skill_id=skill) for job in jobs for skill in rng.sample(skills, SKILLS_PER_ROW)
    )
    freelancers = list(
        User.objects.filter(is_freelancer=True, email__endswith=f"@{EMAIL_DOMAIN}")
        .order_by("pk")
        .values_list("pk", flat=True)[: PROPOSALS_PER_JOB * 50]
    )
    if len(freelancers) >= PROPOSALS_PER_JOB:
        Proposal.objects.bulk_create(
            Proposal(
                job=job,
                freelancer_id=freelancer,
                cover_letter="I have built three booking pages this year.",
                currency="USD",
                amount_minor=job.budget_minor,
                duration=job.duration,
            )
            for n, job in enumerate(jobs)
            if n % PROPOSALS_EVERY == 0
            for freelancer in rng.sample(freelancers, PROPOSALS_PER_JOB)
        )
