import logging


class OneLineWarning(logging.Filter):
    """Turn an expected, harmless error (a request for a host we do not serve) into a one-line warning.

    Django logs a bad Host header at ERROR with a traceback; it is a client's
    mistake or a scan, not a fault of ours, and tracebacks in the log hide real ones.
    """

    def filter(self, record):
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
