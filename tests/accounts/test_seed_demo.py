"""``manage.py seed_demo``: idempotent, the promised shape, logins that work, and money that really
moved through the fake Stripe (the test run's own, as ``make run``'s in-process one would be)."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from escrow.models import (
    Charge,
    Hold,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    ReconciliationRun,
    Refund,
    Transfer,
)
from escrow.selectors import ledger_balances_off
from escrow.services.reconciliation import reconciliation_execute, reconciliation_start
from marketplace.accounts.models import (
    Badge,
    ClientProfile,
    ClientScorecard,
    FreelancerProfile,
    FreelancerReputation,
    Image,
    PortfolioItem,
    User,
)
from marketplace.accounts.selectors import profiles_visible_to
from marketplace.contracts.models import Contract, Milestone
from marketplace.core.models import AuditEntry, StatusChange
from marketplace.demo import accounts as demo
from marketplace.demo import hourly as hourly_demo
from marketplace.demo import jobs as jobs_demo
from marketplace.demo import messages as messages_demo
from marketplace.demo import money as money_demo
from marketplace.demo import pools as pools_demo
from marketplace.demo import reviews as reviews_demo
from marketplace.demo.accounts import freelancer_email
from marketplace.hourly.models import Timesheet
from marketplace.hourly.selectors import contract_is_paused
from marketplace.hourly.weeks import amount_minor as weeks_amount_minor
from marketplace.jobs.models import Job, JobInvitation, Offer, Proposal
from marketplace.jobs.selectors import jobs_visible_to
from marketplace.organisations.models import (
    Credential,
    ExpiryReminder,
    Invitation,
    Membership,
    Organisation,
    OrganisationUserObjectPermission,
    PoolMembership,
    PoolOverride,
    Role,
    RuleApproval,
    TalentPool,
)
from marketplace.organisations.services.organisations import member_remove
from marketplace.organisations.services.pools import pool_membership_end
from messaging.models import Conversation, Message
from reviews.models import Review, ReviewReport
from reviews.selectors import reviews_waiting_for
from tests.escrow.money_world import ledger_sum
from tests.support.processes import REPO_ROOT

COUNTED = [
    User,
    EmailAddress,
    FreelancerProfile,
    ClientProfile,
    Image,
    PortfolioItem,
    Organisation,
    Membership,
    Invitation,
    TalentPool,
    PoolMembership,
    Credential,
    PoolOverride,
    RuleApproval,
    ExpiryReminder,
    Badge,
    OrganisationUserObjectPermission,
    AuditEntry,
    StatusChange,
    Job,
    JobInvitation,
    Proposal,
    Offer,
    Contract,
    Milestone,
    Charge,
    Transfer,
    Refund,
    LedgerTransaction,
    LedgerEntry,
    Conversation,
    Message,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _on_fake(fake):
    """The project's gateway pointed at the test run's fake Stripe (what ``stripe_fake`` does per test)."""
    return override_settings(
        STRIPE_API_BASE=fake.url,
        STRIPE_SECRET_KEY=fake.secret_key,
        STRIPE_PUBLISHABLE_KEY=fake.publishable_key,
        STRIPE_JS_URL=fake.js_url,
        STRIPE_TIMEOUT_SECONDS=5.0,
    )


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker, tmp_path_factory, fake_stripe_server):
    """Seed once for the module (some seconds), inside a transaction rolled back at the end; each
    test's own transaction is a savepoint inside it. The pictures go to a throwaway media folder,
    the money through the test run's fake Stripe, emptied first."""
    media = tmp_path_factory.mktemp("seed-demo-media")
    fake_stripe_server.reset()
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        _on_fake(fake_stripe_server),
        transaction.atomic(),
    ):
        output = _seed()
        yield output, media
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_once, db, settings, fake_stripe_server):
    settings.MEDIA_ROOT = _seeded_once[1]
    with _on_fake(fake_stripe_server):
        yield _seeded_once


def test_second_run_creates_nothing(seeded):
    first_output, _ = seeded
    first = _counts()

    second_output = _seed()

    assert _counts() == first
    assert "created" in first_output
    assert "nothing to do" in second_output
    assert all(first[name] > 0 for name in first), first


