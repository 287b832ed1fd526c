"""Links to outside sites, and the public sites and hosts that are not a way to reach anyone.

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
"""

import ipaddress
import re
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings

from .emails import EMAIL_RE, spelled_emails
from .vocabulary import ALL_TLD_RE, CODE_HOSTS, FILE_LIKE_TLDS, is_public_host

_URL_RE = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"')\]]+"
    r"|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + ALL_TLD_RE + r")\b(?:/[^\s<>\"')\]]*)?",
    re.I,
)
_FILE_LIKE_RE = re.compile(r"\.(?:" + "|".join(FILE_LIKE_TLDS) + r")$", re.I)


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
    if host in CODE_HOSTS or any(host.endswith("." + code) for code in CODE_HOSTS):
        # A repository (owner/name) is a reference; a bare profile page is a personal page.
        return len([segment for segment in parts.path.split("/") if segment]) < 2
    return not is_public_host(host)


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


def find_links(text: str) -> list[str]:
    without_emails = EMAIL_RE.sub(" ", text)
    for address in spelled_emails(without_emails):
        without_emails = without_emails.replace(address, " ")
    names_own_site = bool(_OWN_SITE_CUE_RE.search(without_emails))
    personal = bool(_PERSONAL_CUE_RE.search(without_emails))
    return [
        match.group(0)
        for match in _URL_RE.finditer(without_emails)
        if _is_outside_link(match.group(0), names_own_site)
        and (personal or not _third_party_mention(without_emails, match))
    ]
