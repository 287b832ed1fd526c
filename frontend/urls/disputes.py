"""Disputes: the parties' pages (frontend/views/disputes.py) and support staff's queue and cases
(frontend/views/support_disputes.py; a 404 for anyone but support staff)."""

from django.urls import path

from ..views import disputes, support_disputes

dispute = "disputes/<int:pk>/"
urlpatterns = [
    path("milestones/<int:pk>/dispute/", disputes.dispute_open, name="dispute_open"),
    path("timesheets/<int:pk>/dispute/", disputes.dispute_open_week, name="dispute_open_week"),
    path("disputes/", disputes.dispute_list, name="disputes"),
    path(dispute, disputes.dispute_detail, name="dispute_detail"),
    path(f"{dispute}respond/", disputes.dispute_respond, name="dispute_respond"),
    path(f"{dispute}evidence/", disputes.dispute_evidence, name="dispute_evidence"),
    path(f"{dispute}ask-support/", disputes.dispute_ask_support, name="dispute_ask_support"),
    path(f"{dispute}withdraw/", disputes.dispute_withdraw, name="dispute_withdraw"),
    path(f"{dispute}offers/", disputes.offer_propose, name="dispute_offer"),
    path(f"{dispute}offers/<int:oid>/accept/", disputes.offer_accept, name="dispute_offer_accept"),
    path(f"{dispute}offers/<int:oid>/decline/", disputes.offer_decline, name="dispute_offer_decline"),
    path(f"{dispute}offers/<int:oid>/withdraw/", disputes.offer_withdraw, name="dispute_offer_withdraw"),
    path("support/disputes/", support_disputes.support_queue, name="support_disputes"),
    path("support/disputes/<int:pk>/", support_disputes.support_dispute, name="support_dispute"),
    path("support/disputes/<int:pk>/notes/", support_disputes.support_note, name="support_dispute_note"),
    path("support/disputes/<int:pk>/assign/", support_disputes.support_assign, name="support_dispute_assign"),
    path("support/disputes/<int:pk>/decide/", support_disputes.support_decide, name="support_dispute_decide"),
]
