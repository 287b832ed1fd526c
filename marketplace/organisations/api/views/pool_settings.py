"""Pool settings: an organisation's pools, their tiers and requirement sets.

Reads: any member of the organisation, staff, and the organisation's own API keys
(``organisation_to_read``). Writes need ``manage_settings`` (owners, admins): a non-member hears 404
``organisation_not_found``, another role 403 ``role_forbids``, both before the body is read; then an
unknown pool, tier or requirement 404. API keys never write (403 ``api_key_read_only``)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from marketplace.core.rest.schema import errors
from marketplace.core.rest.views import ApiView

from ... import selectors
from ...permissions import require_org_permission
from ...selectors import pool_settings as reads
from ...services import pool_settings, requirements
from .. import pool_settings_serializers as s
from .base import ORG_READ_NOTE, ORG_WRITE_NOTE, organisation_to_read

TAGS = ["pool settings"]
_WRITE_403 = "`role_forbids`, `not_a_member` (staff outside it), `api_key_read_only`"
_MANAGE = " Needs `manage_settings` (owners, admins)."
_REEVALUATES = (
    " The pool's live members are evaluated again after the change and move as their results say "
    "(e.g. a new rule a member awaiting review fails sends them back to awaiting requirements)."
)


def _read(request, slug: str, pool_id: int | None = None):
    organisation, _ = organisation_to_read(request, slug)
    if pool_id is None:
        return organisation
    return reads.pool_of(organisation, pool_id)


def _to_change(request, slug: str, pool_id: int | None = None):
    """404 for non-members, 403 for a role without ``manage_settings``, then 404 for an unknown
    pool: all before the body is parsed (the services ask the role again)."""
    organisation = selectors.organisation_to_write(slug=slug, user=request.user)
    require_org_permission(request.user, organisation, "manage_settings")
    if pool_id is None:
        return organisation
    return reads.pool_of(organisation, pool_id)


def _errors(*statuses, s404="`organisation_not_found`, `pool_not_found`", **codes):
    return errors(*statuses, s404=s404, **codes)


class PoolListView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=TAGS,
        summary="An organisation's pools",
        description="The default pool first, then by name; each with its live members per status, its "
        "number of requirements and its tiers." + ORG_READ_NOTE,
        responses={200: s.PoolSettingsSerializer(many=True), **errors(403, s404="`organisation_not_found`")},
    )
    def get(self, request, slug: str):
        return self.paginated(reads.pools_of(_read(request, slug)), s.PoolSettingsSerializer)

    @extend_schema(
        tags=TAGS,
        summary="Create a pool",
        description="Visibility: who sees it (`public` any worker, `invitees`, `organisation`); join policy: "
        "how people join (`apply`, `invitation`, `added`). 400 `pool_policy_mismatch` for `apply` with "
        "`organisation` visibility; 409 `pool_name_taken`." + _MANAGE + ORG_WRITE_NOTE,
        request=s.PoolSettingsInputSerializer,
        responses={
            201: s.PoolSettingsDetailSerializer,
            **errors(
                400,
                403,
                404,
                s400="`pool_invalid`, `pool_policy_mismatch`",
                s403=_WRITE_403,
                s409="`pool_name_taken`",
            ),
        },
    )
    def post(self, request, slug: str):
        organisation = _to_change(request, slug)
        data = self.parsed(s.PoolSettingsInputSerializer)
        pool = pool_settings.pool_create(acting_user=request.user, organisation=organisation, **data)
        body = s.PoolSettingsDetailSerializer(reads.pool_settings_of(organisation, pool.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)


class PoolDetailView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=TAGS,
        summary="A pool's settings",
        description="With its tiers and its requirement set in order." + ORG_READ_NOTE,
        responses={200: s.PoolSettingsDetailSerializer, **_errors(403)},
    )
    def get(self, request, slug: str, pool_id: int):
        organisation = _read(request, slug)
        return Response(s.PoolSettingsDetailSerializer(reads.pool_settings_of(organisation, pool_id)).data)

    @extend_schema(
        tags=TAGS,
        summary="Change a pool's settings",
        description="Send only what changes. The default pool's settings change like any other's; pools "
        "are not deleted. Changing `auto_enforce` or `on_expiry` re-evaluates the live members."
        + _MANAGE
        + ORG_WRITE_NOTE,
        request=s.PoolSettingsInputSerializer(partial=True),
        responses={
            200: s.PoolSettingsDetailSerializer,
            **_errors(
                400,
                403,
                404,
                s400="`pool_invalid`, `pool_policy_mismatch`",
                s403=_WRITE_403,
                s409="`pool_name_taken`",
            ),
        },
    )
    def patch(self, request, slug: str, pool_id: int):
        pool = _to_change(request, slug, pool_id)
        data = self.parsed(s.PoolSettingsInputSerializer, partial=True)
        pool_settings.pool_update(acting_user=request.user, pool=pool, **data)
        pool = reads.pool_settings_of(pool.organisation, pool_id)
        return Response(s.PoolSettingsDetailSerializer(pool).data)


class TierListView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=TAGS,
        summary="A pool's tiers",
        description="By priority (1 is offered work first)." + ORG_READ_NOTE,
        responses={200: s.PoolTierSerializer(many=True), **_errors(403)},
    )
    def get(self, request, slug: str, pool_id: int):
        return self.paginated(reads.tiers_of(_read(request, slug, pool_id)), s.PoolTierSerializer)

    @extend_schema(
        tags=TAGS,
        summary="Add a tier",
        description="Pay rate in cents per hour (optional). 409 `tier_name_taken`."
        + _MANAGE
        + ORG_WRITE_NOTE,
        request=s.PoolTierInputSerializer,
        responses={
            201: s.PoolTierSerializer,
            **_errors(400, 403, 404, s400="`tier_invalid`", s403=_WRITE_403, s409="`tier_name_taken`"),
        },
    )
    def post(self, request, slug: str, pool_id: int):
        pool = _to_change(request, slug, pool_id)
        data = self.parsed(s.PoolTierInputSerializer)
        tier = pool_settings.tier_create(acting_user=request.user, pool=pool, **data)
        return Response(s.PoolTierSerializer(tier).data, status=status.HTTP_201_CREATED)


_TIER_404 = "`organisation_not_found`, `pool_not_found`, `tier_not_found`"


class TierDetailView(ApiView):
    api_key_readable = True  # reads none, but a key's write is refused with api_key_read_only

    @extend_schema(
        tags=TAGS,
        summary="Change a tier",
        description="Send only what changes." + _MANAGE + ORG_WRITE_NOTE,
        request=s.PoolTierInputSerializer(partial=True),
        responses={
            200: s.PoolTierSerializer,
            **_errors(
                400,
                403,
                404,
                s400="`tier_invalid`",
                s403=_WRITE_403,
                s404=_TIER_404,
                s409="`tier_name_taken`",
            ),
        },
    )
    def patch(self, request, slug: str, pool_id: int, tier_id: int):
        pool = _to_change(request, slug, pool_id)
        data = self.parsed(s.PoolTierInputSerializer, partial=True)
        tier = pool_settings.tier_update(acting_user=request.user, pool=pool, tier_id=tier_id, **data)
        return Response(s.PoolTierSerializer(tier).data)

    @extend_schema(
        tags=TAGS,
        summary="Remove a tier",
        description="Refused while live members are on it (409 `tier_in_use`): move them first."
        + _MANAGE
        + ORG_WRITE_NOTE,
        responses={
            204: OpenApiResponse(description="Removed."),
            **_errors(403, 404, s403=_WRITE_403, s404=_TIER_404, s409="`tier_in_use`"),
        },
    )
    def delete(self, request, slug: str, pool_id: int, tier_id: int):
        pool = _to_change(request, slug, pool_id)
        pool_settings.tier_delete(acting_user=request.user, pool=pool, tier_id=tier_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RequirementListView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=TAGS,
        summary="A pool's requirement set",
        description="In order, each with its settings and a sentence saying it." + ORG_READ_NOTE,
        responses={200: s.PoolRequirementSerializer(many=True), **_errors(403)},
    )
    def get(self, request, slug: str, pool_id: int):
        pool = _read(request, slug, pool_id)
        return self.paginated(reads.requirements_of(pool), s.PoolRequirementSerializer)

    @extend_schema(
        tags=TAGS,
        summary="Add a requirement",
        description="Added last. 400 `requirement_invalid` (see `fields`: the bad settings by name), "
        "`requirement_kind_unknown`, `requirement_pool_invalid` (a `pool_membership` rule must name "
        "another pool of this organisation), `reminder_days_invalid`; 409 `too_many_requirements`."
        + _REEVALUATES
        + _MANAGE
        + ORG_WRITE_NOTE,
        request=s.PoolRequirementInputSerializer,
        responses={
            201: s.PoolRequirementSerializer,
            **_errors(
                400,
                403,
                404,
                s400="`requirement_invalid`, `requirement_kind_unknown`, `requirement_pool_invalid`, "
                "`reminder_days_invalid`",
                s403=_WRITE_403,
                s409="`too_many_requirements`",
            ),
        },
    )
    def post(self, request, slug: str, pool_id: int):
        pool = _to_change(request, slug, pool_id)
        data = self.parsed(s.PoolRequirementInputSerializer)
        requirement = requirements.requirement_add(acting_user=request.user, pool=pool, **data)
        return Response(
            s.PoolRequirementSerializer(reads.requirement_of(pool, requirement.pk)).data,
            status=status.HTTP_201_CREATED,
        )


_REQUIREMENT_404 = "`organisation_not_found`, `pool_not_found`, `requirement_not_found`"


class RequirementDetailView(ApiView):
    api_key_readable = True  # reads none, but a key's write is refused with api_key_read_only

    @extend_schema(
        tags=TAGS,
        summary="Change a requirement",
        description="New settings (the whole `config`, checked again) and/or `reminder_days`; the kind "
        "stays. An agreement's title or text changes only with a higher version (409 "
        "`agreement_version_unchanged`: workers signed the text as it reads); the version never goes "
        "down (409 `agreement_version_lowered`); a higher version makes earlier signatures stop "
        "counting." + _REEVALUATES + _MANAGE + ORG_WRITE_NOTE,
        request=s.PoolRequirementUpdateSerializer,
        responses={
            200: s.PoolRequirementSerializer,
            **_errors(
                400,
                403,
                404,
                s400="`requirement_invalid`, `requirement_pool_invalid`, `reminder_days_invalid`",
                s403=_WRITE_403,
                s404=_REQUIREMENT_404,
                s409="`agreement_version_unchanged`, `agreement_version_lowered`",
            ),
        },
    )
    def patch(self, request, slug: str, pool_id: int, requirement_id: int):
        pool = _to_change(request, slug, pool_id)
        data = self.parsed(s.PoolRequirementUpdateSerializer)
        requirements.requirement_update(
            acting_user=request.user,
            pool=pool,
            requirement_id=requirement_id,
            config=data.get("config"),
            reminder_days=data.get("reminder_days", ...),
        )
        return Response(s.PoolRequirementSerializer(reads.requirement_of(pool, requirement_id)).data)

    @extend_schema(
        tags=TAGS,
        summary="Remove a requirement",
        description="409 `requirement_signed` for an agreement somebody signed (the signatures are the "
        "record of what they agreed to)." + _REEVALUATES + _MANAGE + ORG_WRITE_NOTE,
        responses={
            204: OpenApiResponse(description="Removed."),
            **_errors(403, 404, s403=_WRITE_403, s404=_REQUIREMENT_404, s409="`requirement_signed`"),
        },
    )
    def delete(self, request, slug: str, pool_id: int, requirement_id: int):
        pool = _to_change(request, slug, pool_id)
        requirements.requirement_remove(acting_user=request.user, pool=pool, requirement_id=requirement_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RequirementOrderView(ApiView):
    api_key_readable = True  # reads none, but a key's write is refused with api_key_read_only

    @extend_schema(
        tags=TAGS,
        summary="Reorder a pool's requirements",
        description="Every requirement of the pool, each once, in the new order (400 "
        "`requirements_order_invalid` otherwise). The order is how pages list them; no result changes."
        + _MANAGE
        + ORG_WRITE_NOTE,
        request=s.PoolRequirementOrderSerializer,
        responses={
            200: s.PoolRequirementSerializer(many=True),
            **_errors(400, 403, 404, s400="`requirements_order_invalid`", s403=_WRITE_403),
        },
    )
    def post(self, request, slug: str, pool_id: int):
        pool = _to_change(request, slug, pool_id)
        ids = self.parsed(s.PoolRequirementOrderSerializer)["requirement_ids"]
        requirements.requirements_reorder(acting_user=request.user, pool=pool, requirement_ids=ids)
        return Response(s.PoolRequirementSerializer(reads.requirements_of(pool), many=True).data)
