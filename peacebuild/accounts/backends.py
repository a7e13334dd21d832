"""Authentication backends: django-axes' lock-out check in front of Django's own."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out user name before any password is checked. Every web door
    passes its request (the sign-in page; the admin signs in through it). A call without a
    request (`authenticate(username=…, password=…)` from a command or a test,
    `Client.login`) has no address to count failures by, so it is not throttled here
    rather than refused outright; no page calls it that way."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None
