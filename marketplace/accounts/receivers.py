"""Interfaces to other apps' signals: each receiver calls one service."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .services.onboarding import email_verified_record


@receiver(email_confirmed, dispatch_uid="accounts.email_badge")
def _grant_email_badge(sender, request, email_address, **kwargs) -> None:
    email_verified_record(user=email_address.user)
