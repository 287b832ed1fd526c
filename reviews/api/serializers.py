"""Reviews as each reader sees them, and the inputs of writing, replying, reporting and moderating.

A published review is public (``ReviewSerializer``); its author's side also reads it while hidden,
with the private note (``OwnReviewSerializer``). No other shape carries ``private_note``: it is for
the platform, never shown to the reviewee nor anyone else, staff's queue included (the admin has it).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.jobs.api.serializers.refs import OrganisationRefSerializer, UserRefSerializer

from ..models import Review, ReviewReport

STARS = "1 to 5 stars."
# Where a review stands, as its author's side reads it.
REVIEW_STATES = ["hidden", "published", "removed"]


def _names(direction: str) -> str:
    return ", ".join(f"`{name}`" for name in Review.SUB_SCORES[direction])


SUB_SCORES_HELP = (
    "Stars (1 to 5) by name, each of the direction's: the client's review of a freelancer "
    f"{_names(Review.Direction.OF_FREELANCER)}; the freelancer's review of a client "
    f"{_names(Review.Direction.OF_CLIENT)}."
)


@extend_schema_field(serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=5)))
class SubScoresField(serializers.Field):
    """The direction's sub-scores (``Review.SUB_SCORES``) as one object, read from the review's columns."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, help_text=SUB_SCORES_HELP, **kwargs)

    def to_representation(self, review: Review) -> dict[str, int | None]:
        return {name: getattr(review, name) for name in Review.SUB_SCORES[review.direction]}


class ReviewSerializer(serializers.ModelSerializer):
    """A published review, as anyone who may read it sees it (never the private note)."""

    id = serializers.IntegerField(read_only=True)
    overall = serializers.IntegerField(read_only=True, help_text=STARS)
    sub_scores = SubScoresField()
    would_hire_again = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="The client's review of a freelancer only; else null."
    )
    text = serializers.CharField(read_only=True, help_text="The public text.")
    author = UserRefSerializer(read_only=True, help_text="Who wrote it for their side.")
    organisation = OrganisationRefSerializer(
        read_only=True, allow_null=True, help_text="The organisation the contract hired for, if any."
    )
    revealed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When it was published; null while hidden."
    )
    reply = serializers.CharField(read_only=True, help_text="The reviewee's public reply; empty if none.")
    replied_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "direction",
            "overall",
            "sub_scores",
            "would_hire_again",
            "text",
            "author",
            "organisation",
            "revealed_at",
            "reply",
            "replied_at",
        ]
        read_only_fields = fields


class OwnReviewSerializer(ReviewSerializer):
    """The review as its author's side reads it: hidden or published or removed, with the note."""

    contract = serializers.IntegerField(source="contract_id", read_only=True)
    status = serializers.SerializerMethodField(
        help_text="`hidden` until both sides have reviewed or the window closes; `published`; `removed` "
        "by moderation (with `removal_reason`)."
    )
    private_note = serializers.CharField(
        read_only=True, help_text="Your feedback to the platform: never shown to the other side."
    )
    submitted_at = serializers.DateTimeField(read_only=True)
    removal_reason = serializers.CharField(read_only=True, help_text="Why moderation removed it.")

    class Meta(ReviewSerializer.Meta):
        fields = [
            *ReviewSerializer.Meta.fields,
            "contract",
            "status",
            "private_note",
            "submitted_at",
            "removed_at",
            "removal_reason",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=REVIEW_STATES))
    def get_status(self, review: Review) -> str:
        if review.removed_at is not None:
            return "removed"
        return "published" if review.revealed_at is not None else "hidden"


class ContractReviewsSerializer(serializers.Serializer):
    """A contract's reviews as one of its sides reads them, and whether that side may review now."""

    mine = OwnReviewSerializer(read_only=True, allow_null=True, help_text="Your side's review, even hidden.")
    theirs = ReviewSerializer(
        read_only=True,
        allow_null=True,
        help_text="The other side's review once published; null before, whether or not it was written.",
    )
    can_review = serializers.BooleanField(source="eligibility.can_review", read_only=True)
    code = serializers.CharField(
        source="eligibility.code",
        read_only=True,
        allow_null=True,
        help_text="Why not, when `can_review` is false: `contract_not_ended`, `no_released_money`, "
        "`review_window_closed`, `already_reviewed`.",
    )
    message = serializers.CharField(source="eligibility.message", read_only=True)
    direction = serializers.ChoiceField(
        source="eligibility.direction",
        choices=Review.Direction.choices,
        read_only=True,
        help_text="What your side writes: `of_freelancer` (the client side) or `of_client` (the freelancer).",
    )
    closes_at = serializers.DateTimeField(
        source="eligibility.closes_at",
        read_only=True,
        allow_null=True,
        help_text="When the review window closes; null before the contract has ended.",
    )


