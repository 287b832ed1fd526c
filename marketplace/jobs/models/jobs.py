from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import BudgetType, Category, Duration, ExperienceLevel, LocationType


class Job(models.Model):
    """Work a client (alone, or for an organisation) wants done.

    Who sees it is ``visibility`` (``selectors.jobs_visible_to``): public — everyone; invite-only —
    the poster's side and the freelancers it invited; pool — the organisation's members and the
    freelancers active in its talent pools.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        EXPIRED = "expired", "Expired"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public — anyone, including search engines"
        INVITE_ONLY = "invite_only", "Invite-only — only freelancers you invite"
        POOL = "pool", "Talent pool — your organisation's members and pool freelancers"

    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN, Status.CLOSED},
        Status.OPEN: {Status.CLOSED, Status.EXPIRED},
    }
    TERMINAL = (Status.CLOSED, Status.EXPIRED)

    Category = Category
    BudgetType = BudgetType
    Duration = Duration
    ExperienceLevel = ExperienceLevel
    LocationType = LocationType

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs_posted")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    # For "pool" visibility: the organisation's pool whose active members see the job (empty: the
    # organisation's default pool).
    pool = models.ForeignKey(
        "organisations.TalentPool", null=True, blank=True, on_delete=models.PROTECT, related_name="jobs"
    )
    title = models.CharField(max_length=120)
    description = models.TextField("description (Markdown)", max_length=20_000)
    description_html = models.TextField(editable=False)
    category = models.CharField(max_length=16, choices=Category.choices)
    skills = models.ManyToManyField("accounts.Skill", blank=True, related_name="jobs")
    attachments = models.ManyToManyField("core.StoredFile", blank=True, related_name="+")
    budget_type = models.CharField(max_length=8, choices=BudgetType.choices)
    currency = models.CharField(max_length=3)
    # Fixed price: the budget. Hourly: the range of rates. All integer minor units.
    budget_minor = models.PositiveBigIntegerField(null=True, blank=True)
    hourly_min_minor = models.PositiveIntegerField(null=True, blank=True)
    hourly_max_minor = models.PositiveIntegerField(null=True, blank=True)
    duration = models.CharField(max_length=16, choices=Duration.choices)
    experience_level = models.CharField(max_length=16, choices=ExperienceLevel.choices)
    location_type = models.CharField(max_length=8, choices=LocationType.choices, default=LocationType.REMOTE)
    city = models.ForeignKey(
        "accounts.City", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    radius_km = models.PositiveIntegerField(null=True, blank=True)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC)
    hires_wanted = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            # Find work pages in this order: by visibility for anonymous visitors, over all open jobs
            # (a visibility test per row) for everyone else.
            models.Index(fields=["status", "visibility", "-opened_at", "-id"], name="jobs_job_find_work_idx"),
            models.Index(fields=["status", "-opened_at", "-id"], name="jobs_job_open_newest_idx"),
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["client", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_type="hourly") | Q(budget_minor__gt=0), name="jobs_job_fixed_has_budget"
            ),
            models.CheckConstraint(
                condition=Q(budget_type="fixed")
                | Q(hourly_min_minor__gt=0, hourly_max_minor__gte=models.F("hourly_min_minor")),
                name="jobs_job_hourly_has_range",
            ),
            models.CheckConstraint(
                condition=~Q(visibility="pool") | Q(organisation__isnull=False),
                name="jobs_job_pool_needs_org",
            ),
            models.CheckConstraint(
                condition=Q(location_type="remote") | Q(city__isnull=False), name="jobs_job_onsite_has_city"
            ),
            models.CheckConstraint(condition=Q(hires_wanted__gte=1), name="jobs_job_hires_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class JobTemplate(models.Model):
    """A job's fields saved under a name, to post similar jobs again."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_templates"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="job_templates",
    )
    name = models.CharField(max_length=120)
    # The job's form fields (skills as ids); validated again when a job is posted from it.
    fields = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
