"""One's own account, freelancer profile, avatar and portfolio."""

from dataclasses import replace

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from marketplace.core.json_nesting import JSONParser
from marketplace.core.rest.schema import SESSION_ONLY_NOTE, errors
from marketplace.core.rest.views import ApiView

from ... import selectors
from ...services import onboarding, profiles
from ...services.profiles import FreelancerProfileInput
from .. import serializers as s

UPLOAD_ERRORS = (
    "Refused uploads leave no file and no row. 400 `empty_file`, `corrupt_image`, `invalid` (no file); "
    "413 `file_too_large` (over 10 MB), `image_too_many_pixels` (over 25 megapixels); "
    "415 `unsupported_image_type` (not JPEG, PNG or WebP by content — SVG included)."
)
UPLOAD_RESPONSES = {
    **errors(403, 404, s400="`empty_file`, `corrupt_image`, `invalid`"),
    **errors(s413="`file_too_large`, `image_too_many_pixels`", s415="`unsupported_image_type`"),
}
FREELANCER_ONLY = "403 `not_a_freelancer` if the account does not work as a freelancer."


def _read_upload(upload) -> bytes | None:
    return None if upload is None else upload.read()


class MeView(ApiView):
    @extend_schema(
        tags=["me"],
        summary="Your account",
        description="The logged-in account: name, roles, time zone." + SESSION_ONLY_NOTE,
        responses={200: s.AccountSerializer, **errors(403)},
    )
    def get(self, request):
        return Response(s.AccountSerializer(request.user).data)

    @extend_schema(
        tags=["me"],
        summary="Change your name, roles or time zone",
        description="Send only the fields to change. An account keeps at least one role (400 "
        "`no_role_chosen`); dropping a role keeps that profile's data. Taking up a role creates its profile."
        + SESSION_ONLY_NOTE,
        request=s.AccountUpdateSerializer,
        responses={200: s.AccountSerializer, **errors(400, 403, s400="`no_role_chosen`")},
    )
    def patch(self, request):
        user = request.user
        data = {
            "full_name": user.full_name,
            "is_client": user.is_client,
            "is_freelancer": user.is_freelancer,
            "timezone": user.timezone,
            **self.parsed(s.AccountUpdateSerializer, partial=True),
        }
        user = onboarding.account_settings_update(
            user=user,
            full_name=data["full_name"],
            is_client=data["is_client"],
            is_freelancer=data["is_freelancer"],
            timezone_name=data["timezone"],
        )
        return Response(s.AccountSerializer(user).data)


class MyFreelancerProfileView(ApiView):
    def _response(self, user):
        return Response(s.OwnProfileSerializer(selectors.freelancer_profile_of(user)).data)

    @extend_schema(
        tags=["me"],
        summary="Your freelancer profile",
        description="Your own profile, whatever its visibility, with the bio's Markdown source. "
        + FREELANCER_ONLY
        + SESSION_ONLY_NOTE,
        responses={200: s.OwnProfileSerializer, **errors(403, s403="`not_a_freelancer`")},
    )
    def get(self, request):
        return self._response(request.user)

    def _update(self, request, *, partial: bool):
        profile = selectors.freelancer_profile_of(request.user)  # 403 not_a_freelancer before any 400
        data = self.parsed(s.FreelancerProfileInputSerializer, partial=partial)
        current = FreelancerProfileInput(
            headline=profile.headline,
            bio=profile.bio,
            hourly_rate_minor=profile.hourly_rate_minor,
            currency=profile.currency,
            city=profile.city,
            availability=profile.availability,
            languages=profile.languages,
            skills=list(profile.skills.all()),
            tags=profile.tags,
            visibility=profile.visibility,
        )
        profiles.freelancer_profile_update(user=request.user, data=replace(current, **data))
        return self._response(request.user)

    _update_errors = errors(
        400,
        403,
        s400="`unknown_currency`, `invalid_rate`, `tag_too_long`, `too_many_tags`",
        s403="`not_a_freelancer`",
    )

    @extend_schema(
        tags=["me"],
        summary="Replace your freelancer profile",
        description="Every field is required. The bio is Markdown, sanitised when rendered. `visibility` "
        "`pool` shows the profile only to members of organisations whose talent pools you are an active "
        "member of (and to staff); everyone else gets 404. " + FREELANCER_ONLY + SESSION_ONLY_NOTE,
        request=s.FreelancerProfileInputSerializer,
        responses={200: s.OwnProfileSerializer, **_update_errors},
    )
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(
        tags=["me"],
        summary="Change some fields of your freelancer profile",
        description="Like PUT, but only the fields sent change. " + FREELANCER_ONLY + SESSION_ONLY_NOTE,
        request=s.FreelancerProfileInputSerializer,
        responses={200: s.OwnProfileSerializer, **_update_errors},
    )
    def patch(self, request):
        return self._update(request, partial=True)


