"""Every email the product sends speaks in one voice: the site's name before the subject and the
same signature (``core/email/signature.txt``) after the text, whichever app sends it. allauth's
emails get both through the account adapter and the templates in ``frontend/templates/account/email``."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def site_context() -> dict:
    """What every email template may use besides its own context."""
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}


def send_site_email(
    *, to: str, subject: str, template: str, context: dict, headers: dict | None = None
) -> None:
    """One plain-text email: ``template`` rendered with ``context``, the subject prefixed; ``headers``
    adds header lines (the notification emails' ``List-Unsubscribe``)."""
    EmailMessage(
        subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string(template, {**site_context(), **context}),
        to=[to],
        headers=headers,
    ).send()
