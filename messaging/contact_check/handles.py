"""Payment handles, messaging-app handles and offers to be paid around the platform.

Payment apps — PayPal ("pay pal"), Venmo, Cash App, Zelle, Revolut, Payoneer, Skrill, Western Union,
MoneyGram — are named all the time as the product the work is about ("PayPal Pay Later on the shop",
"export the Revolut statements", "'Pay with Venmo' once Braintree approves", "integrate Venmo",
"PayPal's buyer protection", "a Venmo-style feed"). So naming one is not a handle; it is one when
the sentence uses it to pay or be paid: the sender's account ("my Venmo", "my PayPal's under …",
"Zelle me", "venmo: jake_m", "zelle to 646-…"), an @handle or $cashtag in the message ("$PATH",
"$AAPL" in capitals are not), money sent or received through it by the people of this conversation
("send the deposit by Western Union", "get paid on Payoneer", "pay me on pay pal" — not "customers
pay with PayPal at checkout"), "I take / accept / prefer …", "zelle works", "Payoneer preferred",
"Zelle or Venmo, your choice", "… is easiest for me", "friends & family". A label in quotes names
the app, it does not use it. Crypto is the same: named as money only with those cues ("pay me in
USDT", "crypto is fine for me"); wallet addresses count on their own (BTC, LTC, ETH, TRON, and any
base58 string of 32 to 44 mixed characters such as a Solana address); so do "paypal.me/…", Wise only
as "via / through / my Wise" or "a Wise transfer", IBANs, and bank details offered ("I'll send my
IBAN", "my bank details", a sort code or account number). Banking apps (Monzo, N26, Apple Pay, Pix,
UPI…) follow the payment apps' rule.

Messaging apps — WhatsApp, Telegram, Signal, Skype, WeChat, Discord, Viber, Snapchat, Instagram —
only with a contact cue ("on WhatsApp", "my skype", "WeChat ID:", "Discord tag", "take this to
Telegram", or an @handle in the same message), so "WhatsApp-style receipts" is a feature, not a
handle; an @handle given as the sender's own counts whatever the app ("I'm @lou", "my tiktok is
@lou", "hit me up on IG, @lou", "@lou, DM me there") — not "@" written for "at" ("I'm @ the
office"), CSS at-rules or common decorators; apps whose names are everyday words (Line, Wire, Teams,
Slack, Zoom, Session…) only with "my … ID / handle" or "add / message me on …"; LinkedIn, Facebook,
Twitter and Messenger only as "my …", "find / add me on …", "connect on …" (not "we announce it on
LinkedIn"); and "text me", "call me", "ring me". Being paid around the platform counts without any
account named: "outside the platform / outside of here", "do this off-site" (not "off-site
backups"), "skip the 10% fee", "less fees for you", "skip the escrow", "pay me directly", "sort
payment privately", "pay outside Upwork", "off the books", "under the table".
"""

import re

from .emails import EMAIL_RE
from .vocabulary import listed

