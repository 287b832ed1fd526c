"""Off-platform contact check: does a message share a way to reach or pay someone outside the site?

``contact_findings(text)`` returns the kinds found — ``"email"``, ``"phone"``, ``"payment_handle"``
(payment apps and crypto wallets, and messaging-app handles or "text me / call me" invitations,
which move the conversation off the site the same way) and ``"link"`` — or an empty list. It is a
warning and a flag for staff, never a block: the message is delivered either way, so the check leans
towards catching disguises and accepts an occasional false warning.

How disguises are undone before matching (``_normalise``): Unicode look-alikes are folded (NFKC: a
full-width at sign becomes "@"), "(at)", "[at]", "{at}", "-at-" become "@" and "(dot)", "[dot]",
" dot ", "[.]" become "."; letters typed one by one ("j o h n") are joined; spaced dots
("icloud . com") are closed; number words become digits ("five five five", "twelve thirty four",
"5five5", "double seven"). The bare word "at" only counts inside an address-shaped match
(``name at domain.tld`` or ``name at gmail``), so "meet at the milestone" is untouched.

Phone numbers: after dates, times, IP addresses, prices and "v1.2.3" versions are removed, a run of
digits joined by spaces, dots, dashes, slashes or brackets is a phone number when it has 10 to 15
digits, or 8+ after a "+", or 7 to 9 when the message also says "call", "phone", "mobile", "number"…
("order number" and the like do not count). Version numbers, order numbers, counts and
measurements of ordinary length stay below these thresholds.

Payment handles: PayPal (paypal.me, "pay pal"), Venmo, Cash App ($cashtag only with the app named —
"$PATH" or "$AAPL" alone are not handles), Zelle, Revolut, Payoneer, Skrill, Western Union, Wise
(only as "via/through/my Wise" or "Wise transfer/account"), BTC, ETH and TRON addresses; WhatsApp,
Telegram, Signal, Skype, WeChat, Discord, Viber, Snapchat and Instagram only with a contact cue
("on WhatsApp", "my skype", "WeChat ID:", "@handle") so "WhatsApp-style receipts" is a feature,
not a handle; LinkedIn, Facebook, Twitter and Messenger only as "my …", "find / add me on …",
"connect on …" (not "we announce it on LinkedIn"); and "text me", "call me", "ring me".

Links: anything with a scheme or "www.", and bare domains with a known top-level domain
("johnsmith.dev", "anna-designs.co.uk", "johnsmith dot com"). Top-level domains that are also
common file extensions (.py, .md, .sh, .ai, .zip, .rs…) count only with a scheme, "www." or a path,
so "settings.py" or "logo.ai" are file names. Links to this site (``settings.SITE_URL``'s host)
are never flagged.

Addresses of public sites (the issue's innocent case): a short list of well-known public reference
sites — documentation, standards, package registries, encyclopedias, font and icon libraries,
Q&A sites (``PUBLIC_REFERENCE_HOSTS``) — are not flagged, because people cite them while talking
about the work and they are not a way to reach anyone. Code hosts (GitHub, GitLab, Bitbucket) pass
only with an owner/repository path: a repository is a reference, a bare profile page
(github.com/johnsmith) is a personal page that can carry contact details, so it is flagged. The
trade-off, honestly: any site outside the list is flagged, including a client's own company site
or a freelancer's portfolio mentioned in good faith (the sender sees a warning, staff see a flag);
and a repository page on an allowed host could still carry an email address in its README. We
accept both: the first costs a warning, the second is rare and a detour.

Known limits: a contact split across several messages, written in an image or an attachment, or
described in words ("same name on the blue bird site") is not found; nor are domains under
top-level domains outside ``_TLDS``. Long runs of unrelated numbers in one line (a list of scores,
an unlabelled tracking number) can read as a phone number and earn a warning.
"""

import re
import unicodedata
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings

EMAIL = "email"
PHONE = "phone"
PAYMENT_HANDLE = "payment_handle"
LINK = "link"
KINDS = (EMAIL, PHONE, PAYMENT_HANDLE, LINK)


def _listed(words: str) -> list[str]:
    return words.split()


# Top-level domains we recognise in bare domains and addresses: the common generic ones and the
# country codes people use for personal sites and short links.
_TLDS = _listed(
    "com net org info biz io dev app co ly gl gle site online store shop xyz pro tech gg tv cc "
    "blog design studio agency uk fr nl eu au nz ie ch se dk fi pt br mx ar ru ua cn jp kr sg hk "
    "za ng ke pk ph vn tr gr cz hu ro bg"
)
# Top-level domains that are also file extensions ("logo.ai", "settings.py") or attribute names in
# code ("user.id", "df.at", "paypal.me" keeps its path): counted only with a scheme, www. or a path.
_FILE_LIKE_TLDS = _listed("ai zip mov sh py md rs pl ps so me id it in is at to no be us ca de es")

