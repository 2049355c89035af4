from django.db import models


class TsVectorField(models.Field):
    """A ``tsvector`` column on PostgreSQL; an unused nullable text column elsewhere.

    The search backends write and read it with SQL of their own.
    """

    description = "PostgreSQL tsvector"

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"
