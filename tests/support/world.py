"""The outside probe's cast as fixtures: every kind of actor, and one of each object they may or may
not reach, owned by organisation A (so A's members act on their own organisation's objects and B's on
another's). The permission matrix (tests/checks/) asks every route as each of them.

Actors, by the matrix's column names:
- ``anon``: nobody logged in.
- ``fl``: a freelancer with no tie to A. ``party``: the freelancer of A's contract, proposal and offer,
  invited (by address) to A's pool and not yet answering, with two-factor authentication on.
  ``pool``: an active member of A's pool whose profile is pool-only, invited to A's public job.
  ``ended``: a freelancer whose membership of A's pool ended.
  ``pool`` also applied to A's public "vetted" pool (an agreement and a tax form to meet) and awaits
  its requirements (``vetting``).
- ``Aown`` … ``Avie``: A's owner, admin, hiring manager, finance and viewer; ``Bown`` … ``Bvie`` the
  same roles of organisation B, which owns nothing here. (A has one more member, a viewer who is no
  actor: the object of the member routes.)
- ``staff``: platform staff (``is_staff``, not a superuser).
- ``keyA``, ``keyB``: the organisations' API keys (no session).

A's contract has its conversation (party, and A's owner, hiring manager and finance: the roles that act
on a contract) with one message of party's carrying an image. Its fourth milestone is funded and
disputed by party (open, awaiting A's response), with party's settlement offer waiting for an answer
and the dispute's conversation (the contract conversation's people and support).

A's hourly contract with party (``hourly``) has this week's timesheet (``timesheet``) with one time
entry of party's (``time_entry``).

A's second contract with party has ended (completed, its one milestone paid out) and both sides have
reviewed it (so both reviews are published); party has reported A's review of them (open, in staff's
moderation queue).
"""

from dataclasses import dataclass, field

from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from escrow.models import ReconciliationFinding, ReconciliationRun
from marketplace.accounts.models import FreelancerProfile
from marketplace.accounts.services.profiles import avatar_set, portfolio_item_create
from marketplace.contracts.services import contract_complete
from marketplace.contracts.services.milestones import milestone_submit
from marketplace.core.money import Money
from marketplace.disputes.services import dispute_open, offer_propose
from marketplace.jobs.services import job_template_save
from marketplace.jobs.services.attachments import job_attachment_add, proposal_attachment_add
from marketplace.jobs.services.proposals import job_invite
from marketplace.organisations.models import Role
from marketplace.organisations.services.organisations import api_key_create, invitation_create
from marketplace.organisations.services.pool_settings import pool_create, tier_create
from marketplace.organisations.services.pools import pool_invite, pool_membership_end
from marketplace.organisations.services.requirements import requirement_add
from messaging.models import Notification
from messaging.services import notification_create
from messaging.services.conversations import conversation_for_contract, conversation_for_dispute
from messaging.services.messages import message_post
from messaging.services.moderation import report_create
from messaging.unsubscribe import unsubscribe_token
from reviews.services import review_report, review_submit
from search.services.saved_searches import saved_search_create
from tests.escrow.builders import fund_milestone
from tests.factories import (
    add_member,
    add_to_pool,
    make_client,
    make_contract,
    make_freelancer,
    make_job,
    make_offer,
    make_organisation,
    make_proposal,
    make_user,
)
from tests.reviews.world import CLIENT_REVIEW, FREELANCER_REVIEW, paid
from tests.support.images import image_bytes
from tests.support.pool_members_world import pool_members_ids

ROLE_COLUMNS = {
    "own": Role.OWNER,
    "adm": Role.ADMIN,
    "hir": Role.HIRING_MANAGER,
    "fin": Role.FINANCE,
    "vie": Role.VIEWER,
}
ACTORS = [
    "anon",
    "fl",
    "party",
    "pool",
    "ended",
    *(f"A{role}" for role in ROLE_COLUMNS),
    *(f"B{role}" for role in ROLE_COLUMNS),
    "staff",
    "support",
    "keyA",
    "keyB",
]


