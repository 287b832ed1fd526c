"""Browser-facing fake pages: the hosted onboarding behind account links, the 3-D Secure challenge of a
``redirect_to_url`` next action, and the fake-only account controls that tests use."""

import html
from urllib.parse import urlencode, urlsplit, urlunsplit

from escrow.fake_stripe import forms
from escrow.fake_stripe.connect import complete_onboarding, set_payouts
from escrow.fake_stripe.errors import invalid
from escrow.fake_stripe.payment_intents import authenticate, check_client_secret
from escrow.fake_stripe.routes import Raw, route
from escrow.fake_stripe.store import Call, Store, now, render


def redirect(url: str) -> Raw:
    return Raw(302, b"", headers={"Location": url, "Cache-Control": "no-store"})


def page_html(title: str, body: str, status: int = 200) -> Raw:
    document = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} · fake Stripe</title></head><body><main>"
        f"<h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    return Raw(status, document.encode(), headers={"Cache-Control": "no-store"})


@route("GET", "/_fake/onboarding/{token}", auth="none")
def follow_account_link(store: Store, call: Call, token: str):
    link = store.links.get(token)
    if link is None:
        return page_html(
            "Unknown link", "<p>This onboarding link does not exist (was the fake reset?).</p>", 404
        )
    if link["used"] or link["expires_at"] < now():
        return redirect(link["refresh_url"])
    link["used"] = True
    account = store.objects.get(link["account"])
    if account is None:
        return redirect(link["refresh_url"])
    complete_onboarding(store, account, call)
    return redirect(link["return_url"])


@route("GET", "/_fake/3ds/{pi_id}", auth="none")
def three_d_secure_page(store: Store, call: Call, pi_id: str):
    pi = store.require(pi_id, "payment_intent", label="payment_intent")
    call.key_kind = "publishable"
    check_client_secret(pi, call)
    secret = html.escape(pi["client_secret"])
    buttons = "".join(
        f"<form method='post'><input type='hidden' name='client_secret' value='{secret}'>"
        f"<input type='hidden' name='outcome' value='{outcome}'>"
        f"<button type='submit' data-fake-stripe-3ds='{label_id}'>{label}</button></form>"
        for outcome, label_id, label in (
            ("succeed", "complete", "Complete authentication"),
            ("fail", "fail", "Fail authentication"),
        )
    )
    amount = f"{pi['amount']} {pi['currency'].upper()} (minor units)"
    return page_html("3D Secure authentication", f"<p>Test payment of {html.escape(amount)}.</p>{buttons}")


@route("POST", "/_fake/3ds/{pi_id}", auth="none")
def three_d_secure_submit(store: Store, call: Call, pi_id: str):
    pi = store.require(pi_id, "payment_intent", label="payment_intent")
    call.key_kind = "publishable"
    check_client_secret(pi, call)
    outcome = forms.choice(call.params, "outcome", ("succeed", "fail"), "succeed")
    return_url = store.hidden(pi["id"]).get("return_url")
    authenticate(store, pi, outcome, call)
    if not return_url:
        return page_html("Authentication finished", "<p>You can close this window.</p>")
    parts = urlsplit(return_url)
    query = urlencode(
        {
            "payment_intent": pi["id"],
            "payment_intent_client_secret": pi["client_secret"],
            "redirect_status": "succeeded" if pi["status"] == "succeeded" else "failed",
        }
    )
    return redirect(urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query)))


@route("POST", "/_fake/accounts/{account_id}/disable_payouts", auth="none")
def disable_payouts(store: Store, call: Call, account_id: str):
    account = store.require(account_id, "account")
    set_payouts(store, account, False, call)
    return render(store, account)


@route("POST", "/_fake/accounts/{account_id}/enable_payouts", auth="none")
def enable_payouts(store: Store, call: Call, account_id: str):
    account = store.require(account_id, "account")
    if not account["details_submitted"]:
        raise invalid("This account has not completed onboarding; open an account link first.")
    set_payouts(store, account, True, call)
    return render(store, account)


@route("GET", "/_fake/receipts/{charge_id}", auth="none")
def receipt(store: Store, call: Call, charge_id: str):
    charge = store.require(charge_id, "charge")
    text = f"{charge['amount']} {charge['currency'].upper()} (minor units), {charge['status']}"
    return page_html("Receipt", f"<p>{html.escape(charge['id'])}: {html.escape(text)}</p>")