_APPS = (
    "whatsapp|whats app|telegram|tg|signal|skype|wechat|we chat|discord|viber|snapchat|instagram"
    "|insta|kik|imessage|facetime"
)
_WORDY_APPS = (
    "line|kakao\\s*talk|kakao|zalo|threema|wire|session|element|matrix|icq|qq|teams|slack|zoom"
    "|hangouts|google\\s+chat"
)
# Social networks: people post "on LinkedIn" innocently, so only "my …", "find / add / message me
# on …", "connect on …" or a request sent there count.
_SOCIAL = "linkedin|facebook|twitter|messenger"
# Payment apps. Naming one is not a handle: clients name them all the time as the product the work is
# about ("PayPal Pay Later on the shop", "export the Revolut statements", "a Venmo-style feed"). It is
# one when the message uses the app to pay or be paid (see ``_pays_through_app``).
_PAYMENT_APP_RE = re.compile(
    r"\bpay\s*pal\b|\bvenmo\b|\bcash\s*app\b|\bcash\s*tag\b|\bzelle\b|\brevolut\b|\bpayoneer\b"
    r"|\bskrill\b|\bwestern\s+union\b|\bmoney\s*gram\b|\bmonzo\b|\bn26\b|\bchime\b|\bstarling\b"
    r"|\bapple\s+(?:pay|cash)\b|\bgoogle\s+pay\b|\bali\s*pay\b|\bpaytm\b|\bupi\b|\bgcash\b|\bm-?pesa\b|\bpix\b",
    re.I,
)
# Crypto named as money: only with a verb of paying ("pay me in USDT", "paid in crypto").
_CRYPTO_RE = re.compile(
    r"\b(?:crypto|bitcoin|btc|usdt|usdc|tether|eth|ether|ethereum|solana|sol|litecoin|ltc|doge|dogecoin|xrp)\b",
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
        r"\b(?:via|through|using|with|by|my|on|over)\s+wise\b|\bwise\s+(?:tag|me)\b"
        r"|\b(?:a|by|via)\s+wise\s+(?:transfer|account)\b|\bwise\s+(?:transfer|account)\s+(?:is|to|:)",
        r"\b(?:bc1[a-z0-9]{25,60}|ltc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b",
        r"\b0x[a-fA-F0-9]{40}\b",
        r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b",  # TRON (USDT TRC20)
        # Any other wallet-shaped base58 string (Solana, …): 32 to 44 characters, see _wallet_like.
        r"\b(?:iban|swift|bic)\s*[:#]?\s*[A-Z]{2}\d{2}[A-Z0-9 ]{10,30}",
        # Bank details offered or given: "I'll send my IBAN", "sort code 04-00-04".
        r"\bmy\s+(?:iban|bank\s+(?:details|account|info)|account\s+details|payment\s+details|routing\s+number"
        r"|sort\s+code|swift|bic)\b|\bsort\s*code\s*(?:is|:)?\s*\d{2}[- ]?\d{2}[- ]?\d{2}\b"
        r"|\b(?:routing|account)\s+(?:number|no\.?|#)\s*(?:is|:)?\s*\d{6,}",
        # Messaging apps, only with a cue that makes them a way to reach someone.
        # ("Share on WhatsApp" is a button, not a way to reach the sender.)
        rf"(?<!share )\b(?:on|via|over|through|my|(?:add|message|msg|dm|find|reach) me on)"
        rf"\s+(?:{_APPS})\b(?!-)",
        rf"\b(?:{_APPS})\s*(?:me\b|id\b|handle\b|tag\b|number\b|user(?:name)?\b|:\s*[@+\w]|@)",
        rf"\b(?:{_APPS})\s+\+?\d",
        rf"\b(?:my|(?:add|find|message|msg|dm|follow|reach|contact) me on|connect(?:ed)? on|request on)"
        rf"\s+(?:{_SOCIAL})\b",
        r"\b(?:text|call|ring|phone|sms|message|msg|dm|whatsapp|telegram)\s+me\b(?!\s+here\b)",
        r"\bt\.me/\w+|\bwa\.me/\d+",
        r"\bsnap(?:chat)?(?:\s+me)?\s*:\s*@?\w|\bmy\s+snap\b|\b(?:add|find|follow|dm|message)\s+me\s+on\s+snap\b",
        # Being paid around the platform, with or without an account named.
        r"\boutside\s+(?:of\s+)?(?:(?:the|this)\s+(?:platform|site|marketplace|app)(?!['\w])|here\b)",
        r"\b(?:do|take|move|continue|keep|handle|settle|finish|deal|pay)\w*\s+(?:(?:this|it|things|me|you"
        r"|the\s+(?:rest|deal|payment|work))\s+)?off[- ]site\b",
        r"\b(?:less|fewer|no|lower|zero)\s+(?:platform\s+|site\s+|service\s+)?(?:fees?|commission)\s+for\s+"
        r"(?:you|us|both)\b",
        r"\boff[- ]platform\b|\boff\s+(?:the|this)\s+platform\b",
        r"\b(?:skip|avoid|save|bypass|dodge|cut\s+out)\s+(?:on\s+)?"
        r"(?:the\s+|their\s+|your\s+|platform\s+|site\s+|service\s+|\d+\s*%\s+)*(?:fees?|commission)\b",
        r"\bpay\s+(?:me|you|us)\s+(?:directly|direct|outside|off[- ]platform|privately|in\s+cash)\b",
        r"\b(?:skip|avoid|bypass|dodge|cut\s+out|without)\s+(?:the\s+)?(?:escrow|middleman|middle\s+man)\b",
        r"\b(?:pay|paid|paying|payment|settle|sort\s+(?:out\s+)?payment)\w*(?:\s+\w+){0,2}?\s+"
        r"(?:privately|outside\b(?!\s+(?:of\s+)?(?:business|office|working|opening|the\s+(?:eu|us|uk))))",
        r"\bdiscord\b[^.!?\n]{0,30}?[\w.]{2,32}#\d{4}\b",
        r"\boff\s+the\s+books\b|\bunder\s+the\s+table\b(?=[^.!?\n]{0,40}\b(?:pay|paid|payment|cash|money|deal))"
        r"|\b(?:pay|paid|payment|cash|money|deal)\w*\b[^.!?\n]{0,40}\bunder\s+the\s+table\b",
        # Taking the conversation to a messaging app: "let's take this to Telegram".
        rf"\b(?:take|move|switch|continue|carry\s+on|shift|chat|talk)\w*"
        rf"(?:\s+(?:this|it|things|the\s+(?:chat|conversation|discussion)))?\s+(?:over\s+)?(?:to|onto)\s+(?:{_APPS})\b",
        # Apps whose names are also everyday words ("line", "wire", "teams", "session"): only their
        # handles ("my Line ID is …", "Threema ID: …") or "add / message me on …".
        rf"\bmy\s+(?:{_WORDY_APPS})\s+(?:id|handle|user\s*name)\b"
        rf"|\b(?:add|find|message|msg|dm|ping|reach|contact|text|call)\s+me\s+(?:on|via)\s+(?:{_WORDY_APPS})\b"
        rf"|\b(?:{_WORDY_APPS})\s+(?:id|handle|user\s*name)\s*(?:is|:)\s*@?(?=[\w.-]*[a-z])(?=[\w.-]*[\d._])[\w.-]{{3,}}",
    )
]


