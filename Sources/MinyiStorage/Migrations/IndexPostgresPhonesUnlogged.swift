import SQLKit

/// On PostgreSQL the items' phones are indexed in an unlogged table, `item_phones`, filled by a trigger in the statement
/// that inserts the items, not in an index of the items table. Each new phone landed on a random page of that index,
/// and after every checkpoint the first change to each page wrote the whole page to the log: a burst that held up the
/// commits of every submission. An unlogged table writes no log. PostgreSQL empties it after a crash (and a promoted
/// standby starts with it empty); `item_phones_complete` is emptied with it, and while that marker is missing,
/// lookups read the items and the items' store fills the table again (`SQLItemStore.restorePhoneTable`).
/// SQLite indexes its phones beside the file (`IndexSQLitePhonesApart`).
struct IndexPostgresPhonesUnlogged: Migration {
    let version = 34

    /// The phones of a statement's new items (`inserted_items`, the trigger's transition table) into the phone table.
    static let indexInsertedPhones = """
        INSERT INTO item_phones (phone, item_id) SELECT contact_phone, id FROM inserted_items WHERE contact_phone IS NOT NULL
        ON CONFLICT DO NOTHING;
        """
    static let createFunction = """
        CREATE FUNCTION index_item_phones() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
            \(indexInsertedPhones)
            RETURN NULL;
        END $$
        """
    static let createTrigger = """
        CREATE TRIGGER items_index_phones AFTER INSERT ON items REFERENCING NEW TABLE AS inserted_items
        FOR EACH STATEMENT EXECUTE FUNCTION index_item_phones()
        """

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        try await run(
            [
                "CREATE UNLOGGED TABLE item_phones (phone TEXT NOT NULL, item_id TEXT NOT NULL, PRIMARY KEY (phone, item_id))",
                "CREATE UNLOGGED TABLE item_phones_complete (complete BOOLEAN PRIMARY KEY)",
                // One call per statement, whatever the number of items it inserts; the schema is fixed at creation so
                // that the trigger finds its table whatever the inserting session's search path.
                Self.createFunction,
                Self.createTrigger,
                "INSERT INTO item_phones (phone, item_id) SELECT contact_phone, id FROM items WHERE contact_phone IS NOT NULL",
                "INSERT INTO item_phones_complete (complete) VALUES (true)",
                "DROP INDEX items_contact_phone",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        try await run(
            [
                "CREATE INDEX items_contact_phone ON items(contact_phone) WHERE contact_phone IS NOT NULL",
                "DROP TRIGGER items_index_phones ON items", "DROP FUNCTION index_item_phones()", "DROP TABLE item_phones_complete",
                "DROP TABLE item_phones",
            ], on: db)
    }
}
