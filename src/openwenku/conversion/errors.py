class ConversionError(Exception):
    """A conversion failed for a reason a person understands.

    ``reason`` is shown to the uploader as it is; ``retryable`` says whether
    trying again later could succeed (a timeout may, a password never will).
    """

    def __init__(self, reason: str, *, retryable: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