# The company rather than an account: "PayPal's buyer protection" (but "my PayPal's under …" is an
# account), "integrate Venmo", "support Zelle".
_COMPANY_POSSESSIVE_AFTER_RE = re.compile(r"['\u2019]s\b")
_BUILD_VERB_BEFORE_RE = re.compile(
    r"\b(?:integrate|implement|support|add|enable|embed)s?\s+(?:\w+\s+)?$", re.I
)
_MY_BEFORE_RE = re.compile(r"\bmy\s+$", re.I)

# What makes a named app a way to pay the sender, looked for in the sentence that names it:
# the sender's account ("my Venmo", "Zelle me", "venmo: jake_m", "PayPal is @ana"), a handle or
# cashtag in the message, money sent or received through it ("send the deposit by Western Union",
# "get paid on Payoneer", "pay me in USDT"), "I take / accept / prefer Zelle", "zelle works".
_APP_ME_AFTER_RE = re.compile(
    r"\s+me\b|\s*@(?=[a-z])|\s+(?:to|at|on)(?:\s+my)?\s*(?:\+?\(?\d[\d\s().-]{6,}\d|[@$][a-z])|\s+(?:friends\s*(?:&|and|n)\s*family|f\s*&\s*f|goods\s+and\s+services)\b",
    re.I,
)
_APP_HANDLE_AFTER_RE = re.compile(
    r"\s*(?:['\u2019]s\s+under|\s+(?:handle|tag|id|user\s*name|account|name))?"
    r"\s*(?:\bis\b|[:=\u2192]|-(?=\s))\s*([@$]?[\w.-]+)",
    re.I,
)
# "zelle works", "Payoneer preferred", "Zelle is easiest for me", "it's quicker for me".
_APP_SUITS_ME_AFTER_RE = re.compile(
    r"[,\s]*(?:(?:works|preferred|please|(?:it['\u2019]?s|is)\s+(?:fine|ok|okay|best|easiest|preferred))"
    r"(?:\s+too)?\s*(?:[,.!;)]|$)"
    r"|,?\s*(?:your\s+(?:choice|call|pick)|whichever\s+you\s+(?:like|prefer|want)|either\s+(?:works|is\s+fine))"
    r"|(?:works|preferred|(?:it['\u2019]?s|is)\s+(?:\w+\s+)?\w+)(?:\s+too)?\s+for\s+(?:me|us|both\s+of\s+us)\b)",
    re.I,
)
# An @handle or $cashtag ("$PATH", "$AAPL" in capitals are a variable or a ticker; "@Input(" and
# "@click=" are code). Spaces around "@" are closed by ``normalise``, so a handle may follow a word
# ("I'm@rosa"); the domain of an email address is not a handle.
_AT_HANDLE_RE = re.compile(r"@[A-Za-z][\w.-]{2,}(?![\w(@=])")
_CASHTAG_RE = re.compile(r"(?<![\w@$.])\$(?![A-Z_]+\b)[A-Za-z][\w.-]{2,}(?![\w(])")


