"""Blocking, reporting and the staff's moderation of what was reported or flagged.

Staff act through the moderation the platform already has rather than new visibility flags: a
message is hidden (``Message.hidden_*``), a job is closed as staff (``job_close_locked``: it leaves
Find work and takes its unanswered offers with it), a profile's account is suspended
(``user_suspend``: suspended accounts' profiles are already hidden by the profile selectors). Every
moderation decision writes an audit row with its reason; the job and account moves also write their
own status change or audit row.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.accounts.services.staff import user_suspend
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.core.transitions import transition
from marketplace.jobs.models import Job
from marketplace.jobs.services.jobs import job_close_locked

from ..models import Block, FlagReview, Message, Report
from ..selectors import moderation as selectors
from .messages import message_changed_push

MAX_TEXT = 2000


def _require_staff(acting_user) -> None:
    if not (acting_user.is_authenticated and acting_user.is_staff):
        raise PermissionDenied("Only support staff can do this.", code="staff_only")


def _required_reason(text: str, *, field: str = "reason") -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(
            "Say why: the reason is kept with the decision.",
            code="reason_required",
            fields={field: ["Say why."]},
        )
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            f"Keep it under {MAX_TEXT} characters.", code="too_long", fields={field: ["Too long."]}
        )
    return text


# ---------------------------------------------------------------- blocks


@transaction.atomic
def block_create(*, acting_user: User, user_id: int) -> tuple[Block, bool]:
    """Block ``user_id``: returns the block and whether it is new (blocking twice changes nothing)."""
    if user_id == acting_user.pk:
        raise InvalidInput("You cannot block yourself.", code="cannot_block_self")
    if not User.objects.filter(pk=user_id, is_active=True).exists():
        raise NotFound("No such user.", code="user_not_found")
    block, created = Block.objects.get_or_create(blocker=acting_user, blocked_id=user_id)
    return block, created


@transaction.atomic
def block_remove(*, acting_user: User, user_id: int) -> None:
    deleted, _ = Block.objects.filter(blocker=acting_user, blocked_id=user_id).delete()
    if not deleted:
        raise NotFound("You have not blocked this user.", code="block_not_found")


# ---------------------------------------------------------------- reports


def _report_target(acting_user: User, *, message_id=None, profile_handle=None, job_id=None) -> dict:
    """The one target, as the reporter may see it (a 404 otherwise); never one's own."""
    given = [value is not None for value in (message_id, profile_handle, job_id)]
    if sum(given) != 1:
        raise InvalidInput("Report exactly one message, profile or job.", code="one_target")
    if message_id is not None:
        message = selectors.message_for_reporter(acting_user, message_id)
        owner_id, target = message.sender_id, {"message": message}
    elif profile_handle is not None:
        profile = selectors.profile_for_reporter(acting_user, profile_handle)
        owner_id, target = profile.user_id, {"profile": profile}
    else:
        job = selectors.job_for_reporter(acting_user, job_id)
        owner_id, target = job.client_id, {"job": job}
    if owner_id == acting_user.pk:
        raise InvalidInput("You cannot report your own message, profile or job.", code="cannot_report_own")
    return target


@transaction.atomic
def report_create(
    *,
    acting_user: User,
    reason: str,
    details: str = "",
    message_id: int | None = None,
    profile_handle: str | None = None,
    job_id: int | None = None,
) -> Report:
    target = _report_target(acting_user, message_id=message_id, profile_handle=profile_handle, job_id=job_id)
    if reason not in Report.Reason.values:
        raise InvalidInput(
            "Choose a reason.",
            code="invalid_reason",
            fields={"reason": [f"Choose one of: {Report.Reason.values}"]},
        )
    details = (details or "").strip()
    if len(details) > MAX_TEXT:
        raise InvalidInput(
            f"Keep the details under {MAX_TEXT} characters.",
            code="too_long",
            fields={"details": ["Too long."]},
        )
    try:
        with transaction.atomic():
            return Report.objects.create(reporter=acting_user, reason=reason, details=details, **target)
    except IntegrityError as exc:
        raise Conflict(
            "You have already reported this; staff will look at it.", code="already_reported"
        ) from exc


def _same_target_open(report: Report):
    target = {f"{report.target_kind}_id": getattr(report, f"{report.target_kind}_id")}
    return Report.objects.select_for_update().filter(status=Report.Status.OPEN, **target).order_by("pk")


def _resolve_all(report: Report, *, acting_user: User, status: str, note: str, action: str = "") -> int:
    """Resolve every open report of this report's target the same way (one decision, one target)."""
    resolved = 0
    for row in _same_target_open(report):
        transition(
            row,
            status,
            actor=acting_user,
            reason=note,
            row_locked=True,
            resolved_by=acting_user,
            resolved_at=timezone.now(),
            resolution_note=note,
            action=action,
        )
        resolved += 1
    return resolved


