# The category tree moved to openwenku.documents.models.Category (its table is
# still discovery_category): documents are filed under it, and discovery, which
# lists them, sits above documents. This app keeps its migrations for history.
