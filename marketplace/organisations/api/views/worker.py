"""The worker's side of talent pools in the API: pools to browse and apply to (/api/pools/), and one's
own memberships' checklists, credentials, agreement signatures and override requests
(/api/me/pool-memberships/<id>/…). Session only: an organisation's API key is refused (403
``api_key_not_allowed``), as on the other /api/me endpoints."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from marketplace.core.client_address import client_address
from marketplace.core.rest.schema import SESSION_ONLY_NOTE, errors
from marketplace.core.rest.views import ApiView

from ...selectors import pools_worker as selectors
from ...services import agreements, credentials, joining, overrides
from .. import worker_serializers as s

_MEMBERSHIP_404 = "`pool_membership_not_found` (not yours, or no such id)"
_NOT_JOINED = "`membership_not_joined` (an invitation not accepted yet, or a membership that ended)"


def membership_detail(request, membership_id: int, *, status_code: int = 200) -> Response:
    membership = selectors.my_pool_membership(request.user, membership_id)
    context = {
        "checklist": selectors.membership_checklist(membership),
        "history": selectors.membership_history(membership),
    }
    return Response(s.MembershipDetailSerializer(membership, context=context).data, status=status_code)


class PoolListView(ApiView):
    @extend_schema(
        tags=["pools"],
        summary="Pools you may see",
        description="Public pools (for any freelancer), invite-only pools you were invited to, your "
        "organisations' own pools, and any pool you are in; each with your membership if you have one."
        + SESSION_ONLY_NOTE,
        responses={200: s.PoolSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        return self.paginated(selectors.pools_to_browse(request.user), s.PoolSerializer)


class PoolDetailView(ApiView):
    @extend_schema(
        tags=["pools"],
        summary="A pool and its requirements",
        description="Its requirements in plain words and what you do about each. A pool you may not "
        "see answers 404 `pool_not_found`." + SESSION_ONLY_NOTE,
        responses={200: s.PoolDetailSerializer, **errors(403, 404, s404="`pool_not_found`")},
    )
    def get(self, request, pool_id: int):
        pool = selectors.pool_for_worker(request.user, pool_id)
        context = {"lines": selectors.requirement_lines(pool)}
        return Response(s.PoolDetailSerializer(pool, context=context).data)


class PoolApplyView(ApiView):
    @extend_schema(
        tags=["pools"],
        summary="Apply to a pool",
        description="For pools whose join policy is `apply`: you are then awaiting requirements (your "
        "checklist is evaluated at once), or awaiting the organisation's review if nothing fails. Needs "
        "a freelancer profile and a verified address." + SESSION_ONLY_NOTE,
        request=s.ApplySerializer,
        responses={
            201: s.MembershipDetailSerializer,
            **errors(
                400,
                403,
                404,
                s400="`message_too_long`",
                s403="`not_a_freelancer`, `email_not_verified`",
                s404="`pool_not_found`",
                s409="`pool_invitation_only`, `pool_added_by_organisation`, `already_in_pool`",
            ),
        },
    )
    def post(self, request, pool_id: int):
        joining.require_worker(request.user)
        selectors.pool_for_worker(request.user, pool_id)
        message = self.parsed(s.ApplySerializer)["message"]
        membership = joining.pool_apply(acting_user=request.user, pool_id=pool_id, message=message)
        return membership_detail(request, membership.pk, status_code=status.HTTP_201_CREATED)


class MyPoolMembershipDetailView(ApiView):
    @extend_schema(
        tags=["pools"],
        summary="One of your pool memberships, with its checklist",
        description="The checklist has one item per requirement with its last result (`pass`, `fail`, "
        "`pending` review, `expired`; `unknown` before you accept an invitation) and the reason; the "
        "history lists the status changes with their reasons." + SESSION_ONLY_NOTE,
        responses={200: s.MembershipDetailSerializer, **errors(403, 404, s404=_MEMBERSHIP_404)},
    )
    def get(self, request, membership_id: int):
        return membership_detail(request, membership_id)


class MyCredentialsView(ApiView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["pools"],
        summary="Your credentials for this pool's organisation",
        description="Everything you uploaded for the organisation's pools, newest first, with its review "
        "status. Only you and the organisation's reviewers see them." + SESSION_ONLY_NOTE,
        responses={200: s.CredentialSerializer(many=True), **errors(403, 404, s404=_MEMBERSHIP_404)},
    )
    def get(self, request, membership_id: int):
        membership = selectors.my_pool_membership(request.user, membership_id)
        rows = selectors.worker_credentials(request.user, membership.pool.organisation_id)
        return self.paginated(rows, s.CredentialSerializer)

    @extend_schema(
        tags=["pools"],
        summary="Upload a credential for a requirement",
        description="`multipart/form-data`: the `requirement` it is for, the `file`, and the facts that "
        "kind of requirement needs (see each field). It waits for the organisation's review; your "
        "memberships of its pools are evaluated again. Every problem is answered at once: 400 "
        "`credential_invalid` with a code per field (`required`, `invalid_date`, `already_expired`, "
        "`date_in_future`, `out_of_range`, `form_not_accepted`; for `file`: `unsupported_attachment_type`, "
        "`unsupported_credential_type`, `file_too_large`, `empty_file`, `corrupt_image`). A refused "
        "upload stores nothing." + SESSION_ONLY_NOTE,
        request={"multipart/form-data": s.CredentialUploadSerializer},
        responses={
            201: s.CredentialSerializer,
            **errors(
                400,
                403,
                404,
                s400="`credential_invalid`, `requirement_not_found`, `requirement_not_uploaded`",
                s404=_MEMBERSHIP_404,
                s409=_NOT_JOINED,
            ),
        },
    )
    def post(self, request, membership_id: int):
        joining.joined_membership(request.user, membership_id)
        data = self.parsed(s.CredentialUploadSerializer)
        upload = data.pop("file", None)
        credential = credentials.credential_upload(
            acting_user=request.user,
            membership_id=membership_id,
            requirement_id=data.pop("requirement"),
            data=upload.read() if upload is not None else None,
            name=upload.name if upload is not None else "",
            fields=data,
        )
        return Response(s.CredentialSerializer(credential).data, status=status.HTTP_201_CREATED)


class AgreementSignView(ApiView):
    @extend_schema(
        tags=["pools"],
        summary="Sign a pool's agreement",
        description="Type your full name (as on your account, case aside). The signature keeps the "
        "agreement's text and version as they read now, the time, your IP address and browser."
        + SESSION_ONLY_NOTE,
        request=s.SignSerializer,
        responses={
            200: s.MembershipDetailSerializer,
            **errors(
                400,
                403,
                404,
                s400="`required`, `too_long`, `name_mismatch`",
                s404=f"{_MEMBERSHIP_404}, `agreement_not_found`",
                s409=f"`already_signed`, {_NOT_JOINED}",
            ),
        },
    )
    def post(self, request, membership_id: int, requirement_id: int):
        joining.joined_membership(request.user, membership_id)
        agreements.agreement_sign(
            acting_user=request.user,
            membership_id=membership_id,
            requirement_id=requirement_id,
            signed_name=self.parsed(s.SignSerializer)["signed_name"],
            ip=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        return membership_detail(request, membership_id)


class OverrideRequestView(ApiView):
    @extend_schema(
        tags=["pools"],
        summary="Ask for an override",
        description="While a requirement is not met (awaiting requirements, or suspended), ask the "
        "organisation to let you in anyway, for the whole pool or (with `job`) one of its jobs. A "
        "reviewer grants it for at most 90 days, or denies it, with a reason." + SESSION_ONLY_NOTE,
        request=s.OverrideRequestSerializer,
        responses={
            201: s.OverrideSerializer,
            **errors(
                400,
                403,
                404,
                s400="`override_reason_required`, `override_job_not_in_pool`",
                s404=_MEMBERSHIP_404,
                s409="`override_not_needed`, `override_open`",
            ),
        },
    )
    def post(self, request, membership_id: int):
        joining.joined_membership(request.user, membership_id)
        data = self.parsed(s.OverrideRequestSerializer)
        override = overrides.override_request(
            acting_user=request.user, membership_id=membership_id, reason=data["reason"], job_id=data["job"]
        )
        return Response(s.OverrideSerializer(override).data, status=status.HTTP_201_CREATED)