# Not handles: "@" written for "at" ("I'm @ the office", "meet @ noon"), CSS at-rules and common
# decorators or annotations ("my fix is @cached_property"), group mentions.
_AT_AS_WORD = frozenset(
    listed(
        "the home work office school noon night lunch dinner least most all once any some this that "
        "media supports import font-face keyframes layer container page charset namespace apply tailwind "
        "property staticmethod classmethod dataclass cached_property login_required override input output "
        "component injectable transactional autowired test mention channel everyone here"
    )
)


def _at_handles(text: str) -> list[re.Match]:
    emails = [address.span() for address in EMAIL_RE.finditer(text)]
    return [
        handle
        for handle in _AT_HANDLE_RE.finditer(text)
        if not any(start <= handle.start() < end for start, end in emails)
        and handle.group(0)[1:].rstrip(".-").lower() not in _AT_AS_WORD
    ]


# A handle given as the sender's own, whatever the app: "I'm @rosa", "my handle everywhere is @lou",
# "my tiktok is @lou", "find me on Threads @lou", "hit me up on IG, @lou", "@lou, DM me there".
_OWN_HANDLE_BEFORE_RE = re.compile(
    r"(?:\bi['\u2019]?m|\bi\s+am)\s*$"
    r"|\b(?:handle|username|user\s*name|ig|insta|tiktok|threads|twitter|bluesky|mastodon|x)\b(?:\s+\w+)?"
    r"\s*(?:is|:|=)?\s*$"
    r"|\bmy\s+\w+(?:\s+\w+)?\s*(?:is|:|=)?\s*$"
    r"|\b(?:(?:find|follow|add|dm|message|msg|ping|tag|reach|contact)\s+me|hit\s+me\s+up)\b[^.!?\n]{0,30}$",
    re.I,
)
_OWN_HANDLE_AFTER_RE = re.compile(r"[\s,;:-]*(?:dm|message|msg|ping|text|find)\s+(?:me\s+)?there\b", re.I)


def _gives_own_handle(text: str) -> bool:
    return any(
        _OWN_HANDLE_BEFORE_RE.search(text, max(0, handle.start() - 40), handle.start())
        or _OWN_HANDLE_AFTER_RE.match(text, handle.end())
        for handle in _at_handles(text)
    )


_PAID_THROUGH_BEFORE_RE = re.compile(
    r"\b(?:pay|pays|paid|paying|payment|payments|send|sent|sending|transfer|transferred|wire|wired"
    r"|deposit|money|funds|settle|tip|invoice|invoiced|invoicing)\b(?:\s+[\w'&$%-]+){0,4}?"
    r"\s+(?:via|through|thru|by|on|over|to|into|using|with|in)\s+(?:my\s+|your\s+|a\s+)?$",
    re.I,
)
_PERSON_TAKES_BEFORE_RE = re.compile(
    r"\b(?:i|we)\b(?:\s+\w+){0,2}?\s+(?:take|accept|prefer|receive|get\s+paid)\b"
    r"(?:\s+[\w'&-]+){0,3}?\s+(?:(?:via|through|by|on|in|with)\s+)?(?:my\s+)?$",
    re.I,
)
# The people of this conversation: money sent "with PayPal" by customers of a shop is a product.
_PERSON_RE = re.compile(r"\b(?:i|i['\u2019](?:m|ll|d|ve)|me|my|you|your|we|us)\b", re.I)
# "Happy to take payment over PayPal", "send it via Venmo": the sender speaking, subject left out.
_ELIDED_SUBJECT_RE = re.compile(
    r"\s*(?:pay|send|transfer|wire|happy|glad|fine|ok|okay|prefer|rather|just|please|only|also|usually"
    r"|normally|always|can|could|would|will)\b",
    re.I,
)
_SHOP_USERS_RE = re.compile(
    r"\b(?:customers?|users?|buyers?|shoppers?|visitors?|members?|subscribers?|donors?|guests?|patients?"
    r"|students?|tenants?|checkout|cart)\b",
    re.I,
)
_SENTENCE_RE = re.compile(r"[^.!?;\n]+(?:[.!?;]+(?=\s|$)|\n|$)|[^\n]+")
# A label in quotes ("'Pay with Venmo' button", "'ZELLE FROM'") names the app, it does not use it.
_QUOTED_RE = re.compile(
    r"(?<!\w)(['\"\u2018\u201c])[^'\"\u2018\u2019\u201c\u201d\n]{1,60}['\"\u2019\u201d](?!\w)"
)


