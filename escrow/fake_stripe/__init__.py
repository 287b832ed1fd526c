"""A local fake of the Stripe API, for development (``make run``) and tests only — never for production.

It is our own code, Python's standard library only, and runs standalone (no Django, no ``stripe``):
``python -m escrow.fake_stripe --port 12111``. The official ``stripe`` library talks to it through
``StripeClient(api_key="sk_test_...", base_addresses={"api": "http://127.0.0.1:12111", ...})``.

It pins the Stripe behaviours the escrow relies on, as documented by Stripe:

- form-encoded requests with bracket notation, ``Authorization: Bearer sk_test_...`` (a ``pk_test_`` key
  may only create PaymentMethods and read / confirm a PaymentIntent with its client secret, as Stripe.js
  does), unknown parameters refused, Stripe's error shapes and statuses (400 / 401 / 402 / 404 / 500);
- Idempotency-Key replay (same response byte for byte, ``Idempotent-Replayed: true``, no new object or
  event) and ``idempotency_error`` when a key is reused with other parameters;
- PaymentIntents with the documented test cards: success, declines (``card_declined`` with
  ``generic_decline`` / ``insufficient_funds``...), 3-D Secure (``requires_action``; off-session:
  ``authentication_required``), saved cards via ``setup_future_usage``, Charges and their balance
  transactions; since API version 2023-08-16 automatic payment methods are on by default, so a
  server-side confirmation without ``return_url`` needs ``payment_method_types`` or
  ``automatic_payment_methods[allow_redirects]=never``;
- refunds with partial-refund arithmetic; Connect Express accounts, account links and onboarding;
  transfers (``source_transaction``, ``transfer_group``, capability and balance checks) and reversals;
- disputes (chargebacks) on charges: the disputed amount and the dispute fee taken from the balance,
  returned if won, and their ``charge.dispute.*`` events;
- events for every state change, webhook endpoints, and signed delivery (``Stripe-Signature``).

Fake-only endpoints live under ``/_fake/`` (reset, fault injection, webhook flush / pause / resume,
3-D Secure completion, onboarding pages, a bank's disputes) and a stand-in Stripe.js is served at
``/js.stripe.com/v3/``.
See ``server.py`` for the request flow and each module for its resource family.
"""
