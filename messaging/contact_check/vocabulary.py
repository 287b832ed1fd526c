"""Word lists the checks share: top-level domains, mail providers, public reference sites."""


def listed(words: str) -> list[str]:
    return words.split()


# Top-level domains we recognise in bare domains and addresses: the common generic ones and the
# country codes people use for personal sites and short links.
TLDS = listed(
    "com net org info biz io dev app co ly gl gle site online store shop xyz pro tech gg tv cc "
    "blog design studio agency uk fr nl eu au nz ie ch se dk fi pt br mx ar ru ua cn jp kr sg hk "
    "za ng ke pk ph vn tr gr cz hu ro bg fm ee cl pe ve ec uy my th il ae sa eg tw lt lv sk si hr by kz "
    "ge am art gy website photography photos gallery codes digital club works guru ninja rocks expert "
    "consulting academy fyi social"
)
# Top-level domains that are also file extensions ("logo.ai", "settings.py") or attribute names in
# code ("user.id", "df.at", "paypal.me" keeps its path): counted only with a scheme, www. or a path.
# Top-level domains that are everyday words and attribute names too ("self.page", "user.name",
# "{{ item.link }}") are treated the same way.
FILE_LIKE_TLDS = listed(
    "ai zip mov sh py md rs pl ps so me id it in is at to no be us ca de es ml ma "
    "page link live space cloud one work life world today team tools zone fun top vip cv email name run "
    "media network systems plus chat bio"
)

# Well-known public reference sites (see the module docstring); subdomains count.
PUBLIC_REFERENCE_HOSTS = listed(
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
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")

EMAIL_PROVIDERS = listed(
    "gmail googlemail yahoo hotmail outlook icloud protonmail proton aol gmx yandex zoho mailru"
)

TLD_RE = "|".join(sorted(TLDS, key=len, reverse=True))
ALL_TLD_RE = "|".join(sorted(TLDS + FILE_LIKE_TLDS, key=len, reverse=True))


def words(options: list[str] | tuple[str, ...]) -> str:
    return "|".join(sorted(options, key=len, reverse=True))


def is_public_host(host: str) -> bool:
    host = host.lower()
    return any(host == public or host.endswith("." + public) for public in PUBLIC_REFERENCE_HOSTS)
