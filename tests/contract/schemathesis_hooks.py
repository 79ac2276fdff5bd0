"""How schemathesis signs its requests in, loaded by ``st run`` (SCHEMATHESIS_HOOKS).

Either an API key (``ST_API_KEY``) or a team member's session
(``ST_SESSION``); a session's writes carry the CSRF token Django asks of
them, as the field page's do. Declared as schemathesis auth, so that its
checks know the credentials (``ignored_auth`` sends requests without them).
"""

import os

import schemathesis

CSRF = "contractcsrftoken0123456789abcde"  # 32 letters and digits, as Django's


@schemathesis.auth()
class Credentials:
    def get(self, case, context):
        return os.environ.get("ST_API_KEY") or os.environ["ST_SESSION"]

    def set(self, case, data, context):
        if os.environ.get("ST_API_KEY"):
            case.headers = {**(case.headers or {}), "X-Api-Key": data}
            return
        case.cookies = {**(case.cookies or {}), "sessionid": data, "csrftoken": CSRF}
        case.headers = {**(case.headers or {}), "X-CSRFToken": CSRF}
