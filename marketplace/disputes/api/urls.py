"""REST API routes for disputes (under /api/): a party's, the settlement offers' answers, and the
support staff's queue and cases."""

from django.urls import path

from .views import disputes, offers, support

app_name = "disputes_api"

urlpatterns = [
    path("disputes/", disputes.DisputeListView.as_view(), name="disputes"),
    path("disputes/<int:pk>/", disputes.DisputeDetailView.as_view(), name="dispute"),
    path("disputes/<int:pk>/respond/", disputes.DisputeRespondView.as_view(), name="dispute-respond"),
    path("disputes/<int:pk>/evidence/", disputes.DisputeEvidenceView.as_view(), name="dispute-evidence"),
    path(
        "disputes/<int:pk>/ask-support/", disputes.DisputeAskSupportView.as_view(), name="dispute-ask-support"
    ),
    path("disputes/<int:pk>/withdraw/", disputes.DisputeWithdrawView.as_view(), name="dispute-withdraw"),
    path("disputes/<int:pk>/offers/", disputes.DisputeOfferView.as_view(), name="dispute-offers"),
    path("dispute-offers/<int:pk>/accept/", offers.OfferAcceptView.as_view(), name="offer-accept"),
    path("dispute-offers/<int:pk>/decline/", offers.OfferDeclineView.as_view(), name="offer-decline"),
    path("dispute-offers/<int:pk>/withdraw/", offers.OfferWithdrawView.as_view(), name="offer-withdraw"),
    path("support/disputes/", support.QueueView.as_view(), name="support-queue"),
    path("support/disputes/<int:pk>/", support.CaseDetailView.as_view(), name="support-case"),
    path("support/disputes/<int:pk>/assign/", support.CaseAssignView.as_view(), name="support-assign"),
    path("support/disputes/<int:pk>/notes/", support.CaseNoteView.as_view(), name="support-notes"),
    path("support/disputes/<int:pk>/decide/", support.CaseDecideView.as_view(), name="support-decide"),
]