@dataclass
class World:
    users: dict = field(default_factory=dict)  # actor name → User (None for anon and the keys)
    keys: dict = field(default_factory=dict)  # actor name → API key secret
    ids: dict = field(default_factory=dict)  # placeholder name → value for the route templates


def _organisation(name: str, world: World, prefix: str):
    organisation = make_organisation(owner=make_client(full_name=f"{name} Owner"), name=name)
    world.users[f"{prefix}own"] = organisation.memberships.get(role=Role.OWNER).user
    for column, role in ROLE_COLUMNS.items():
        if role != Role.OWNER:
            world.users[f"{prefix}{column}"] = add_member(
                organisation, role, make_user(full_name=f"{name} {role}")
            )
    _, world.keys[f"key{prefix}"] = api_key_create(
        acting_user=world.users[f"{prefix}own"], organisation=organisation, name="Probe"
    )
    return organisation


def _pool_only(user) -> FreelancerProfile:
    FreelancerProfile.objects.filter(user=user).update(visibility=FreelancerProfile.Visibility.POOL)
    return FreelancerProfile.objects.get(user=user)


def _vetted_pool(organisation, worker):
    """A's public pool taking applications, with an agreement and a tax form to meet; ``worker``
    applied and awaits its requirements."""
    from marketplace.organisations.models import TalentPool
    from marketplace.organisations.services.joining import pool_apply
    from tests.organisations.pools_support import add_requirement, make_pool

    pool = make_pool(
        organisation, name="Vetted probe pool", visibility=TalentPool.Visibility.PUBLIC, join_policy="apply"
    )
    agreement = add_requirement(pool, "agreement", title="Probe NDA", version=1, text="Keep it quiet.")
    tax_rule = add_requirement(pool, "tax_form", forms=["w9"])
    return pool, agreement, tax_rule, pool_apply(acting_user=worker, pool_id=pool.pk)


def _reconciliation_finding() -> ReconciliationFinding:
    """A finding of a finished reconciliation, for staff to explain on /ops/."""
    now = timezone.now()
    run = ReconciliationRun.objects.create(status="done", window_start=now, window_end=now, finished_at=now)
    return ReconciliationFinding.objects.create(
        run=run, kind="transfer_missing", detail="Probe finding", action="Look", fingerprint="probe"
    )


def _reviewed_contract(organisation, owner, party):
    """A's ended contract with party, both reviews published; party reports A's review of them."""
    contract = make_contract(client=owner, organisation=organisation, freelancer=party, milestones=[10_000])
    paid(contract.milestones.get())
    contract_complete(acting_user=owner, contract=contract)
    review = review_submit(acting_user=owner, contract=contract, **CLIENT_REVIEW)
    review_submit(acting_user=party, contract=contract, **FREELANCER_REVIEW)  # publishes both
    report = review_report(acting_user=party, review=review, reason="false", details="Not what happened.")
    return contract, review, report


def _hourly_contract(organisation, owner, party):
    """A's active hourly contract with party, this week's timesheet and one minute logged at its start
    (written directly: the world is built at any moment, and a service would refuse time ahead of now
    in the first minute of a week)."""
    from marketplace.hourly.models import TimeEntry, Timesheet
    from marketplace.hourly.weeks import week_bounds, week_start_of
    from tests.hourly.logging_support import hourly_contract

    contract = hourly_contract(client=owner, organisation=organisation, freelancer=party)
    week = week_start_of(timezone.now())
    timesheet = Timesheet.objects.create(contract=contract, week_start=week, currency=contract.currency)
    entry = TimeEntry.objects.create(
        timesheet=timesheet, started_at=week_bounds(week)[0], minutes=1, memo="Probe time", created_by=party
    )
    return contract, timesheet, entry


def _hourly_week_payment_failed(acme, owner, party):
    """An hourly contract of A with party whose last week's charge failed (no saved card): paused."""
    from marketplace.hourly.models import Timesheet
    from marketplace.hourly.services.billing import timesheet_bill, timesheet_charge
    from tests.hourly.billing_world import DUE, MONDAY, after, hourly_contract, log_time

    contract = hourly_contract(client=owner, organisation=acme, freelancer=party)
    log_time(contract, after(MONDAY, hours=9), 60)
    week = Timesheet.objects.get(contract=contract)
    timesheet_bill(timesheet_id=week.pk, now=DUE)
    week = timesheet_charge(timesheet_id=week.pk)
    assert week.status == Timesheet.Status.PAYMENT_FAILED, week.status
    return contract, week


