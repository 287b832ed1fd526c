"""Off-platform contact check: does a message share a way to reach or pay someone outside the site?

``contact_findings(text)`` returns the kinds found — ``"email"``, ``"phone"``, ``"payment_handle"``
(payment apps and crypto wallets, and messaging-app handles or "text me / call me" invitations,
which move the conversation off the site the same way) and ``"link"`` — or an empty list. It is a
warning and a flag for staff, never a block: the message is delivered either way, so the check leans
towards catching disguises and accepts an occasional false warning.

How disguises are undone before matching (``_normalise``): Unicode look-alikes are folded (NFKC: a
full-width at sign becomes "@"; Cyrillic or Greek letters inside a word with Latin ones, as in a
spoofed "gmail", become their Latin twins), "(at)", "[at]", "{at}", "-at-" become "@" and "(dot)",
"[dot]", " dot ", "[.]" become "."; letters typed one by one ("j o h n") are joined; spaced dots
("icloud . com") are closed; number words become digits ("five five five", "twelve thirty four",
"5five5", "double seven"). The bare word "at" only counts inside an address-shaped match (``name at
domain.tld`` or ``name at gmail``), so "meet at the milestone" is untouched. A handle beside a
provider's name ("Hotmail: carlos.m.1988", "tom.baker on gmail") is an address when it looks like
one (a digit, dot or underscore in it). Not addresses: a placeholder name at a domain reserved for
examples ("user@example.com" in a code sample) and an SSH/scp target ("git@github.com:org/repo").

Phone numbers: after dates, times, IP addresses, prices and "v1.2.3" versions are removed, a run of
digits joined by spaces, dots, dashes, slashes or brackets is a phone number when it has 10 to 15
digits, or 8+ after a "+", or 7 to 9 when the message also says "call", "phone", "mobile", "number"…
("order number" and the like do not count). Ticket ids ("INV-2025-000417"), UUIDs and map
coordinates are removed first too. Version numbers, order numbers, counts and measurements of
ordinary length stay below these thresholds, and so do labelled identifiers ("tracking number 1Z 999
AA1 01 2345 6784", "serial SN 5501 …") and lists of small numbers ("12, 15, 18, 22"). A number given
in pieces with words between ("646, then 555, and the last part is 0172") counts only beside a clear
phone cue ("my number", "call me").

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

Links: anything with a scheme or "www.", and bare domains with a known top-level domain
("johnsmith.dev", "anna-designs.co.uk", "johnsmith dot com"). Top-level domains that are also
common file extensions (.py, .md, .sh, .ai, .zip, .rs…) count only with a scheme, "www." or a path,
so "settings.py" or "logo.ai" are file names — unless the message says "my site / website /
portfolio / blog" ("my website, anna.de"). Links to this site (``settings.SITE_URL``'s host) are
never flagged, nor hosts that lead to no one: localhost, ``.local`` / ``.test`` names, IP literals,
mail servers in a config ("smtp.gmail.com").

Addresses of public sites (the issue's innocent case): a short list of well-known public reference
sites — documentation, standards, package registries, encyclopedias, font and icon libraries,
Q&A sites (``PUBLIC_REFERENCE_HOSTS``) — are not flagged, because people cite them while talking
about the work and they are not a way to reach anyone. Code hosts (GitHub, GitLab, Bitbucket) pass
only with an owner/repository path: a repository is a reference, a bare profile page
(github.com/johnsmith) is a personal page that can carry contact details, so it is flagged. The
other sites pass only when the message plainly talks about them as a third party — "apple.com's
product page", "built on wix.com", "loads from …", "like …", "the guide on …", "material.io
guidelines" — and has no first-person or contact word ("my", "me", "I'm", "contact", "hire"…). The
trade-off, honestly: any other site is flagged, including a client's own company site or a
competitor named in good faith ("we use cloudflare.com for DNS"; the sender sees a warning, staff
see a flag); and a repository page on an allowed host could still carry an email address in its
README. We accept both: the first costs a warning, the second is rare and a detour.

Known limits: a contact split across several messages, written in an image or an attachment, or
described in words ("same name on the blue bird site") is not found; nor are domains under
top-level domains outside ``_TLDS``. Long runs of unrelated numbers in one line (a list of scores,
an unlabelled tracking number) can read as a phone number and earn a warning.
"""

