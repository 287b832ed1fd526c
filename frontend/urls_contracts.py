"""Pages: contracts, for both parties (frontend/views/contracts.py)."""

from django.urls import path

from .views import contracts

urlpatterns = [
    path("contracts/", contracts.contracts, name="contracts"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/complete/", contracts.contract_complete, name="contract_complete"),
    path("contracts/<int:pk>/cancel/", contracts.contract_cancel, name="contract_cancel"),
]
