"""The off-platform contact check against the labelled fixture, and per kind."""

import pytest

from messaging.contact_check import KINDS, contact_findings
from tests.messaging.fixtures.contact_messages import DISGUISED, INNOCENT


def test_fixture_is_big_enough_and_labelled():
    assert len(DISGUISED) >= 60
    assert len(INNOCENT) >= 60
    assert all(kinds and kinds <= set(KINDS) for _text, kinds in DISGUISED)
    assert all(label for _text, label in INNOCENT)


def test_detection_and_false_positive_rates(capsys):
    missed = [text for text, _kinds in DISGUISED if not contact_findings(text)]
    flagged = [(text, contact_findings(text)) for text, _label in INNOCENT if contact_findings(text)]
    detection = 1 - len(missed) / len(DISGUISED)
    false_positives = len(flagged) / len(INNOCENT)
    with capsys.disabled():
        print(
            f"\ncontact check: detection {detection:.1%} ({len(DISGUISED) - len(missed)}/{len(DISGUISED)}),"
            f" false positives {false_positives:.1%} ({len(flagged)}/{len(INNOCENT)})"
        )
    assert detection >= 0.90, missed
    assert false_positives <= 0.05, flagged


def test_each_disguise_is_found_as_one_of_its_labelled_kinds():
    wrong = [(text, kinds, contact_findings(text)) for text, kinds in DISGUISED]
    wrong = [row for row in wrong if row[2] and not set(row[2]) & row[1]]
    assert wrong == []


@pytest.mark.parametrize(
    "text",
    [
        "write to ana.lopez@example.org",
        "ana at example dot org",
        "ana(at)example(dot)org",
        "a n a @ e x a m p l e . o r g",
        "ana [at] gmail",
        "my yahoo is ana1990",
    ],
)
def test_email(text):
    assert contact_findings(text) == ["email"]  # an address's domain is not also a link


@pytest.mark.parametrize(
    "text",
    [
        "call 212 555 0199 please",
        "(212) 555-0199",
        "212.555.0199",
        "2 1 2 5 5 5 0 1 9 9",
        "two one two five five five zero one nine nine",
        "2one2 555 oh1 double nine",
        "+44 20 7946 0958",
        "my phone is 555 0199 3",
    ],
)
def test_phone(text):
    assert contact_findings(text) == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "paypal.me/ana",
        "my Venmo is ana-l",
        "cash app $AnaL",
        "zelle works",
        "send it through Wise",
        "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "USDT (TRC20): TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE",
        "sent you a request on LinkedIn, search my name",
        "let's move to telegram: @ana_l",
        "add me on Skype",
        "just text me",
    ],
)
def test_payment_and_messaging_handles(text):
    assert "payment_handle" in contact_findings(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://ana.example.net/about",
        "www.analopez.studio",
        "analopez.design",
        "analopez dot net",
        "github.com/analopez",
        "meet.google.com/abc-defg-hij",
        "hxxp://ana[.]net",
    ],
)
def test_link(text):
    assert contact_findings(text) == ["link"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "The docs are on docs.djangoproject.com and the repo is github.com/django/django.",
        "Files: logo.ai, settings.py, README.md; use user.id and df.at.",
        "Meet at the milestone review, at 10:30, and send an email at the end.",
        "ISBN 978-3-16-148410-0 and SKU 4006381333931 for the catalogue.",
        "WhatsApp-style ticks, and the $PATH must include /usr/bin.",
        "We will announce the launch on LinkedIn and sign users in with Facebook.",
        "Order number 2026-0142, build number 20261206.1.",
    ],
)
def test_innocent(text):
    assert contact_findings(text) == []


def test_links_to_this_site_pass_and_others_do_not(settings):
    settings.SITE_URL = "https://market.example.com"
    assert contact_findings("see https://market.example.com/jobs/12/ for the brief") == []
    assert contact_findings("see www.market.example.com/jobs/12/") == []
    assert contact_findings("see https://elsewhere.example.com/jobs/12/") == ["link"]


def test_kinds_come_in_a_fixed_order_once_each():
    text = "mail ana@example.org, call +1 212 555 0199, paypal.me/ana, ana.dev, ana@example.org again"
    assert contact_findings(text) == ["email", "phone", "payment_handle", "link"]


@pytest.mark.parametrize(
    "text",
    [
        "happy to take payment over PayPal",
        "Zelle is easiest for me",
        "Payoneer preferred, I'll send my details",
        "I'll invoice you through PayPal directly",
        "crypto is fine for me, ETH or USDC",
        "venmo @mike-b-7",
        "send payment to my PayPal please",
        "I'll give you a discount if we do this off-site",
        "Zelle or Venmo, your choice",
        "the deposit can go to my Monzo, sort code 04-00-04",
        "bank transfer is fine, let's skip the escrow",
        "my tiktok is @loupaints, DM there",
        "hit me up on IG, @lou.paints",
        "add me: discord dana_o#1234",
    ],
)
def test_a_payment_app_used_to_pay_is_a_handle(text):
    assert "payment_handle" in contact_findings(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can customers pay with PayPal on the mobile checkout?",
        "We're switching from PayPal to Stripe next quarter.",
        "Please reconcile the PayPal payouts with the Shopify orders.",
        "Show a 'Pay with PayPal' button under the cart.",
        "Venmo for Business charges 1.9% + 10c, please show that in the fee table.",
        "Should we show prices in BTC as well as USD?",
        "We moved the backups off-site last year.",
        "The Wise transfer fees table is wrong in the FAQ.",
        "Refunds are sent back to PayPal automatically after 5 days.",
        "I'm @ the office till 6, my fix is @cached_property.",
    ],
)
def test_a_payment_app_named_as_a_product_is_not(text):
    assert contact_findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "We use sentry.io for errors and datadoghq.com for logs.",
        "Copy the layout of the pricing table on linear.app.",
        "Images will be served from our S3 bucket, cdn.ourshop.io.",
        "Our shop runs on shopify.com, theme Dawn.",
        "{{ profile.website }} is empty for new users.",
        "Our VAT number is GB 123 4567 89.",
        "I tested on Chrome 124.0.6367.91 and Firefox 125.0.3.",
        "The hero video is on vimeo.com, can we self-host it?",
        "Our newsletter is sent with mailchimp.com, the template is attached.",
        "Point the CNAME at our-app.herokuapp.com.",
    ],
)
def test_third_party_sites_and_numbers_that_are_not_contacts(text):
    assert contact_findings(text) == []


@pytest.mark.parametrize(
    "text",
    ["more work at mike-brown.photography", "see mike-brown.vercel.app", "book a slot at calendly.com/mikeb"],
)
def test_sites_under_newer_top_level_domains(text):
    assert contact_findings(text) == ["link"]
