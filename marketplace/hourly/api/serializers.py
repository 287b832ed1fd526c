"""The hourly API's shapes: time entries, the timer, weeks (timesheets)."""

from datetime import timedelta

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import RunningTimer, TimeEntry, Timesheet
from ..weeks import WEEK


class TimeEntrySerializer(serializers.ModelSerializer):
    week_start = serializers.DateField(source="timesheet.week_start", read_only=True)
    ended_at = serializers.SerializerMethodField(help_text="started_at plus minutes (UTC).")
    editable = serializers.SerializerMethodField(help_text="Whether its week is still open (not billed).")

    class Meta:
        model = TimeEntry
        fields = [
            "id",
            "timesheet",
            "week_start",
            "started_at",
            "ended_at",
            "minutes",
            "memo",
            "source",
            "editable",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField())
    def get_ended_at(self, entry: TimeEntry):
        return serializers.DateTimeField().to_representation(
            entry.started_at + timedelta(minutes=entry.minutes)
        )

    def get_editable(self, entry: TimeEntry) -> bool:
        return entry.timesheet.status == Timesheet.Status.OPEN


class TimeEntryWriteSerializer(serializers.Serializer):
    """Either ``started_at`` (an ISO 8601 instant with its offset), or ``date`` and ``start_time`` on
    the freelancer's own clock (their account's time zone)."""

    started_at = serializers.DateTimeField(required=False, help_text="The start, with its UTC offset.")
    date = serializers.DateField(required=False, help_text="The day, in the freelancer's time zone.")
    start_time = serializers.TimeField(required=False, help_text="The start, in the freelancer's time zone.")
    minutes = serializers.IntegerField(help_text="1 to 1440.")
    memo = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="What was done; at most 500."
    )


class TimerSerializer(serializers.Serializer):
    running = serializers.BooleanField()
    started_at = serializers.DateTimeField(allow_null=True)
    memo = serializers.CharField(allow_blank=True)

    @staticmethod
    def of(timer: RunningTimer | None) -> dict:
        if timer is None:
            return {"running": False, "started_at": None, "memo": ""}
        return {"running": True, "started_at": timer.started_at, "memo": timer.memo}


class TimerStartSerializer(serializers.Serializer):
    memo = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)


class TimerStopSerializer(serializers.Serializer):
    entries = TimeEntrySerializer(many=True)
    minutes_run = serializers.IntegerField()
    minutes_recorded = serializers.IntegerField()
    minutes_dropped = serializers.IntegerField(
        help_text="Past a week's cap, in a billed week, or while paused."
    )
    notes = serializers.ListField(child=serializers.CharField(), help_text="Why any time was not recorded.")


class TimesheetSerializer(serializers.ModelSerializer):
    week_end = serializers.SerializerMethodField(
        help_text="The next Monday: the week is [week_start, week_end)."
    )
    logged_minutes = serializers.SerializerMethodField(help_text="The minutes logged (live while open).")
    cap_minutes = serializers.SerializerMethodField(help_text="The contract's weekly cap; null for none.")

    class Meta:
        model = Timesheet
        fields = [
            "id",
            "contract",
            "week_start",
            "week_end",
            "status",
            "logged_minutes",
            "cap_minutes",
            "minutes",
            "rate_minor",
            "amount_minor",
            "currency",
            "billed_at",
            "funded_at",
            "review_by",
            "approved_at",
            "released_at",
            "failure_code",
            "failure_message",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField())
    def get_week_end(self, sheet: Timesheet):
        return (sheet.week_start + WEEK).isoformat()

    def get_logged_minutes(self, sheet: Timesheet) -> int:
        return getattr(sheet, "logged", sheet.minutes) or 0

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_cap_minutes(self, sheet: Timesheet):
        cap = sheet.contract.weekly_hour_cap
        return None if cap is None else cap * 60


class DaySerializer(serializers.Serializer):
    day = serializers.DateField()
    minutes = serializers.IntegerField()


class TimesheetDetailSerializer(TimesheetSerializer):
    entries = serializers.SerializerMethodField()
    days = serializers.SerializerMethodField(help_text="Minutes per UTC day, Monday first.")

    class Meta(TimesheetSerializer.Meta):
        fields = [*TimesheetSerializer.Meta.fields, "days", "entries"]
        read_only_fields = fields

    @extend_schema_field(TimeEntrySerializer(many=True))
    def get_entries(self, sheet: Timesheet):
        return TimeEntrySerializer(self.context["week"].entries, many=True).data

    @extend_schema_field(DaySerializer(many=True))
    def get_days(self, sheet: Timesheet):
        return DaySerializer(self.context["week"].days, many=True).data
