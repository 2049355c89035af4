"""The providers' clients: building payment links, checking notifications,
querying, closing and refunding trades. Nothing here writes the database."""
