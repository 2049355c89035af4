"""A pytest plugin (``-p openwenku.testing`` in pyproject's addopts).

pytest-django reads the settings before any conftest runs, and the settings
create nothing (see ``openwenku.datadir``): this makes the test run's data
folder and secret key first, as the ``openwenku`` command does for the site.
"""

from openwenku import datadir

datadir.ensure()
