from django.conf import settings
from django.db import models

from ..requirements.kinds import COVERAGE_LABELS, FORM_LABELS


class Credential(models.Model):
    """Something a worker uploaded for an organisation's pools: a tax form, a certificate, a check.
    Only the worker and that organisation's reviewers see it; a reviewer verifies or rejects it."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        TAX_FORM = "tax_form", "Tax form"
        CERTIFICATION = "certification", "Certification or licence"
        INSURANCE = "insurance", "Insurance certificate"
        BACKGROUND_CHECK = "background_check", "Background check"
        DRUG_TEST = "drug_test", "Drug test"
        SKILLS_TEST = "skills_test", "Skills test"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "Replaced by a newer one"

    TRANSITIONS = {
        Status.PENDING: {Status.VERIFIED, Status.REJECTED, Status.SUPERSEDED},
        Status.VERIFIED: {Status.SUPERSEDED},
    }

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pool_credentials"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="credentials"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    name = models.CharField(max_length=120, blank=True)
    form = models.CharField(max_length=8, blank=True, choices=list(FORM_LABELS.items()))
    coverage = models.CharField(max_length=32, blank=True, choices=list(COVERAGE_LABELS.items()))
    per_occurrence_minor = models.PositiveBigIntegerField(null=True, blank=True)
    aggregate_minor = models.PositiveBigIntegerField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    # The first day it no longer counts (a policy's expiration date).
    expires_on = models.DateField(null=True, blank=True)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["worker", "organisation"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.worker_id} for {self.organisation_id} ({self.status})"


class AgreementSignature(models.Model):
    """A worker's signature, typed in the page, of one version of a pool's agreement requirement."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agreement_signatures"
    )
    requirement = models.ForeignKey(
        "organisations.Requirement", on_delete=models.CASCADE, related_name="signatures"
    )
    version = models.PositiveIntegerField()
    # The agreement as it read when signed, so a later edit of the requirement cannot change it.
    title = models.CharField(max_length=200)
    text = models.TextField()
    signed_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "requirement", "version"], name="organisations_signed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signed_name} signed v{self.version} of requirement {self.requirement_id}"
