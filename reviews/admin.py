"""Read-only admin views of reviews, their windows and reports, for operators: moderation happens
through the staff pages and the services (audited), never by editing rows here."""

from django.contrib import admin

from escrow.admin import ReadOnlyAdmin

from .models import Review, ReviewReport, ReviewWindow


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "contract",
        "direction",
        "author",
        "reviewee",
        "overall",
        "revealed_at",
        "removed_at",
    ]
    list_filter = ["direction", "overall"]
    fields = [
        "contract",
        "direction",
        "author",
        "reviewee",
        "organisation",
        "overall",
        "quality",
        "communication",
        "expertise",
        "deadlines",
        "clarity",
        "payment_promptness",
        "would_hire_again",
        "text",
        "private_note",
        "submitted_at",
        "revealed_at",
        "reply",
        "replied_at",
        "removed_at",
        "removed_by",
        "removal_reason",
    ]
    readonly_fields = fields


@admin.register(ReviewWindow)
class ReviewWindowAdmin(ReadOnlyAdmin):
    list_display = ["contract", "opens_at", "closes_at", "revealed_at"]
    fields = ["contract", "opens_at", "closes_at", "revealed_at", "reminders_sent"]
    readonly_fields = fields


@admin.register(ReviewReport)
class ReviewReportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "review", "reporter", "reason", "status", "created_at", "resolved_at"]
    list_filter = ["status", "reason"]
    fields = [
        "review",
        "reporter",
        "reason",
        "details",
        "status",
        "created_at",
        "resolved_by",
        "resolved_at",
        "resolution_note",
    ]
    readonly_fields = fields