import ipaddress
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
    "za ng ke pk ph vn tr gr cz hu ro bg fm ee cl pe ve ec uy my th il ae sa eg tw lt lv sk si hr by kz "
    "ge am art gy"
)
# Top-level domains that are also file extensions ("logo.ai", "settings.py") or attribute names in
# code ("user.id", "df.at", "paypal.me" keeps its path): counted only with a scheme, www. or a path.
_FILE_LIKE_TLDS = _listed("ai zip mov sh py md rs pl ps so me id it in is at to no be us ca de es ml ma")

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
    "apache.org jquery.com mdn.io caniuse.com web.dev developer.chrome.com developer.android.com "
    "docs.aws.amazon.com cloud.google.com docs.github.com"
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

# Cyrillic and Greek letters that look like Latin ones ("gmail" typed with a Cyrillic "a"). NFKC keeps
# them apart, so they are folded by hand — only inside a word that also has Latin letters, which is
# how a spoofed address looks; a message written in Russian or Greek is left alone.
_LOOK_ALIKES = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u04cf\u043a\u0432\u043d\u043c\u0442"
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0406\u0408\u0405"
    "\u03b1\u03bf\u03b9\u03ba\u03bd\u03c1\u03c4\u03c5\u03c7"
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7",
    "aeopcyxijsdlkbhmtABEKMHOPCTXIJSaoikvptuxABEZHIKMNOPTYX",
)
_MIXED_SCRIPT_WORD_RE = re.compile(r"\S*[A-Za-z]\S*")


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
    text = _MIXED_SCRIPT_WORD_RE.sub(lambda word: word.group(0).translate(_LOOK_ALIKES), text)
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
# An address given as a handle beside the provider's name, without "my": "Hotmail: carlos.m.1988",
# "outlook is ana_b", "tom.baker on gmail". The handle must look like one (a letter, and a digit, dot
# or underscore inside) so "Gmail: 15 GB" or "the newsletter on Gmail" are not addresses.
_PROVIDER_HANDLE_RE = re.compile(
    rf"\b(?:{_words(_EMAIL_PROVIDERS)})\s*(?:\bis\b|:|=)\s*([a-z0-9][a-z0-9._-]*)"
    rf"|\b([a-z0-9][a-z0-9._-]*)\s+on\s+(?:{_words(_EMAIL_PROVIDERS)})\b",
    re.I,
)
# Addresses that reach nobody: a placeholder name at a domain reserved for examples (RFC 2606), as in
# a code sample ("user@example.com"). A real-looking name there still counts (it may stand in for a
# real domain in a disguise).
_PLACEHOLDER_ADDRESS_RE = re.compile(
    r"(?:user|username|name|yourname|your[._]name|you|me|someone|somebody|test|foo|bar|baz|email|mail"
    r"|first[._]last|firstname[._]lastname|john[._]doe|jane[._]doe|no-?reply"
    r"|support|info|admin|contact|hello|sales|webmaster|postmaster)"
    r"@(?:[a-z0-9-]+\.)*(?:example\.(?:com|org|net)|[a-z0-9-]+\.(?:test|example|invalid|localhost))",
    re.I,
)
# "git@github.com:owner/repo.git", "deploy@host:/srv/app": an SSH or scp target in a command, not an
# address (a path follows the colon).
_SCP_TARGET_AFTER_RE = re.compile(r":[\w~.-]*/|:[\w./-]+\.git\b")


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


def _handle_like(token: str) -> bool:
    token = token.rstrip("._-")
    inner = token[1:-1]
    return any(c.isalpha() for c in token) and (
        any(c.isdigit() for c in token) or "." in inner or "_" in inner
    )


