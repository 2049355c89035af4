"""The database keeps the ledger append-only and the cached balances equal to it.

- Before an entry is inserted: its balance_after must be the wallet's balance
  plus its amount (on PostgreSQL the wallet row is locked first).
- After an entry is inserted: the wallet's balance becomes its balance_after.
- A wallet's balance may change only to its latest entry's balance_after, and
  a new wallet starts at zero: nothing else can write it.
- Entries are never updated. They are never deleted on PostgreSQL (test
  flushes use TRUNCATE there). On SQLite, where a flush is a DELETE, deleting
  an entry is silently ignored while its wallet exists, and deleting a wallet
  takes its entries with it, so balance = sum(entries) holds in every case.
- CHECK constraints (migration 0001) keep balances and balance_after >= 0.
"""

from django.db import migrations

SQLITE_UP = [
    """
    CREATE TRIGGER market_entry_follows_balance BEFORE INSERT ON market_ledgerentry
    BEGIN
        SELECT RAISE(ABORT, 'ledger entry does not follow its wallet balance')
        WHERE NEW.balance_after IS NOT
              (SELECT balance FROM market_wallet WHERE id = NEW.wallet_id) + NEW.amount;
    END
    """,
    """
    CREATE TRIGGER market_entry_applies AFTER INSERT ON market_ledgerentry
    BEGIN
        UPDATE market_wallet SET balance = NEW.balance_after WHERE id = NEW.wallet_id;
    END
    """,
    """
    CREATE TRIGGER market_entry_no_update BEFORE UPDATE ON market_ledgerentry
    BEGIN
        SELECT RAISE(ABORT, 'ledger entries are append-only');
    END
    """,
    """
    CREATE TRIGGER market_entry_no_delete BEFORE DELETE ON market_ledgerentry
    WHEN EXISTS (SELECT 1 FROM market_wallet WHERE id = OLD.wallet_id)
    BEGIN
        SELECT RAISE(IGNORE);
    END
    """,
    """
    CREATE TRIGGER market_wallet_takes_entries AFTER DELETE ON market_wallet
    BEGIN
        DELETE FROM market_ledgerentry WHERE wallet_id = OLD.id;
    END
    """,
    """
    CREATE TRIGGER market_wallet_starts_empty BEFORE INSERT ON market_wallet
    WHEN NEW.balance <> 0
    BEGIN
        SELECT RAISE(ABORT, 'a wallet starts with a zero balance');
    END
    """,
    """
    CREATE TRIGGER market_wallet_balance_from_ledger BEFORE UPDATE OF balance ON market_wallet
    WHEN NEW.balance IS NOT OLD.balance AND NEW.balance IS NOT (
        SELECT balance_after FROM market_ledgerentry
        WHERE wallet_id = NEW.id ORDER BY id DESC LIMIT 1)
    BEGIN
        SELECT RAISE(ABORT, 'a wallet balance changes only through the ledger');
    END
    """,
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "market_entry_follows_balance",
        "market_entry_applies",
        "market_entry_no_update",
        "market_entry_no_delete",
        "market_wallet_takes_entries",
        "market_wallet_starts_empty",
        "market_wallet_balance_from_ledger",
    )
]

PG_UP = [
    """
    CREATE FUNCTION market_entry_follows_balance() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE current_balance bigint;
    BEGIN
        SELECT balance INTO current_balance FROM market_wallet
            WHERE id = NEW.wallet_id FOR UPDATE;
        IF current_balance IS NULL OR NEW.balance_after <> current_balance + NEW.amount THEN
            RAISE EXCEPTION 'ledger entry does not follow its wallet balance'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER market_entry_follows_balance BEFORE INSERT ON market_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION market_entry_follows_balance()
    """,
    """
    CREATE FUNCTION market_entry_applies() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE market_wallet SET balance = NEW.balance_after WHERE id = NEW.wallet_id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER market_entry_applies AFTER INSERT ON market_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION market_entry_applies()
    """,
    """
    CREATE FUNCTION market_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger entries are append-only' USING ERRCODE = 'check_violation';
    END $$
    """,
    """
    CREATE TRIGGER market_entry_append_only BEFORE UPDATE OR DELETE ON market_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION market_entry_append_only()
    """,
    """
    CREATE FUNCTION market_wallet_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            IF NEW.balance <> 0 THEN
                RAISE EXCEPTION 'a wallet starts with a zero balance'
                    USING ERRCODE = 'check_violation';
            END IF;
        ELSIF NEW.balance IS DISTINCT FROM OLD.balance AND NEW.balance IS DISTINCT FROM (
            SELECT balance_after FROM market_ledgerentry
            WHERE wallet_id = NEW.id ORDER BY id DESC LIMIT 1) THEN
            RAISE EXCEPTION 'a wallet balance changes only through the ledger'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER market_wallet_guard BEFORE INSERT OR UPDATE ON market_wallet
    FOR EACH ROW EXECUTE FUNCTION market_wallet_guard()
    """,
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS market_wallet_guard ON market_wallet",
    "DROP TRIGGER IF EXISTS market_entry_append_only ON market_ledgerentry",
    "DROP TRIGGER IF EXISTS market_entry_applies ON market_ledgerentry",
    "DROP TRIGGER IF EXISTS market_entry_follows_balance ON market_ledgerentry",
    "DROP FUNCTION IF EXISTS market_wallet_guard()",
    "DROP FUNCTION IF EXISTS market_entry_append_only()",
    "DROP FUNCTION IF EXISTS market_entry_applies()",
    "DROP FUNCTION IF EXISTS market_entry_follows_balance()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                "OpenWenku's ledger triggers exist for SQLite and PostgreSQL only."
            )
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
