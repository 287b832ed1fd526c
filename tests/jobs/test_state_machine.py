"""A rule-based state machine over the real jobs services on PostgreSQL.

Clients, an organisation (owner, hiring manager, viewer), freelancers (one in the organisation's
talent pool, one who also hires) post, publish and close jobs, invite, propose, edit, withdraw,
sort proposals, send, withdraw, decline and accept offers, complete and cancel contracts, while
the clock moves forward and the expiry sweep runs. Every rule may be illegal — someone else's job,
an offer on a closed job, a move out of a terminal state: a small model of the rules (written here
from the spec, not read from the code) predicts whether the service must accept the move; a refused
move must raise a ``DomainError`` with a code and change nothing. After every step the invariants
are checked against the database, and every object's status and status-change history must be the
ones the model expects.

Each example runs in a savepoint rolled back at its end, on a clock frozen at its own start.
The bounds come from the hypothesis profile (tests/conftest.py): "ci" by default (about half a
minute); for a deeper local run, ``HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest
tests/jobs/test_state_machine.py``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from marketplace.contracts import services as contract_services
from marketplace.contracts.models import Contract, Milestone
from marketplace.core.exceptions import DomainError
from marketplace.core.models import StatusChange
from marketplace.jobs import services
from marketplace.jobs.models import Job, JobInvitation, Offer, Proposal
from marketplace.jobs.tasks import jobs_expire_due
from marketplace.organisations.models import Role
from tests.factories import JOB_FIELDS, add_member, add_to_pool, make_organisation, make_user

# --- The rules, as the spec states them (the model's own tables, not the models') --------------------

JOB, PROPOSAL, OFFER, CONTRACT, INVITATION, MILESTONE = (
    "jobs.job",
    "jobs.proposal",
    "jobs.offer",
    "contracts.contract",
    "jobs.jobinvitation",
    "contracts.milestone",
)
TERMINAL = {
    JOB: {"closed", "expired"},
    PROPOSAL: {"hired", "declined", "withdrawn"},
    OFFER: {"accepted", "declined", "withdrawn", "expired"},
    CONTRACT: {"completed", "cancelled"},
    INVITATION: {"declined", "proposed"},
    MILESTONE: {"released", "refunded", "cancelled"},
}
# The client's sorting moves; an offered proposal is left alone until its offer ends.
SORTING = {
    "submitted": {"shortlisted", "archived", "declined"},
    "shortlisted": {"archived", "declined"},
    "archived": {"shortlisted", "declined"},
}
OFFERABLE = {"submitted", "shortlisted"}
EDITABLE = {"submitted", "shortlisted", "archived"}
MANAGERS = {Role.OWNER, Role.HIRING_MANAGER}  # the roles with manage_jobs and make_offers
ORG_FEES = (250, 700)
START = datetime(2031, 1, 6, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Actor:
    user: object
    is_client: bool = False
    is_freelancer: bool = False
    org_role: str | None = None
    in_pool: bool = False


def build_world() -> tuple[dict[str, Actor], object]:
    organisation = make_organisation(name="Acme")
    organisation.client_fee_bp, organisation.freelancer_fee_bp = ORG_FEES
    organisation.save()
    owner = organisation.memberships.get().user
    pooled = make_user(freelancer=True)
    add_to_pool(organisation, pooled)
    actors = {
        "client": Actor(make_user(client=True), is_client=True),
        "other_client": Actor(make_user(client=True), is_client=True),
        "org_owner": Actor(owner, is_client=True, org_role=Role.OWNER),
        "hiring_manager": Actor(add_member(organisation, Role.HIRING_MANAGER), org_role=Role.HIRING_MANAGER),
        "org_viewer": Actor(add_member(organisation, Role.VIEWER), org_role=Role.VIEWER),
        "freelancer": Actor(make_user(freelancer=True), is_freelancer=True),
        "other_freelancer": Actor(make_user(freelancer=True), is_freelancer=True),
        "pool_freelancer": Actor(pooled, is_freelancer=True, in_pool=True),
        "hiring_freelancer": Actor(
            make_user(freelancer=True, client=True), is_freelancer=True, is_client=True
        ),
    }
    return actors, organisation


ACTORS = [
    "client",
    "other_client",
    "org_owner",
    "hiring_manager",
    "org_viewer",
    "freelancer",
    "other_freelancer",
    "pool_freelancer",
    "hiring_freelancer",
]
FREELANCERS = ["freelancer", "other_freelancer", "pool_freelancer", "hiring_freelancer"]
# None (two times in three): the natural actor — the job's poster, the proposal's freelancer; else
# anyone at all, which is mostly refused.
anyone = st.one_of(st.none(), st.none(), st.sampled_from(ACTORS))
# (poster, for the organisation?, visibility)
LEGAL_POSTINGS = [
    ("client", False, "public"),
    ("client", False, "invite_only"),
    ("other_client", False, "public"),
    ("hiring_freelancer", False, "public"),
    ("hiring_freelancer", False, "invite_only"),
    ("org_owner", False, "public"),
    ("org_owner", True, "public"),
    ("org_owner", True, "invite_only"),
    ("org_owner", True, "pool"),
    ("hiring_manager", True, "public"),
    ("hiring_manager", True, "invite_only"),
    ("hiring_manager", True, "pool"),
]
REFUSED_POSTINGS = [
    ("org_viewer", True, "public"),  # a role without manage_jobs
    ("client", True, "public"),  # not a member
    ("hiring_manager", False, "public"),  # a member, but not a client on their own
    ("freelancer", False, "public"),
    ("client", False, "pool"),  # a pool needs an organisation
]
hires_wanted = st.sampled_from([1, 1, 2])
amounts = st.sampled_from([150_000, 99_999, 42_000, 100, 0])  # 0 is refused; 100 is the smallest milestone


@dataclass
class JobM:
    poster: str
    for_org: bool
    visibility: str
    hires: int
    status: str = "draft"
    expires_at: datetime | None = None
    warned: bool = False
    invited: set = field(default_factory=set)
    declined: set = field(default_factory=set)  # invitees who declined: an invite-only job hides again
    contracts: int = 0


@dataclass
class ProposalM:
    job: int
    freelancer: str
    status: str = "submitted"


@dataclass
class OfferM:
    proposal: int
    job: int
    freelancer: str
    expires_at: datetime
    fees: tuple[int, int]
    status: str = "sent"


@dataclass
class ContractM:
    offer: int
    job: int
    freelancer: str
    status: str = "active"


@dataclass
class InvitationM:
    job: int
    freelancer: str
    status: str = "sent"


class JobsMachine(RuleBasedStateMachine):
    jobs = Bundle("jobs")
    proposals = Bundle("proposals")
    offers = Bundle("offers")
    contracts = Bundle("contracts")
    invitations = Bundle("invitations")

    def __init__(self, actors: dict[str, Actor], organisation) -> None:
        super().__init__()
        self.actors, self.organisation = actors, organisation
        self.now = START
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self._clock = time_machine.travel(START, tick=False)
        self._traveller = self._clock.start()
        self.model: dict[str, dict[int, object]] = {label: {} for label in TERMINAL}
        # (label, pk) → [(from, to, actor id)], every move the model expects a status-change row for.
        self.moves: dict[tuple[str, int], list[tuple]] = defaultdict(list)
        self.terminal_seen: dict[tuple[str, int], str] = {}

    def teardown(self) -> None:
        self._clock.stop()
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # --- The model's helpers ------------------------------------------------------------------------

    def _user(self, who: str | None):
        return self.actors[who].user if who else None

    def _controls(self, who: str, job: JobM) -> bool:
        if job.for_org:
            return self.actors[who].org_role in MANAGERS
        return who == job.poster

    def _client_side(self, who: str, job: JobM) -> bool:
        return who == job.poster or (job.for_org and self.actors[who].org_role is not None)

    def _sees(self, who: str, job: JobM) -> bool:
        if self._client_side(who, job):
            return True
        if job.status == "draft":
            return False
        return (
            job.visibility == "public"
            or (job.visibility == "invite_only" and who in job.invited - job.declined)
            or (job.visibility == "pool" and self.actors[who].in_pool)
        )

    def _move(self, label: str, pk: int, to: str, by: str | None) -> None:
        obj = self.model[label][pk]
        self.moves[(label, pk)].append((obj.status, to, self._user(by).pk if by else None))
        obj.status = to

    def _withdraw_live_offers(self, job_pk: int, by: str | None) -> None:
        for pk, offer in sorted(self.model[OFFER].items()):
            if offer.job == job_pk and offer.status == "sent":
                self._move(OFFER, pk, "withdrawn", by)
                self._move(PROPOSAL, offer.proposal, "shortlisted", by)

    def _open(self, job_pk: int, by: str) -> None:
        self._move(JOB, job_pk, "open", by)
        self.model[JOB][job_pk].expires_at = self.now + timedelta(days=settings.JOB_OPEN_DAYS)

    def _attempt(self, legal: bool, call):
        """Run a service call the model judged ``legal`` or not; a refusal must change nothing."""
        before = None if legal else _snapshot()
        try:
            result = call()
        except DomainError as exc:
            refused = exc
        else:
            assert legal, f"An illegal move was allowed: {result!r}"
            return result
        assert not legal, f"A legal move was refused: {refused.code}: {refused.message}"
        assert refused.code
        assert 400 <= refused.status < 500
        assert _snapshot() == before, "A refused move changed the database"
        return None

    # --- Jobs --------------------------------------------------------------------------------------

    def _post(self, posting, hires, hourly, publish):
        poster, for_org, visibility = posting
        actor = self.actors[poster]
        legal = (actor.org_role in MANAGERS if for_org else actor.is_client) and (
            visibility != "pool" or for_org
        )
        fields = {**JOB_FIELDS, "visibility": visibility, "hires_wanted": hires}
        if hourly:
            fields.update(budget_type="hourly", hourly_min_minor=2_000, hourly_max_minor=6_000)
        job = self._attempt(
            legal,
            lambda: services.job_create(
                acting_user=actor.user,
                organisation=self.organisation if for_org else None,
                fields=fields,
                publish=publish,
            ),
        )
        if job is None:
            return None
        self.model[JOB][job.pk] = JobM(poster=poster, for_org=for_org, visibility=visibility, hires=hires)
        if publish:
            self._open(job.pk, poster)
        return job.pk

    def _scene(self, posting, hires, hourly) -> int | None:
        """A published job with a proposal from the first freelancer the rules let propose (invited
        first when the job is invite-only): a head start, so short runs reach offers and contracts."""
        job = self._post(posting, hires, hourly, publish=True)
        if self.model[JOB][job].visibility == "invite_only":
            self._invite(job, None, "freelancer")
        return self._submit(job, None, 150_000)

    # Each run starts from a published job, a proposal (on a job of its own) and an offer (likewise).
    @initialize(
        target=jobs, posting=st.sampled_from(LEGAL_POSTINGS), hires=hires_wanted, hourly=st.booleans()
    )
    def a_job(self, posting, hires, hourly):
        return self._post(posting, hires, hourly, publish=True) or multiple()

    @initialize(
        target=proposals, posting=st.sampled_from(LEGAL_POSTINGS), hires=hires_wanted, hourly=st.booleans()
    )
    def a_job_with_a_proposal(self, posting, hires, hourly):
        return self._scene(posting, hires, hourly) or multiple()

    @initialize(
        target=offers, posting=st.sampled_from(LEGAL_POSTINGS), hires=hires_wanted, hourly=st.booleans()
    )
    def a_job_with_an_offer(self, posting, hires, hourly):
        return self._send(self._scene(posting, hires, hourly), None, None) or multiple()

    @rule(
        target=jobs,
        posting=st.sampled_from(LEGAL_POSTINGS + REFUSED_POSTINGS),
        hires=hires_wanted,
        hourly=st.booleans(),
        publish=st.booleans(),
    )
    def post_job(self, posting, hires, hourly, publish):
        return self._post(posting, hires, hourly, publish) or multiple()

    @rule(job=jobs, who=anyone, move=st.sampled_from(["close", "publish"]))
    def job_move(self, job, who, move):
        model = self.model[JOB][job]
        who = who or model.poster
        allowed_from = {"close": ("draft", "open"), "publish": ("draft",)}[move]
        legal = self._controls(who, model) and model.status in allowed_from
        service = {"close": services.job_close, "publish": services.job_publish}[move]
        done = self._attempt(legal, lambda: service(acting_user=self._user(who), job=Job.objects.get(pk=job)))
        if done and move == "publish":
            self._open(job, who)
        elif done:
            self._move(JOB, job, "closed", who)
            self._withdraw_live_offers(job, who)

    @rule(proposal=proposals, who=anyone)
    def close_the_job_of(self, proposal, who):
        """The same move, reaching the jobs that came with a proposal or an offer at the start."""
        self.job_move(self.model[PROPOSAL][proposal].job, who, "close")

    @rule(offer=offers, who=anyone, move=st.sampled_from(["shortlist", "archive", "decline"]))
    def sort_the_proposal_of(self, offer, who, move):
        """The client's sorting moves, reaching proposals with an offer out (which they must leave alone)."""
        self.proposal_move(self.model[OFFER][offer].proposal, who, move, amount=0)

    @rule(target=invitations, job=jobs, who=anyone, freelancer=st.sampled_from(FREELANCERS))
    def invite(self, job, who, freelancer):
        return self._invite(job, who, freelancer) or multiple()

    def _invite(self, job, who, freelancer) -> int | None:
        model = self.model[JOB][job]
        who = who or model.poster
        legal = (
            self._controls(who, model)
            and model.status == "open"
            and not self._client_side(freelancer, model)
            and (model.visibility != "pool" or self.actors[freelancer].in_pool)
            and not self._proposed(job, freelancer)
            and freelancer not in model.invited
        )
        invitation = self._attempt(
            legal,
            lambda: services.job_invite(
                acting_user=self._user(who),
                job=Job.objects.get(pk=job),
                freelancer_handle=self.actors[freelancer].user.freelancer_profile.handle,
            ),
        )
        if invitation is None:
            return None
        model.invited.add(freelancer)
        self.model[INVITATION][invitation.pk] = InvitationM(job=job, freelancer=freelancer)
        return invitation.pk

    @rule(invitation=invitations, who=anyone)
    def decline_invitation(self, invitation, who):
        model = self.model[INVITATION][invitation]
        who = who or model.freelancer
        legal = who == model.freelancer and model.status == "sent"
        done = self._attempt(
            legal,
            lambda: services.job_invitation_decline(
                acting_user=self._user(who),
                invitation=JobInvitation.objects.get(pk=invitation),
                reason="Busy this month",
            ),
        )
        if done:
            self._move(INVITATION, invitation, "declined", who)
            self.model[JOB][model.job].declined.add(model.freelancer)

    # --- Proposals ---------------------------------------------------------------------------------

    def _proposed(self, job: int, who: str) -> bool:
        return any(p.job == job and p.freelancer == who for p in self.model[PROPOSAL].values())

    def _may_propose(self, who: str, job: int) -> bool:
        model = self.model[JOB][job]
        return (
            self.actors[who].is_freelancer
            and self._sees(who, model)
            and model.status == "open"
            and not self._client_side(who, model)
            and not self._proposed(job, who)
        )

    @rule(target=proposals, job=jobs, who=anyone, amount=amounts)
    def submit_proposal(self, job, who, amount):
        """The natural actor here is the first freelancer the rules let propose (if any)."""
        return self._submit(job, who, amount) or multiple()

    def _submit(self, job, who, amount) -> int | None:
        who = who or next((f for f in FREELANCERS if self._may_propose(f, job)), "freelancer")
        legal = self._may_propose(who, job) and amount > 0
        proposal = self._attempt(
            legal,
            lambda: services.proposal_submit(
                acting_user=self._user(who),
                job=Job.objects.get(pk=job),
                cover_letter="I have done this kind of work many times before.",
                amount_minor=amount,
                duration="weeks",
            ),
        )
        if proposal is None:
            return None
        self.model[PROPOSAL][proposal.pk] = ProposalM(job=job, freelancer=who)
        for pk, invitation in self.model[INVITATION].items():
            if invitation.job == job and invitation.freelancer == who and invitation.status == "sent":
                self._move(INVITATION, pk, "proposed", who)
        return proposal.pk

    @rule(
        proposal=proposals,
        who=anyone,
        move=st.sampled_from(["shortlist", "archive", "decline", "edit", "withdraw"]),
        amount=amounts,
    )
    def proposal_move(self, proposal, who, move, amount):
        """The client sorts (shortlist, archive, decline); the freelancer edits or withdraws."""
        model = self.model[PROPOSAL][proposal]
        job = self.model[JOB][model.job]
        fresh = Proposal.objects.get(pk=proposal)
        if move in ("edit", "withdraw"):
            who = who or model.freelancer
            legal = who == model.freelancer and job.status == "open" and model.status in EDITABLE
            to = "withdrawn" if move == "withdraw" else None
        else:
            who = who or job.poster
            to = {"shortlist": "shortlisted", "archive": "archived", "decline": "declined"}[move]
            legal = self._controls(who, job) and job.status == "open" and to in SORTING.get(model.status, ())
        user = self._user(who)
        calls = {
            "shortlist": lambda: services.proposal_shortlist(acting_user=user, proposal=fresh),
            "archive": lambda: services.proposal_archive(acting_user=user, proposal=fresh),
            "decline": lambda: services.proposal_decline(acting_user=user, proposal=fresh, message="No"),
            "withdraw": lambda: services.proposal_withdraw(acting_user=user, proposal=fresh),
            "edit": lambda: services.proposal_update(
                acting_user=user,
                proposal=fresh,
                cover_letter="Updated: I can also start a week earlier.",
                amount_minor=amount,
                duration="months",
            ),
        }
        done = self._attempt(legal and (move != "edit" or amount > 0), calls[move])
        if done and to:
            self._move(PROPOSAL, proposal, to, who)
        elif done:
            assert Proposal.objects.get(pk=proposal).amount_minor == amount

    # --- Offers ------------------------------------------------------------------------------------

    @rule(target=offers, proposal=proposals, who=anyone, amount=st.sampled_from([None, 120_000, 0]))
    def send_offer(self, proposal, who, amount):
        return self._send(proposal, who, amount) or multiple()

    def _send(self, proposal, who, amount) -> int | None:
        if proposal is None:
            return None
        model = self.model[PROPOSAL][proposal]
        job = self.model[JOB][model.job]
        who = who or job.poster
        legal = (
            self._controls(who, job) and job.status == "open" and model.status in OFFERABLE and amount != 0
        )
        offer = self._attempt(
            legal,
            lambda: services.offer_send(
                acting_user=self._user(who), proposal=Proposal.objects.get(pk=proposal), amount_minor=amount
            ),
        )
        if offer is None:
            return None
        self._move(PROPOSAL, proposal, "offered", who)
        fees = (
            ORG_FEES
            if job.for_org
            else (settings.PLATFORM_CLIENT_FEE_BP, settings.PLATFORM_FREELANCER_FEE_BP)
        )
        self.model[OFFER][offer.pk] = OfferM(
            proposal=proposal,
            job=model.job,
            freelancer=model.freelancer,
            expires_at=self.now + timedelta(days=settings.OFFER_EXPIRY_DAYS),
            fees=fees,
        )
        return offer.pk

    @rule(
        target=contracts, offer=offers, who=anyone, answer=st.sampled_from(["accept", "decline", "withdraw"])
    )
    def answer_offer(self, offer, who, answer):
        """The freelancer accepts or declines; the client withdraws."""
        model = self.model[OFFER][offer]
        job = self.model[JOB][model.job]
        fresh = Offer.objects.get(pk=offer)
        if answer == "withdraw":
            who = who or job.poster
            legal = self._controls(who, job) and model.status == "sent"
        else:
            who = who or model.freelancer
            legal = who == model.freelancer and model.status == "sent"
            if answer == "accept":
                legal = legal and self.now < model.expires_at and job.status == "open"
        user = self._user(who)
        calls = {
            "accept": lambda: contract_services.offer_accept(acting_user=user, offer=fresh),
            "decline": lambda: services.offer_decline(acting_user=user, offer=fresh, reason="Too little"),
            "withdraw": lambda: services.offer_withdraw(acting_user=user, offer=fresh),
        }
        result = self._attempt(legal, calls[answer])
        if result is None:
            return multiple()
        if answer != "accept":
            self._move(OFFER, offer, f"{answer}d" if answer == "decline" else "withdrawn", who)
            self._move(PROPOSAL, model.proposal, "shortlisted", who)
            return multiple()
        self._move(OFFER, offer, "accepted", who)
        self._move(PROPOSAL, model.proposal, "hired", who)
        self.model[CONTRACT][result.pk] = ContractM(offer=offer, job=model.job, freelancer=who)
        job.contracts += 1
        if job.contracts >= job.hires:
            self._move(JOB, model.job, "closed", who)
            self._withdraw_live_offers(model.job, who)
        return result.pk

    # --- Contracts ---------------------------------------------------------------------------------

    @rule(
        contract=contracts,
        who=anyone,
        end=st.sampled_from(["complete", "cancel"]),
        reason=st.sampled_from(["The scope changed entirely", ""]),
    )
    def end_contract(self, contract, who, end, reason):
        """The client completes; either party cancels, with a reason."""
        model = self.model[CONTRACT][contract]
        job = self.model[JOB][model.job]
        fresh = Contract.objects.get(pk=contract)
        if end == "complete":
            who = who or job.poster
            legal = self._controls(who, job) and model.status == "active"
            call = lambda: contract_services.contract_complete(acting_user=self._user(who), contract=fresh)  # noqa: E731
        else:
            who = who or model.freelancer
            legal = (who == model.freelancer or self._controls(who, job)) and model.status == "active"
            legal = legal and reason != ""
            call = lambda: contract_services.contract_cancel(  # noqa: E731
                acting_user=self._user(who), contract=fresh, reason=reason, cancel_reason="plans_changed"
            )
        if self._attempt(legal, call):
            self._move(CONTRACT, contract, "completed" if end == "complete" else "cancelled", who)
            # No money moves in this machine: every milestone is unfunded, and ending cancels it.
            for milestone in (
                Milestone.objects.filter(contract_id=contract).order_by("pk").values_list("pk", flat=True)
            ):
                self.moves[(MILESTONE, milestone)].append(("pending", "cancelled", self._user(who).pk))

    # --- Time --------------------------------------------------------------------------------------

    @rule(days=st.sampled_from([1, 3, 8, 26]), sweep=st.booleans())
    def time_passes(self, days, sweep):
        """The clock moves on; then, or not yet, the periodic sweep runs (so an offer can be past its
        time but not yet expired)."""
        self.now += timedelta(days=days)
        self._traveller.shift(timedelta(days=days))
        if sweep:
            self._sweep()

    def _sweep(self) -> None:
        """The periodic task: warn, then expire jobs (with their live offers), then offers."""
        expected = {"warned": 0, "expired_jobs": 0, "expired_offers": 0}
        warn_before = self.now + timedelta(days=settings.JOB_EXPIRY_WARNING_DAYS)
        for job in self.model[JOB].values():
            if job.status == "open" and not job.warned and self.now < job.expires_at <= warn_before:
                job.warned = True
                expected["warned"] += 1
        for pk, job in sorted(self.model[JOB].items()):
            if job.status == "open" and job.expires_at <= self.now:
                self._move(JOB, pk, "expired", None)
                self._withdraw_live_offers(pk, None)
                expected["expired_jobs"] += 1
        for pk, offer in sorted(self.model[OFFER].items()):
            if offer.status == "sent" and offer.expires_at <= self.now:
                self._move(OFFER, pk, "expired", None)
                self._move(PROPOSAL, offer.proposal, "shortlisted", None)
                expected["expired_offers"] += 1
        assert jobs_expire_due() == expected

    # --- Invariants, from the database ---------------------------------------------------------------

    @invariant()
    def the_database_keeps_the_rules(self):
        self._one_proposal_per_freelancer_per_job()
        self._offers_per_proposal()
        self._contracts_come_from_accepted_offers_with_their_terms()
        self._a_job_with_all_its_hires_is_closed()
        self._nothing_leaves_a_terminal_state()
        self._every_move_has_its_status_change_row()
        self._statuses_are_the_models()

    def _statuses_are_the_models(self) -> None:
        for label, model in ((JOB, Job), (PROPOSAL, Proposal), (OFFER, Offer), (CONTRACT, Contract)):
            actual = dict(model.objects.values_list("pk", "status"))
            assert actual == {pk: obj.status for pk, obj in self.model[label].items()}, label
        invitations = dict(JobInvitation.objects.values_list("pk", "status"))
        assert invitations == {pk: obj.status for pk, obj in self.model[INVITATION].items()}

    def _nothing_leaves_a_terminal_state(self) -> None:
        for label, model in ((JOB, Job), (PROPOSAL, Proposal), (OFFER, Offer), (CONTRACT, Contract)):
            for pk, status in model.objects.values_list("pk", "status"):
                seen = self.terminal_seen.get((label, pk))
                assert seen in (None, status), f"{label} {pk} left {seen} for {status}"
                if status in TERMINAL[label]:
                    self.terminal_seen[(label, pk)] = status

    def _every_move_has_its_status_change_row(self) -> None:
        rows = StatusChange.objects.filter(target_type__in=list(TERMINAL)).order_by("pk")
        history = defaultdict(list)
        for label, pk, from_status, to_status, actor_id in rows.values_list(
            "target_type", "target_id", "from_status", "to_status", "actor_id"
        ):
            assert from_status not in TERMINAL[label], f"{label} {pk} moved out of {from_status}"
            history[(label, pk)].append((from_status, to_status, actor_id))
        assert dict(history) == {key: moves for key, moves in self.moves.items() if moves}

    def _one_proposal_per_freelancer_per_job(self) -> None:
        twice = Proposal.objects.values("job", "freelancer").annotate(n=Count("pk")).filter(n__gt=1)
        assert not twice.exists()

    def _offers_per_proposal(self) -> None:
        for status in ("sent", "accepted"):
            many = Offer.objects.filter(status=status).values("proposal").annotate(n=Count("pk"))
            assert not many.filter(n__gt=1).exists(), f"two {status} offers on one proposal"
        live = Offer.objects.filter(status="sent")
        assert not live.exclude(job__status="open").exists(), "a live offer on a job that is not open"
        assert set(live.values_list("proposal", flat=True)) == set(
            Proposal.objects.filter(status="offered").values_list("pk", flat=True)
        )

    def _contracts_come_from_accepted_offers_with_their_terms(self) -> None:
        contracts = list(Contract.objects.select_related("offer"))
        assert len(contracts) == Offer.objects.filter(status="accepted").count()
        copied = (
            "job_id",
            "client_id",
            "freelancer_id",
            "organisation_id",
            "title",
            "budget_type",
            "currency",
            "amount_minor",
            "weekly_hour_cap",
            "client_fee_bp",
            "freelancer_fee_bp",
        )
        for contract in contracts:
            offer = contract.offer
            assert offer.status == "accepted"
            assert [getattr(contract, name) for name in copied] == [getattr(offer, name) for name in copied]
            assert (offer.client_fee_bp, offer.freelancer_fee_bp) == self.model[OFFER][offer.pk].fees
            schedule = Milestone.objects.filter(contract=contract).order_by("position")
            assert [{"title": m.title, "amount_minor": m.amount_minor} for m in schedule] == offer.milestones

    def _a_job_with_all_its_hires_is_closed(self) -> None:
        for job in Job.objects.annotate(hired=Count("contracts")):
            assert job.hired <= job.hires_wanted
            if job.hired == job.hires_wanted:
                assert job.status == Job.Status.CLOSED, f"job {job.pk} has its hires but is {job.status}"


def _snapshot() -> tuple:
    """Everything a refused move must leave as it was."""
    return (
        list(
            Job.objects.order_by("pk").values_list(
                "pk", "status", "opened_at", "expires_at", "expiry_warned_at", "closed_at", "updated_at"
            )
        ),
        list(Proposal.objects.order_by("pk").values_list("pk", "status", "amount_minor", "updated_at")),
        list(Offer.objects.order_by("pk").values_list("pk", "status", "responded_at")),
        list(Contract.objects.order_by("pk").values_list("pk", "status", "ended_at")),
        list(JobInvitation.objects.order_by("pk").values_list("pk", "status")),
        StatusChange.objects.count(),
        Milestone.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.timeout(900)  # a failing run shrinks its example for a few minutes before it reports
def test_the_hiring_rules_hold_whatever_anyone_does(settings):
    settings.PROPOSAL_DAILY_CAP = 10_000  # the cap has its own tests; here it would only end runs early
    actors, organisation = build_world()
    run_state_machine_as_test(lambda: JobsMachine(actors, organisation))