# Well-known public reference sites (see the module docstring); subdomains count.
PUBLIC_REFERENCE_HOSTS = _listed(
    "python.org djangoproject.com djangoproject.org mozilla.org w3.org whatwg.org wikipedia.org "
    "wikimedia.org stackoverflow.com stackexchange.com pypi.org npmjs.com readthedocs.io "
    "readthedocs.org nodejs.org reactjs.org react.dev vuejs.org angular.io typescriptlang.org "
    "postgresql.org mysql.com sqlite.org docker.com kubernetes.io developer.apple.com "
    "learn.microsoft.com developers.google.com fonts.google.com fontawesome.com unsplash.com "
    "getbootstrap.com tailwindcss.com php.net asp.net socket.io rust-lang.org go.dev golang.org "
    "ruby-lang.org rubyonrails.org wordpress.org shopify.dev stripe.com schema.org ietf.org "
    "rfc-editor.org iso.org gnu.org kernel.org ubuntu.com debian.org archlinux.org nginx.org "
    "apache.org jquery.com mdn.io caniuse.com"
)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")

_EMAIL_PROVIDERS = _listed(
    "gmail googlemail yahoo hotmail outlook icloud protonmail proton aol gmx yandex zoho mailru"
)

_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "nought": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
}
_TENS = {
    "twenty": "2",
    "thirty": "3",
    "forty": "4",
    "fifty": "5",
    "sixty": "6",
    "seventy": "7",
    "eighty": "8",
    "ninety": "9",
}
_UNITS = _listed("one two three four five six seven eight nine")

_TLD_RE = "|".join(sorted(_TLDS, key=len, reverse=True))
_ALL_TLD_RE = "|".join(sorted(_TLDS + _FILE_LIKE_TLDS, key=len, reverse=True))


def _words(options: list[str] | tuple[str, ...]) -> str:
    return "|".join(sorted(options, key=len, reverse=True))


# ---------------------------------------------------------------- normalising disguises

_AT_RE = re.compile(r"\s*(?:\(\s*at\s*\)|\[\s*at\s*\]|\{\s*at\s*\}|<\s*at\s*>|(?<=\w)-at-(?=\w))\s*", re.I)
_DOT_RE = re.compile(
    r"\s*(?:\(\s*dot\s*\)|\[\s*dot\s*\]|\{\s*dot\s*\}|<\s*dot\s*>|\[\.\]|\(\.\)|\{\.\}"
    r"|(?<=\w)-dot-(?=\w)|(?<=\w)\s+dot\s+(?=\w))\s*",
    re.I,
)
# Three or more single letters or digits typed apart: "j o h n", "5 5 5 1".
_SPACED_CHARS_RE = re.compile(r"(?<![\w.])(?:\w[ \t]){2,}\w(?![\w])")
_SPACED_DOT_RE = re.compile(r"(?<=\w)[ \t]+\.[ \t]*(?=\w)|(?<=\w)\.[ \t]+(?=(?:" + _TLD_RE + r")\b)")
_TENS_UNIT_RE = re.compile(rf"\b({_words(list(_TENS))})(?:[\s-]+({_words(_UNITS)}))?\b", re.I)
_DOUBLE_RE = re.compile(rf"\b(double|triple)[\s-]+({_words(list(_DIGIT_WORDS))}|\d)\b", re.I)
_NUMBER_TOKEN_RE = re.compile(rf"(?:\d|{_words(list(_DIGIT_WORDS))})+", re.I)
_TOKEN_RE = re.compile(r"[A-Za-z0-9]+")


def _tens(match: re.Match) -> str:
    unit = match.group(2)
    return _TENS[match.group(1).lower()] + (_DIGIT_WORDS[unit.lower()] if unit else "0")


def _double(match: re.Match) -> str:
    digit = match.group(2).lower()
    digit = _DIGIT_WORDS.get(digit, digit)
    return digit * (2 if match.group(1).lower() == "double" else 3)


def _number_token(match: re.Match) -> str:
    token = match.group(0)
    if token.isdigit() or not _NUMBER_TOKEN_RE.fullmatch(token):
        return token
    return re.sub(
        _words(list(_DIGIT_WORDS)), lambda word: _DIGIT_WORDS[word.group(0).lower()], token, flags=re.I
    )


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\bhxxp(s?)\b", r"http\1", text, flags=re.I)
    text = _AT_RE.sub("@", text)
    text = _DOT_RE.sub(".", text)
    text = _SPACED_CHARS_RE.sub(lambda m: re.sub(r"[ \t]", "", m.group(0)), text)
    text = _SPACED_DOT_RE.sub(".", text)
    text = re.sub(r"[ \t]*@[ \t]*", "@", text)
    return text


