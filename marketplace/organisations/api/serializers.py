"""Shapes of the organisation and talent-pool endpoints' requests and responses. Input serializers
only parse and type-check; the rules are the services' and come back as error codes."""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.accounts.api.serializers import ImageSerializer
from marketplace.accounts.models import FreelancerProfile, User
from marketplace.core.text import validate_single_line_text

from ..models import Invitation, Membership, Organisation, PoolMembership, Role
from ..permissions import ROLE_PERMISSIONS

# --- Organisations ----------------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    my_role = serializers.SerializerMethodField(
        help_text="Your role here; null for staff who are not members and for API keys."
    )
    my_permissions = serializers.SerializerMethodField(
        help_text="The actions your role allows (e.g. `manage_members`); empty for non-members."
    )
    website = serializers.URLField(read_only=True, allow_blank=True, help_text="Empty when not given.")

    class Meta:
        model = Organisation
        fields = ["slug", "name", "website", "created_at", "my_role", "my_permissions"]
        read_only_fields = fields

    def _role(self, organisation: Organisation) -> str | None:
        roles = self.context.get("roles", {})
        return roles.get(organisation.pk)

    @extend_schema_field(serializers.ChoiceField(choices=Role.choices, allow_null=True))
    def get_my_role(self, organisation: Organisation) -> str | None:
        return self._role(organisation)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_my_permissions(self, organisation: Organisation) -> list[str]:
        role = self._role(organisation)
        return sorted(ROLE_PERMISSIONS[role]) if role else []


class OrganisationInputSerializer(serializers.Serializer):
    name = serializers.CharField(validators=[validate_single_line_text], max_length=120)
    website = serializers.URLField(allow_blank=True, required=False, default="")


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name", "email"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "joined_at"]
        read_only_fields = fields


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationSerializer(serializers.ModelSerializer):
    invited_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "status", "invited_by", "created_at", "expires_at"]
        read_only_fields = fields


class InvitationCreatedSerializer(InvitationSerializer):
    token = serializers.CharField(
        read_only=True,
        help_text="The invitation's secret, shown only in this response (and in the email); the invitee "
        "accepts with `POST /api/invitations/{token}/accept/`.",
    )

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "token"]
        read_only_fields = fields


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationResultSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Invitation
        fields = ["organisation", "role", "status"]
        read_only_fields = fields


class JoinedSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "role", "joined_at"]
        read_only_fields = fields


# --- Talent pools -----------------------------------------------------------------------------------


class PoolFreelancerSerializer(serializers.ModelSerializer):
    email = serializers.SerializerMethodField(
        help_text="Only for the roles that manage the pool (and API keys); null for other members."
    )
    handle = serializers.SerializerMethodField()
    headline = serializers.SerializerMethodField()
    avatar = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "full_name", "email", "handle", "headline", "avatar"]
        read_only_fields = fields

    @staticmethod
    def _profile(user: User) -> FreelancerProfile | None:
        try:
            return user.freelancer_profile
        except ObjectDoesNotExist:
            return None

    def get_email(self, user: User) -> str | None:
        return user.email if self.context.get("show_contacts") else None

    def get_handle(self, user: User) -> str | None:
        profile = self._profile(user)
        return profile.handle if profile else None

    def get_headline(self, user: User) -> str:
        profile = self._profile(user)
        return profile.headline if profile else ""

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_avatar(self, user: User) -> dict | None:
        profile = self._profile(user)
        return ImageSerializer(profile.avatar).data if profile and profile.avatar else None


class PoolMembershipSerializer(serializers.ModelSerializer):
    invitee = serializers.SerializerMethodField(
        help_text="How the inviter named the freelancer: the email address typed (lower-cased) or the "
        "profile's handle. Null for members whose role does not manage the pool."
    )
    freelancer = serializers.SerializerMethodField(
        help_text="The freelancer, once they have accepted (`active`); null while invited, so an "
        "invitation reveals nothing about who holds an address."
    )
    invited_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PoolMembership
        fields = [
            "id",
            "status",
            "invitee",
            "freelancer",
            "message",
            "invited_by",
            "invited_at",
            "responded_at",
        ]
        read_only_fields = fields

    def get_invitee(self, membership: PoolMembership) -> str | None:
        return membership.invitee if self.context.get("show_contacts") else None

    @extend_schema_field(PoolFreelancerSerializer(allow_null=True))
    def get_freelancer(self, membership: PoolMembership) -> dict | None:
        if membership.status != PoolMembership.Status.ACTIVE or membership.freelancer is None:
            return None
        return PoolFreelancerSerializer(membership.freelancer, context=self.context).data


class MyPoolMembershipSerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()
    pool = serializers.CharField(source="pool.name", read_only=True)

    class Meta:
        model = PoolMembership
        fields = ["id", "status", "organisation", "pool", "message", "invited_at", "responded_at"]
        read_only_fields = fields

    @extend_schema_field(
        {"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}}
    )
    def get_organisation(self, membership: PoolMembership) -> dict:
        organisation = membership.pool.organisation
        return {"slug": organisation.slug, "name": organisation.name}


class PoolInviteSerializer(serializers.Serializer):
    freelancer_email = serializers.EmailField(
        help_text="The freelancer's email address. The answer is the same whether or not an account has "
        "it; they are emailed, and answer once logged in with it."
    )
    message = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")
    pool = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="One of the organisation's pools (an invite-only pool, say); omitted or null: its default "
        "pool. 400 `pool_not_found` for another organisation's pool.",
    )


class PoolEndSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")
