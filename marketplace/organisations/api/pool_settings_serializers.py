"""Shapes of the pool settings endpoints (pools, tiers, requirement sets). Input serializers only
parse and type-check; the rules (each kind's settings, the agreement's version…) are the services'
and come back as error codes."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.core.text import validate_single_line_text

from ..models import PoolTier, Requirement, TalentPool
from ..requirements.kinds import KINDS


def _kinds_help() -> str:
    """Each kind's settings, from the one table (requirements.kinds.KINDS)."""
    lines = []
    for key, kind in KINDS.items():
        parts = []
        for setting in kind.settings:
            bounds = ""
            if setting.choices:
                bounds = f" ({' | '.join(setting.choices)})"
            elif setting.minimum is not None or setting.maximum is not None:
                low = "" if setting.minimum is None else f"{setting.minimum:g}"
                high = "" if setting.maximum is None else f"{setting.maximum:g}"
                bounds = f" {low}..{high}"
            need = "" if setting.required and setting.default is None else ", optional"
            type_name = "list" if setting.type is list else setting.type.__name__
            parts.append(f"`{setting.name}` {type_name}{bounds}{need}")
        lines.append(f"- `{key}` ({kind.label}): {'; '.join(parts)}")
    return "The kind's settings; amounts in cents. By kind:\n" + "\n".join(lines)


CONFIG_HELP = _kinds_help()
REQUIREMENT_KINDS = [(key, kind.label) for key, kind in KINDS.items()]
REMINDER_HELP = (
    "Days before the evidence lapses on which the worker is reminded: distinct whole numbers 1..365. "
    "Left out when adding: 30, 14, 7, 1; [] for none."
)


class PoolTierSerializer(serializers.ModelSerializer):
    class Meta:
        model = PoolTier
        fields = ["id", "name", "priority", "pay_rate_minor", "currency"]
        read_only_fields = fields


class PoolSettingsSerializer(serializers.ModelSerializer):
    member_counts = serializers.SerializerMethodField(
        help_text="Live members per status (statuses with none are left out)."
    )
    requirement_count = serializers.IntegerField(read_only=True)
    tiers = PoolTierSerializer(many=True, read_only=True)

    class Meta:
        model = TalentPool
        fields = [
            "id",
            "name",
            "description",
            "is_default",
            "visibility",
            "join_policy",
            "auto_enforce",
            "on_expiry",
            "created_at",
            "member_counts",
            "requirement_count",
            "tiers",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.DictField(child=serializers.IntegerField(), help_text='e.g. {"active": 12}')
    )
    def get_member_counts(self, pool: TalentPool) -> dict[str, int]:
        return dict(pool.status_counts)


class PoolRequirementSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    description = serializers.CharField(
        source="sentence", read_only=True, help_text="The rule in one sentence, as the page lists it."
    )
    config = serializers.JSONField(read_only=True, help_text=CONFIG_HELP)
    reminder_days = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Requirement
        fields = ["id", "kind", "kind_label", "position", "config", "reminder_days", "description"]
        read_only_fields = fields


class PoolSettingsDetailSerializer(PoolSettingsSerializer):
    requirements = PoolRequirementSerializer(many=True, read_only=True, source="requirement_list")

    class Meta(PoolSettingsSerializer.Meta):
        fields = [*PoolSettingsSerializer.Meta.fields, "requirements"]
        read_only_fields = fields


class PoolSettingsInputSerializer(serializers.Serializer):
    name = serializers.CharField(validators=[validate_single_line_text], max_length=120)
    description = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")
    visibility = serializers.ChoiceField(
        choices=TalentPool.Visibility.choices, required=False, default=TalentPool.Visibility.INVITEES
    )
    join_policy = serializers.ChoiceField(
        choices=TalentPool.JoinPolicy.choices, required=False, default=TalentPool.JoinPolicy.INVITATION
    )
    auto_enforce = serializers.BooleanField(required=False, default=True)
    on_expiry = serializers.ChoiceField(
        choices=TalentPool.OnExpiry.choices, required=False, default=TalentPool.OnExpiry.SUSPEND
    )


class PoolTierInputSerializer(serializers.Serializer):
    name = serializers.CharField(validators=[validate_single_line_text], max_length=60)
    priority = serializers.IntegerField(min_value=1, max_value=100, required=False, default=1)
    pay_rate_minor = serializers.IntegerField(min_value=0, allow_null=True, required=False, default=None)
    currency = serializers.ChoiceField(choices=settings.CURRENCIES, required=False, default="USD")


class PoolRequirementInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=REQUIREMENT_KINDS)
    config = serializers.DictField(help_text=CONFIG_HELP)
    reminder_days = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        help_text=REMINDER_HELP,
    )


class PoolRequirementUpdateSerializer(serializers.Serializer):
    config = serializers.DictField(
        required=False, help_text="The whole config (checked again); the kind stays. " + CONFIG_HELP
    )
    reminder_days = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=REMINDER_HELP
    )


class PoolRequirementOrderSerializer(serializers.Serializer):
    requirement_ids = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Every requirement of the pool, each once, in the new order.",
    )