def _digits_spelled_out(text: str) -> str:
    text = _DOUBLE_RE.sub(_double, text)
    text = _TENS_UNIT_RE.sub(_tens, text)
    return _TOKEN_RE.sub(_number_token, text)


# ---------------------------------------------------------------- email

_EMAIL_RE = re.compile(
    r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:" + _ALL_TLD_RE + r")\b", re.I
)
_EMAIL_WORD_AT_RE = re.compile(
    r"\b[a-z0-9][a-z0-9._+-]*\s+at\s+[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:" + _TLD_RE + r")\b", re.I
)
_EMAIL_PROVIDER_RE = re.compile(
    rf"\b[a-z0-9][a-z0-9._+-]*(?:@|\s+at\s+)(?:{_words(_EMAIL_PROVIDERS)})\b"
    rf"|\bmy\s+(?:{_words(_EMAIL_PROVIDERS)})\s*(?:is|:|-|=)?\s*[a-z0-9._-]*\d[a-z0-9._-]*",
    re.I,
)


# Words before "at <domain>" that make it a place ("my site is at anna.dev"), not an address.
_PLACE_WORDS = frozenset(
    _listed("is are was be me us it them you site page portfolio docs here live hosted online found up")
)


def _spelled_emails(text: str) -> list[str]:
    """ "name at domain.tld" addresses, but not places: "is at www.anna.dev", "docs at python.org"."""
    found = []
    for match in _EMAIL_WORD_AT_RE.finditer(text):
        local, _at, domain = match.group(0).split()
        followed_by_path = text[match.end() : match.end() + 1] == "/"
        place = local.lower() in _PLACE_WORDS or domain.lower().startswith("www.") or followed_by_path
        if place or _is_public(domain):
            continue
        found.append(match.group(0))
    return found


def _find_emails(text: str) -> list[str]:
    return _EMAIL_RE.findall(text) + _spelled_emails(text) + _EMAIL_PROVIDER_RE.findall(text)


# ---------------------------------------------------------------- links