def _handle_like(token: str) -> bool:
    token = token.rstrip("._-")
    return token[:1] in "@$" or (
        any(c.isalpha() for c in token) and any(c.isdigit() or c in "._-" for c in token[1:])
    )


def _product_mention(sentence: str, match: re.Match) -> bool:
    before = sentence[max(0, match.start() - 40) : match.start()]
    if _PRODUCT_FEATURE_AFTER_RE.match(sentence, match.end()) or _BUILD_VERB_BEFORE_RE.search(before):
        return True
    if _COMPANY_POSSESSIVE_AFTER_RE.match(sentence, match.end()) and not _MY_BEFORE_RE.search(before):
        return True
    return any(quote.start() <= match.start() < quote.end() for quote in _QUOTED_RE.finditer(sentence))


def _pays_through_app(text: str) -> bool:
    """Whether a payment app (or crypto) is named as the way to pay the sender, not as a product."""
    handle_in_text = bool(_at_handles(text) or _CASHTAG_RE.search(text))
    for sentence in _SENTENCE_RE.findall(text):
        for match in _PAYMENT_APP_RE.finditer(sentence):
            if _product_mention(sentence, match):
                continue
            before = sentence[max(0, match.start() - 60) : match.start()]
            if _APP_ME_AFTER_RE.match(sentence, match.end()) or _APP_SUITS_ME_AFTER_RE.match(
                sentence, match.end()
            ):
                return True
            handle = _APP_HANDLE_AFTER_RE.match(sentence, match.end())
            if handle and _handle_like(handle.group(1)):
                return True
            if handle_in_text or _MY_BEFORE_RE.search(before) or _PERSON_TAKES_BEFORE_RE.search(before):
                return True
            if _paid_through(sentence, before):
                return True
        for match in _CRYPTO_RE.finditer(sentence):
            before = sentence[max(0, match.start() - 60) : match.start()]
            if (
                _paid_through(sentence, before)
                or _PERSON_TAKES_BEFORE_RE.search(before)
                or _APP_SUITS_ME_AFTER_RE.match(sentence, match.end())
            ):
                return True
    return False


def _paid_through(sentence: str, before: str) -> bool:
    return bool(
        _PAID_THROUGH_BEFORE_RE.search(before)
        and (_PERSON_RE.search(sentence) or _ELIDED_SUBJECT_RE.match(sentence))
        and not _SHOP_USERS_RE.search(sentence)
    )


# A wallet address without a coin's own prefix: base58 (no 0, O, I or l), 32 to 44 characters, with
# upper case, lower case and digits mixed — not a word, a hex hash or an id in a path.
_BASE58_RE = re.compile(r"(?<![\w/.=-])[1-9A-HJ-NP-Za-km-z]{32,44}(?![\w/.-])")


def _wallet_like(text: str) -> bool:
    return any(
        any(c.isupper() for c in token)
        and any(c.islower() for c in token)
        and any(c.isdigit() for c in token)
        for token in _BASE58_RE.findall(text)
    )


# A messaging app named in a message that also gives an @handle: "Telegram … I'm @rosa_codes".
_CHAT_APP_RE = re.compile(rf"\b(?:{_APPS})\b(?!-)", re.I)


def _chat_app_with_handle(text: str) -> bool:
    return bool(_CHAT_APP_RE.search(text) and _at_handles(text))


def has_payment_handle(text: str) -> bool:
    return (
        _pays_through_app(text)
        or _wallet_like(text)
        or _chat_app_with_handle(text)
        or _gives_own_handle(text)
        or any(pattern.search(text) for pattern in _PAYMENT_RES)
    )
