"""Pages: earnings, payments and receipts (frontend/views/money.py). A receipt's kind is charge,
refund or transfer; any other answers 404 (``escrow.selectors.receipt_for``)."""

from django.urls import path

from ..views import money

urlpatterns = [
    path("earnings/", money.earnings, name="earnings"),
    path("payments/", money.payments, name="payments"),
    path("receipts/<slug:kind>/<int:pk>/", money.receipt, name="receipt"),
    path("receipts/<slug:kind>/<int:pk>/pdf/", money.receipt_pdf, name="receipt_pdf"),
]