_URL_RE = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"')\]]+"
    r"|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _ALL_TLD_RE + r")\b(?:/[^\s<>\"')\]]*)?",
    re.I,
)
_FILE_LIKE_RE = re.compile(r"\.(?:" + "|".join(_FILE_LIKE_TLDS) + r")$", re.I)


@cache
def _own_host(site_url: str) -> str:
    return (urlsplit(site_url).hostname or "").lower()


def _is_outside_link(candidate: str) -> bool:
    has_scheme = bool(re.match(r"https?://", candidate, re.I))
    parts = urlsplit(candidate if has_scheme else "http://" + candidate)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    elif not has_scheme and not parts.path.strip("/") and _FILE_LIKE_RE.search(host):
        return False  # "settings.py", "logo.ai": a file name
    if not host or host == _own_host(settings.SITE_URL).removeprefix("www."):
        return False
    if host in _CODE_HOSTS or any(host.endswith("." + code) for code in _CODE_HOSTS):
        # A repository (owner/name) is a reference; a bare profile page is a personal page.
        return len([segment for segment in parts.path.split("/") if segment]) < 2
    return not _is_public(host)


def _is_public(host: str) -> bool:
    host = host.lower()
    return any(host == public or host.endswith("." + public) for public in PUBLIC_REFERENCE_HOSTS)


def _find_links(text: str) -> list[str]:
    without_emails = _EMAIL_RE.sub(" ", text)
    for address in _spelled_emails(without_emails):
        without_emails = without_emails.replace(address, " ")
    return [candidate for candidate in _URL_RE.findall(without_emails) if _is_outside_link(candidate)]


# ---------------------------------------------------------------- payment and messaging handles

_APPS = (
    "whatsapp|whats app|telegram|tg|signal|skype|wechat|we chat|discord|viber|snapchat|instagram"
    "|insta|kik|imessage|facetime"
)
# Social networks: people post "on LinkedIn" innocently, so only "my …", "find / add / message me
# on …", "connect on …" or a request sent there count.
_SOCIAL = "linkedin|facebook|twitter|messenger"
_PAYMENT_RES = [
    re.compile(p, re.I)
    for p in (
        r"\bpay\s*pal\b|\bpaypal\.me\b|\bpp\.me\b",
        r"\bvenmo\b",
        r"\bcash\s*app\b|\bcash\s*tag\b",
        r"\bzelle\b",
        r"\brevolut\b",
        r"\bpayoneer\b",
        r"\bskrill\b",
        r"\bwestern\s+union\b|\bmoney\s*gram\b",
        r"\b(?:via|through|using|with|by|my|on|over)\s+wise\b|\bwise\s+(?:transfer|account|tag|me)\b",
        r"\b(?:bc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b",
        r"\b0x[a-fA-F0-9]{40}\b",
        r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b",  # TRON (USDT TRC20)
        r"\b(?:iban|swift|bic)\s*[:#]?\s*[A-Z]{2}\d{2}[A-Z0-9 ]{10,30}",
        # Messaging apps, only with a cue that makes them a way to reach someone.
        rf"\b(?:on|via|over|through|my|(?:add|message|msg|dm|find|reach) me on)\s+(?:{_APPS})\b(?!-)",
        rf"\b(?:{_APPS})\s*(?:me\b|id\b|handle\b|number\b|user(?:name)?\b|:\s*[@+\w]|@)",
        rf"\b(?:{_APPS})\s+\+?\d",
        rf"\b(?:my|(?:add|find|message|msg|dm|follow|reach|contact) me on|connect(?:ed)? on|request on)"
        rf"\s+(?:{_SOCIAL})\b",
        r"\b(?:text|call|ring|phone|sms|message|msg|dm|whatsapp|telegram)\s+me\b(?!\s+here\b)",
        r"\bt\.me/\w+|\bwa\.me/\d+",
    )
]


def _has_payment_handle(text: str) -> bool:
    return any(pattern.search(text) for pattern in _PAYMENT_RES)


# ---------------------------------------------------------------- phone numbers

_NOT_PHONE_RES = [
    re.compile(p, re.I)
    for p in (
        r"(?<![\d.])\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\.?\d)",  # 2026-12-06
        r"(?<![\d.])\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?!\.?\d)",  # 12/06/2026, 06.12.26
        r"(?<!\d)20\d{2}[01]\d[0-3]\d(?!\d)",  # 20261206
        r"(?<![\d.])\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?",  # 14:30, 10:15 am
        r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![.\d])",  # 192.168.1.10
        r"\bv\d+(?:\.\d+)+",  # v2.3.1
        r"\b(?:isbn(?:-1[03])?|ean|sku|upc|gtin)\s*[:#]?\s*\d[\d -]{6,20}\d",  # product codes
        r"[$€£¥₹]\s?\d[\d.,]*(?:\s?[km]\b)?",  # $1,500
        r"\d[\d.,]*\s?(?:usd|eur|gbp|chf|cad|aud|inr|dollars?|euros?|pounds?|%)",  # 1500 USD, 12%
    )
]
_PHONE_RUN_RE = re.compile(r"\+?\(?\d(?:(?:[ \t.\-\u2013\u2014/()]{1,4}|,\s)?\d)*")
_PHONE_CUE_RE = re.compile(
    r"\b(?:call|calls|phone|cell|mobile|tel|telephone|sms|whats\s*app|ring|reach|text\s+me|my\s+no\b)"
    r"|(?<!order\s)(?<!invoice\s)(?<!ticket\s)(?<!build\s)(?<!tracking\s)(?<!reference\s)(?<!ref\s)"
    r"(?<!serial\s)(?<!version\s)(?<!part\s)(?<!model\s)(?<!page\s)(?<!issue\s)(?<!line\s)\bnumber\b",
    re.I,
)


def _has_phone(text: str) -> bool:
    text = _digits_spelled_out(text)
    for pattern in _NOT_PHONE_RES:
        text = pattern.sub(" ", text)
    cue = _PHONE_CUE_RE.search(text) is not None
    for run in _PHONE_RUN_RE.findall(text):
        digits = sum(char.isdigit() for char in run)
        if 10 <= digits <= 15 or (run.startswith("+") and digits >= 8) or (cue and 7 <= digits <= 15):
            return True
    return False


# ---------------------------------------------------------------- the check


def contact_findings(text: str) -> list[str]:
    """The kinds of off-platform contact ``text`` shares, in ``KINDS`` order; [] when none."""
    if not text or not text.strip():
        return []
    normal = _normalise(text)
    found = set()
    if _find_emails(normal):
        found.add(EMAIL)
    if _has_phone(normal):
        found.add(PHONE)
    if _has_payment_handle(normal):
        found.add(PAYMENT_HANDLE)
    if _find_links(normal):
        found.add(LINK)
    return [kind for kind in KINDS if kind in found]
