"""The conversation panel, one partial (``frontend/messages/_panel.html``) shown by the inbox, the
proposal page and the contract page: a page of history (newest at the bottom, older pages by
``before=<id>``), or the results of a search within the conversation, and the send form.

Composed here from messaging's selectors (which check participation on every read) so the pages
that show the panel build the same context in the same bounded number of queries."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import prefetch_related_objects
from django.utils import timezone

from messaging.selectors.conversation_pages import panel_facts
from messaging.selectors.conversations import messages_page
from messaging.selectors.realtime import last_event_id
from messaging.services.messages import conversation_mark_read

from .forms.messages import MessageForm

PAGE = 30
SEARCH_MAX = 200


@dataclass
class ShownMessage:
    """A message as the viewer's panel shows it."""

    message: object
    mine: bool
    editable_until: object  # None when the viewer may not edit or delete it (any more)
    seen: bool = False

    @property
    def pk(self) -> int:
        return self.message.pk

    @property
    def image_attachments(self) -> list[tuple]:
        """(file, its preview's file id or None): the preview is shown, the file is linked."""
        return [
            (file, _thumbnail_id(file))
            for file in self.message.attachments.all()
            if file.content_type.startswith("image/")
        ]

    @property
    def other_attachments(self) -> list:
        return [a for a in self.message.attachments.all() if not a.content_type.startswith("image/")]


def _thumbnail_id(file) -> int | None:
    try:
        return file.message_thumbnail.thumbnail_id  # loaded with the page (``with_payload_rows``)
    except ObjectDoesNotExist:
        return None


def edit_window() -> timedelta:
    return timedelta(seconds=getattr(settings, "MESSAGE_EDIT_WINDOW_SECONDS", 900))


def shown(user, messages, *, seen_up_to: int = 0) -> list[ShownMessage]:
    """Messages (oldest first) as the viewer sees them; "Seen" goes under the viewer's newest
    message the other side has read that is still there (not deleted or hidden)."""
    prefetch_related_objects(messages, "attachments")
    now, window = timezone.now(), edit_window()
    rows = []
    for message in messages:
        mine = message.sender_id == user.pk
        live = message.deleted_at is None and message.hidden_at is None
        until = message.created_at + window if mine and live and message.created_at + window > now else None
        rows.append(ShownMessage(message=message, mine=mine, editable_until=until))
    read_mine = [
        row
        for row in rows
        if row.mine and row.pk <= seen_up_to and not (row.message.deleted_at or row.message.hidden_at)
    ]
    if read_mine:
        read_mine[-1].seen = True
    return rows


def older_page(user, conversation, *, before_id: int | None) -> dict:
    """One page of history before ``before_id`` (the newest page for None), oldest first, with the
    id to ask for the page before it (None at the start of the conversation)."""
    newest_first = list(messages_page(user, conversation, before_id=before_id, limit=PAGE + 1))
    older = newest_first[PAGE:]
    page = newest_first[:PAGE][::-1]
    return {"rows": page, "older_before": page[0].pk if older and page else None}


def panel_context(request, conversation, *, form: MessageForm | None = None, next_url: str = "") -> dict:
    """Everything ``_panel.html`` needs (pages pass it as ``panel``: a page's own ``form`` stays
    its own). ``?before=<id>`` shows an older page (the no-JS "Load older"), ``?q=`` searches the
    conversation. Showing the newest page marks it read. The page's event id is read first (see
    ``context_processors.realtime``): a message committed while the panel loads is then replayed."""
    user = request.user
    request.last_event_id = last_event_id(user.pk)
    facts = panel_facts(user, conversation)
    query = (request.GET.get("q") or "").strip()[:SEARCH_MAX]
    before = int_or_none(request.GET.get("before"))
    context = {
        "conversation": conversation,
        "others": facts.others,
        "form": form or MessageForm(),
        "next_url": next_url or request.get_full_path(),
        "query": query,
        "before": before,
        "seen_up_to": facts.seen_up_to,
        "now": timezone.now(),  # the script's clock for the edit window
    }
    if query:
        found = list(messages_page(user, conversation, query=query, limit=PAGE))
        context["results"] = shown(user, found)
        return context
    history = older_page(user, conversation, before_id=before)
    rows = shown(user, history["rows"], seen_up_to=facts.seen_up_to)
    if before is None and rows and facts.me and facts.me.unread:
        conversation_mark_read(
            acting_user=user, conversation_id=conversation.pk, up_to_message_id=rows[-1].pk
        )
    return context | {"rows": rows, "older_before": history["older_before"]}


def int_or_none(value) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
