"""The hourly API: a contract's time entries (the freelancer logs, edits and deletes them), its timer
(start, stop) and its weeks (timesheets). Everyone who sees the contract reads; only its freelancer
writes. The contract in the URL is looked up first (404 for who may not see it), then who may write
(403 ``not_the_freelancer``), both before the body is read."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from marketplace.contracts.api.base import CONTRACT_404, ContractsApiView
from marketplace.core.exceptions import InvalidInput
from marketplace.core.rest.schema import errors
from marketplace.jobs.api.base import KEY_NOTE

from .. import selectors
from ..permissions import require_logger
from ..services import time_entries as services
from ..services.time_entries import local_start
from .serializers import (
    TimeEntrySerializer,
    TimeEntryWriteSerializer,
    TimerSerializer,
    TimerStartSerializer,
    TimerStopSerializer,
    TimesheetDetailSerializer,
    TimesheetSerializer,
)

SEEN_NOTE = " Seen by the contract's freelancer, its client side (any role) and staff; 404 for everyone else."
WRITE = (
    "\n\nOnly the contract's freelancer (403 `not_the_freelancer`), with a logged-in session (API keys are "
    "read-only: 403 `api_key_read_only`)."
)
ENTRY_404 = CONTRACT_404 + ", `entry_not_found`"
LOG_400 = (
    "`bad_start` (out of range), `bad_duration` (under 1 or over 1440 minutes), `future_time` (it ends "
    "after now), `crosses_week` (it crosses Monday 00:00 UTC), `memo_required`, `memo_too_long` (over "
    "500), `nonexistent_time` (a local time the clocks skip), `start_required`, `invalid`"
)
LOG_409 = (
    "`weekly_cap_reached` (the message says what is left; `fields.minutes_left`), `week_closed` (the week "
    "is billed), `contract_paused` (a week's payment failed), `contract_not_active`, `not_hourly`"
)


class HourlyApiView(ContractsApiView):
    def loggable_contract(self, pk: int):
        contract = self.contract(pk)
        require_logger(self.request.user, contract)
        return contract

    def start_of(self, data: dict, *, partial: bool = False):
        if "started_at" in data:
            return data["started_at"]
        if "date" in data and "start_time" in data:
            return local_start(self.request.user, data["date"], data["start_time"])
        if partial:
            return None
        raise InvalidInput(
            "Give started_at, or date and start_time.",
            code="start_required",
            fields={"started_at": ["Give started_at, or date and start_time."]},
        )


class TimeEntryListView(HourlyApiView):
    api_key_readable = True

    @extend_schema(
        tags=["hourly"],
        summary="A contract's time entries",
        description="Newest first, paginated; each with its week and whether it can still change."
        + SEEN_NOTE
        + KEY_NOTE,
        responses={200: TimeEntrySerializer(many=True), **errors(403, s404=CONTRACT_404)},
    )
    def get(self, request, pk: int):
        return self.paginated(selectors.entries_of(self.contract(pk)), TimeEntrySerializer)

    @extend_schema(
        tags=["hourly"],
        summary="Log time by hand",
        description="Time already worked: `started_at`, or `date` and `start_time` on the freelancer's own "
        "clock (their account's time zone), `minutes` and a `memo`. The entry belongs to the UTC week "
        "(Monday to Sunday) its start falls in; the contract's weekly cap applies to that week." + WRITE,
        request=TimeEntryWriteSerializer,
        responses={
            201: TimeEntrySerializer,
            **errors(
                400, 403, 409, s400=LOG_400, s403="`not_the_freelancer`", s404=CONTRACT_404, s409=LOG_409
            ),
        },
    )
    def post(self, request, pk: int):
        contract = self.loggable_contract(pk)
        data = self.parsed(TimeEntryWriteSerializer)
        entry = services.entry_log(
            acting_user=request.user,
            contract=contract,
            started_at=self.start_of(data),
            minutes=data["minutes"],
            memo=data["memo"],
        )
        return Response(TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class TimeEntryDetailView(HourlyApiView):
    api_key_readable = True

    def entry(self, pk: int, eid: int):
        return selectors.entry_of(self.contract(pk), eid)

    @extend_schema(
        tags=["hourly"],
        summary="A time entry",
        description="One entry of the contract." + SEEN_NOTE + KEY_NOTE,
        responses={200: TimeEntrySerializer, **errors(403, s404=ENTRY_404)},
    )
    def get(self, request, pk: int, eid: int):
        return Response(TimeEntrySerializer(self.entry(pk, eid)).data)

    @extend_schema(
        tags=["hourly"],
        summary="Change a time entry",
        description="Any of `started_at` (or `date` and `start_time`), `minutes`, `memo`, while its week "
        "(and the week it moves to) is open; the cap is checked without the entry's old minutes." + WRITE,
        request=TimeEntryWriteSerializer,
        responses={
            200: TimeEntrySerializer,
            **errors(400, 403, 409, s400=LOG_400, s403="`not_the_freelancer`", s404=ENTRY_404, s409=LOG_409),
        },
    )
    def patch(self, request, pk: int, eid: int):
        contract = self.loggable_contract(pk)
        entry = selectors.entry_of(contract, eid)
        data = self.parsed(TimeEntryWriteSerializer, partial=True)
        entry = services.entry_update(
            acting_user=request.user,
            entry=entry,
            started_at=self.start_of(data, partial=True),
            minutes=data.get("minutes"),
            memo=data.get("memo"),
        )
        return Response(TimeEntrySerializer(entry).data)

    @extend_schema(
        tags=["hourly"],
        summary="Delete a time entry",
        description="While its week is open." + WRITE,
        responses={
            204: None,
            **errors(
                403, 409, s403="`not_the_freelancer`", s404=ENTRY_404, s409="`week_closed`, `entry_gone`"
            ),
        },
    )
    def delete(self, request, pk: int, eid: int):
        contract = self.loggable_contract(pk)
        services.entry_delete(acting_user=request.user, entry=selectors.entry_of(contract, eid))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TimerView(HourlyApiView):
    api_key_readable = True

    @extend_schema(
        tags=["hourly"],
        summary="The contract's timer",
        description="Whether it runs, since when, and its memo." + SEEN_NOTE + KEY_NOTE,
        responses={200: TimerSerializer, **errors(403, s404=CONTRACT_404)},
    )
    def get(self, request, pk: int):
        return Response(TimerSerializer(TimerSerializer.of(selectors.running_timer(self.contract(pk)))).data)

    @extend_schema(
        tags=["hourly"],
        summary="Start the timer",
        description="Starts now, with an optional memo (what the entries it makes will say)." + WRITE,
        request=TimerStartSerializer,
        responses={
            201: TimerSerializer,
            **errors(
                400,
                403,
                409,
                s400="`memo_too_long`",
                s403="`not_the_freelancer`",
                s404=CONTRACT_404,
                s409="`timer_running`, `weekly_cap_reached`, `week_closed`, `contract_paused`, "
                "`contract_not_active`, `not_hourly`",
            ),
        },
    )
    def post(self, request, pk: int):
        contract = self.loggable_contract(pk)
        data = self.parsed(TimerStartSerializer)
        timer = services.timer_start(acting_user=request.user, contract=contract, memo=data.get("memo", ""))
        return Response(TimerSerializer(TimerSerializer.of(timer)).data, status=status.HTTP_201_CREATED)


class TimerStopView(HourlyApiView):
    @extend_schema(
        tags=["hourly"],
        summary="Stop the timer",
        description="Records the time it ran as entries, one per UTC week (split at Monday 00:00 UTC), each "
        "week's part up to that week's cap; what could not be recorded (past the cap, in a week already "
        "billed, or the contract paused or ended meanwhile) is `minutes_dropped`, with `notes` saying why. "
        "Under a minute records nothing." + WRITE,
        request=None,
        responses={
            200: TimerStopSerializer,
            **errors(403, 409, s403="`not_the_freelancer`", s404=CONTRACT_404, s409="`timer_not_running`"),
        },
    )
    def post(self, request, pk: int):
        contract = self.loggable_contract(pk)
        result = services.timer_stop(acting_user=request.user, contract=contract)
        data = {
            "entries": result.entries,
            "minutes_run": result.minutes_run,
            "minutes_recorded": result.minutes_recorded,
            "minutes_dropped": result.minutes_dropped,
            "notes": result.notes,
        }
        return Response(TimerStopSerializer(data).data)


class TimesheetListView(HourlyApiView):
    api_key_readable = True

    @extend_schema(
        tags=["hourly"],
        summary="A contract's weeks",
        description="Its timesheets, newest first, paginated: the minutes logged, the state and the money of "
        "each week (billed weeks: the minutes, rate and amount fixed at billing)." + SEEN_NOTE + KEY_NOTE,
        responses={200: TimesheetSerializer(many=True), **errors(403, s404=CONTRACT_404)},
    )
    def get(self, request, pk: int):
        contract = self.contract(pk)
        weeks = selectors.weeks_of(contract).select_related("contract")
        return self.paginated(weeks, TimesheetSerializer)


class TimesheetDetailView(HourlyApiView):
    api_key_readable = True

    @extend_schema(
        tags=["hourly"],
        summary="A week (timesheet)",
        description="The week's state and money, its minutes per UTC day and its entries."
        + SEEN_NOTE
        + KEY_NOTE,
        responses={200: TimesheetDetailSerializer, **errors(403, s404="`timesheet_not_found`")},
    )
    def get(self, request, pk: int):
        if organisation := self.key_organisation:
            sheet = selectors.timesheet_of_organisation(pk=pk, organisation=organisation)
        else:
            sheet = selectors.timesheet_for_viewer(pk=pk, viewer=request.user)
        week = selectors.timesheet_week(sheet)
        sheet.logged = week.minutes
        return Response(TimesheetDetailSerializer(sheet, context={"week": week}).data)
