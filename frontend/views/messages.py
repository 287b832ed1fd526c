"""Messages: the inbox (conversations by last activity, unread first on request) with the chosen
conversation beside it, and the conversation panel's writes — send, edit, delete — for every page
that shows the panel (inbox, proposal, contract).

Without JavaScript each write is a form POST that redirects back to the page it came from
(``next``); ``messages.js`` posts the same forms with ``HX-Request`` and gets the part of the panel
to swap in. Fragments of the conversation page (``?part=``) give the script older pages, the
newest messages and the inbox list."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError, NotFound
from messaging.selectors.conversation_pages import other_side_names
from messaging.selectors.conversations import conversation_for_viewer, conversations_of
from messaging.services.messages import message_delete, message_edit, message_post

from ..conversation_panel import int_or_none, older_page, panel_context, shown
from ..forms.messages import MessageForm
from ..refusals import REFUSALS
from .helpers import paginate, render_page, safe_next

PER_PAGE = 20


def _conversation(request: HttpRequest, pk: int):
    try:
        return conversation_for_viewer(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _preview(message) -> str:
    """The last message as the inbox's one line."""
    if message is None:
        return "No messages yet"
    if message.hidden_at:
        return "Hidden by staff"
    if message.deleted_at:
        return "Message deleted"
    text = " ".join(strip_tags(message.body_html).split())
    return Truncator(text).chars(90) if text else "Sent a file"


