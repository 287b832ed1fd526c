from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from rest_framework_api_key.admin import APIKeyModelAdmin

from .models import Invitation, Membership, Organisation, OrganisationAPIKey, PoolMembership, TalentPool


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["role", "joined_at"]
    can_delete = False


@admin.register(Organisation)
class OrganisationAdmin(GuardedModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "status", "created_at", "expires_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token_hash", "status", "accepted_by", "responded_at"]


@admin.register(TalentPool)
class TalentPoolAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "is_default"]


@admin.register(PoolMembership)
class PoolMembershipAdmin(admin.ModelAdmin):
    list_display = ["freelancer", "email", "pool", "status", "invited_at", "ended_at"]
    list_filter = ["status"]
    raw_id_fields = ["freelancer", "invited_by", "ended_by"]
    readonly_fields = ["status"]


@admin.register(OrganisationAPIKey)
class OrganisationAPIKeyAdmin(APIKeyModelAdmin):
    list_display = [*APIKeyModelAdmin.list_display, "organisation"]
    search_fields = [*APIKeyModelAdmin.search_fields, "organisation__name"]
