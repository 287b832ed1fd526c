"""Pages: contracts and their milestones, for both parties (frontend/views/contracts.py, milestones.py)."""

from django.urls import path

from ..views import contracts, milestones

urlpatterns = [
    path("contracts/", contracts.contracts, name="contracts"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/complete/", contracts.contract_complete, name="contract_complete"),
    path("contracts/<int:pk>/cancel/", contracts.contract_cancel, name="contract_cancel"),
]

milestone = "contracts/<int:pk>/milestones/<int:mid>/"
urlpatterns += [
    path(milestone, milestones.milestone_detail, name="milestone_detail"),
    path(f"{milestone}submit/", milestones.milestone_submit, name="milestone_submit"),
    path(f"{milestone}revision/", milestones.milestone_revision, name="milestone_revision"),
    path(f"{milestone}approve/", milestones.milestone_approve, name="milestone_approve"),
    path(f"{milestone}fund/", milestones.milestone_fund, name="milestone_fund"),
    path(f"{milestone}fund/intent/", milestones.milestone_fund_intent, name="milestone_fund_intent"),
    path(f"{milestone}fund/confirm/", milestones.milestone_fund_confirm, name="milestone_fund_confirm"),
]