def test_changes_made_in_the_demo_survive_a_rerun(seeded):
    """`make run` seeds on every start: a member removed or a pool membership ended stays so."""
    plan = demo.ORGANISATIONS[0]
    owner = User.objects.get(email=demo.member_email(plan, Role.OWNER))
    viewer = Membership.objects.get(user__email=demo.member_email(plan, Role.VIEWER))
    member_remove(acting_user=owner, organisation=viewer.organisation, membership_id=viewer.pk)
    freelancer = User.objects.get(email=demo.freelancer_email(plan.pool_active[0]))
    organisation = viewer.organisation
    pool_membership = PoolMembership.objects.get(freelancer=freelancer, pool__organisation=organisation)
    pool_membership_end(acting_user=freelancer, membership_id=pool_membership.pk)
    before = _counts()

    _seed()

    assert _counts() == before
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    pool_membership.refresh_from_db()
    assert pool_membership.status == PoolMembership.Status.ENDED


def test_demo_has_the_promised_shape(seeded):
    _, media = seeded
    demo_users = User.objects.filter(email__endswith=f"@{demo.DOMAIN}")
    # The pools' field technicians (fieldtechNN) are checked with the pools, below.
    freelancers = FreelancerProfile.objects.filter(user__in=demo_users, user__email__startswith="freelancer")
    assert freelancers.count() == len(demo.FREELANCERS) == 50
    assert demo_users.filter(email__startswith="client").count() == len(demo.CLIENTS) == 15
    assert ClientProfile.objects.filter(user__in=demo_users).exclude(company_name="").count() >= 5

    # Every freelancer has a filled-in profile with an avatar and 1-3 portfolio items with images.
    for profile in freelancers.select_related("city", "user", "avatar").prefetch_related("skills"):
        assert profile.headline
        assert profile.bio_html.startswith("<h3>")
        assert profile.hourly_rate_minor
        assert profile.hourly_rate_minor % 100 == 0
        assert profile.city is not None
        assert profile.user.timezone == profile.city.timezone
        assert profile.skills.exists()
        assert profile.tags
        assert profile.languages[0] == "English"
        assert profile.avatar is not None
        items = PortfolioItem.objects.filter(profile=profile)
        assert 1 <= items.count() <= 3
        assert not items.filter(image__isnull=True).exists()
    assert {p.currency for p in freelancers} == {"USD", "EUR", "GBP"}
    assert {p.availability for p in freelancers} == set(FreelancerProfile.Availability.values)
    assert len({p.city_id for p in freelancers}) >= 40
    assert set(Image.objects.values_list("format", flat=True).distinct()) == {"JPEG", "PNG", "WEBP"}
    # Pictures went to the test's media folder, one original per image row.
    assert len(list(media.glob("images/*/*/original.*"))) == Image.objects.count()

    # Two organisations, each with every role, its default pool and a pending colleague invitation.
    organisations = Organisation.objects.filter(created_by__in=demo_users)
    assert organisations.count() == 2
    for organisation in organisations:
        roles = set(Membership.objects.filter(organisation=organisation).values_list("role", flat=True))
        assert roles == set(Role.values)
        assert TalentPool.objects.filter(organisation=organisation, is_default=True).count() == 1
        assert Invitation.objects.filter(organisation=organisation, status=Invitation.Status.PENDING).exists()
        statuses = set(
            PoolMembership.objects.filter(pool__organisation=organisation, pool__is_default=True).values_list(
                "status", flat=True
            )
        )
        assert statuses == {PoolMembership.Status.ACTIVE, PoolMembership.Status.INVITED}
        owner = Membership.objects.get(organisation=organisation, role=Role.OWNER).user
        assert owner.has_perm("organisations.manage_owners", organisation)
        viewer = Membership.objects.get(organisation=organisation, role=Role.VIEWER).user
        assert not viewer.has_perm("organisations.manage_members", organisation)

    # Northwind's two vetted pools: members in every state across them (tests/organisations/test_pools_demo.py
    # checks who is where).
    vetted = PoolMembership.objects.filter(pool__name__in=[pools_demo.NE_CABLING, pools_demo.FIELD_TECHS])
    assert set(vetted.values_list("status", flat=True)) == set(PoolMembership.Status.values)
    assert ExpiryReminder.objects.filter(membership__in=vetted).exists()

    # Pool-only freelancers are all active in some pool: visible to that organisation, not to the public.
    pool_only = freelancers.filter(visibility=FreelancerProfile.Visibility.POOL)
    assert pool_only.count() == len(demo.POOL_ONLY)
    for profile in pool_only:
        assert PoolMembership.objects.filter(
            freelancer=profile.user, status=PoolMembership.Status.ACTIVE
        ).exists()
    pool_freelancer = User.objects.get(email=demo.freelancer_email(min(demo.POOL_ONLY)))
    northwind_owner = User.objects.get(email=demo.member_email(demo.ORGANISATIONS[0], Role.OWNER))
    assert not profiles_visible_to(AnonymousUser()).filter(user=pool_freelancer).exists()
    assert profiles_visible_to(northwind_owner).filter(user=pool_freelancer).exists()

    # Badges beyond the email one, granted by the staff user (with audit rows).
    staff = User.objects.get(email=demo.STAFF_EMAIL)
    assert staff.is_staff
    support = User.objects.get(email=demo.SUPPORT_EMAIL)
    assert (support.is_support, support.is_staff, support.is_superuser) == (True, False, False)
    assert Badge.objects.filter(kind=Badge.Kind.IDENTITY, granted_by=staff).count() >= 20
    assert (
        AuditEntry.objects.filter(action="badge.grant", actor=staff).count()
        == Badge.objects.filter(granted_by=staff).count()
    )


