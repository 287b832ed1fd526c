from django.contrib import admin

from .models import Contract, Milestone

# State moves only through the services (transition helper): the admin shows status read-only.


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    readonly_fields = ["status"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["pk", "title", "client", "freelancer", "status", "amount_minor", "currency", "started_at"]
    list_filter = ["status", "budget_type"]
    raw_id_fields = ["offer", "job", "client", "freelancer", "organisation", "ended_by"]
    readonly_fields = ["status", "client_fee_bp", "freelancer_fee_bp"]
    inlines = [MilestoneInline]
