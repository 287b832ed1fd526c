"""Jobs: find work, post, edit, publish, close, attachments and templates."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from marketplace.core.files import file_for_viewer, file_remove, file_response
from marketplace.core.public_lists import cached_api_list
from marketplace.core.rest.schema import errors
from marketplace.organisations.selectors import organisation_by_slug

from ... import selectors, services
from ...permissions import require_job_control
from ...public_lists import FIND_WORK
from ...services.jobs import JOB_FIELDS
from ..base import KEY_NOTE, PUBLIC_KEY_NOTE, WRITE_NOTE, JobsApiView, upload_errors
from ..filters import FindWorkFilter
from ..serializers import jobs as s
from ..serializers.refs import AttachmentSerializer, AttachmentUploadSerializer, ReasonSerializer

VISIBILITY_NOTE = (
    "\n\nVisibility is applied: public jobs for everyone (anonymous visitors too); invite-only jobs for the "
    "freelancers invited to them; pool jobs for the freelancers active in the organisation's talent pool; "
    "every job, drafts included, for its client side (the poster and the organisation's members) and staff. "
    "A job you may not see answers exactly like one that does not exist: 404 `job_not_found`."
)
JOB_404 = errors(403, s404="`job_not_found`")


def job_fields_from(data: dict) -> dict:
    return {name: data[name] for name in JOB_FIELDS if name in data}


class JobListView(JobsApiView):
    allow_anonymous = True
    api_key_readable = True  # a key finds the public jobs, as an anonymous visitor does
    filter_backends = [DjangoFilterBackend]
    filterset_class = FindWorkFilter

    def get_queryset(self):
        return selectors.jobs_open_for(self.request.user)

    @extend_schema(
        tags=["jobs"],
        summary="Find work",
        description="Open jobs you may see, newest first, paginated, with filters. An organisation API "
        "key (`X-Api-Key`) sees the public ones." + VISIBILITY_NOTE,
        responses={200: s.JobSerializer(many=True), **errors(400, 403)},
    )
    @cached_api_list(FIND_WORK)
    def get(self, request):
        jobs = self.filter_queryset(self.get_queryset())
        return self.paginated(jobs, s.JobSerializer, load=selectors.job_rows)

    @extend_schema(
        tags=["jobs"],
        summary="Post a job",
        description="As a draft (seen only by your side) or, with `publish`, open at once for 30 days. For "
        "an organisation, send its slug; that needs `manage_jobs` there. 400 `invalid_job` lists every "
        "problem in `fields`; 403 `not_a_client` if your account does not hire." + WRITE_NOTE,
        request=s.JobCreateSerializer,
        responses={
            201: s.JobDetailSerializer,
            **errors(400, 403, 404, s400="`invalid_job`", s404="`organisation_not_found`"),
        },
    )
    def post(self, request):
        data = self.parsed(s.JobCreateSerializer)
        slug = data.get("organisation")
        job = services.job_create(
            acting_user=request.user,
            organisation=organisation_by_slug(slug) if slug else None,
            fields=job_fields_from(data),
            publish=data["publish"],
        )
        return Response(s.JobDetailSerializer(self.job(job.pk)).data, status=status.HTTP_201_CREATED)


class MyJobListView(JobsApiView):
    api_key_readable = True

    @extend_schema(
        tags=["jobs"],
        summary="Your jobs",
        description="The jobs you posted and those of your organisations, in every state, newest first. "
        "With an API key: the organisation's jobs." + KEY_NOTE,
        responses={200: s.JobSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        if organisation := self.key_organisation:
            return self.paginated(selectors.jobs_of_organisation(organisation), s.JobSerializer)
        return self.paginated(selectors.jobs_of_client(request.user), s.JobSerializer)


class JobDetailView(JobsApiView):
    allow_anonymous = True
    api_key_readable = True

    @extend_schema(
        tags=["jobs"],
        summary="A job",
        description="With its description (Markdown and rendered) and attachments."
        + VISIBILITY_NOTE
        + PUBLIC_KEY_NOTE,
        responses={200: s.JobDetailSerializer, **JOB_404},
    )
    def get(self, request, pk: int):
        return Response(s.JobDetailSerializer(self.readable_job(pk)).data)

    @extend_schema(
        tags=["jobs"],
        summary="Edit a job",
        description="A draft or open job; send only the fields that change. Once proposals exist, the "
        "currency and pay type stay (409 `job_has_proposals`); a closed or expired job cannot change (409 "
        "`job_not_editable`)." + WRITE_NOTE,
        request=s.JobInputSerializer,
        responses={
            200: s.JobDetailSerializer,
            **errors(
                400,
                403,
                404,
                s400="`invalid_job`",
                s404="`job_not_found`",
                s409="`job_not_editable`, `job_has_proposals`",
            ),
        },
    )
    def patch(self, request, pk: int):
        job = self.job(pk)
        require_job_control(request.user, job)
        data = self.parsed(s.JobInputSerializer, partial=True)
        services.job_update(
            acting_user=request.user, job=job, fields={**services.job_fields(job), **job_fields_from(data)}
        )
        return Response(s.JobDetailSerializer(self.job(pk)).data)


class JobPublishView(JobsApiView):
    @extend_schema(
        tags=["jobs"],
        summary="Publish a draft",
        description="It opens for 30 days (a warning comes 5 days before it expires). 409 "
        "`illegal_transition` unless it is a draft." + WRITE_NOTE,
        request=None,
        responses={
            200: s.JobDetailSerializer,
            **errors(403, 404, s404="`job_not_found`", s409="`illegal_transition`"),
        },
    )
    def post(self, request, pk: int):
        services.job_publish(acting_user=request.user, job=self.job(pk))
        return Response(s.JobDetailSerializer(self.job(pk)).data)


class JobCloseView(JobsApiView):
    @extend_schema(
        tags=["jobs"],
        summary="Close a job",
        description="No more proposals; offers still out are withdrawn. 409 `illegal_transition` if it is "
        "already closed or expired." + WRITE_NOTE,
        request=ReasonSerializer,
        responses={
            200: s.JobDetailSerializer,
            **errors(400, 403, 404, s404="`job_not_found`", s409="`illegal_transition`"),
        },
    )
    def post(self, request, pk: int):
        job = self.job(pk)
        require_job_control(request.user, job)
        reason = self.parsed(ReasonSerializer)["reason"]
        services.job_close(acting_user=request.user, job=job, reason=reason)
        return Response(s.JobDetailSerializer(self.job(pk)).data)


class JobSaveAsTemplateView(JobsApiView):
    @extend_schema(
        tags=["job templates"],
        summary="Save a job as a template",
        description="Its fields are saved under a name, for you (and the job's organisation), to post "
        "similar jobs with `POST /api/jobs/`. 400 `invalid_template` without a name." + WRITE_NOTE,
        request=s.TemplateNameSerializer,
        responses={
            201: s.JobTemplateDetailSerializer,
            **errors(400, 403, 404, s400="`invalid_template`", s404="`job_not_found`"),
        },
    )
    def post(self, request, pk: int):
        job = self.job(pk)
        require_job_control(request.user, job)
        name = self.parsed(s.TemplateNameSerializer)["name"]
        template = services.job_template_save(acting_user=request.user, job=job, name=name)
        return Response(s.JobTemplateDetailSerializer(template).data, status=status.HTTP_201_CREATED)


class JobAttachmentListView(JobsApiView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["jobs"],
        summary="Attach a file to a job",
        description="`multipart/form-data` with the file in `file`, to a draft or open job. A refused file "
        "leaves nothing behind." + WRITE_NOTE,
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={
            201: AttachmentSerializer,
            **upload_errors(s404="`job_not_found`", s409="`job_not_editable`, `too_many_attachments`"),
        },
    )
    def post(self, request, pk: int):
        job = self.job(pk)
        require_job_control(request.user, job)
        upload = self.parsed(AttachmentUploadSerializer)["file"]
        attachment = services.job_attachment_add(
            acting_user=request.user, job=job, data=upload.read(), name=upload.name
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDetailView(JobsApiView):
    @extend_schema(
        tags=["jobs"],
        summary="Remove an attachment",
        description="From a job (its client side) or a proposal (its freelancer). 404 "
        "`attachment_not_found` for a file you cannot see." + WRITE_NOTE,
        responses={
            204: OpenApiResponse(description="Removed."),
            **errors(403, 404, s403="`not_job_owner`, `not_the_freelancer`", s404="`attachment_not_found`"),
        },
    )
    def delete(self, request, pk: int):
        attachment = file_for_viewer(pk=pk, viewer=request.user)
        file_remove(acting_user=request.user, file=attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AnyAccept(BaseContentNegotiation):
    """A download is the file whatever the client says it accepts (its type is the file's own); the
    JSON renderer stays for the error answers."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class AttachmentFileView(JobsApiView):
    allow_anonymous = True  # a public job's files are public, as its page is; the selector decides
    api_key_readable = True
    content_negotiation_class = AnyAccept

    @extend_schema(
        tags=["jobs"],
        summary="Download an attachment",
        description="The file itself, under its original name, for whoever may see its job or proposal; "
        "404 `attachment_not_found` for everyone else." + PUBLIC_KEY_NOTE,
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file."),
            **errors(403, 404, s404="`attachment_not_found`"),
        },
    )
    def get(self, request, pk: int):
        return file_response(self.attachment(pk))


