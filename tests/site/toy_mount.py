"""A WSGI application factory for ``publish serve``'s mount tests: it says where it was mounted."""

from __future__ import annotations


def make_app(layout, options):
    """The factory a row of ``publish.serve.MOUNTS`` names: ``make_app(layout, options)``."""
    def app(environ, start_response):
        body = (f"toy SCRIPT_NAME={environ['SCRIPT_NAME']} PATH_INFO={environ['PATH_INFO']} "
                f"dist={layout.dist.name}").encode()
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]
    return app
