"""Your email choices over the API (session only: API keys act for an organisation, which gets no
notification emails)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from marketplace.core.rest.schema import SESSION_ONLY_NOTE, errors
from marketplace.core.rest.views import ApiView

from ..email_policy import GROUPS
from ..selectors.email_preferences import email_preferences_dict, email_preferences_of
from ..services.email_preferences import email_preferences_update

DESCRIPTION = (
    "One switch per group of notification emails, all on until you turn one off. Offers, money and "
    "review reminders are emailed at once; the other groups wait for the digest (by default: still "
    "unread after 10 minutes with no page of the site open, at most one digest every 30 minutes). "
    "Account emails (address confirmation, password, two-factor) are not governed here.\n\n"
    + "\n".join(f"- `{group.key}`: {group.help}" for group in GROUPS)
)


class EmailPreferencesSerializer(serializers.Serializer):
    def get_fields(self):
        return {group.key: serializers.BooleanField(help_text=group.help) for group in GROUPS}

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: ["No such group of emails."] for name in unknown})
        return attrs


class EmailPreferencesView(ApiView):
    @extend_schema(
        tags=["me"],
        summary="Which notification emails you get",
        description=DESCRIPTION + SESSION_ONLY_NOTE,
        responses={200: EmailPreferencesSerializer, **errors(403)},
    )
    def get(self, request):
        return Response(email_preferences_dict(email_preferences_of(request.user)))

    @extend_schema(
        tags=["me"],
        summary="Turn groups of notification emails on or off",
        description="Send only the groups to change." + SESSION_ONLY_NOTE,
        request=EmailPreferencesSerializer,
        responses={200: EmailPreferencesSerializer, **errors(400, 403)},
    )
    def patch(self, request):
        changes = self.parsed(EmailPreferencesSerializer, partial=True)
        preference = email_preferences_update(acting_user=request.user, changes=changes)
        return Response(email_preferences_dict(preference))
