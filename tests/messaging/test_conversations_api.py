"""The conversations API: your own conversations only, with a session; clear codes for every
refusal, nothing stored by one; lists cost the same queries at 1 and at 50 rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.organisations.models import Role
from messaging.models import Conversation, Message, Participant
from messaging.services.messages import message_post
from tests.factories import make_freelancer, make_user
from tests.messaging.conversation_cast import build_cast
from tests.support.api import as_user, assert_error, make_api_key, with_key
from tests.support.images import image_bytes, jpeg_with_exif

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat():
    cast = build_cast()
    return cast, cast.contract_conversation()


def messages_url(conversation: Conversation) -> str:
    return f"/api/conversations/{conversation.pk}/messages/"


def test_the_list_and_detail_show_your_view_of_each_conversation(chat):
    cast, conversation = chat
    manager, finance = cast.roles[Role.HIRING_MANAGER], cast.roles[Role.FINANCE]
    message = message_post(acting_user=manager, conversation_id=conversation.pk, body="Kick-off **Monday**")
    body = as_user(cast.freelancer).get("/api/conversations/").json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row == {
        "id": conversation.pk,
        "kind": "contract",
        "title": "Arm build",
        "proposal": None,
        "contract": cast.contract.pk,
        "participants": row["participants"],
        "unread": 1,
        "last_read_message_id": 0,
        "last_activity_at": row["last_activity_at"],
        "last_message": {
            "id": message.pk,
            "sender": {"id": manager.pk, "name": manager.full_name},
            "preview": "Kick-off **Monday**",
            "created_at": row["last_message"]["created_at"],
            "deleted": False,
        },
    }
    others = {p["id"]: p for p in row["participants"]}
    assert set(others) == {cast.roles[Role.OWNER].pk, manager.pk, finance.pk}
    assert others[manager.pk]["side"] == "client"
    assert others[manager.pk]["last_read_message_id"] == message.pk
    detail = as_user(finance).get(f"/api/conversations/{conversation.pk}/")
    assert detail.status_code == 200
    assert detail.json()["unread"] == 1
    assert as_user(cast.freelancer).get("/api/messages/unread-count/").json() == {"unread": 1}


def test_someone_elses_conversation_is_404_everywhere(chat):
    cast, conversation = chat
    api = as_user(cast.roles[Role.VIEWER])
    assert api.get("/api/conversations/").json()["count"] == 0
    for response in (
        api.get(f"/api/conversations/{conversation.pk}/"),
        api.get(messages_url(conversation)),
        api.post(messages_url(conversation), {"body": "Let me in"}, format="json"),
        api.post(f"/api/conversations/{conversation.pk}/read/", {}, format="json"),
        api.get("/api/conversations/999999/"),
    ):
        assert_error(response, 404, "conversation_not_found")
    assert not Message.objects.exists()


def test_api_keys_and_visitors_are_refused(chat):
    cast, conversation = chat
    keyed = with_key(as_user(None), make_api_key(cast.job.organisation))
    assert_error(keyed.get("/api/conversations/"), 403, "api_key_not_allowed")
    assert_error(keyed.get(messages_url(conversation)), 403, "api_key_not_allowed")
    assert_error(as_user(None).get("/api/conversations/"), 403, "not_authenticated")


def test_posting_with_files_over_multipart_and_reading_them_back(chat):
    cast, conversation = chat
    api = as_user(cast.freelancer)
    response = api.post(
        messages_url(conversation),
        {
            "body": "Photos from the site <script>alert(1)</script>",
            "files": [
                SimpleUploadedFile("site.jpg", jpeg_with_exif(), content_type="image/jpeg"),
                SimpleUploadedFile("notes.txt", b"Measurements: 40 x 60 cm\n", content_type="text/plain"),
            ],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    posted = response.json()
    assert posted["body_html"] == "<p>Photos from the site &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    photo, notes = posted["attachments"]
    assert photo["content_type"] == "image/jpeg"
    assert photo["thumbnail_url"].startswith("/files/")
    assert notes["thumbnail_url"] is None
    page = as_user(cast.roles[Role.FINANCE]).get(messages_url(conversation)).json()
    assert page == {"results": [posted], "next_before": None}


def test_bad_posts_answer_clear_codes_and_store_nothing(chat, settings):
    cast, conversation = chat
    api = as_user(cast.freelancer)
    assert_error(
        api.post(messages_url(conversation), {"body": "x" * 5001}, format="json"), 400, "message_too_long"
    )
    assert_error(api.post(messages_url(conversation), {"body": ""}, format="json"), 400, "empty_message")
    disguised = SimpleUploadedFile(
        "cat.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
    )
    response = api.post(
        messages_url(conversation), {"body": "Look", "files": [disguised]}, format="multipart"
    )
    assert_error(response, 415, "unsupported_attachment_type")
    assert not Message.objects.exists()

    settings.MESSAGES_PER_MINUTE = 2
    for n in range(2):
        assert api.post(messages_url(conversation), {"body": f"Ping {n}"}, format="json").status_code == 201
    limited = assert_error(
        api.post(messages_url(conversation), {"body": "Ping 3"}, format="json"), 429, "message_rate_limited"
    )
    assert "2 messages in the last minute" in limited["message"]
    assert Message.objects.count() == 2


def test_edit_delete_and_read_over_the_api(chat):
    cast, conversation = chat
    finance = cast.roles[Role.FINANCE]
    api = as_user(cast.freelancer)
    posted = api.post(messages_url(conversation), {"body": "Frist draft"}, format="json").json()
    assert_error(
        as_user(finance).patch(f"/api/messages/{posted['id']}/", {"body": "Hijack"}, format="json"),
        403,
        "not_the_sender",
    )
    assert_error(
        as_user(cast.outsider).patch(f"/api/messages/{posted['id']}/", {"body": "Hijack"}, format="json"),
        404,
        "message_not_found",
    )
    edited = api.patch(f"/api/messages/{posted['id']}/", {"body": "First draft"}, format="json").json()
    assert edited["body_html"] == "<p>First draft</p>\n"
    assert edited["edited_at"]
    later = api.post(messages_url(conversation), {"body": "Second"}, format="json").json()

    reader = as_user(finance)
    receipt = reader.post(
        f"/api/conversations/{conversation.pk}/read/", {"up_to": posted["id"]}, format="json"
    )
    assert receipt.json() == {
        "conversation": conversation.pk,
        "last_read_message_id": posted["id"],
        "unread": 1,
        "unread_total": 1,
    }
    assert_error(
        reader.post(f"/api/conversations/{conversation.pk}/read/", {"up_to": 10**9}, format="json"),
        404,
        "message_not_found",
    )
    deleted = api.delete(f"/api/messages/{later['id']}/").json()
    assert (deleted["deleted"], deleted["body_html"], deleted["attachments"]) == (True, "", [])
    assert reader.get("/api/messages/unread-count/").json() == {"unread": 0}


def test_history_pages_back_and_searches(chat, settings):
    cast, conversation = chat
    settings.MESSAGES_PER_MINUTE = 100
    ids = [
        message_post(acting_user=cast.freelancer, conversation_id=conversation.pk, body=f"Step {n}").pk
        for n in range(35)
    ]
    api = as_user(cast.roles[Role.HIRING_MANAGER])
    first = api.get(messages_url(conversation)).json()
    assert [m["id"] for m in first["results"]] == ids[::-1][:30]
    assert first["next_before"] == ids[5]
    rest = api.get(messages_url(conversation), {"before": first["next_before"]}).json()
    assert [m["id"] for m in rest["results"]] == ids[4::-1]
    assert rest["next_before"] is None
    found = api.get(messages_url(conversation), {"q": "step 3"}).json()["results"]
    assert {m["id"] for m in found} == {ids[3], *ids[30:35]}
    assert_error(api.get(messages_url(conversation), {"before": "soon"}), 400, "invalid")


def test_direct_conversations_over_the_api(chat):
    cast, _ = chat
    manager = cast.roles[Role.HIRING_MANAGER]
    response = as_user(cast.freelancer).post(
        "/api/conversations/direct/", {"user": manager.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["kind"] == "direct"
    assert response.json()["title"] == manager.full_name
    mirrored = as_user(manager).post(
        "/api/conversations/direct/", {"user": cast.freelancer.pk}, format="json"
    )
    assert mirrored.json()["id"] == response.json()["id"]
    assert mirrored.json()["title"] == "Ana Costa"
    refused = as_user(cast.outsider).post("/api/conversations/direct/", {"user": manager.pk}, format="json")
    assert_error(refused, 403, "no_shared_work")
    assert_error(as_user(manager).post("/api/conversations/direct/", {}, format="json"), 400, "invalid")


# --- Query counts: the same at 1 and at 50 rows -------------------------------------------------


def _direct_with(viewer, n: int) -> None:
    """``n`` conversations of ``viewer``, each with a message (and a file) from someone else."""
    for _ in range(n):
        other = make_freelancer(full_name="Someone Else")
        low, high = sorted((viewer.pk, other.pk))
        conversation = Conversation.objects.create(kind="direct", direct_pair=f"{low}:{high}", title="Direct")
        Participant.objects.bulk_create(
            [
                Participant(conversation=conversation, user=u, side=s)
                for u, s in ((viewer, "client"), (other, "freelancer"))
            ]
        )
        message_post(
            acting_user=other, conversation_id=conversation.pk, body="Hi", files=[("a.txt", b"note\n")]
        )


def _queries(api, url: str, **params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url, params)
    assert response.status_code == 200
    return len(captured), len(response.json()["results"])


def test_the_conversation_list_costs_the_same_for_1_and_50():
    viewer = make_user(full_name="Vera Viewer")
    api = as_user(viewer)
    _direct_with(viewer, 1)
    api.get("/api/conversations/")  # warm the session
    one = _queries(api, "/api/conversations/", page_size=100)
    _direct_with(viewer, 49)
    fifty = _queries(api, "/api/conversations/", page_size=100)
    assert (one[1], fifty[1]) == (1, 50)
    assert one[0] == fifty[0]
    assert _queries(api, "/api/conversations/", page_size=100, unread=1)[0] == one[0]


def test_a_page_of_messages_costs_the_same_for_1_and_30(chat, settings):
    cast, conversation = chat
    settings.MESSAGES_PER_MINUTE = 100
    api = as_user(cast.freelancer)
    people = [cast.roles[Role.HIRING_MANAGER], cast.roles[Role.FINANCE], cast.freelancer]

    def post(n: int) -> None:
        for i in range(n):
            files = [("plan.png", image_bytes("PNG", size=(40, 30)))] if i % 10 == 0 else [("a.txt", b"x\n")]
            message_post(
                acting_user=people[i % 3], conversation_id=conversation.pk, body=f"Note {i}", files=files
            )

    post(1)
    api.get(messages_url(conversation))
    one = _queries(api, messages_url(conversation))
    post(49)
    fifty = _queries(api, messages_url(conversation))
    assert (one[1], fifty[1]) == (1, 30)
    assert one[0] == fifty[0]
