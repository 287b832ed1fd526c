"""Object factories shared by the tests (factory_boy arrives with the accounts issue)."""

from itertools import count

from marketplace.accounts.models import User

_serial = count(1)
PASSWORD = "correct horse battery staple"


def make_user(*, staff: bool = False, **fields) -> User:
    n = next(_serial)
    return User.objects.create_user(
        email=fields.pop("email", f"user{n}@example.com"), password=PASSWORD, is_staff=staff, **fields
    )