def test_printed_demo_logins_authenticate(seeded):
    output, _ = seeded
    assert demo.PASSWORD in output
    validate_password(demo.PASSWORD)
    logins = pools_demo.demo_logins(
        reviews_demo.demo_logins(hourly_demo.demo_logins(money_demo.demo_logins(demo.demo_logins())))
    )
    assert {"staff", "support", "owner", "freelancer", "client"} <= {
        word.lower().strip("(),:") for label, _ in logins for word in label.split()
    }
    assert len({email for _, email in logins}) == len(logins) >= 12
    for label, email in logins:
        assert re.search(rf"^  {re.escape(label)} +{re.escape(email)}$", output, re.MULTILINE), label
        user = authenticate(email=email, password=demo.PASSWORD)
        assert user is not None, email
        validate_password(demo.PASSWORD, user)
        assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()
    assert authenticate(email=demo.STAFF_EMAIL, password="wrong-password") is None


def test_the_readme_lists_the_demo_logins_seed_demo_prints():
    """The README's table of demo logins is what ``make run`` prints: same people, order and words."""
    readme = (REPO_ROOT / "README.md").read_text()
    rows = re.findall(r"^\| `([^`]+@demo\.marketplace\.test)` \| (.+) \|$", readme, re.MULTILINE)
    logins = pools_demo.demo_logins(
        reviews_demo.demo_logins(hourly_demo.demo_logins(money_demo.demo_logins(demo.demo_logins())))
    )
    assert rows == [(email, label) for label, email in logins]