def _open_report(report_id: int) -> Report:
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise NotFound("No such report.", code="report_not_found")
    if report.status != Report.Status.OPEN:
        raise Conflict("This report has already been resolved.", code="report_resolved")
    return report


@transaction.atomic
def report_dismiss(*, acting_user: User, report_id: int, note: str) -> Report:
    _require_staff(acting_user)
    note = _required_reason(note, field="note")
    report = _open_report(report_id)
    count = _resolve_all(report, acting_user=acting_user, status=Report.Status.DISMISSED, note=note)
    audit_record(
        actor=acting_user,
        action="report.dismiss",
        target=report,
        summary=f"Dismissed {count} report(s) of a {report.target_kind}: {note}",
        reason=note,
    )
    report.refresh_from_db()
    return report


@transaction.atomic
def report_action(*, acting_user: User, report_id: int, note: str) -> Report:
    """Act on the report's target (hide the message, close the job, suspend the profile's account)
    and resolve every open report of it as actioned."""
    _require_staff(acting_user)
    note = _required_reason(note, field="note")
    report = _open_report(report_id)
    if report.message_id:
        _hide(acting_user, Message.objects.select_for_update().get(pk=report.message_id), note)
        action = Report.Action.HIDE_MESSAGE
    elif report.job_id:
        _close_job(acting_user, report.job, note)
        action = Report.Action.CLOSE_JOB
    else:
        _suspend(acting_user, report.profile.user_id, note)
        action = Report.Action.SUSPEND_USER
    count = _resolve_all(
        report, acting_user=acting_user, status=Report.Status.ACTIONED, note=note, action=action
    )
    audit_record(
        actor=acting_user,
        action="report.action",
        target=report,
        summary=f"{Report.Action(action).label} for {count} report(s): {note}",
        reason=note,
        action_taken=action,
    )
    report.refresh_from_db()
    return report


def _close_job(acting_user: User, job: Job, reason: str) -> None:
    if job.status in Job.TERMINAL:
        return  # already off the market: the report is still actioned
    job_close_locked(job, actor=acting_user, reason=f"Closed by staff: {reason}")
    audit_record(
        actor=acting_user, action="job.staff_close", target=job, summary=f"Closed: {reason}", reason=reason
    )


def _suspend(acting_user: User, user_id: int, reason: str) -> None:
    if User.objects.filter(pk=user_id, suspended_at__isnull=False).exists():
        return  # already suspended (and audited then)
    user_suspend(acting_user=acting_user, user_id=user_id, reason=reason)


# ---------------------------------------------------------------- messages


def _hide(acting_user: User, message: Message, reason: str) -> None:
    if message.hidden_at is None:
        message.hidden_at = timezone.now()
        message.hidden_by = acting_user
        message.hidden_reason = reason
        message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        message_changed_push(message)  # open pages show it hidden at once
        audit_record(
            actor=acting_user,
            action="message.hide",
            target=message,
            summary=f"Hidden: {reason}",
            reason=reason,
        )
    if message.contact_flags:
        FlagReview.objects.get_or_create(
            message=message,
            defaults={"outcome": FlagReview.Outcome.HIDDEN, "reviewed_by": acting_user, "note": reason},
        )


def _locked_message(message_id: int) -> Message:
    message = Message.objects.select_for_update().filter(pk=message_id).first()
    if message is None:
        raise NotFound("No such message.", code="message_not_found")
    return message


@transaction.atomic
def message_hide(*, acting_user: User, message_id: int, reason: str) -> Message:
    """Hide a message (from the queue of flagged messages or anywhere staff found it); any open
    reports of it are resolved as actioned."""
    _require_staff(acting_user)
    reason = _required_reason(reason)
    message = _locked_message(message_id)
    if message.hidden_at is not None:
        raise Conflict("This message is already hidden.", code="already_hidden")
    _hide(acting_user, message, reason)
    open_report = Report.objects.filter(message=message, status=Report.Status.OPEN).first()
    if open_report is not None:
        _resolve_all(
            open_report,
            acting_user=acting_user,
            status=Report.Status.ACTIONED,
            note=reason,
            action=Report.Action.HIDE_MESSAGE,
        )
    return message


@transaction.atomic
def message_flag_clear(*, acting_user: User, message_id: int, note: str) -> FlagReview:
    """Take a flagged message out of the queue without hiding it (a false alarm, or nothing to do)."""
    _require_staff(acting_user)
    note = _required_reason(note, field="note")
    message = _locked_message(message_id)
    if not message.contact_flags:
        raise Conflict("This message was not flagged.", code="not_flagged")
    review, created = FlagReview.objects.get_or_create(
        message=message,
        defaults={"outcome": FlagReview.Outcome.CLEARED, "reviewed_by": acting_user, "note": note},
    )
    if not created:
        raise Conflict("Staff have already reviewed this message.", code="already_reviewed")
    audit_record(
        actor=acting_user,
        action="message.flag_clear",
        target=message,
        summary=f"Flag cleared: {note}",
        reason=note,
    )
    return review
