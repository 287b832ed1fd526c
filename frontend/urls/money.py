"""Pages: earnings, payments and receipts (frontend/views/money.py). A receipt's kind is charge,
refund or transfer; any other answers 404 (``escrow.selectors.receipt_for``)."""

from django.urls import path

from ..views import money, statements

urlpatterns = [
    path("earnings/", money.earnings, name="earnings"),
    path("payments/", money.payments, name="payments"),
    path("receipts/<slug:kind>/<int:pk>/", money.receipt, name="receipt"),
    path("receipts/<slug:kind>/<int:pk>/pdf/", money.receipt_pdf, name="receipt_pdf"),
    # Statements and the yearly earnings statement (frontend/views/statements.py).
    path("money/statement/", statements.statement, name="statement"),
    path("money/statement/pdf/", statements.statement_pdf, name="statement_pdf"),
    path("money/statement/csv/", statements.statement_csv, name="statement_csv"),
    path("money/earnings/<int:year>/", statements.earnings_year, name="earnings_year"),
    path("money/earnings/<int:year>/pdf/", statements.earnings_year_pdf, name="earnings_year_pdf"),
    path("money/earnings/<int:year>/csv/", statements.earnings_year_csv, name="earnings_year_csv"),
    path("money/earnings/<int:year>/json/", statements.earnings_year_json, name="earnings_year_json"),
]
