"""REST API routes for accepting offers, contracts, milestones and money (under /api/)."""

from django.urls import path

from .views import acceptance, contracts, milestones, money

app_name = "contracts_api"

urlpatterns = [
    path("offers/<int:pk>/accept/", acceptance.OfferAcceptView.as_view(), name="offer-accept"),
    path("contracts/", contracts.ContractListView.as_view(), name="contracts"),
    path("contracts/<int:pk>/", contracts.ContractDetailView.as_view(), name="contract"),
    path("contracts/<int:pk>/complete/", contracts.ContractCompleteView.as_view(), name="contract-complete"),
    path("contracts/<int:pk>/cancel/", contracts.ContractCancelView.as_view(), name="contract-cancel"),
    path("contracts/<int:pk>/milestones/", milestones.MilestoneListView.as_view(), name="milestones"),
    path(
        "contracts/<int:pk>/milestones/<int:mid>/", milestones.MilestoneDetailView.as_view(), name="milestone"
    ),
    path(
        "contracts/<int:pk>/milestones/<int:mid>/fund/",
        money.MilestoneFundView.as_view(),
        name="milestone-fund",
    ),
    path(
        "contracts/<int:pk>/milestones/<int:mid>/fund/confirm/",
        money.MilestoneFundConfirmView.as_view(),
        name="milestone-fund-confirm",
    ),
    path(
        "contracts/<int:pk>/milestones/<int:mid>/submit/",
        milestones.MilestoneSubmitView.as_view(),
        name="milestone-submit",
    ),
    path(
        "contracts/<int:pk>/milestones/<int:mid>/revision/",
        milestones.MilestoneRevisionView.as_view(),
        name="milestone-revision",
    ),
    path(
        "contracts/<int:pk>/milestones/<int:mid>/approve/",
        milestones.MilestoneApproveView.as_view(),
        name="milestone-approve",
    ),
    path("contracts/<int:pk>/ledger/", money.ContractLedgerView.as_view(), name="contract-ledger"),
    path("me/earnings/", money.MyEarningsView.as_view(), name="my-earnings"),
    path("me/receipts/", money.MyReceiptsView.as_view(), name="my-receipts"),
]
