"""Email addresses: plain, spelled out ("name at domain dot com") or given beside a provider's name.

The bare word "at" only counts inside an address-shaped match (``name at domain.tld`` or ``name at
gmail``), so "meet at the milestone" is untouched. A handle beside a provider's name ("Hotmail:
carlos.m.1988", "tom.baker on gmail") is an address when it looks like one (a digit, dot or underscore
in it). Not addresses: a placeholder name at a domain reserved for examples ("user@example.com" in a
code sample) and an SSH/scp target ("git@github.com:org/repo").
"""

import re

from .vocabulary import ALL_TLD_RE, EMAIL_PROVIDERS, TLD_RE, is_public_host, listed, words

EMAIL_RE = re.compile(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:" + ALL_TLD_RE + r")\b", re.I)
# "name at domain.tld": any top-level domain but those that are file extensions or words ("look at
# settings.py", "error at user.name"), so country codes that double as them count ("pm dot me", ".de").
_SPELLED_TLD_RE = TLD_RE + "|me|de|it|be|us|ca|es|pl"
_EMAIL_WORD_AT_RE = re.compile(
    r"\b[a-z0-9][a-z0-9._+-]*\s+at\s+[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:" + _SPELLED_TLD_RE + r")\b", re.I
)
_EMAIL_PROVIDER_RE = re.compile(
    rf"\b[a-z0-9][a-z0-9._+-]*(?:@|\s+at\s+)(?:{words(EMAIL_PROVIDERS)})\b"
    rf"|\bmy\s+(?:{words(EMAIL_PROVIDERS)})\s*(?:is|:|-|=)?\s*[a-z0-9._-]*\d[a-z0-9._-]*",
    re.I,
)
# An address given as a handle beside the provider's name, without "my": "Hotmail: carlos.m.1988",
# "outlook is ana_b", "tom.baker on gmail". The handle must look like one (a letter, and a digit, dot
# or underscore inside) so "Gmail: 15 GB" or "the newsletter on Gmail" are not addresses.
_PROVIDER_HANDLE_RE = re.compile(
    rf"\b(?:{words(EMAIL_PROVIDERS)})\s*(?:\bis\b|:|=)\s*([a-z0-9][a-z0-9._-]*)"
    rf"|\b([a-z0-9][a-z0-9._-]*)\s+on\s+(?:{words(EMAIL_PROVIDERS)})\b",
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


# Words before "at <domain>" that make it a place ("my site is at anna.dev", "more work at anna.art",
# "point the CNAME at app.host.com"), not an address.
_PLACE_WORDS = frozenset(
    listed(
        "is are was be me us it them you site page portfolio docs here live hosted online found up "
        "cname record records point points pointing redirect redirects proxy webhook dns server traffic "
        "work works stuff projects samples examples everything details more reel shots studies cv resume "
        "rates prices"
    )
)


def spelled_emails(text: str) -> list[str]:
    """ "name at domain.tld" addresses, but not places: "is at www.anna.dev", "docs at python.org"."""
    found = []
    for match in _EMAIL_WORD_AT_RE.finditer(text):
        local, _at, domain = match.group(0).split()
        followed_by_path = text[match.end() : match.end() + 1] == "/"
        place = local.lower() in _PLACE_WORDS or domain.lower().startswith("www.") or followed_by_path
        if place or is_public_host(domain):
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
    for match in EMAIL_RE.finditer(text):
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


def find_emails(text: str) -> list[str]:
    return (
        _plain_emails(text)
        + spelled_emails(text)
        + _EMAIL_PROVIDER_RE.findall(text)
        + _provider_handles(text)
    )
