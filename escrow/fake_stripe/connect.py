"""Connect: connected accounts (created unverified, as Express accounts are) and account links.

Opening an account link (``GET /_fake/onboarding/<token>``, see ``pages``) stands in for the hosted
onboarding: it completes the account's requirements and sends the browser to ``return_url``; a used or
expired link sends it to ``refresh_url``, as Stripe does.
"""

import copy

from escrow.fake_stripe import forms
from escrow.fake_stripe.errors import invalid
from escrow.fake_stripe.routes import route
from escrow.fake_stripe.store import Call, Store, changed, expand_paths, now, page, random_token, render

PLATFORM_ACCOUNT = "acct_1FakeStripePlatform"
ACCOUNT_PARAMS = {
    "type",
    "country",
    "email",
    "capabilities",
    "business_type",
    "metadata",
    "business_profile",
    "controller",
    "default_currency",
    "tos_acceptance",
    "settings",
    "individual",
    "company",
    "external_account",
}
CAPABILITIES = ("transfers", "card_payments", "crypto_transfers", "legacy_payments")
CURRENCY_OF_COUNTRY = {
    "US": "usd",
    "GB": "gbp",
    "CA": "cad",
    "AU": "aud",
    "CH": "chf",
    "JP": "jpy",
    "NZ": "nzd",
    "SE": "sek",
    "NO": "nok",
    "DK": "dkk",
    "PL": "pln",
    "SG": "sgd",
}
CURRENTLY_DUE = [
    "business_profile.mcc",
    "business_profile.url",
    "business_type",
    "external_account",
    "individual.address.city",
    "individual.address.line1",
    "individual.address.postal_code",
    "individual.dob.day",
    "individual.dob.month",
    "individual.dob.year",
    "individual.email",
    "individual.first_name",
    "individual.last_name",
    "individual.phone",
    "tos_acceptance.date",
    "tos_acceptance.ip",
]
LINK_LIFETIME = 300


def requirements(due: list[str], disabled_reason: str | None) -> dict:
    return {
        "alternatives": [],
        "current_deadline": None,
        "currently_due": list(due),
        "disabled_reason": disabled_reason,
        "errors": [],
        "eventually_due": list(due),
        "past_due": list(due),
        "pending_verification": [],
    }


def _requested(params: dict) -> list[str]:
    names = []
    for name, value in forms.mapping(params, "capabilities").items():
        if name not in CAPABILITIES:
            raise invalid(f"Invalid capabilities[{name}]: unknown capability", param=f"capabilities[{name}]")
        if forms.boolean(value if isinstance(value, dict) else {}, "requested"):
            names.append(name)
    return names


@route("POST", "/v1/accounts")
def create_account(store: Store, call: Call):
    params = call.params
    forms.check_known(params, ACCOUNT_PARAMS)
    controller = forms.mapping(params, "controller")
    kind = forms.choice(params, "type", ("express", "standard", "custom"))
    if kind is None and not controller:
        raise invalid(
            "You must provide either `type` or `controller` when creating an account.", param="type"
        )
    kind = kind or "none"
    country = (forms.text(params, "country") or "US").upper()
    if len(country) != 2 or not country.isalpha():
        raise invalid(f"Invalid country: {country}", param="country")
    requested = _requested(params)
    if not requested and kind in ("express", "custom"):  # the platform's default capabilities
        requested = ["card_payments", "transfers"]
    business_type = forms.choice(
        params, "business_type", ("individual", "company", "non_profit", "government_entity")
    )
    account = {
        "id": store.new_id("acct"),
        "object": "account",
        "business_profile": {
            "mcc": None,
            "name": None,
            "product_description": None,
            "support_email": None,
            "support_phone": None,
            "support_url": None,
            "url": None,
        }
        | {
            key: value
            for key, value in forms.mapping(params, "business_profile").items()
            if isinstance(value, str)
        },
        "business_type": business_type,
        "capabilities": dict.fromkeys(requested, "inactive"),
        "charges_enabled": False,
        "controller": {
            "type": "application",
            "is_controller": True,
            "requirement_collection": "stripe",
            "losses": {"payments": "application"},
            "fees": {"payer": "application"},
            "stripe_dashboard": {"type": kind if kind in ("express", "none") else "full"},
        },
        "country": country,
        "created": now(),
        "default_currency": forms.text(params, "default_currency") or CURRENCY_OF_COUNTRY.get(country, "eur"),
        "details_submitted": False,
        "email": forms.text(params, "email"),
        "external_accounts": {"object": "list", "data": [], "has_more": False, "total_count": 0, "url": ""},
        "future_requirements": requirements([], None),
        "livemode": False,
        "metadata": forms.apply_metadata({}, params.get("metadata")),
        "payouts_enabled": False,
        "requirements": requirements(CURRENTLY_DUE, "requirements.past_due"),
        "settings": {
            "payouts": {
                "debit_negative_balances": True,
                "schedule": {"delay_days": 2, "interval": "daily"},
                "statement_descriptor": None,
            }
        },
        "tos_acceptance": {"date": None},
        "type": kind,
    }
    account["external_accounts"]["url"] = f"/v1/accounts/{account['id']}/external_accounts"
    store.add(account)
    return render(store, account, expand_paths(call))


