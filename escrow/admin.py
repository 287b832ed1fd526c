"""Read-only admin views of the money, for operators: holds and their settlements, the ledger, the
processor rows (charges, transfers, refunds, webhook events) and the reconciliation's reports.

Any staff member may read them (``is_staff``, whatever their model permissions); nobody may add,
change or delete here: money moves only through the escrow services, which lock, post the ledger
and audit. Lists link to the related rows; detail pages link every foreign key themselves."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import (
    Charge,
    Hold,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    ReconciliationFinding,
    ReconciliationRun,
    Refund,
    Settlement,
    Transfer,
    WebhookEvent,
)


def _link(obj, label=None) -> str:
    """A link to ``obj``'s admin page ("—" for none)."""
    if obj is None:
        return "—"
    url = reverse(f"admin:escrow_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label or obj)


def _filtered(model, label: str, **lookup) -> str:
    """A link to ``model``'s list filtered by ``lookup``."""
    query = "&".join(f"{key}={value}" for key, value in lookup.items())
    return format_html(
        '<a href="{}?{}">{}</a>', reverse(f"admin:escrow_{model._meta.model_name}_changelist"), query, label
    )


class ReadOnly:
    """Staff read; nobody writes (no add, change, delete, nor the bulk delete action)."""

    actions = None
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) of a whole table on every page

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields  # some are not editable at all: no form field may be made for them


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "reference",
        "status",
        "amount_minor",
        "client_fee_minor",
        "currency",
        "payer",
        "payee",
    ]
    list_filter = ["status", "currency"]
    search_fields = ["reference", "transfer_group", "payer__email", "payee__email"]
    list_select_related = ["payer", "payee"]
    date_hierarchy = "created_at"

    class SettlementInline(ReadOnlyInline):
        model = Settlement
        fields = [
            "kind",
            "principal_minor",
            "client_fee_minor",
            "freelancer_fee_minor",
            "reason",
            "created_at",
        ]

    class ChargeInline(ReadOnlyInline):
        model = Charge
        fields = ["status", "payment_intent_id", "amount_minor", "currency", "created_at", "succeeded_at"]

    inlines = [ChargeInline, SettlementInline]


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "kind",
        "hold_link",
        "principal_minor",
        "client_fee_minor",
        "freelancer_fee_minor",
        "created_at",
    ]
    list_filter = ["kind"]
    search_fields = ["hold__reference", "reason"]
    list_select_related = ["hold"]

    @admin.display(description="hold")
    def hold_link(self, settlement: Settlement) -> str:
        return _link(settlement.hold)


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "currency", "balance_minor", "entries_link"]
    list_filter = ["kind", "currency"]
    search_fields = ["key"]

    @admin.display(description="entries")
    def entries_link(self, account: LedgerAccount) -> str:
        return _filtered(LedgerEntry, "entries", account__id__exact=account.pk)


class EntryInline(ReadOnlyInline):
    model = LedgerEntry
    fields = ["account", "amount_minor"]
    show_change_link = False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "kind",
        "currency",
        "hold_link",
        "settlement_link",
        "external_id",
        "memo",
        "created_at",
    ]
    list_filter = ["kind", "currency"]
    search_fields = ["external_id", "hold__reference", "memo"]
    list_select_related = ["hold", "settlement"]
    date_hierarchy = "created_at"
    inlines = [EntryInline]

    @admin.display(description="hold")
    def hold_link(self, txn: LedgerTransaction) -> str:
        return _link(txn.hold)

    @admin.display(description="settlement")
    def settlement_link(self, txn: LedgerTransaction) -> str:
        return _link(txn.settlement)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "transaction_link", "account_link", "amount_minor"]
    list_filter = ["account__kind", "transaction__kind"]
    search_fields = ["account__key", "transaction__external_id"]
    list_select_related = ["transaction", "account"]

    @admin.display(description="transaction")
    def transaction_link(self, entry: LedgerEntry) -> str:
        return _link(entry.transaction)

    @admin.display(description="account")
    def account_link(self, entry: LedgerEntry) -> str:
        return _link(entry.account)


@admin.register(Charge)
class ChargeAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "payment_intent_id",
        "status",
        "amount_minor",
        "currency",
        "hold_link",
        "created_at",
    ]
    list_filter = ["status", "currency"]
    search_fields = ["payment_intent_id", "charge_id", "hold__reference"]
    list_select_related = ["hold"]
    exclude = ["client_secret"]  # lets a browser pay the PaymentIntent: not for reading
    date_hierarchy = "created_at"

    @admin.display(description="hold")
    def hold_link(self, charge: Charge) -> str:
        return _link(charge.hold)


class OutgoingAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "processor_id",
        "status",
        "amount_minor",
        "currency",
        "settlement_link",
        "attempts",
        "created_at",
    ]
    list_filter = ["status", "currency"]
    search_fields = ["processor_id", "settlement__hold__reference", "last_error"]
    list_select_related = ["settlement"]
    date_hierarchy = "created_at"

    @admin.display(description="settlement")
    def settlement_link(self, row) -> str:
        return _link(row.settlement)


@admin.register(Transfer)
class TransferAdmin(OutgoingAdmin):
    list_display = [*OutgoingAdmin.list_display, "destination_user"]
    list_select_related = ["settlement", "destination_user"]


@admin.register(Refund)
class RefundAdmin(OutgoingAdmin):
    pass


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "received_at", "processed_at", "attempts", "last_error"]
    list_filter = ["type", ("processed_at", admin.EmptyFieldListFilter)]
    search_fields = ["event_id", "type"]
    date_hierarchy = "received_at"


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "status", "trigger", "started_at", "finished_at", "findings_link"]
    list_filter = ["status", "trigger"]
    date_hierarchy = "started_at"

    @admin.display(description="findings")
    def findings_link(self, run: ReconciliationRun) -> str:
        return _filtered(ReconciliationFinding, "findings", run__id__exact=run.pk)


@admin.register(ReconciliationFinding)
class ReconciliationFindingAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "kind",
        "run_link",
        "processor_id",
        "processor_amount_minor",
        "ledger_ref",
        "ledger_amount_minor",
        "currency",
        "hold_link",
        "explained_at",
    ]
    list_filter = ["kind", ("explained_at", admin.EmptyFieldListFilter)]
    search_fields = ["processor_id", "ledger_ref", "detail", "explanation"]
    list_select_related = ["run", "hold"]

    @admin.display(description="run")
    def run_link(self, finding: ReconciliationFinding) -> str:
        return _link(finding.run, f"run {finding.run_id}")

    @admin.display(description="hold")
    def hold_link(self, finding: ReconciliationFinding) -> str:
        return _link(finding.hold)
