from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """An account: logs in by email; may hire, work, or both."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        default=False, help_text="Support staff: may log in to the admin and work the staff queues."
    )
    is_support = models.BooleanField(
        "support staff",
        default=False,
        help_text="Works the dispute queue and decides disputes (not an admin, not a superuser).",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Not exclusive: one account can hire and work. Chosen at sign-up, changeable in settings.
    is_client = models.BooleanField("hires freelancers", default=False)
    is_freelancer = models.BooleanField("works as a freelancer", default=False)
    # Set from the profile's city when the city is set or changed (services.profiles); the person
    # may choose another in account settings, which stands until the city changes again.
    timezone = models.CharField(max_length=64, default="UTC")
    # Billing details for receipts of what this person pays (optional; services.onboarding).
    billing_name = models.CharField(max_length=150, blank=True)
    billing_address = models.TextField(max_length=500, blank=True)
    tax_id = models.CharField("tax ID", max_length=32, blank=True)
    terms_version = models.CharField(max_length=32, blank=True)
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    # A suspended user can still log in, but only to see why (SuspendedUserMiddleware).
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email
