"""The access layer: the one owner of "may this person do this to this document".

Every surface that shows or hands out something of a document asks here and
nowhere else: the document page and its description, page images and covers,
the page text, search snippets, downloads, the API, listings.

- ``policy``: the rules. ``access_for(reader, document)`` answers every action
  (``Action``) for one reader and one document with a ``Decision`` that carries
  the ``Reason`` when it is no.
- ``selectors``: reads that apply the rules (a document or page for a reader, the
  text a reader may see, what may be listed).
- ``paywall``: page image URLs that cannot be guessed and expire.

The access layer sits above the apps whose facts it combines (documents:
status, ownership, price; market: purchases, site defaults; later moderation:
holds and takedowns) and below everything that serves readers (search,
discovery, web, api). The table-driven specification is
``tests/access/test_policy.py``.
"""
