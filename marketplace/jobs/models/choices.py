"""Choices shared by jobs, proposals, offers and contracts."""

from django.db import models


class Category(models.TextChoices):
    WEB = "web", "Web development"
    MOBILE = "mobile", "Mobile apps"
    DESIGN = "design", "Design and creative"
    WRITING = "writing", "Writing and translation"
    MARKETING = "marketing", "Sales and marketing"
    DATA = "data", "Data and analytics"
    ENGINEERING = "engineering", "Engineering and architecture"
    ADMIN = "admin", "Admin and customer support"
    FINANCE = "finance", "Finance and accounting"
    FIELD = "field", "On-site and field services"
    OTHER = "other", "Other"


class BudgetType(models.TextChoices):
    FIXED = "fixed", "Fixed price"
    HOURLY = "hourly", "Hourly"


class Duration(models.TextChoices):
    UNDER_WEEK = "under_week", "Less than a week"
    WEEKS = "weeks", "1 to 4 weeks"
    MONTHS = "months", "1 to 3 months"
    QUARTER = "quarter", "3 to 6 months"
    LONG = "long", "More than 6 months"


class ExperienceLevel(models.TextChoices):
    ENTRY = "entry", "Entry level"
    INTERMEDIATE = "intermediate", "Intermediate"
    EXPERT = "expert", "Expert"


class LocationType(models.TextChoices):
    REMOTE = "remote", "Remote"
    ONSITE = "onsite", "On site"
