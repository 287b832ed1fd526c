"""Payment handles, messaging-app handles and offers to be paid around the platform.

Payment handles: PayPal (paypal.me, "pay pal"), Venmo, Cash App ($cashtag only with the app named —
"$PATH" or "$AAPL" alone are not handles), Zelle, Revolut, Payoneer, Skrill, Western Union, Wise
(only as "via/through/my Wise" or "Wise transfer/account"), BTC, LTC, ETH and TRON addresses; WhatsApp,
Telegram, Signal, Skype, WeChat, Discord, Viber, Snapchat and Instagram only with a contact cue ("on
WhatsApp", "my skype", "WeChat ID:", "@handle") so "WhatsApp-style receipts" is a feature, not a
handle; LinkedIn, Facebook, Twitter and Messenger only as "my …", "find / add me on …", "connect on
…" (not "we announce it on LinkedIn"); and "text me", "call me", "ring me". A payment app named as
the product the work is about ("PayPal and Stripe checkout", "a Venmo-style feed", "the Cash App
logo", "integrate Venmo", "PayPal's buyer protection") is not a handle. Being paid around the
platform counts without any account named: "outside the platform", "skip the 10% fee", "pay me
directly".
"""

import re

_APPS = (
    "whatsapp|whats app|telegram|tg|signal|skype|wechat|we chat|discord|viber|snapchat|instagram"
    "|insta|kik|imessage|facetime"
)
# Social networks: people post "on LinkedIn" innocently, so only "my …", "find / add / message me
# on …", "connect on …" or a request sent there count.
_SOCIAL = "linkedin|facebook|twitter|messenger"
# Payment apps named on their own count ("zelle works", "my venmo is …"), except as a product the
# work is about: "PayPal and Stripe checkout", "a Venmo-style feed", "the PayPal SDK".
_PAYMENT_APP_RE = re.compile(
    r"\bpay\s*pal\b|\bvenmo\b|\bcash\s*app\b|\bcash\s*tag\b|\bzelle\b|\brevolut\b|\bpayoneer\b"
    r"|\bskrill\b|\bwestern\s+union\b|\bmoney\s*gram\b",
    re.I,
)
_PRODUCT_FEATURE_AFTER_RE = re.compile(
    r"-?\s?(?:style|like)\b"
    r"|(?:\s*(?:,|\band\b|\bor\b|&|/)\s*\w+(?:\s+pay)?){0,2}\s+"
    r"(?:checkout|integration|button|buttons|api|sdk|plugin|gateway|webhooks?|sandbox|ipn|express|clone"
    r"|feed|logo|icon|options?|methods?)\b",
    re.I,
)
_PAYMENT_RES = [
    re.compile(p, re.I)
    for p in (
        r"\bpaypal\.me\b|\bpp\.me\b",
        r"\b(?:via|through|using|with|by|my|on|over)\s+wise\b|\bwise\s+(?:transfer|account|tag|me)\b",
        r"\b(?:bc1[a-z0-9]{25,60}|ltc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b",
        r"\b0x[a-fA-F0-9]{40}\b",
        r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b",  # TRON (USDT TRC20)
        r"\b(?:iban|swift|bic)\s*[:#]?\s*[A-Z]{2}\d{2}[A-Z0-9 ]{10,30}",
        # Messaging apps, only with a cue that makes them a way to reach someone.
        # ("Share on WhatsApp" is a button, not a way to reach the sender.)
        rf"(?<!share )\b(?:on|via|over|through|my|(?:add|message|msg|dm|find|reach) me on)"
        rf"\s+(?:{_APPS})\b(?!-)",
        rf"\b(?:{_APPS})\s*(?:me\b|id\b|handle\b|number\b|user(?:name)?\b|:\s*[@+\w]|@)",
        rf"\b(?:{_APPS})\s+\+?\d",
        rf"\b(?:my|(?:add|find|message|msg|dm|follow|reach|contact) me on|connect(?:ed)? on|request on)"
        rf"\s+(?:{_SOCIAL})\b",
        r"\b(?:text|call|ring|phone|sms|message|msg|dm|whatsapp|telegram)\s+me\b(?!\s+here\b)",
        r"\bt\.me/\w+|\bwa\.me/\d+",
        r"\bsnap(?:chat)?(?:\s+me)?\s*:\s*@?\w|\bmy\s+snap\b|\b(?:add|find|follow|dm|message)\s+me\s+on\s+snap\b",
        # Being paid around the platform, with or without an account named.
        r"\boutside\s+(?:of\s+)?(?:the|this)\s+(?:platform|site|marketplace)(?!['\w])",
        r"\boff[- ]platform\b|\boff\s+(?:the|this)\s+platform\b",
        r"\b(?:skip|avoid|save|bypass|dodge|cut\s+out)\s+(?:on\s+)?"
        r"(?:the\s+|their\s+|your\s+|platform\s+|site\s+|service\s+|\d+\s*%\s+)*(?:fees?|commission)\b",
        r"\bpay\s+(?:me|you|us)\s+(?:directly|direct|outside|off[- ]platform|privately|in\s+cash)\b",
    )
]


# The company rather than an account: "PayPal's buyer protection" (but "my PayPal's under …" is an
# account), "integrate Venmo", "support Zelle".
_COMPANY_POSSESSIVE_AFTER_RE = re.compile(r"['\u2019]s\b")
_BUILD_VERB_BEFORE_RE = re.compile(
    r"\b(?:integrate|implement|support|add|enable|embed)s?\s+(?:\w+\s+)?$", re.I
)
_MY_BEFORE_RE = re.compile(r"\bmy\s+$", re.I)


def _names_payment_app(text: str) -> bool:
    for match in _PAYMENT_APP_RE.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        if _PRODUCT_FEATURE_AFTER_RE.match(text, match.end()) or _BUILD_VERB_BEFORE_RE.search(before):
            continue
        if _COMPANY_POSSESSIVE_AFTER_RE.match(text, match.end()) and not _MY_BEFORE_RE.search(before):
            continue
        return True
    return False


def has_payment_handle(text: str) -> bool:
    return _names_payment_app(text) or any(pattern.search(text) for pattern in _PAYMENT_RES)