class ReviewWaitingSerializer(serializers.Serializer):
    """A contract your side may still review (``selectors.Waiting``)."""

    contract = serializers.IntegerField(source="contract.pk", read_only=True)
    title = serializers.CharField(source="contract.title", read_only=True)
    direction = serializers.ChoiceField(
        choices=Review.Direction.choices, read_only=True, help_text="What your side writes."
    )
    reviewee = serializers.SerializerMethodField(
        help_text="Whom your side reviews: the freelancer, or the client who hired."
    )
    organisation = OrganisationRefSerializer(
        source="contract.organisation",
        read_only=True,
        allow_null=True,
        help_text="The organisation the contract hired for, if any.",
    )
    closes_at = serializers.DateTimeField(read_only=True, help_text="The review window closes then.")

    @extend_schema_field(UserRefSerializer)
    def get_reviewee(self, waiting) -> dict:
        contract = waiting.contract
        person = (
            contract.freelancer if waiting.direction == Review.Direction.OF_FREELANCER else contract.client
        )
        return UserRefSerializer(person).data


class ReviewInputSerializer(serializers.Serializer):
    """A review of the other side. A missing field or a value of the wrong type is 400 `invalid`; a
    review that breaks the rules below (stars, sub-scores, lengths) is 400 `invalid_input`, with
    every field at fault in `fields`."""

    overall = serializers.IntegerField(help_text=STARS)
    sub_scores = serializers.DictField(child=serializers.IntegerField(), help_text=SUB_SCORES_HELP)
    would_hire_again = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Required (true or false) in the client's review of a freelancer; absent or null in "
        "the freelancer's review of a client.",
    )
    text = serializers.CharField(
        max_length=10_000,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Public: 10 to 5,000 characters (surrounding spaces trimmed).",
    )
    private_note = serializers.CharField(
        max_length=10_000,
        allow_blank=True,
        required=False,
        default="",
        trim_whitespace=False,
        help_text="For the platform only (at most 2,000 characters); the other side never reads it.",
    )


class ReplyInputSerializer(serializers.Serializer):
    # Not required here: the service checks who replies before the text (403 before 400).
    text = serializers.CharField(
        max_length=10_000,
        allow_blank=True,
        required=False,
        default="",
        help_text="Needed: 1 to 2,000 characters (400 `invalid_input`).",
    )


class ReportInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReviewReport.Reason.choices)
    details = serializers.CharField(
        max_length=10_000, allow_blank=True, required=False, default="", help_text="At most 2,000 characters."
    )


class ReviewReportSerializer(serializers.ModelSerializer):
    """A report, as its reporter reads it."""

    id = serializers.IntegerField(read_only=True)
    review = serializers.IntegerField(source="review_id", read_only=True)

    class Meta:
        model = ReviewReport
        fields = ["id", "review", "reason", "details", "status", "created_at"]
        read_only_fields = fields


class ModeratedReviewSerializer(ReviewSerializer):
    contract = serializers.IntegerField(source="contract_id", read_only=True)
    reviewee = UserRefSerializer(read_only=True)
    removed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    removal_reason = serializers.CharField(read_only=True)

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "contract", "reviewee", "removed_at", "removal_reason"]
        read_only_fields = fields


class ReviewReportRowSerializer(ReviewReportSerializer):
    """A report in staff's queue: who reported what, the review itself (published when reported; no
    private note), and how it was resolved."""

    review = ModeratedReviewSerializer(read_only=True)
    reporter = UserRefSerializer(read_only=True)
    resolved_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta(ReviewReportSerializer.Meta):
        fields = [
            *ReviewReportSerializer.Meta.fields,
            "reporter",
            "resolved_by",
            "resolved_at",
            "resolution_note",
        ]
        read_only_fields = fields


class ReviewReportFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ReviewReport.Status.choices,
        required=False,
        default=ReviewReport.Status.OPEN,
        help_text="Reports in this state; `open` (waiting for staff) by default.",
    )


class RemoveInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=10_000,
        allow_blank=True,
        help_text="Why (5 to 2,000 characters): told to the author and the reviewee.",
    )


class DismissInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=10_000, allow_blank=True, required=False, default="", help_text="Staff's note, if any."
    )
