from django.conf import settings
from django.db import models


class Skill(models.Model):
    """The shared skills taxonomy (seeded by a data migration; staff add more in the admin)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    category = models.CharField(max_length=80)

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public — anyone, including search engines"
    POOL = "pool", "Only organisations whose talent pools I belong to"


class Availability(models.TextChoices):
    FULL_TIME = "full_time", "Full time (30+ hrs/week)"
    PART_TIME = "part_time", "Part time (under 30 hrs/week)"
    UNAVAILABLE = "unavailable", "Not available for new work"


class FreelancerProfile(models.Model):
    """What a freelancer shows clients, at the stable URL /freelancers/<handle>/."""

    Visibility = Visibility
    Availability = Availability

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="freelancer_profile"
    )
    handle = models.SlugField(max_length=60, unique=True)
    headline = models.CharField(max_length=120, blank=True)
    bio = models.TextField("bio (Markdown)", max_length=5000, blank=True)
    bio_html = models.TextField(blank=True, editable=False)
    hourly_rate_minor = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    city = models.ForeignKey(
        "accounts.City", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    availability = models.CharField(
        max_length=16, choices=Availability.choices, default=Availability.FULL_TIME
    )
    languages = models.JSONField(default=list, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="freelancers")
    tags = models.JSONField(default=list, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC)
    avatar = models.ForeignKey(
        "accounts.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The profiles list pages in this order (anonymous visitors see public profiles only).
        indexes = [
            models.Index(fields=["visibility", "-updated_at", "-id"], name="accounts_profile_listed_idx"),
            models.Index(fields=["-updated_at", "-id"], name="accounts_profile_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=["public", "pool"]),
                name="accounts_profile_visibility_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Freelancer {self.handle}"


class ClientProfile(models.Model):
    """What freelancers see about someone who hires."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_profile"
    )
    company_name = models.CharField(max_length=120, blank=True)
    website = models.URLField(blank=True)
    city = models.ForeignKey(
        "accounts.City", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.company_name or f"Client {self.user_id}"


class PortfolioItem(models.Model):
    profile = models.ForeignKey(FreelancerProfile, on_delete=models.CASCADE, related_name="portfolio_items")
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=2000, blank=True)
    url = models.URLField(blank=True)
    image = models.ForeignKey(
        "accounts.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Badge(models.Model):
    """A verification staff (or the platform, for email) vouches for; revoking deletes it."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email verified"
        IDENTITY = "identity", "Identity verified"
        TAX_FORM = "tax_form", "Tax form on file"
        BACKGROUND_CHECK = "background_check", "Background check"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="accounts_badge_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id}"
