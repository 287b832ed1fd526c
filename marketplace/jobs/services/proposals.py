"""Invitations to propose (sent, declined, withdrawn), and proposals: submit (within the daily
cap), edit, withdraw, and the client's shortlist, archive and decline."""

from datetime import UTC, datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from escrow.fees import fees_for_parts
from escrow.limits import charge_limit_problem
from marketplace.accounts.models import User
from marketplace.accounts.selectors import profiles_visible_to
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, RateLimited
from marketplace.core.money import Money
from marketplace.core.transitions import transition
from marketplace.organisations.models import Membership, Organisation, PoolMembership

from .. import events
from ..models import Job, JobInvitation, Proposal
from ..permissions import require_freelancer, require_job_control, require_proposal_author, require_proposer
from ..selectors import daily_proposal_cap

MAX_MILESTONES = 20
MAX_AMOUNT_MINOR = 100_000_000_00


def _require_open(job: Job, doing: str) -> None:
    if job.status != Job.Status.OPEN:
        raise Conflict(
            f"This job is {job.get_status_display().lower()}; you cannot {doing}.", code="job_not_open"
        )


MIN_MILESTONE_MINOR = 100  # 1.00 (100 yen): above every card processor's smallest charge


def _positive_amount(value, field: str, errors: dict) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_AMOUNT_MINOR:
        errors[field] = ["Enter a positive whole amount."]
        return None
    return value


def fee_rates(organisation: Organisation | None) -> tuple[int, int]:
    """(client bp, freelancer bp): the organisation's override, else the platform default."""
    client_bp = settings.PLATFORM_CLIENT_FEE_BP
    freelancer_bp = settings.PLATFORM_FREELANCER_FEE_BP
    if organisation is not None:
        if organisation.client_fee_bp is not None:
            client_bp = organisation.client_fee_bp
        if organisation.freelancer_fee_bp is not None:
            freelancer_bp = organisation.freelancer_fee_bp
    return client_bp, freelancer_bp


def _charge_limit_errors(cleaned: list[dict], *, currency: str, client_fee_bp: int) -> None:
    """Each milestone is one card payment of its amount + its share of the client fee: one the
    processor takes (``escrow.limits``), or 400 ``charge_too_large`` / ``charge_too_small`` now,
    before anyone agrees to terms nobody could pay."""
    fees = fees_for_parts([item["amount_minor"] for item in cleaned], client_fee_bp)
    errors, codes = {}, []
    for index, (item, fee) in enumerate(zip(cleaned, fees, strict=True)):
        problem = charge_limit_problem(Money(item["amount_minor"] + fee, currency))
        if problem is not None:
            codes.append(problem[0])
            errors[f"milestones.{index}.amount_minor"] = [f"With the client fee: {problem[1]}"]
    if errors:
        raise InvalidInput(
            "Some milestones are more or less than one card payment can be.", code=codes[0], fields=errors
        )