def test_demo_jobs_cover_every_visibility_state_and_outcome(seeded, settings):
    demo_jobs = Job.objects.filter(client__email__endswith=f"@{demo.DOMAIN}")
    assert demo_jobs.count() == len(jobs_demo.JOBS)
    assert set(demo_jobs.values_list("visibility", flat=True)) == set(Job.Visibility.values)
    assert set(demo_jobs.values_list("status", flat=True)) == set(Job.Status.values)
    assert set(demo_jobs.values_list("budget_type", flat=True)) == set(Job.BudgetType.values)
    assert set(demo_jobs.values_list("currency", flat=True)) == {"USD", "EUR", "GBP"}
    assert set(demo_jobs.values_list("location_type", flat=True)) == set(Job.LocationType.values)
    for organisation in Organisation.objects.filter(created_by__in=demo_jobs.values("client")):
        assert demo_jobs.filter(organisation=organisation, visibility=Job.Visibility.POOL).exists()

    proposals = Proposal.objects.filter(job__in=demo_jobs)
    wanted = {"submitted", "shortlisted", "archived", "declined", "withdrawn", "hired"}
    assert wanted <= set(proposals.values_list("status", flat=True))
    assert proposals.filter(is_invited=True).exists()
    assert {"sent", "declined", "accepted", "withdrawn"} <= set(
        Offer.objects.filter(job__in=demo_jobs).values_list("status", flat=True)
    )
    contracts = Contract.objects.filter(job__in=demo_jobs)
    assert set(contracts.values_list("status", flat=True)) == set(Contract.Status.values)
    assert set(contracts.values_list("budget_type", flat=True)) == set(Job.BudgetType.values)
    assert {"sent", "proposed"} <= set(
        JobInvitation.objects.filter(job__in=demo_jobs).values_list("status", flat=True)
    )
    # The expired jobs went there through the expiry service, with its status-change row.
    for job in demo_jobs.filter(status=Job.Status.EXPIRED):
        assert StatusChange.objects.filter(
            target_type="jobs.job", target_id=job.pk, to_status="expired"
        ).exists()

    # All made today: no demo freelancer went past the daily proposal cap.
    per_freelancer = proposals.values("freelancer").annotate(n=Count("pk")).values_list("n", flat=True)
    assert max(per_freelancer) <= settings.PROPOSAL_DAILY_CAP

    # Pool jobs are seen by the pool, invite-only ones by the invited, and neither by the public.
    pool_job = demo_jobs.filter(visibility=Job.Visibility.POOL).exclude(status=Job.Status.DRAFT).first()
    in_pool = (
        PoolMembership.objects.filter(
            pool__organisation=pool_job.organisation, status=PoolMembership.Status.ACTIVE
        )
        .first()
        .freelancer
    )
    assert jobs_visible_to(in_pool).filter(pk=pool_job.pk).exists()
    assert not jobs_visible_to(AnonymousUser()).filter(pk=pool_job.pk).exists()
    invite_only = demo_jobs.filter(visibility=Job.Visibility.INVITE_ONLY).first()
    invited = invite_only.invitations.first().freelancer
    assert jobs_visible_to(invited).filter(pk=invite_only.pk).exists()
    assert not jobs_visible_to(AnonymousUser()).filter(pk=invite_only.pk).exists()


def test_a_demo_job_the_changed_demo_no_longer_allows_is_skipped_whole(seeded, caplog):
    """Renamed (so the plan runs again) and its pool bidder gone from the pool: the job's step
    rolls back entirely and the rest of the run goes on."""
    plan = next(p for p in jobs_demo.JOBS if p.visibility == Job.Visibility.POOL and p.bids)
    job = Job.objects.get(title=plan.title)
    job.title = "Renamed by a demo visitor"
    job.save(update_fields=["title"])
    bidder = User.objects.get(email=freelancer_email(plan.bids[0].freelancer))
    membership = PoolMembership.objects.get(
        freelancer=bidder, pool__organisation=job.organisation, status=PoolMembership.Status.ACTIVE
    )
    pool_membership_end(acting_user=bidder, membership_id=membership.pk)
    before = _counts()

    output = _seed()

    assert _counts() == before
    assert "nothing to do" in output
    assert f"Demo job “{plan.title}” skipped" in caplog.text


def _demo_contract(title: str) -> Contract:
    return Contract.objects.get(job__title=title, job__client__email__endswith=f"@{demo.DOMAIN}")


