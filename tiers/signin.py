"""Who may use a Tierscope, and who sees what (no Streamlit here; `ui.access` applies it).

Without sign-in Tierscope is a one-person tool: it answers on this computer only (127.0.0.1), and
serving it on another address without sign-in takes an explicit setting. With sign-in (Streamlit's
OpenID Connect, configured in `.streamlit/secrets.toml`), `[tierscope]` lists who may sign in:

    [tierscope]
    allowed_domains = ["agency.co.id"]           # anyone with an address at these domains
    allowed_emails = ["freelancer@gmail.com"]     # and these addresses
    [tierscope.organisations]                     # optional: whose work they share
    "freelancer@gmail.com" = "agency.co.id"       # an address or a domain -> organisation

A member's organisation is, unless listed there, their email domain. Only addresses the provider
says it verified (`email_verified` true in the ID token) are let in. Google sends that claim;
Microsoft Entra ID does not (its addresses are the tenant's own, managed by its administrators), so
for it the configuration says the provider's addresses are trusted without the claim:

    trust_unverified_email = true                 # every provider's; or ["microsoft"]: the providers
                                                  # named so under [auth.microsoft] ("default": [auth])

A claim that says `false` is refused whatever this says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")
ALLOW_OPEN_ENV = "TIERSCOPE_ALLOW_OPEN"  # "1": serve on other addresses without sign-in, knowingly


def _email(address: object) -> str:
    return str(address or "").strip().lower()


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[1] if "@" in email else ""


@dataclass(frozen=True)
class AccessRules:
    domains: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    organisations: Mapping[str, str] = field(default_factory=dict)  # email or domain -> organisation
    # Providers whose ID tokens may omit `email_verified` (True: every provider)
    trusted_providers: frozenset[str] | bool = False

    @classmethod
    def from_config(cls, config: Mapping | None) -> AccessRules:
        """From the `[tierscope]` table of the secrets (missing: nobody may sign in)."""
        config = config or {}
        trusted = config.get("trust_unverified_email", False)
        trusted = frozenset(map(str, trusted)) if isinstance(trusted, list | tuple) else trusted is True
        return cls(frozenset(_email(d).lstrip("@") for d in config.get("allowed_domains", [])),
                   frozenset(_email(e) for e in config.get("allowed_emails", [])),
                   {_email(k): str(v) for k, v in dict(config.get("organisations", {})).items()}, trusted)

    def verified(self, claim: object, provider: object = "default") -> bool:
        """Whether an ID token's `email_verified` claim (None: the token has none) lets its address in."""
        if claim is None:
            trusted = self.trusted_providers
            return trusted is True or (isinstance(trusted, frozenset) and str(provider) in trusted)
        return claim is True or (isinstance(claim, str) and claim.lower() == "true")  # some providers send text

    def may_sign_in(self, email: object, verified: object = None, provider: object = "default") -> bool:
        """Whether this address may use Tierscope, given the token's `email_verified` claim and provider."""
        address = _email(email)
        if "@" not in address or not self.verified(verified, provider):
            return False
        return address in self.emails or _domain(address) in self.domains

    def organisation(self, email: object) -> str:
        """Whose work a member sees: the organisation listed for their address or domain, else the domain."""
        address = _email(email)
        return self.organisations.get(address) or self.organisations.get(_domain(address)) or _domain(address)


def exposure(sign_in: bool, address: str | None, allow_open: bool) -> str:
    """How this server is reachable: 'signed' (sign-in on), 'local' (this computer only), 'open'
    (other addresses without sign-in, explicitly allowed) or 'refused' (other addresses without
    sign-in and without that setting: no data is shown)."""
    if sign_in:
        return "signed"
    if (address or "") in LOCAL_ADDRESSES:
        return "local"
    return "open" if allow_open else "refused"