class JobTemplateListView(JobsApiView):
    api_key_readable = True

    @extend_schema(
        tags=["job templates"],
        summary="Your job templates",
        description="Those you saved and those saved for your organisations, by name. With an API key: the "
        "organisation's." + KEY_NOTE,
        responses={200: s.JobTemplateSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        if organisation := self.key_organisation:
            return self.paginated(
                selectors.job_templates_of_organisation(organisation), s.JobTemplateSerializer
            )
        return self.paginated(selectors.job_templates_for(request.user), s.JobTemplateSerializer)


class JobTemplateDetailView(JobsApiView):
    api_key_readable = True

    @extend_schema(
        tags=["job templates"],
        summary="A job template",
        description="With the saved fields, ready for `POST /api/jobs/`. 404 `template_not_found` for one "
        "that is not yours or your organisations'." + KEY_NOTE,
        responses={200: s.JobTemplateDetailSerializer, **errors(403, s404="`template_not_found`")},
    )
    def get(self, request, pk: int):
        return Response(s.JobTemplateDetailSerializer(self.template(pk)).data)

    @extend_schema(
        tags=["job templates"],
        summary="Delete a job template",
        description="Yours, or your organisation's with `manage_jobs`." + WRITE_NOTE,
        responses={
            204: OpenApiResponse(description="Deleted."),
            **errors(403, 404, s404="`template_not_found`"),
        },
    )
    def delete(self, request, pk: int):
        services.job_template_delete(acting_user=request.user, template=self.template(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
