"""Links to outside sites, and the public sites and hosts that are not a way to reach anyone.

Links: anything with a scheme or "www.", and bare domains with a known top-level domain
("johnsmith.dev", "anna-designs.co.uk", "johnsmith dot com", "rosa-m.framer.website"). Top-level
domains that are also common file extensions (.py, .md, .sh, .ai, .zip, .rs…) or everyday words and
attribute names (.page, .link, .name, .email, .live…) count only with a scheme, "www." or a path, so
"settings.py", "logo.ai" or "user.name" are not sites — unless the message says "my site / website
/ portfolio / blog" ("my website, anna.de"). A dotted name in code ("{{ profile.website }}",
"obj.page(2)", "site.name = …") is not a site either. Links to this site (``settings.SITE_URL``'s
host) are never flagged, nor hosts that lead to no one: localhost, ``.local`` / ``.test`` names,
IP literals, mail servers in a config ("smtp.gmail.com").

Addresses of public sites (the issue's innocent case): a short list of well-known public reference
sites — documentation, standards, package registries, encyclopedias, font and icon libraries,
Q&A sites (``PUBLIC_REFERENCE_HOSTS``) — are not flagged, because people cite them while talking
about the work and they are not a way to reach anyone. Code hosts (GitHub, GitLab, Bitbucket) pass
only with an owner/repository path: a repository is a reference, a bare profile page
(github.com/johnsmith) is a personal page that can carry contact details, so it is flagged. The
other sites pass only when the message plainly talks about them as a third party and has no
first-person or contact word ("my", "me", "I'm", "contact", "hire"…). Third party, beside the
address: "apple.com's product page", "built on / runs on / hosted on wix.com", "loads from …",
"like …", "we use …", "what … shows", "the guide / the hero / the pricing table on …",
"material.io guidelines", "… for DNS / analytics / logs"; or in its sentence: a competitor, a
comparison ("compare", "similar", "copy the layout"), "their / they", a credit, or a setting in a
config (DNS and TXT records, CSP, CORS, a CDN or bucket, redirects). The trade-off, honestly: any
other site is flagged, including a client's own company site ("our site is acme.com"); a contact
link phrased as a third party with no first-person word ("the studio behind it, they take
commissions: studio.dev") is missed; and a repository page on an allowed host could still carry an
email address in its README. We accept these: the first costs a warning, the others are rare and
a detour.
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
# A site talked about as a third party, not handed over as the sender's own. Beside the address:
# "apple.com's product page", "built on wix.com", "loads from cdn.example.net", "like airbnb.com",
# "the guide on x.org", "material.io guidelines", "we use cloudflare.com", "what vercel.com shows",
# "cloudflare.com for DNS". In its sentence: a competitor, a comparison, "their" / "they", a credit,
# or a setting in a config (DNS records, a CSP, allowed hosts). Only when the message has no
# first-person or contact cue.
_THIRD_PARTY_BEFORE_RE = re.compile(
    r"(?:\bbuilt\s+(?:on|with)|\bfrom|\blike|\bthan|\bsimilar\s+to|\bcompared?\s+(?:with|to)"
    r"|\b(?:use|uses|using|used|via|through|with\s+what|what|whatever|how|credit|competitors?,?)"
    r"|\b(?:sent|made|created|built|generated|managed|handled|tracked|processed|served|deployed|designed)"
    r"\s+(?:with|via|through|by|on|in|from)|\bhosted\s+(?:on|at|by|with)|\bruns?\s+on|\brunning\s+on|\bpowered\s+by|\bmade\s+(?:with|on)|\bdeployed\s+(?:on|to)|\b(?:migrate|migrating|moving|switch|switching)"
    r"\s+(?:\w+\s+)?(?:from|off|to)"
    r"|\b(?:rules|guide|article|docs|documentation|post|thread|answer|page|section|tutorial|example|spec"
    r"|hero|header|footer|layout|menu|navigation|nav|banner|checkout|pricing|onboarding|homepage|animation"
    r"|palette|search|filters|cart|table|font|fonts|typography|colou?rs|logo|style|look|feel|copy|images?"
    r"|videos?|photos?|icons?|illustrations?)(?:\s+(?:is|are|was|were))?"
    r"\s+on)\s+$",
    re.I,
)
_THIRD_PARTY_AFTER_RE = re.compile(
    r"['\u2019]s\b|\s+(?:guidelines|docs|documentation|spec|rules|api|cdn|script|sdk|library|plugin"
    r"|template|theme)\b"
    r"|\s+(?:for|as\s+(?:our|the|a))\s+(?:(?:our|the)\s+)?(?:dns|hosting|cdn|analytics|email|emails|mail|newsletters?"
    r"|payments?|fonts?|icons?|maps?|tiles|search|auth|login|sso|domains?|ssl|certificates?|monitoring"
    r"|logging|logs|errors|error\s+tracking|metrics|tracing|uptime|alerts|builds?|deploys?|deployments?|ci"
    r"|backups?|storage|video|videos|images|assets|forms?|comments|reviews|translations|billing)\b",
    re.I,
)
_THIRD_PARTY_SENTENCE_RE = re.compile(
    r"\bwe(?:['\u2019]re|\s+are|\s+have\s+been)?\s+(?:use|used|using)\b"
    r"|\b(?:copy|copying|mimic|mirror|replicate|imitate|inspired|similar|cdn|bucket|s3|served|serves"
    r"|subdomain|certificate|ssl|tls|redirects?|proxy|webhooks?|endpoint|embed|embedded|iframe"
    r"|self-host\w*)\b"
    r"|\b(?:competitors?|compare|compared|comparing|comparison|benchmark|versus|vs|unlike|inspiration"
    r"|their|theirs|they|they['\u2019](?:re|ve)|credit|attribution|attribute"
    r"|dns|cname|txt\s+record|mx\s+record|csp|cors|allowed_hosts|allowlist|whitelist|nameservers?)\b",
    re.I,
)
_SENTENCE_RE = re.compile(r"[^.!?;\n]+(?:[.!?;]+(?=\s|$)|\n|$)|[^\n]+")
_PERSONAL_CUE_RE = re.compile(r"\b(?:my|me|mine|i['\u2019]m|i\s+am|contact|reach|hire|book)\b", re.I)
# A dotted name in code rather than a host: "{{ profile.website }}", "obj.page(2)", "site.name = …".
_CODE_BEFORE_RE = re.compile(r"\{\{\s*$|\{%[^%]*$")
_CODE_AFTER_RE = re.compile(r"\(|\s*=(?!=)|\s*\}\}|\s*%\}")


def _third_party_mention(text: str, match: re.Match) -> bool:
    before = text[max(0, match.start() - 40) : match.start()]
    if _THIRD_PARTY_BEFORE_RE.search(before) or _THIRD_PARTY_AFTER_RE.match(text, match.end()):
        return True
    return any(
        sentence.start() <= match.start() < sentence.end()
        and _THIRD_PARTY_SENTENCE_RE.search(sentence.group(0))
        for sentence in _SENTENCE_RE.finditer(text)
    )


def _in_code(text: str, match: re.Match) -> bool:
    if re.match(r"https?://|www\.", match.group(0), re.I):
        return False
    before = text[max(0, match.start() - 40) : match.start()]
    return bool(_CODE_BEFORE_RE.search(before) or _CODE_AFTER_RE.match(text, match.end()))


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
        and not _in_code(without_emails, match)
        and (personal or not _third_party_mention(without_emails, match))
    ]
