import os

from django.core.wsgi import get_wsgi_application

from openwenku import datadir

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openwenku.settings")
datadir.ensure()
application = get_wsgi_application()

# Load jieba, OpenCC and the search code now, before this process accepts a
# request (gunicorn imports this module in each worker before it serves), so no
# reader's first search pays for a start or a deploy. OPENWENKU_WARM_UP=0 skips it.
from openwenku.web.warmup import warm  # noqa: E402 (needs the apps loaded above)

warm()