def milestones_cleaned(
    raw, *, budget_type: str, amount_minor: int | None, default_title: str, currency: str, client_fee_bp: int
) -> list[dict]:
    """A fixed-price schedule: 1 to 20 parts that add up to the amount, each one card payment the
    processor takes (with its client fee at ``client_fee_bp``); hourly work has none."""
    if budget_type == Job.BudgetType.HOURLY:
        if raw:
            raise InvalidInput(
                "Hourly work has no milestones.",
                code="invalid_milestones",
                fields={"milestones": ["Leave empty for hourly work."]},
            )
        return []
    if not raw:
        raw = [{"title": default_title[:120], "amount_minor": amount_minor}]
    if not isinstance(raw, list) or len(raw) > MAX_MILESTONES:
        raise InvalidInput(
            f"Give 1 to {MAX_MILESTONES} milestones.",
            code="invalid_milestones",
            fields={"milestones": ["Too many."]},
        )
    cleaned, errors = [], {}
    for index, item in enumerate(raw):
        title = str((item or {}).get("title", "")).strip() if isinstance(item, dict) else ""
        amount = item.get("amount_minor") if isinstance(item, dict) else None
        if not 1 <= len(title) <= 120:
            errors[f"milestones.{index}.title"] = ["Give each milestone a title (up to 120 characters)."]
        if (
            _positive_amount(amount, f"milestones.{index}.amount_minor", errors)
            and amount < MIN_MILESTONE_MINOR
        ):
            # Card processors refuse smaller charges (Stripe: 0.50 in USD and EUR, 0.30 in GBP).
            errors[f"milestones.{index}.amount_minor"] = [
                f"Each milestone is at least 1.00 ({MIN_MILESTONE_MINOR} minor units)."
            ]
        cleaned.append({"title": title, "amount_minor": amount})
    if errors:
        raise InvalidInput("Some milestones have problems.", code="invalid_milestones", fields=errors)
    total = sum(item["amount_minor"] for item in cleaned)
    if total != amount_minor:
        raise InvalidInput(
            "The milestones must add up to the total price.",
            code="milestones_do_not_add_up",
            fields={"milestones": [f"They add up to {total}, not {amount_minor} (minor units)."]},
        )
    _charge_limit_errors(cleaned, currency=currency, client_fee_bp=client_fee_bp)
    return cleaned


def _proposal_terms(job: Job, *, cover_letter: str, amount_minor, milestones, duration: str) -> dict:
    errors: dict[str, list[str]] = {}
    cover_letter = (cover_letter or "").strip()
    if not 20 <= len(cover_letter) <= 10_000:
        errors["cover_letter"] = ["Write a cover letter of 20 to 10,000 characters."]
    amount = _positive_amount(amount_minor, "amount_minor", errors)
    if duration not in Job.Duration.values:
        errors["duration"] = [f"Choose one of: {', '.join(Job.Duration.values)}."]
    if errors:
        raise InvalidInput(
            "The proposal has problems; see the fields.", code="invalid_proposal", fields=errors
        )
    schedule = milestones_cleaned(
        milestones,
        budget_type=job.budget_type,
        amount_minor=amount,
        default_title=job.title,
        currency=job.currency,
        client_fee_bp=fee_rates(job.organisation)[0],
    )
    return {
        "cover_letter": cover_letter,
        "amount_minor": amount,
        "milestones": schedule,
        "duration": duration,
    }


def job_visible_to_freelancer(job: Job, user: User) -> bool:
    from ..selectors import jobs_visible_to

    return jobs_visible_to(user).filter(pk=job.pk).exists()


@transaction.atomic
def job_invite(*, acting_user: User, job: Job, freelancer_handle: str, message: str = "") -> JobInvitation:
    """Invite a freelancer (by the handle of a profile the inviter can see) to propose."""
    require_job_control(acting_user, job)
    _require_open(job, "invite freelancers")
    profile = profiles_visible_to(acting_user).filter(handle=freelancer_handle).select_related("user").first()
    freelancer = profile.user if profile else None
    if freelancer is None or freelancer.is_suspended or not freelancer.is_freelancer:
        raise InvalidInput(
            "No freelancer with this profile.",
            code="freelancer_not_found",
            fields={"freelancer_handle": ["Unknown profile."]},
        )
    if freelancer.pk == job.client_id or (
        job.organisation_id
        and Membership.objects.filter(organisation_id=job.organisation_id, user=freelancer).exists()
    ):
        raise InvalidInput("You cannot invite someone from your own side of the job.", code="own_job")
    if (
        job.visibility == Job.Visibility.POOL
        and not PoolMembership.objects.filter(
            pool__organisation_id=job.organisation_id,
            freelancer=freelancer,
            status=PoolMembership.Status.ACTIVE,
        ).exists()
    ):
        raise Conflict(
            "This job is for your talent pool; invite the freelancer to the pool first.", code="not_in_pool"
        )
    if Proposal.objects.filter(job=job, freelancer=freelancer).exists():
        raise Conflict(f"{freelancer.get_full_name()} has already sent a proposal.", code="already_proposed")
    invitation = _invitation_sent(acting_user, job, freelancer, (message or "").strip()[:2000])
    transaction.on_commit(
        partial(events.job_invitation_sent.send, sender=JobInvitation, job_invitation_id=invitation.pk)
    )
    return invitation


