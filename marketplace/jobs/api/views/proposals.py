"""Invitations to propose (the client may withdraw one), and proposals: submit, edit, withdraw; the
client's shortlist, archive, decline."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from marketplace.core.rest.schema import errors

from ... import selectors, services
from ...permissions import require_job_control, require_proposal_author, require_proposer
from ..base import KEY_NOTE, SESSION_NOTE, WRITE_NOTE, JobsApiView, upload_errors
from ..serializers import hiring as h
from ..serializers import jobs as j
from ..serializers.refs import AttachmentSerializer, AttachmentUploadSerializer, ReasonSerializer

CLIENT_SIDE_LIST = (
    " Only the job's client side (and staff) see them; for anyone else who can see the job the list is empty."
)
PROPOSAL_404 = "`proposal_not_found` (not yours, not on your side's job, or no such id)"


class JobInvitationListView(JobsApiView):
    api_key_readable = True

    @extend_schema(
        tags=["invitations to propose"],
        summary="A job's invitations",
        description="Newest first, paginated." + CLIENT_SIDE_LIST + KEY_NOTE,
        responses={200: j.JobInvitationSerializer(many=True), **errors(403, s404="`job_not_found`")},
    )
    def get(self, request, pk: int):
        job = self.job(pk)
        if organisation := self.key_organisation:
            invitations = selectors.invitations_of_organisation(organisation).filter(job=job)
        else:
            invitations = selectors.invitations_for_job(job=job, viewer=request.user)
        return self.paginated(invitations, j.JobInvitationSerializer)

    @extend_schema(
        tags=["invitations to propose"],
        summary="Invite a freelancer to propose",
        description="By the handle of a profile you can see, to an open job; an invitation also lets the "
        "freelancer see an invite-only job, and their proposal is marked as invited. A withdrawn "
        "invitation is sent again (the same id). 400 `freelancer_not_found`, `own_job`; 409 "
        "`job_not_open`, `already_invited`, `invitation_declined`, `already_proposed`, `not_in_pool` (a "
        "pool job's invitee must be in the talent pool)." + WRITE_NOTE,
        request=j.JobInviteSerializer,
        responses={
            201: j.JobInvitationSerializer,
            **errors(
                400,
                403,
                404,
                s400="`freelancer_not_found`, `own_job`",
                s404="`job_not_found`",
                s409="`job_not_open`, `already_invited`, `invitation_declined`, `already_proposed`, "
                "`not_in_pool`",
            ),
        },
    )
    def post(self, request, pk: int):
        job = self.job(pk)
        require_job_control(request.user, job)
        data = self.parsed(j.JobInviteSerializer)
        invitation = services.job_invite(
            acting_user=request.user,
            job=job,
            freelancer_handle=data["freelancer_handle"],
            message=data["message"],
        )
        return Response(j.JobInvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class MyJobInvitationListView(JobsApiView):
    @extend_schema(
        tags=["invitations to propose"],
        summary="Your invitations to propose",
        description="Every job you were invited to, newest first, whatever became of it, except invitations "
        "the client withdrew." + SESSION_NOTE,
        responses={200: j.JobInvitationSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        return self.paginated(selectors.invitations_of(request.user), j.JobInvitationSerializer)


class JobInvitationDeclineView(JobsApiView):
    @extend_schema(
        tags=["invitations to propose"],
        summary="Decline an invitation",
        description="The reason is optional and shown to the client. 409 `illegal_transition` once declined "
        "or answered with a proposal." + WRITE_NOTE,
        request=ReasonSerializer,
        responses={
            200: j.JobInvitationSerializer,
            **errors(400, 403, 404, s404="`invitation_not_found`", s409="`illegal_transition`"),
        },
    )
    def post(self, request, pk: int):
        invitation = selectors.invitation_for_freelancer(pk=pk, viewer=request.user)
        reason = self.parsed(ReasonSerializer)["reason"]
        services.job_invitation_decline(acting_user=request.user, invitation=invitation, reason=reason)
        invitation = selectors.invitation_for_freelancer(pk=pk, viewer=request.user)
        return Response(j.JobInvitationSerializer(invitation).data)


class JobInvitationWithdrawView(JobsApiView):
    @extend_schema(
        tags=["invitations to propose"],
        summary="Withdraw an invitation",
        description="The job's client side takes back an invitation not yet answered; the freelancer is "
        "told, no longer sees an invite-only job or its files, and no longer lists the invitation. 404 "
        "`invitation_not_found` for an invitation of another job or one you cannot see; 409 "
        "`illegal_transition` once declined or answered with a proposal." + WRITE_NOTE,
        request=None,
        responses={
            200: j.JobInvitationSerializer,
            **errors(
                403,
                404,
                s404="`job_not_found`, `invitation_not_found`",
                s409="`illegal_transition`",
            ),
        },
    )
    def post(self, request, pk: int, invitation_pk: int):
        job = self.job(pk)
        invitation = selectors.invitation_for_client_side(job=job, pk=invitation_pk, viewer=request.user)
        invitation = services.job_invitation_withdraw(acting_user=request.user, invitation=invitation)
        return Response(j.JobInvitationSerializer(invitation).data)


class JobProposalListView(JobsApiView):
    api_key_readable = True

    @extend_schema(
        tags=["proposals"],
        summary="A job's proposals",
        description="Newest first, paginated." + CLIENT_SIDE_LIST + KEY_NOTE,
        responses={200: h.ProposalSerializer(many=True), **errors(403, s404="`job_not_found`")},
    )
    def get(self, request, pk: int):
        job = self.job(pk)
        if organisation := self.key_organisation:
            proposals = selectors.proposals_of_organisation(organisation).filter(job=job)
        else:
            proposals = selectors.proposals_for_job(job=job, viewer=request.user)
        return self.paginated(proposals, h.ProposalSerializer)

    @extend_schema(
        tags=["proposals"],
        summary="Send a proposal",
        description="To an open job you can see, once per job (409 `already_proposed`). Fixed price: the "
        "price and a milestone schedule adding up to it; hourly: the rate and no milestones. A freelancer "
        "sends at most a set number of new proposals per UTC day (10 by default): past it, 429 "
        "`daily_proposal_cap` says when more can be sent. 400 `invalid_proposal`, `invalid_milestones`, "
        "`milestones_do_not_add_up`; 403 `not_a_freelancer`; 409 `job_not_open`, `own_job`." + WRITE_NOTE,
        request=h.ProposalInputSerializer,
        responses={
            201: h.ProposalSerializer,
            **errors(
                400,
                403,
                404,
                s400="`invalid_proposal`, `invalid_milestones`, `milestones_do_not_add_up`",
                s403="`not_a_freelancer`",
                s404="`job_not_found`",
                s409="`job_not_open`, `already_proposed`, `own_job`",
                s429="`daily_proposal_cap`",
            ),
        },
    )
    def post(self, request, pk: int):
        job = self.job(pk)
        require_proposer(request.user)
        data = self.parsed(h.ProposalInputSerializer)
        proposal = services.proposal_submit(
            acting_user=request.user,
            job=job,
            cover_letter=data["cover_letter"],
            amount_minor=data["amount_minor"],
            milestones=data.get("milestones"),
            duration=data["duration"],
        )
        return Response(h.ProposalSerializer(self.proposal(proposal.pk)).data, status=status.HTTP_201_CREATED)


class MyProposalListView(JobsApiView):
    @extend_schema(
        tags=["proposals"],
        summary="Your proposals",
        description="Every proposal you sent, newest first." + SESSION_NOTE,
        responses={200: h.ProposalSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        return self.paginated(selectors.proposals_of(request.user), h.ProposalSerializer)


class ProposalDetailView(JobsApiView):
    api_key_readable = True

    @extend_schema(
        tags=["proposals"],
        summary="A proposal",
        description="Seen by its freelancer, the job's client side and staff; 404 for everyone else."
        + KEY_NOTE,
        responses={200: h.ProposalSerializer, **errors(403, s404=PROPOSAL_404)},
    )
    def get(self, request, pk: int):
        return Response(h.ProposalSerializer(self.proposal(pk)).data)

    @extend_schema(
        tags=["proposals"],
        summary="Edit your proposal",
        description="While the job is open and the proposal is submitted, shortlisted or archived (409 "
        "`job_not_open`, `proposal_not_editable`). Send only what changes; a new `amount_minor` without "
        "`milestones` becomes a single milestone." + WRITE_NOTE,
        request=h.ProposalInputSerializer,
        responses={
            200: h.ProposalSerializer,
            **errors(
                400,
                403,
                404,
                s400="`invalid_proposal`, `invalid_milestones`, `milestones_do_not_add_up`",
                s403="`not_the_freelancer`",
                s404=PROPOSAL_404,
                s409="`job_not_open`, `proposal_not_editable`",
            ),
        },
    )
    def patch(self, request, pk: int):
        proposal = self.proposal(pk)
        require_proposal_author(request.user, proposal, "edit")
        data = self.parsed(h.ProposalInputSerializer, partial=True)
        kept_milestones = None if "amount_minor" in data else proposal.milestones
        services.proposal_update(
            acting_user=request.user,
            proposal=proposal,
            cover_letter=data.get("cover_letter", proposal.cover_letter),
            amount_minor=data.get("amount_minor", proposal.amount_minor),
            milestones=data.get("milestones", kept_milestones),
            duration=data.get("duration", proposal.duration),
        )
        return Response(h.ProposalSerializer(self.proposal(pk)).data)


# `offer_pending`: an offer for the proposal awaits an answer; it must be withdrawn before re-sorting.
_MOVE_ERRORS = errors(
    400, 403, 404, s404=PROPOSAL_404, s409="`illegal_transition`, `job_not_open`, `offer_pending`"
)


class ProposalWithdrawView(JobsApiView):
    @extend_schema(
        tags=["proposals"],
        summary="Withdraw your proposal",
        description="While the job is open and no offer is out for it (409 `proposal_not_editable`)."
        + WRITE_NOTE,
        request=ReasonSerializer,
        responses={
            200: h.ProposalSerializer,
            **errors(400, 403, 404, s404=PROPOSAL_404, s409="`job_not_open`, `proposal_not_editable`"),
        },
    )
    def post(self, request, pk: int):
        proposal = self.proposal(pk)
        require_proposal_author(request.user, proposal, "withdraw")
        reason = self.parsed(ReasonSerializer)["reason"]
        services.proposal_withdraw(acting_user=request.user, proposal=proposal, reason=reason)
        return Response(h.ProposalSerializer(self.proposal(pk)).data)


class ProposalShortlistView(JobsApiView):
    @extend_schema(
        tags=["proposals"],
        summary="Shortlist a proposal",
        description="The job's client side, while the job is open and no offer for the proposal awaits an "
        "answer (409 `offer_pending`)." + WRITE_NOTE,
        request=None,
        responses={200: h.ProposalSerializer, **_MOVE_ERRORS},
    )
    def post(self, request, pk: int):
        services.proposal_shortlist(acting_user=request.user, proposal=self.proposal(pk))
        return Response(h.ProposalSerializer(self.proposal(pk)).data)


class ProposalArchiveView(JobsApiView):
    @extend_schema(
        tags=["proposals"],
        summary="Archive a proposal",
        description="Set it aside (it can be shortlisted again). The job's client side, while the job is "
        "open." + WRITE_NOTE,
        request=None,
        responses={200: h.ProposalSerializer, **_MOVE_ERRORS},
    )
    def post(self, request, pk: int):
        services.proposal_archive(acting_user=request.user, proposal=self.proposal(pk))
        return Response(h.ProposalSerializer(self.proposal(pk)).data)


class ProposalDeclineView(JobsApiView):
    @extend_schema(
        tags=["proposals"],
        summary="Decline a proposal",
        description="With an optional message for the freelancer. The job's client side, while the job is "
        "open." + WRITE_NOTE,
        request=h.DeclineMessageSerializer,
        responses={200: h.ProposalSerializer, **_MOVE_ERRORS},
    )
    def post(self, request, pk: int):
        proposal = self.proposal(pk)
        require_job_control(request.user, proposal.job)
        message = self.parsed(h.DeclineMessageSerializer)["message"]
        services.proposal_decline(acting_user=request.user, proposal=proposal, message=message)
        return Response(h.ProposalSerializer(self.proposal(pk)).data)


class ProposalAttachmentListView(JobsApiView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["proposals"],
        summary="Attach a file to your proposal",
        description="`multipart/form-data` with the file in `file`, while the proposal can be edited (409 "
        "`proposal_not_editable`). A refused file leaves nothing behind." + WRITE_NOTE,
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={
            201: AttachmentSerializer,
            **upload_errors(s404=PROPOSAL_404, s409="`proposal_not_editable`, `too_many_attachments`"),
        },
    )
    def post(self, request, pk: int):
        proposal = self.proposal(pk)
        require_proposal_author(request.user, proposal, "attach files to")
        upload = self.parsed(AttachmentUploadSerializer)["file"]
        attachment = services.proposal_attachment_add(
            acting_user=request.user, proposal=proposal, data=upload.read(), name=upload.name
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
