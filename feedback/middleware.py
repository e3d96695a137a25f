"""What the staff admin's pages need that patients' pages must not have."""

STAFF_PREFIX = "/admin/"


class StaffPagesMiddleware:
    """Referrer-Policy: same-origin under /admin/ only.

    Patients' pages send no-referrer, with which browsers post forms with `Origin: null`;
    Django's CSRF check on the admin's login and forms needs the real origin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(STAFF_PREFIX):
            response["Referrer-Policy"] = "same-origin"
        return response
