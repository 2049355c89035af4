"""The HTML side of the site for documents and coins: the document page, page
images, covers, downloads, upload and editing, buying, the wallet and earnings.

It sits on top of everything (with the API beside it): it parses the request,
asks ``openwenku.access`` what this reader may see or do, calls one service,
renders. Templates stay with the app whose things they show
(``documents/…``, ``market/…``). Refusals raised as ``ApplicationError`` that
a view does not show inside its own page become error pages through
``core.middleware``.
"""