def _week_in_review(acme, owner, party):
    """A's hourly contract with party, and a billed week of it in review (tests/hourly/support.py)."""
    from tests.hourly.support import hourly_contract, in_review_week

    contract = hourly_contract(client=owner, organisation=acme, freelancer=party, title="Hourly probe job")
    return in_review_week(contract)


def _settings_pool(acme, owner) -> dict:
    """A second pool of A with a tier and a rule, for the pool settings routes."""
    pool = pool_create(acting_user=owner, organisation=acme, name="Settings probe pool")
    tier = tier_create(acting_user=owner, pool=pool, name="Preferred")
    rule = requirement_add(acting_user=owner, pool=pool, kind="tax_form", config={"forms": ["w9"]})
    return {"settings_pool": pool.pk, "settings_tier": tier.pk, "settings_rule": rule.pk}


def build_world() -> World:
    world = World()
    acme = _organisation("Acme Probe", world, "A")
    _organisation("Beta Probe", world, "B")
    owner = world.users["Aown"]
    world.users["staff"] = make_user(staff=True, full_name="Sam Staff")
    world.users["support"] = make_user(is_support=True, full_name="Sue Support")
    world.users["fl"] = make_freelancer(full_name="Fay Outside")
    party = world.users["party"] = make_freelancer(full_name="Parker Party")
    TOTP.activate(party, "JBSWY3DPEHPK3PXP")  # two-factor on: payouts and 2FA pages have a positive control
    pool = world.users["pool"] = make_freelancer(full_name="Polly Pool")
    ended = world.users["ended"] = make_freelancer(full_name="Ed Ended")
    pool_membership = add_to_pool(acme, pool)
    pool_membership_end(acting_user=owner, membership_id=add_to_pool(acme, ended).pk, reason="Season over")
    pending_pool = pool_invite(acting_user=owner, organisation=acme, freelancer_email=party.email)
    pool_profile = _pool_only(pool)
    pool_avatar = avatar_set(user=pool, data=image_bytes())
    portfolio = portfolio_item_create(
        user=party, title="Booking page", description="", url="", image_data=image_bytes()
    )

    job = make_job(client=owner, organisation=acme, title="Public probe job")
    brief = job_attachment_add(acting_user=owner, job=job, data=image_bytes(), name="brief.jpg")
    job_pool = make_job(client=owner, organisation=acme, title="Pool probe job", visibility="pool")
    pool_brief = job_attachment_add(acting_user=owner, job=job_pool, data=image_bytes(), name="pool.jpg")
    job_draft = make_job(client=owner, organisation=acme, title="Draft probe job", publish=False)
    proposal = make_proposal(job, freelancer=party)
    proposal_file = proposal_attachment_add(
        acting_user=party, proposal=proposal, data=image_bytes(), name="sample.jpg"
    )
    job_invitation = job_invite(acting_user=owner, job=job, freelancer_handle=pool_profile.handle)
    offer = make_offer(make_proposal(make_job(client=owner, organisation=acme), freelancer=party))
    contract = make_contract(
        client=owner, organisation=acme, freelancer=party, milestones=[30_000, 40_000, 50_000, 20_000]
    )
    m_open, m_funded, m_submitted, m_disputed = contract.milestones.order_by("position")
    charge = fund_milestone(m_funded)
    fund_milestone(m_submitted)
    m_submitted.refresh_from_db()
    milestone_submit(acting_user=party, milestone=m_submitted, message="Here it is.")
    fund_milestone(m_disputed)
    m_disputed.refresh_from_db()
    dispute = dispute_open(
        acting_user=party,
        milestone=m_disputed,
        reason="other",
        description="Probe dispute",
        amount=Money(20_000, contract.currency),
    )
    dispute_offer = offer_propose(
        acting_user=party,
        dispute=dispute,
        release=Money(15_000, contract.currency),
        refund=Money(5_000, contract.currency),
    )
    conversation_for_dispute(dispute)  # party, A's owner, hiring manager, finance, and support
    template = job_template_save(acting_user=owner, job=job, name="Probe template")
    org_invitation = invitation_create(
        acting_user=owner, organisation=acme, email="newcomer@example.com", role=Role.VIEWER
    )
    conversation = conversation_for_contract(contract)  # party, and A's owner, hiring manager, finance
    message = message_post(
        acting_user=party,
        conversation_id=conversation.pk,
        body="Probe message",
        files=[("site.jpg", image_bytes())],
    )
    (notification,) = notification_create(
        recipient_ids=[party.pk], kind=Notification.Kind.OFFER_RECEIVED, title="Probe notification"
    )
    report = report_create(acting_user=party, job_id=job.pk, reason="spam")  # in the staff's queue
    finding = _reconciliation_finding()
    reviewed_contract, review, review_reported = _reviewed_contract(acme, owner, party)
    hourly, timesheet, time_entry = _hourly_contract(acme, owner, party)
    saved_search = saved_search_create(acting_user=party, name="Arm firmware", params={"q": "firmware"})
    hourly_failed, week_failed = _hourly_week_payment_failed(acme, owner, party)
    week_in_review = _week_in_review(acme, owner, party)
    open_pool, agreement, tax_rule, vetting = _vetted_pool(acme, pool)
    world.ids = {
        "org": acme.slug,
        "member": acme.memberships.get(
            user=add_member(acme, Role.VIEWER, make_user(full_name="Val Member"))
        ).pk,
        "org_invitation": org_invitation.pk,
        "org_token": org_invitation.token,
        "pool_membership": pool_membership.pk,
        "pending_pool": pending_pool.pk,
        "key_id": acme.api_keys.get().pk,
        "handle": party.freelancer_profile.handle,
        "pool_handle": pool_profile.handle,
        "image": portfolio.image.uuid,
        "image_name": portfolio.image.file.name.rsplit("/", 1)[-1],
        "image_path": portfolio.image.file.name,
        "pool_image": pool_avatar.uuid,
        "pool_image_name": pool_avatar.file.name.rsplit("/", 1)[-1],
        "portfolio_item": portfolio.pk,
        "job": job.pk,
        "job_pool": job_pool.pk,
        "job_draft": job_draft.pk,
        "brief": brief.pk,
        "pool_brief": pool_brief.pk,
        "proposal": proposal.pk,
        "proposal_file": proposal_file.pk,
        "job_invitation": job_invitation.pk,
        "template": template.pk,
        "offer": offer.pk,
        "contract": contract.pk,
        "m_open": m_open.pk,
        "m_funded": m_funded.pk,
        "m_submitted": m_submitted.pk,
        "charge": charge.pk,
        "notification": notification.pk,
        "conversation": conversation.pk,
        "message": message.pk,
        "message_file": message.attachments.get().pk,
        "unsubscribe_token": unsubscribe_token(user_id=party.pk, group="digest"),
        "user": world.users["fl"].pk,
        "report": report.pk,
        "dispute": dispute.pk,
        "dispute_offer": dispute_offer.pk,
        "finding": finding.pk,
        "reviewed_contract": reviewed_contract.pk,
        "review": review.pk,
        "review_report": review_reported.pk,
        "saved_search": saved_search.pk,
        "hourly": hourly.pk,
        "timesheet": timesheet.pk,
        "time_entry": time_entry.pk,
        "hourly_failed": hourly_failed.pk,
        "week_failed": week_failed.pk,
        "week_in_review": week_in_review.pk,
        **_settings_pool(acme, owner),
        "default_pool": pool_membership.pool_id,
        "open_pool": open_pool.pk,
        "agreement": agreement.pk,
        "tax_rule": tax_rule.pk,
        "vetting": vetting.pk,
    }
    world.ids.update(pool_members_ids(acme, pool))
    return world