@route("GET", "/v1/accounts/{account_id}")
def retrieve_account(store: Store, call: Call, account_id: str):
    return render(store, store.require(account_id, "account"), expand_paths(call))


@route("GET", "/v1/account")
def retrieve_platform_account(store: Store, call: Call):
    return {
        "id": PLATFORM_ACCOUNT,
        "object": "account",
        "charges_enabled": True,
        "payouts_enabled": True,
        "country": "US",
        "default_currency": "usd",
        "details_submitted": True,
        "type": "standard",
        "email": "platform@fake-stripe.invalid",
        "metadata": {},
        "livemode": False,
    }


@route("POST", "/v1/accounts/{account_id}")
def update_account(store: Store, call: Call, account_id: str):
    params = call.params
    forms.check_known(params, ACCOUNT_PARAMS - {"type", "country", "controller"})
    account = store.require(account_id, "account")
    before = copy.deepcopy(account)
    if "email" in params:
        account["email"] = forms.text(params, "email")
    if "business_type" in params:
        account["business_type"] = forms.text(params, "business_type")
    for key, value in forms.mapping(params, "business_profile").items():
        if key in account["business_profile"]:
            account["business_profile"][key] = value or None
    account["metadata"] = forms.apply_metadata(account["metadata"], params.get("metadata"))
    for name in _requested(params):
        active = account["details_submitted"] and account["payouts_enabled"]
        account["capabilities"].setdefault(name, "active" if active else "inactive")
    emit_account_updated(store, account, before, call)
    return render(store, account, expand_paths(call))


def emit_account_updated(store: Store, account: dict, before: dict, call: Call | None) -> None:
    previous = changed(before, account)
    if previous:
        store.emit("account.updated", account, call, previous)


@route("DELETE", "/v1/accounts/{account_id}")
def delete_account(store: Store, call: Call, account_id: str):
    account = store.require(account_id, "account")
    del store.objects[account["id"]]
    return {"id": account["id"], "object": "account", "deleted": True}


@route("GET", "/v1/accounts")
def list_accounts(store: Store, call: Call):
    created = call.params.get("created")
    since = forms.integer(created, "gte") if isinstance(created, dict) else None
    accounts = [account for account in store.all("account") if since is None or account["created"] >= since]
    return page(store, accounts, call, "/v1/accounts")


@route("POST", "/v1/account_links")
def create_account_link(store: Store, call: Call):
    params = call.params
    forms.check_known(
        params, {"account", "refresh_url", "return_url", "type", "collect", "collection_options"}
    )
    account = store.require(forms.text(params, "account", required=True), "account", param="account")
    kind = forms.choice(params, "type", ("account_onboarding", "account_update"))
    if kind is None:
        raise forms.missing("type")
    refresh_url = forms.text(params, "refresh_url", required=True)
    return_url = forms.text(params, "return_url", required=True)
    for name, url in (("refresh_url", refresh_url), ("return_url", return_url)):
        if not url.startswith(("http://", "https://")):
            raise invalid(f"Invalid URL: {url}", param=name)
    if kind == "account_update" and not account["details_submitted"]:
        raise invalid(
            "You cannot create `account_update` type Account Links for this account until it has "
            "completed onboarding. Use `account_onboarding` instead.",
            param="type",
        )
    token = random_token(32)
    created = now()
    store.links[token] = {
        "account": account["id"],
        "refresh_url": refresh_url,
        "return_url": return_url,
        "expires_at": created + LINK_LIFETIME,
        "used": False,
    }
    return {
        "object": "account_link",
        "created": created,
        "expires_at": created + LINK_LIFETIME,
        "url": f"{call.base_url}/_fake/onboarding/{token}",
    }


def complete_onboarding(store: Store, account: dict, call: Call | None) -> None:
    before = copy.deepcopy(account)
    account["capabilities"] = dict.fromkeys(account["capabilities"], "active")
    account.update(
        details_submitted=True,
        charges_enabled="card_payments" in account["capabilities"],
        payouts_enabled=True,
        requirements=requirements([], None),
        tos_acceptance={"date": now(), "ip": "127.0.0.1", "user_agent": "fake-stripe"},
    )
    if not account["external_accounts"]["data"]:
        set_bank_account(account, "6789")
    emit_account_updated(store, account, before, call)


def set_bank_account(account: dict, last4: str) -> dict:
    """Make a new test bank account the account's only external account (payouts go to it)."""
    bank = {
        "id": Store.new_id("ba"),
        "object": "bank_account",
        "account": account["id"],
        "bank_name": "STRIPE TEST BANK",
        "country": account["country"],
        "currency": account["default_currency"],
        "default_for_currency": True,
        "last4": last4,
        "routing_number": "110000000",
        "status": "new",
    }
    account["external_accounts"].update(data=[bank], total_count=1)
    return bank


def set_payouts(store: Store, account: dict, enabled: bool, call: Call | None) -> None:
    before = copy.deepcopy(account)
    account["payouts_enabled"] = enabled
    due = [] if enabled else ["external_account"]
    account["requirements"] = requirements(due, None if enabled else "requirements.past_due")
    emit_account_updated(store, account, before, call)