def _assert_fake_matches_the_whole_ledger(fake) -> None:
    """The fake's own PaymentIntents, transfers and refunds are the ledger's, to the minor unit, and
    everything that came in is held, owed, earned or gone out (the demo's contracts are all there is)."""
    Kind = LedgerAccount.Kind
    paid = [pi for pi in fake.list("/v1/payment_intents") if pi["status"] == "succeeded"]
    ours = Charge.objects.filter(status=Charge.Status.SUCCEEDED)
    assert sorted(pi["id"] for pi in paid) == sorted(ours.values_list("payment_intent_id", flat=True))
    funded = sum(pi["amount"] for pi in paid)
    assert -ledger_sum(Kind.CLIENT_FUNDING) == funded
    transfers = fake.list("/v1/transfers")
    sent = Transfer.objects.filter(status=Transfer.Status.SENT).values_list("processor_id", flat=True)
    assert sorted(t["id"] for t in transfers) == sorted(sent)
    refunds = fake.list("/v1/refunds")
    returned = Refund.objects.filter(status=Refund.Status.SENT).values_list("processor_id", flat=True)
    assert sorted(r["id"] for r in refunds) == sorted(returned)
    paid_out, refunded = sum(t["amount"] for t in transfers), sum(r["amount"] for r in refunds)
    kept = -ledger_sum(Kind.PROCESSOR_FEES)  # Stripe's fees on the charges, the platform's cost
    assert kept == sum(
        fake.get(f"/v1/balance_transactions/{c['balance_transaction']}")["fee"]
        for c in fake.list("/v1/charges")
        if c["paid"]
    )
    assert ledger_sum(Kind.PROCESSOR_CLEARING) == paid_out + refunded + kept
    inside = sum(
        ledger_sum(kind)
        for kind in (Kind.ESCROW_HELD, Kind.FREELANCER_PAYABLE, Kind.REFUNDS_PAYABLE, Kind.PLATFORM_REVENUE)
    )
    assert funded == inside + paid_out + refunded
    assert paid_out > 0
    assert refunded > 0


def test_the_demo_money_really_moved_and_every_state_shows(seeded, fake_stripe_server):
    output, _ = seeded
    assert "funded milestones" in output
    for plan in money_demo.MONEY:
        contract = _demo_contract(plan.job_title)
        statuses = list(contract.milestones.order_by("position").values_list("status", flat=True))
        # Ending the contract closed (cancelled) what was never funded.
        closed = Milestone.Status.CANCELLED if plan.end else Milestone.Status.PENDING
        planned = [closed if state == Milestone.Status.PENDING else state for state in plan.milestones]
        assert statuses == planned, plan.job_title
        assert contract.status == (plan.end or Contract.Status.ACTIVE)
    _assert_fake_matches_the_whole_ledger(fake_stripe_server)
    demo_milestones = Milestone.objects.filter(contract__job__client__email__endswith=f"@{demo.DOMAIN}")
    wanted = {"pending", "funded", "submitted", "revision", "approved", "released", "refunded", "cancelled"}
    assert wanted <= set(demo_milestones.values_list("status", flat=True))
    # Every paid card has a receipt row (a succeeded charge with its card), and the ledger is whole.
    charges = Charge.objects.filter(hold__milestone__in=demo_milestones)
    assert charges.count() == demo_milestones.exclude(hold=None).count() == 10
    assert set(charges.values_list("status", "card_label")) == {(Charge.Status.SUCCEEDED, "Visa •••• 4242")}
    assert Transfer.objects.filter(status=Transfer.Status.SENT).count() == 6  # and an hourly week
    assert Transfer.objects.filter(status=Transfer.Status.BLOCKED).count() == 1  # waits for payouts
    assert Refund.objects.filter(status=Refund.Status.SENT).count() == 1
    assert ledger_balances_off() == []
    # The approved milestone waits for its freelancer, who has not set up payouts.
    waiting = demo_milestones.get(status=Milestone.Status.APPROVED)
    assert not hasattr(waiting.contract.freelancer, "connected_account")


def test_the_demo_hourly_weeks_were_billed_paid_and_one_failed(seeded):
    """The hourly plan through the real services: the dashboard contract's week before last paid
    out, last week in review; the picture book's last week failed (no saved card), so it is paused."""
    dashboard = _demo_contract("Store sales dashboard in Power BI")
    weeks = list(dashboard.timesheets.order_by("week_start").values_list("status", flat=True))
    assert weeks[:2] == [Timesheet.Status.RELEASED, Timesheet.Status.IN_REVIEW]
    released = dashboard.timesheets.get(status=Timesheet.Status.RELEASED)
    assert released.minutes == 4 * (150 + 120)
    assert released.amount_minor == weeks_amount_minor(released.minutes, dashboard.amount_minor)
    assert not contract_is_paused(dashboard)
    book = _demo_contract("Illustrations for a children's picture book")
    failed = book.timesheets.order_by("week_start").last()
    assert (failed.status, failed.failure_code) == (Timesheet.Status.PAYMENT_FAILED, "no_saved_card")
    assert contract_is_paused(book)