def _plain_emails(text: str) -> list[str]:
    found = []
    for match in _EMAIL_RE.finditer(text):
        if _PLACEHOLDER_ADDRESS_RE.fullmatch(match.group(0)) or _SCP_TARGET_AFTER_RE.match(text, match.end()):
            continue
        found.append(match.group(0))
    return found


def _provider_handles(text: str) -> list[str]:
    return [
        handle
        for match in _PROVIDER_HANDLE_RE.finditer(text)
        if _handle_like(handle := match.group(1) or match.group(2))
    ]


def _find_emails(text: str) -> list[str]:
    return (
        _plain_emails(text)
        + _spelled_emails(text)
        + _EMAIL_PROVIDER_RE.findall(text)
        + _provider_handles(text)
    )


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


def _is_outside_link(candidate: str, names_own_site: bool = False) -> bool:
    has_scheme = bool(re.match(r"https?://", candidate, re.I))
    parts = urlsplit(candidate if has_scheme else "http://" + candidate)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    elif not has_scheme and not parts.path.strip("/") and _FILE_LIKE_RE.search(host) and not names_own_site:
        return False  # "settings.py", "logo.ai": a file name (but "my website, anna.de" is a site)
    if not host or host == _own_host(settings.SITE_URL).removeprefix("www.") or _is_machine_host(host):
        return False
    if host in _CODE_HOSTS or any(host.endswith("." + code) for code in _CODE_HOSTS):
        # A repository (owner/name) is a reference; a bare profile page is a personal page.
        return len([segment for segment in parts.path.split("/") if segment]) < 2
    return not _is_public(host)


def _is_public(host: str) -> bool:
    host = host.lower()
    return any(host == public or host.endswith("." + public) for public in PUBLIC_REFERENCE_HOSTS)


def _is_machine_host(host: str) -> bool:
    """Hosts that lead to no one: this machine, private names, IP literals, mail servers in a config."""
    if host == "localhost" or host.endswith((".localhost", ".local", ".test", ".invalid")):
        return True
    if host.startswith(("smtp.", "imap.", "pop.", "pop3.", "mx.")):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


_OWN_SITE_CUE_RE = re.compile(r"\bmy\s+(?:site|website|web\s*page|homepage|portfolio|blog|page)\b", re.I)
# A site talked about as a third party, not handed over as the sender's own: "apple.com's product
# page", "built on wix.com", "loads from cdn.example.net", "like airbnb.com", "the guide on x.org",
# "material.io guidelines". Only when the message has no first-person or contact cue.
_THIRD_PARTY_BEFORE_RE = re.compile(
    r"(?:\bbuilt\s+(?:on|with)|\bfrom|\blike|\bthan|\bsimilar\s+to|\bcompared?\s+(?:with|to)"
    r"|\b(?:rules|guide|article|docs|documentation|post|thread|answer|page|section|tutorial|example|spec)"
    r"\s+on)\s+$",
    re.I,
)
_THIRD_PARTY_AFTER_RE = re.compile(
    r"['\u2019]s\b|\s+(?:guidelines|docs|documentation|spec|rules|api|cdn|script|sdk|library|plugin"
    r"|template|theme)\b",
    re.I,
)
_PERSONAL_CUE_RE = re.compile(r"\b(?:my|me|mine|i['\u2019]m|i\s+am|contact|reach|hire|book)\b", re.I)


def _third_party_mention(text: str, match: re.Match) -> bool:
    before = text[max(0, match.start() - 40) : match.start()]
    return bool(_THIRD_PARTY_BEFORE_RE.search(before) or _THIRD_PARTY_AFTER_RE.match(text, match.end()))