def _invitation_sent(acting_user: User, job: Job, freelancer: User, message: str) -> JobInvitation:
    """A new invitation, or a withdrawn one sent again; one already standing or declined is a 409."""
    earlier = JobInvitation.objects.select_for_update().filter(job=job, freelancer=freelancer).first()
    name = freelancer.get_full_name()
    if earlier is None:
        try:
            with transaction.atomic():
                return JobInvitation.objects.create(
                    job=job, freelancer=freelancer, invited_by=acting_user, message=message
                )
        except IntegrityError as exc:  # sent by someone else meanwhile
            raise Conflict(f"{name} is already invited.", code="already_invited") from exc
    if earlier.status == JobInvitation.Status.DECLINED:
        raise Conflict(f"{name} declined the invitation to this job.", code="invitation_declined")
    if earlier.status != JobInvitation.Status.WITHDRAWN:
        raise Conflict(f"{name} is already invited.", code="already_invited")
    return transition(
        earlier,
        JobInvitation.Status.SENT,
        actor=acting_user,
        reason="Invited again",
        row_locked=True,
        invited_by=acting_user,
        message=message,
        created_at=timezone.now(),
        responded_at=None,
    )


@transaction.atomic
def job_invitation_decline(
    *, acting_user: User, invitation: JobInvitation, reason: str = ""
) -> JobInvitation:
    require_freelancer(
        acting_user, invitation.freelancer_id, message="Only the invited freelancer can decline."
    )
    return transition(
        invitation,
        JobInvitation.Status.DECLINED,
        actor=acting_user,
        reason=reason.strip()[:2000],
        decline_reason=reason.strip()[:2000],
        responded_at=timezone.now(),
    )


@transaction.atomic
def job_invitation_withdraw(*, acting_user: User, invitation: JobInvitation) -> JobInvitation:
    """The client side takes back an invitation not yet answered: the freelancer no longer sees an
    invite-only job (nor its files), and is told (``status_changed``). Once declined or answered
    with a proposal there is nothing to withdraw (409 ``illegal_transition``)."""
    require_job_control(acting_user, invitation.job)
    return transition(invitation, JobInvitation.Status.WITHDRAWN, actor=acting_user)