def _list_query(request: HttpRequest) -> str:
    """The list's filter for its page links ("show=unread&" or ""), without the script's ``part``."""
    params = request.GET.copy()
    for name in ("page", "part", "before", "q"):
        params.pop(name, None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def _inbox_context(request: HttpRequest) -> dict:
    unread_first = request.GET.get("show") == "unread"
    page = paginate(request, conversations_of(request.user, unread_first=unread_first), PER_PAGE)
    for row in page.object_list:
        row.other_names = ", ".join(other_side_names(row, request.user))
        row.preview = _preview(row.last_message)
    return {
        "page": page,
        "unread_first": unread_first,
        "query": _list_query(request),
    }


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.GET.get("part") == "list":
        return render_page(request, "frontend/messages/_list.html", _inbox_context(request))
    return render_page(request, "frontend/messages/inbox.html", _inbox_context(request) | {"panel": None})


def _subject_link(user, conversation) -> tuple[str, str] | None:
    """Where the conversation's work is: the contract's page; for a proposal, the job's page for its
    freelancer and the job's proposals (at this one) for the client side; for a dispute, its page
    (the staff's case page for support)."""
    if conversation.dispute_id:
        mine = next(row for row in conversation.active_participants if row.user_id == user.pk)
        if mine.side == mine.Side.SUPPORT:
            return f"/support/disputes/{conversation.dispute_id}/", "Open the case"
        return f"/disputes/{conversation.dispute_id}/", "Open the dispute"
    if conversation.contract_id:
        return reverse("frontend:contract_detail", args=[conversation.contract_id]), "Open the contract"
    if conversation.proposal_id:
        job_id = conversation.proposal.job_id
        mine = next(row for row in conversation.active_participants if row.user_id == user.pk)
        if mine.side == mine.Side.FREELANCER:
            return reverse("frontend:job_detail", args=[job_id]), "Open the job and your proposal"
        proposals = reverse("frontend:job_proposals", args=[job_id])
        return f"{proposals}#proposal-{conversation.proposal_id}", "Open the proposal"
    return None


def _conversation_page(request: HttpRequest, conversation, *, form=None, status: int = 200) -> HttpResponse:
    next_url = reverse("frontend:conversation", args=[conversation.pk])
    panel = panel_context(request, conversation, form=form, next_url=next_url)
    context = _inbox_context(request) | {
        "panel": panel,
        "subject_link": _subject_link(request.user, conversation),
    }
    return render_page(request, "frontend/messages/inbox.html", context, status=status)


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    """The inbox with this conversation open (on a phone, the conversation alone with a way back);
    ``?part=older&before=<id>``, ``?part=latest`` and ``?part=list`` are the script's fragments."""
    conversation = _conversation(request, pk)
    part = request.GET.get("part")
    if part in ("older", "latest"):
        before = int_or_none(request.GET.get("before")) if part == "older" else None
        history = older_page(request.user, conversation, before_id=before)
        context = {
            "conversation": conversation,
            "rows": shown(request.user, history["rows"]),
            "older_before": history["older_before"],
            "next_url": safe_next(request) or reverse("frontend:conversation", args=[pk]),
            "part": part,
        }
        return render_page(request, "frontend/messages/_history_part.html", context)
    if part == "list":
        return render_page(request, "frontend/messages/_list.html", _inbox_context(request) | {"open_pk": pk})
    return _conversation_page(request, conversation)


def _back(request: HttpRequest, conversation) -> str:
    return safe_next(request) or reverse("frontend:conversation", args=[conversation.pk])


@login_required
@require_POST
def message_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a message. A refusal (too long, a refused file, the rate limit) comes back at the form
    with the text kept: in place for the script, else on the conversation page."""
    conversation = _conversation(request, pk)
    form = MessageForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            message_post(
                acting_user=request.user,
                conversation_id=conversation.pk,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except DomainError as exc:
            if isinstance(exc, REFUSALS) and exc.code != "blocked":
                raise  # not a participant (any more): the refusal page
            _service_error(form, exc)
            status = exc.status
        else:
            if request.htmx:
                return _form_part(request, conversation, MessageForm(), status=201)
            return redirect(_back(request, conversation) + f"#conversation-{conversation.pk}")
    if request.htmx:
        return _form_part(request, conversation, form, status=status)
    return _conversation_page(request, conversation, form=form, status=status)


def _service_error(form: MessageForm, exc: DomainError) -> None:
    """The service's refusal at the form: its message on top, its field errors at the fields."""
    form.add_error(None, exc.message)
    for name, errors in exc.fields.items():
        name = {"files": "attachments"}.get(name, name)
        if name in form.fields and name != "body":  # the body's is the message on top, said once
            form.add_error(name, errors)


def _form_part(request: HttpRequest, conversation, form, *, status: int) -> HttpResponse:
    context = {
        "panel": {"conversation": conversation, "form": form, "next_url": _back(request, conversation)}
    }
    return render(request, "frontend/messages/_form.html", context, status=status)


def _one_message(request: HttpRequest, message) -> HttpResponse:
    """The message again, changed, for the script to swap in (a refusal is plain text instead)."""
    row = shown(request.user, [message])[0]
    context = {"row": row, "conversation": message.conversation, "next_url": safe_next(request)}
    return render_page(request, "frontend/messages/_message.html", context)


def _message_write(request: HttpRequest, write, done: str) -> HttpResponse:
    """Edit or delete one's own message: the script gets the message again (with the refusal in
    it); a form POST goes back to its page with the outcome said at the top."""
    try:
        message = write()
    except REFUSALS:
        raise  # not theirs, or in a conversation they are not in: the refusal page (403, 404)
    except DomainError as exc:
        # Mostly the 15 minutes ran out while the page was open.
        if request.htmx:
            return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
        flash.error(request, exc.message)
        return redirect(safe_next(request) or reverse("frontend:inbox"))
    if request.htmx:
        return _one_message(request, message)
    flash.success(request, done)
    return redirect(
        (safe_next(request) or reverse("frontend:conversation", args=[message.conversation_id]))
        + f"#message-{message.pk}"
    )


@login_required
@require_POST
def message_change(request: HttpRequest, mid: int) -> HttpResponse:
    # The service asks who may edit before what was typed (its length, empty without files).
    body = request.POST.get("body", "")
    return _message_write(
        request,
        lambda: message_edit(acting_user=request.user, message_id=mid, body=body),
        "Your message is changed.",
    )


@login_required
@require_POST
def message_remove(request: HttpRequest, mid: int) -> HttpResponse:
    return _message_write(
        request, lambda: message_delete(acting_user=request.user, message_id=mid), "Your message is deleted."
    )
