from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import (
    Badge,
    City,
    ClientProfile,
    FreelancerProfile,
    PortfolioItem,
    Skill,
    User,
)


class BadgeInline(admin.TabularInline):
    model = Badge
    fk_name = "user"
    extra = 0
    readonly_fields = ["granted_by", "granted_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "is_client",
        "is_freelancer",
        "is_staff",
        "suspended_at",
        "date_joined",
    ]
    list_filter = [
        "is_client",
        "is_freelancer",
        "is_staff",
        "is_active",
        ("suspended_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "full_name"]
    inlines = [BadgeInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal info", {"fields": ["full_name", "timezone", "is_client", "is_freelancer"]}),
        ("Terms", {"fields": ["terms_version", "terms_accepted_at"]}),
        (
            "Suspension (use the staff user page, which keeps the audit trail)",
            {"fields": ["suspended_at", "suspension_reason"]},
        ),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["terms_version", "terms_accepted_at", "suspended_at", "suspension_reason"]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(FreelancerProfile)
class FreelancerProfileAdmin(admin.ModelAdmin):
    list_display = ["handle", "user", "headline", "visibility", "availability"]
    list_filter = ["visibility", "availability"]
    search_fields = ["handle", "user__email", "headline"]
    raw_id_fields = ["user", "city", "avatar"]
    filter_horizontal = ["skills"]


@admin.register(ClientProfile)
class ClientProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "company_name"]
    raw_id_fields = ["user", "city"]


@admin.register(PortfolioItem)
class PortfolioItemAdmin(admin.ModelAdmin):
    list_display = ["title", "profile", "position"]
    raw_id_fields = ["profile", "image"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "slug"]
    list_filter = ["category"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country_code", "population", "timezone"]
    search_fields = ["name"]
    list_filter = ["country_code"]
