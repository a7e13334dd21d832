"""What the tests of case files share (their fixtures, `case` and `case_files`, are in
conftest.py)."""

import time

from peacebuild.accounts.permissions import REAUTH_SESSION_KEY

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\nInvented statement of a witness\n%%EOF\n"


def reauthenticated(client):
    session = client.session
    session[REAUTH_SESSION_KEY] = time.time()
    session.save()
    return client
