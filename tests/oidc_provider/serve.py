"""Run the test provider: `python -m tests.oidc_provider.serve <portal base URL>`.

Creates its database, people (people.json) and the portal's client, then serves on a free
127.0.0.1 port and prints `READY <port>` once it accepts connections.
"""

import json
import os
import socketserver
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

CLIENT_ID = "zi-portal"
CLIENT_SECRET = "zi-portal-test-secret"  # noqa: S105


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(portal: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, entry in json.loads(settings.PEOPLE_FILE.read_text()).items():
        User.objects.create_user(username, password=entry["password"])
    Application.objects.create(
        name="ZI Portal",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{portal}/oidc/callback/",
        post_logout_redirect_uris=f"{portal}/accounts/login/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_Quiet
    )
    print(f"READY {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
