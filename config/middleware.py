"""Requests the platform answers where they were sent, never by a redirect."""

from django.urls import is_valid_path


class ApiPathWithoutSlashMiddleware:
    """``POST /api/v1/sessions`` is served as ``/api/v1/sessions/``.

    Django answers a path missing its final slash with a 301 to the right
    one; HTTP clients follow a 301 with a GET, which lists the sessions and
    answers 200, so an offline queue may take an unsent write for a stored
    one. Under ``/api/`` the path is completed in place instead, for every
    method, before ``CommonMiddleware`` would redirect it.
    """

    PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(self.PREFIX)
            and not path.endswith("/")
            and not is_valid_path(path)
            and is_valid_path(path + "/")
        ):
            request.path_info = path + "/"
            request.path = request.path + "/"
        return self.get_response(request)