class MyAvatarView(ApiView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["me"],
        summary="Upload your avatar",
        description="`multipart/form-data` with the picture in the field `image`; it replaces the current "
        "avatar. Renditions (square_96, square_256, …) are made in the background after the upload. "
        + UPLOAD_ERRORS
        + " "
        + FREELANCER_ONLY
        + SESSION_ONLY_NOTE,
        request={"multipart/form-data": s.ImageUploadSerializer},
        responses={200: s.ImageSerializer, **UPLOAD_RESPONSES},
    )
    def put(self, request):
        selectors.freelancer_profile_of(request.user)  # 403 not_a_freelancer before any 400 or 415
        upload = self.parsed(s.ImageUploadSerializer)["image"]
        image = profiles.avatar_set(user=request.user, data=_read_upload(upload))
        return Response(s.ImageSerializer(image).data)

    @extend_schema(
        tags=["me"],
        summary="Remove your avatar",
        description="Deletes the avatar and its files. " + FREELANCER_ONLY + SESSION_ONLY_NOTE,
        responses={204: OpenApiResponse(description="Removed (or there was none)."), **errors(403)},
    )
    def delete(self, request):
        profiles.avatar_remove(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


PORTFOLIO_PARSERS = [JSONParser, MultiPartParser, FormParser]
PORTFOLIO_REQUEST = {
    "application/json": s.PortfolioItemInputSerializer,
    "multipart/form-data": s.PortfolioItemInputSerializer,
}


class MyPortfolioView(ApiView):
    parser_classes = PORTFOLIO_PARSERS

    @extend_schema(
        tags=["me"],
        summary="Your portfolio items",
        description="In display order. A portfolio holds at most 30 items." + SESSION_ONLY_NOTE,
        responses={200: s.PortfolioItemSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        items = selectors.portfolio_items_of(request.user)
        return self.paginated(items, s.PortfolioItemSerializer)

    @extend_schema(
        tags=["me"],
        summary="Add a portfolio item",
        description="JSON, or `multipart/form-data` to include a picture in `image`. 400 `portfolio_full` "
        "past 30 items. " + UPLOAD_ERRORS + " " + FREELANCER_ONLY + SESSION_ONLY_NOTE,
        request=PORTFOLIO_REQUEST,
        responses={201: s.PortfolioItemSerializer, **UPLOAD_RESPONSES},
    )
    def post(self, request):
        selectors.freelancer_profile_of(request.user)  # 403 not_a_freelancer before any 400 or 415
        data = self.parsed(s.PortfolioItemInputSerializer)
        item = profiles.portfolio_item_create(
            user=request.user,
            title=data["title"],
            description=data["description"],
            url=data["url"],
            image_data=_read_upload(data.get("image")),
        )
        return Response(s.PortfolioItemSerializer(item).data, status=status.HTTP_201_CREATED)


class MyPortfolioItemView(ApiView):
    parser_classes = PORTFOLIO_PARSERS
    _not_found = "404 `portfolio_item_not_found` if the item is not in your portfolio."

    @extend_schema(
        tags=["me"],
        summary="One of your portfolio items",
        description=_not_found + SESSION_ONLY_NOTE,
        responses={200: s.PortfolioItemSerializer, **errors(403, 404)},
    )
    def get(self, request, item_id: int):
        return Response(s.PortfolioItemSerializer(selectors.portfolio_item_of(request.user, item_id)).data)

    def _update(self, request, item_id: int, *, partial: bool):
        item = selectors.portfolio_item_of(request.user, item_id)  # 404 before any 400 or 415
        data = self.parsed(s.PortfolioItemInputSerializer, partial=partial)
        item = profiles.portfolio_item_update(
            user=request.user,
            item_id=item.pk,
            title=data.get("title", item.title),
            description=data.get("description", item.description),
            url=data.get("url", item.url),
            image_data=_read_upload(data.get("image")),
        )
        return Response(s.PortfolioItemSerializer(item).data)

    @extend_schema(
        tags=["me"],
        summary="Replace a portfolio item",
        description="`title` is required; `description` and `url` not sent become empty. A picture in "
        "`image` (multipart) replaces the old one; without one the old one stays. "
        + _not_found
        + " "
        + UPLOAD_ERRORS
        + SESSION_ONLY_NOTE,
        request=PORTFOLIO_REQUEST,
        responses={200: s.PortfolioItemSerializer, **UPLOAD_RESPONSES},
    )
    def put(self, request, item_id: int):
        return self._update(request, item_id, partial=False)

    @extend_schema(
        tags=["me"],
        summary="Change some fields of a portfolio item",
        description="Only the fields sent change. " + _not_found + " " + UPLOAD_ERRORS + SESSION_ONLY_NOTE,
        request=PORTFOLIO_REQUEST,
        responses={200: s.PortfolioItemSerializer, **UPLOAD_RESPONSES},
    )
    def patch(self, request, item_id: int):
        return self._update(request, item_id, partial=True)

    @extend_schema(
        tags=["me"],
        summary="Delete a portfolio item",
        description="Deletes the item and its picture. " + _not_found + SESSION_ONLY_NOTE,
        responses={204: OpenApiResponse(description="Deleted."), **errors(403, 404)},
    )
    def delete(self, request, item_id: int):
        profiles.portfolio_item_delete(user=request.user, item_id=item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
