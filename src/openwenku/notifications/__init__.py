"""The member's message centre (站内信): what happened to their documents, money and account.

Apps above announce events with :func:`services.notify`; each kind of notice is
registered once (``kinds.register``) with its wording as translatable strings,
so a notice is worded in the reader's language when it is read, not in the
sender's when it was sent. Important kinds are also e-mailed, unless the member
turned e-mail off.
"""
