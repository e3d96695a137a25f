from whitenoise.storage import CompressedManifestStaticFilesStorage

ADMIN_PREFIX = "admin/"


class ReleaseStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The release's static files, with hashed names; the staff admin's files are not among them.

    Compressing the admin's 130 files would make every publish seconds slower for pages no
    patient sees, so they stay out of the release (STATICFILES_FINDERS) and the application
    serves them, unhashed, under /static/admin/ (feedback.views.admin_static).
    """

    def url(self, name, force=False):
        if name.startswith(ADMIN_PREFIX):
            return self.base_url + name
        return super().url(name, force)