def _find_links(text: str) -> list[str]:
    without_emails = _EMAIL_RE.sub(" ", text)
    for address in _spelled_emails(without_emails):
        without_emails = without_emails.replace(address, " ")
    names_own_site = bool(_OWN_SITE_CUE_RE.search(without_emails))
    personal = bool(_PERSONAL_CUE_RE.search(without_emails))
    return [
        match.group(0)
        for match in _URL_RE.finditer(without_emails)
        if _is_outside_link(match.group(0), names_own_site)
        and (personal or not _third_party_mention(without_emails, match))
    ]


# ---------------------------------------------------------------- payment and messaging handles

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


def _has_payment_handle(text: str) -> bool:
    return _names_payment_app(text) or any(pattern.search(text) for pattern in _PAYMENT_RES)


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
        r"(?-i:\b(?!TEL-)[A-Z]{2,6}-\d[\d-]*\d)",  # INV-2025-000417, PROJ-1042: ticket ids
        r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",  # UUID
        r"(?<![\d.])-?\d{1,3}\.\d{3,}\s*,\s*-?\d{1,3}\.\d{3,}(?![\d.])",  # 52.5200, 13.4050
        # A labelled identifier: "tracking number 1Z 999 AA1 01 2345 6784", "serial SN 5501 2287 3310".
        r"\b(?:tracking|order|invoice|serial|reference|ref|ticket|case|booking|confirmation|parcel|shipment)"
        r"(?:\s+(?:number|no\.?|#|id|code|reference|ref))?"
        r"(?:\s*[:#]?\s*(?:(?-i:[A-Z]{1,3})|[a-z0-9-]*\d[a-z0-9-]*)(?![\w]))+",
    )
]
_PHONE_RUN_RE = re.compile(r"\+?\(?\d(?:(?:[ \t.\-\u2013\u2014/()]{1,4}|,\s)?\d)*")
_PHONE_CUE_RE = re.compile(
    r"\b(?:call|calls|phone|cell|mobile|tel|telephone|sms|whats\s*app|ring|reach|text\s+me|my\s+no\b)"
    r"|(?<!order\s)(?<!invoice\s)(?<!ticket\s)(?<!build\s)(?<!tracking\s)(?<!reference\s)(?<!ref\s)"
    r"(?<!serial\s)(?<!version\s)(?<!part\s)(?<!model\s)(?<!page\s)(?<!issue\s)(?<!line\s)\bnumber\b",
    re.I,
)


# A number given in pieces with words between ("starts with 646, then 555, and ends 0172"): only
# when the message clearly speaks of a phone, since counts and years also come in groups.
_STRONG_PHONE_CUE_RE = re.compile(
    r"\b(?:my|the|our|his|her)\s+(?:phone|cell|mobile|number|no\.?)(?!\w)"
    r"|\b(?:call|text|ring|phone)\s+me\b|\bwhats\s*app\b",
    re.I,
)
_WORD_SPLIT_PHONE_RE = re.compile(
    r"(?<![\d.])\d{2,4}(?:[\s,;.\-\u2013\u2014]+(?:[a-z']+[\s,;:.\-\u2013\u2014]+){0,6}\d{2,4}){2,}(?![\d.])",
    re.I,
)


def _has_phone(text: str) -> bool:
    text = _digits_spelled_out(text)
    for pattern in _NOT_PHONE_RES:
        text = pattern.sub(" ", text)
    cue = _PHONE_CUE_RE.search(text) is not None
    for run in _PHONE_RUN_RE.findall(text):
        groups = re.split(r",\s*", run)
        if len(groups) >= 4 and all(re.fullmatch(r"\d{1,2}", group) for group in groups):
            continue  # a list of small numbers: "12, 15, 18, 22, 30, 41"
        digits = sum(char.isdigit() for char in run)
        if 10 <= digits <= 15 or (run.startswith("+") and digits >= 8) or (cue and 7 <= digits <= 15):
            return True
    if _STRONG_PHONE_CUE_RE.search(text):
        for pieces in _WORD_SPLIT_PHONE_RE.findall(text):
            if 10 <= sum(char.isdigit() for char in pieces) <= 12:
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
