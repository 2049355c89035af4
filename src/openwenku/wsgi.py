import os

from django.core.wsgi import get_wsgi_application

from openwenku import datadir

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openwenku.settings")
datadir.ensure()
application = get_wsgi_application()
