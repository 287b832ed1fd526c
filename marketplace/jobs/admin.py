from django.contrib import admin

from .models import Job, JobInvitation, JobTemplate, Offer, Proposal

# State moves only through the services (transition helper): the admin shows status read-only.


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "client", "organisation", "status", "visibility", "budget_type", "opened_at"]
    list_filter = ["status", "visibility", "budget_type", "category"]
    search_fields = ["title", "client__email", "organisation__name"]
    raw_id_fields = ["client", "organisation", "city"]
    readonly_fields = ["status", "opened_at", "expires_at", "expiry_warned_at", "closed_at"]
    exclude = ["attachments"]  # files are linked by the services; the stored files have their own admin


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "job",
        "freelancer",
        "status",
        "amount_minor",
        "currency",
        "is_invited",
        "created_at",
    ]
    list_filter = ["status", "is_invited"]
    search_fields = ["job__title", "freelancer__email"]
    raw_id_fields = ["job", "freelancer"]
    readonly_fields = ["status"]
    exclude = ["attachments"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["pk", "title", "client", "freelancer", "status", "amount_minor", "currency", "expires_at"]
    list_filter = ["status"]
    raw_id_fields = ["proposal", "job", "client", "freelancer", "organisation"]
    readonly_fields = ["status", "client_fee_bp", "freelancer_fee_bp"]


@admin.register(JobInvitation)
class JobInvitationAdmin(admin.ModelAdmin):
    list_display = ["job", "freelancer", "status", "created_at"]
    raw_id_fields = ["job", "freelancer", "invited_by"]
    readonly_fields = ["status"]


@admin.register(JobTemplate)
class JobTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "organisation", "created_at"]
    raw_id_fields = ["owner", "organisation"]
