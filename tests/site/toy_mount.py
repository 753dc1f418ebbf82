"""A WSGI application factory for ``publish serve``'s mount tests: it says where it was mounted."""

from __future__ import annotations


def make_app(dist):
    """The factory a row of ``publish.serve.MOUNTS`` names: ``make_app(dist) -> WSGI application``."""
    def app(environ, start_response):
        body = f"toy SCRIPT_NAME={environ['SCRIPT_NAME']} PATH_INFO={environ['PATH_INFO']}".encode()
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]
    return app