def test_the_demo_money_reconciles_with_stripe(seeded, fake_stripe_server):
    """The reconciliation over the demo's money (all of it seconds old): nothing to explain."""
    with _on_fake(fake_stripe_server), override_settings(RECONCILIATION_GRACE_SECONDS=0):
        run = reconciliation_execute(reconciliation_start(trigger=ReconciliationRun.Trigger.SCHEDULE))
    assert (run.status, run.error) == (ReconciliationRun.Status.DONE, "")
    assert list(run.findings.values_list("kind", "detail")) == []
    assert run.compared == {
        "payment_intent": 12,  # 10 milestones, 2 hourly weeks
        "refund": 1,
        "transfer": 6,  # 5 milestones, 1 hourly week
        "balance_transaction": 12,  # each payment's fee
        "dispute": 0,
    }


def test_the_demo_completed_contract_had_all_its_money_released(seeded):
    completed = Contract.objects.filter(
        job__client__email__endswith=f"@{demo.DOMAIN}", status=Contract.Status.COMPLETED
    )
    assert completed.count() == 1
    contract = completed.get()
    for milestone in contract.milestones.select_related("hold"):
        assert milestone.status == Milestone.Status.RELEASED
        assert milestone.hold.status == Hold.Status.SETTLED
        transfer = Transfer.objects.get(settlement__hold=milestone.hold)
        assert transfer.status == Transfer.Status.SENT
        assert transfer.destination_user_id == contract.freelancer_id
    # It was completed after the money: the completion is the contract's last change.
    last = StatusChange.objects.filter(target_type="contracts.contract", target_id=contract.pk).latest("pk")
    assert last.to_status == "completed"


def test_demo_conversations_hold_the_planned_messages(seeded):
    """The planned exchanges were posted as their senders into their proposal's or contract's
    conversation: one flagged for sharing a phone number before hiring, some left unread for the
    freelancer or the client. (The module seeds inside a transaction that never commits, so the
    conversations the services' events open after commit are not here; tests/messaging covers
    those.)"""
    chats = Conversation.objects.filter(messages__isnull=False).distinct()
    assert chats.count() == len(messages_demo.CHATS)
    assert {chat.kind for chat in chats} == {"proposal", "contract"}
    flagged = Message.objects.exclude(contact_flags=[])
    assert "phone" in flagged.get().contact_flags
    assert flagged.get().sender.email == freelancer_email(1)
    left_unread = [
        chat
        for chat in chats
        if chat.participants.filter(side__in=["client", "freelancer"], unread=1).exists()
    ]
    assert len(left_unread) == sum(plan.last_unread for plan in messages_demo.CHATS) == 2


def test_the_demo_reviews_are_published_hidden_and_reported_and_reputation_computed(seeded):
    """The completed contract's reviews both ways, published (with a reply), one reported for staff;
    the cancelled contract's one review, hidden, with the client's still waiting; and reputation
    computed for the demo's people."""
    completed = _demo_contract(reviews_demo.BRAND)
    assert completed.status == Contract.Status.COMPLETED
    both = Review.objects.filter(contract=completed)
    assert both.published().count() == 2
    assert set(both.values_list("direction", flat=True)) == set(Review.Direction.values)
    assert both.get(direction=Review.Direction.OF_FREELANCER).reply
    report = ReviewReport.objects.get()
    assert report.status == ReviewReport.Status.OPEN
    assert report.review.contract == completed
    assert report.reporter == completed.client

    cancelled = _demo_contract(reviews_demo.SHOP)
    hidden = Review.objects.get(contract=cancelled)
    assert (hidden.direction, hidden.revealed_at) == (Review.Direction.OF_CLIENT, None)
    assert [row.contract for row in reviews_waiting_for(cancelled.client)] == [cancelled]
    assert reviews_waiting_for(cancelled.freelancer) == []

    reputation = FreelancerReputation.objects.get(user=completed.freelancer)
    assert (reputation.rating_avg, reputation.rating_count) == (5, 1)
    card = ClientScorecard.objects.get(user=completed.client)
    assert (card.rating_count, card.ratings_given) == (1, 1)
    assert FreelancerReputation.objects.filter(user=cancelled.freelancer, rating_count=0).exists()
