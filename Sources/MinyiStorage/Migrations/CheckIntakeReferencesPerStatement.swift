import SQLKit

/// On PostgreSQL the references a registration makes (the item's place and category, its first event's item) are
/// checked once per statement instead of once per row. A foreign key checks each new row alone, and locks the unit and
/// category it names (`FOR KEY SHARE`): two batches in flight at once (two then by default; now those of two instances)
/// lock the same few rows, which takes a multixact each time. Intake of 18 items a statement spent about a third of its time there. The checks below keep the guarantee:
/// - a statement that inserts or changes items whose place or category does not exist fails, and so does one that
///   inserts events of an item that does not exist (`foreign_key_violation`, as the keys did);
/// - deleting a unit or category, or changing its key, first waits for every registration in flight (`SHARE` lock on
///   the items) and then fails if an item names it; likewise an item with events. Minyi itself never deletes them.
/// SQLite keeps its foreign keys: it checks them without locks, at a cost of about 1 µs an item.
struct CheckIntakeReferencesPerStatement: Migration {
    let version = 36

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        try await run(
            [
                "ALTER TABLE items DROP CONSTRAINT items_place_id_fkey, DROP CONSTRAINT items_category_fkey",
                "ALTER TABLE item_events DROP CONSTRAINT item_events_item_id_fkey",
                // Inserted items: their references, and their phones into the phone table (as `index_item_phones` did).
                """
                CREATE FUNCTION items_inserted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
                BEGIN
                    PERFORM check_item_references(ARRAY(SELECT place_id FROM inserted_items), ARRAY(SELECT category FROM inserted_items));
                    \(IndexPostgresPhonesUnlogged.indexInsertedPhones)
                    RETURN NULL;
                END $$
                """,
                """
                CREATE FUNCTION items_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
                BEGIN
                    PERFORM check_item_references(ARRAY(SELECT place_id FROM changed_items), ARRAY(SELECT category FROM changed_items));
                    RETURN NULL;
                END $$
                """,
                """
                CREATE FUNCTION check_item_references(places TEXT[], categories TEXT[]) RETURNS void LANGUAGE plpgsql
                SET search_path FROM CURRENT SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
                DECLARE missing TEXT;
                BEGIN
                    SELECT p INTO missing FROM (SELECT DISTINCT unnest(places) AS p) s
                    WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = s.p) LIMIT 1;
                    IF FOUND THEN
                        RAISE EXCEPTION 'items: no unit %', missing USING ERRCODE = 'foreign_key_violation';
                    END IF;
                    SELECT c INTO missing FROM (SELECT DISTINCT unnest(categories) AS c) s
                    WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE k.code = s.c) LIMIT 1;
                    IF FOUND THEN
                        RAISE EXCEPTION 'items: no category %', missing USING ERRCODE = 'foreign_key_violation';
                    END IF;
                END $$
                """,
                """
                CREATE FUNCTION item_events_inserted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT
                -- Each event's item looked up by its key, whatever the statistics say: the plan is kept from the first
                -- call, and one made while the items table was small read all of it, 50 ms a registration at 100,000.
                SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
                DECLARE missing TEXT;
                BEGIN
                    SELECT e.item_id INTO missing FROM inserted_events e WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = e.item_id)
                    LIMIT 1;
                    IF missing IS NOT NULL THEN
                        RAISE EXCEPTION 'item_events: no item %', missing USING ERRCODE = 'foreign_key_violation';
                    END IF;
                    RETURN NULL;
                END $$
                """,
                // The other side: what is named may not go while something names it.
                """
                CREATE FUNCTION refuse_referenced_removal() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
                DECLARE named BOOLEAN;
                BEGIN
                    IF TG_TABLE_NAME = 'units' THEN
                        LOCK TABLE items IN SHARE MODE;
                        named := EXISTS (SELECT 1 FROM items WHERE place_id = OLD.id);
                    ELSIF TG_TABLE_NAME = 'categories' THEN
                        LOCK TABLE items IN SHARE MODE;
                        named := EXISTS (SELECT 1 FROM items WHERE category = OLD.code);
                    ELSE
                        LOCK TABLE item_events IN SHARE MODE;
                        named := EXISTS (SELECT 1 FROM item_events WHERE item_id = OLD.id);
                    END IF;
                    IF named THEN
                        RAISE EXCEPTION '%: still referred to', TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
                    END IF;
                    RETURN OLD;
                END $$
                """,
                "DROP TRIGGER items_index_phones ON items",
                """
                CREATE TRIGGER items_inserted AFTER INSERT ON items REFERENCING NEW TABLE AS inserted_items
                FOR EACH STATEMENT EXECUTE FUNCTION items_inserted()
                """,
                """
                CREATE TRIGGER items_changed AFTER UPDATE ON items REFERENCING NEW TABLE AS changed_items
                FOR EACH STATEMENT EXECUTE FUNCTION items_changed()
                """,
                """
                CREATE TRIGGER item_events_inserted AFTER INSERT ON item_events REFERENCING NEW TABLE AS inserted_events
                FOR EACH STATEMENT EXECUTE FUNCTION item_events_inserted()
                """,
                "CREATE TRIGGER units_referenced BEFORE DELETE OR UPDATE OF id ON units FOR EACH ROW EXECUTE FUNCTION refuse_referenced_removal()",
                """
                CREATE TRIGGER categories_referenced BEFORE DELETE OR UPDATE OF code ON categories
                FOR EACH ROW EXECUTE FUNCTION refuse_referenced_removal()
                """,
                "CREATE TRIGGER items_referenced BEFORE DELETE OR UPDATE OF id ON items FOR EACH ROW EXECUTE FUNCTION refuse_referenced_removal()",
                "DROP FUNCTION index_item_phones()",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        try await run(
            [
                "DROP TRIGGER items_referenced ON items", "DROP TRIGGER categories_referenced ON categories",
                "DROP TRIGGER units_referenced ON units", "DROP TRIGGER item_events_inserted ON item_events",
                "DROP TRIGGER items_changed ON items", "DROP TRIGGER items_inserted ON items",
                IndexPostgresPhonesUnlogged.createFunction, IndexPostgresPhonesUnlogged.createTrigger,
                "DROP FUNCTION refuse_referenced_removal()", "DROP FUNCTION item_events_inserted()", "DROP FUNCTION items_changed()",
                "DROP FUNCTION items_inserted()", "DROP FUNCTION check_item_references(TEXT[], TEXT[])",
                "ALTER TABLE item_events ADD CONSTRAINT item_events_item_id_fkey FOREIGN KEY (item_id) REFERENCES items(id)",
                """
                ALTER TABLE items ADD CONSTRAINT items_place_id_fkey FOREIGN KEY (place_id) REFERENCES units(id),
                ADD CONSTRAINT items_category_fkey FOREIGN KEY (category) REFERENCES categories(code)
                """,
            ], on: db)
    }
}