def utc_day_start(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def proposals_today(user: User, now: datetime | None = None) -> int:
    return Proposal.objects.filter(
        freelancer=user, created_at__gte=utc_day_start(now or timezone.now())
    ).count()


def _require_below_daily_cap(user: User) -> None:
    """Checked with the freelancer's row locked, so two submissions cannot both take the last place."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    cap = daily_proposal_cap(user)
    if proposals_today(user, now) >= cap:
        reset = utc_day_start(now) + timedelta(days=1)
        hours = max(1, round((reset - now).total_seconds() / 3600))
        raise RateLimited(
            f"You have sent {cap} proposals today, the daily limit. You can send more after "
            f"midnight UTC (in about {hours} hour{'s' if hours != 1 else ''}).",
            code="daily_proposal_cap",
        )


@transaction.atomic
def proposal_submit(
    *, acting_user: User, job: Job, cover_letter: str, amount_minor, milestones=None, duration: str
) -> Proposal:
    require_proposer(acting_user)
    if not job_visible_to_freelancer(job, acting_user):
        raise NotFound("No such job.", code="job_not_found")
    job = Job.objects.get(pk=job.pk)
    _require_open(job, "send a proposal")
    if acting_user.pk == job.client_id or (
        job.organisation_id
        and Membership.objects.filter(organisation_id=job.organisation_id, user=acting_user).exists()
    ):
        raise Conflict("You cannot propose on your own side's job.", code="own_job")
    terms = _proposal_terms(
        job, cover_letter=cover_letter, amount_minor=amount_minor, milestones=milestones, duration=duration
    )
    _require_below_daily_cap(acting_user)
    invitation = JobInvitation.objects.filter(job=job, freelancer=acting_user).first()
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                job=job,
                freelancer=acting_user,
                currency=job.currency,
                is_invited=invitation is not None,
                **terms,
            )
    except IntegrityError as exc:
        raise Conflict("You have already sent a proposal for this job.", code="already_proposed") from exc
    if invitation is not None and invitation.status == JobInvitation.Status.SENT:
        transition(invitation, JobInvitation.Status.PROPOSED, actor=acting_user, responded_at=timezone.now())
    transaction.on_commit(partial(events.proposal_submitted.send, sender=Proposal, proposal_id=proposal.pk))
    return proposal


def _locked_editable(acting_user: User, proposal: Proposal, doing: str) -> Proposal:
    require_proposal_author(acting_user, proposal, doing)
    locked = Proposal.objects.select_for_update().select_related("job").get(pk=proposal.pk)
    _require_open(locked.job, f"{doing} the proposal")
    if locked.status not in Proposal.EDITABLE:
        raise Conflict(
            f"This proposal is {locked.get_status_display().lower()}; you cannot {doing} it.",
            code="proposal_not_editable",
        )
    return locked


@transaction.atomic
def proposal_update(
    *, acting_user: User, proposal: Proposal, cover_letter: str, amount_minor, milestones=None, duration: str
) -> Proposal:
    locked = _locked_editable(acting_user, proposal, "edit")
    terms = _proposal_terms(
        locked.job,
        cover_letter=cover_letter,
        amount_minor=amount_minor,
        milestones=milestones,
        duration=duration,
    )
    for name, value in terms.items():
        setattr(locked, name, value)
    locked.save()
    return locked


@transaction.atomic
def proposal_withdraw(*, acting_user: User, proposal: Proposal, reason: str = "") -> Proposal:
    locked = _locked_editable(acting_user, proposal, "withdraw")
    return transition(locked, Proposal.Status.WITHDRAWN, actor=acting_user, reason=reason.strip()[:2000])


def _client_move(acting_user: User, proposal: Proposal, to: str, *, reason: str = "", **changes) -> Proposal:
    job = proposal.job
    require_job_control(acting_user, job)
    Job.objects.select_for_update().get(pk=job.pk)
    job.refresh_from_db(fields=["status"])
    _require_open(job, "change proposals")
    # The table lets an offered proposal return to the shortlist, but only as its offer ends (declined,
    # withdrawn, expired); the client sorting it meanwhile would strand the offer.
    if Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.OFFERED).exists():
        raise Conflict(
            "An offer for this proposal is waiting for an answer; withdraw the offer first.",
            code="offer_pending",
        )
    return transition(proposal, to, actor=acting_user, reason=reason, **changes)


@transaction.atomic
def proposal_shortlist(*, acting_user: User, proposal: Proposal) -> Proposal:
    return _client_move(acting_user, proposal, Proposal.Status.SHORTLISTED)


@transaction.atomic
def proposal_archive(*, acting_user: User, proposal: Proposal) -> Proposal:
    return _client_move(acting_user, proposal, Proposal.Status.ARCHIVED)


@transaction.atomic
def proposal_decline(*, acting_user: User, proposal: Proposal, message: str = "") -> Proposal:
    message = (message or "").strip()[:2000]
    return _client_move(
        acting_user, proposal, Proposal.Status.DECLINED, reason=message, decline_message=message
    )
