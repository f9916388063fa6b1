/// The SQL of the triggers that tell Cairn about edits: one statement-level trigger per INSERT,
/// UPDATE and DELETE (PostgreSQL allows transition tables only on single-event triggers) sharing
/// one function, and a TRUNCATE trigger. Each statement sends one notification on
/// `ChangeNotification.channel`, however many rows it touched (see `ChangeNotification` for the
/// payload). Re-installing replaces them; `dropStatements` removes them.
public struct ChangeTriggers: Sendable {
    public let table: PostGISTableName
    public let geometryColumn: String

    /// Rows whose boxes are sent one by one; a statement touching more sends the extent of all.
    public static let maximumListedBoxes = 100
    /// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; a longer one becomes the extent.
    public static let maximumPayloadBytes = 7900

    /// - Throws: `ChangeTriggerError` for a geometry column that cannot be a column name.
    public init(table: PostGISTableName, geometryColumn: String) throws {
        guard !geometryColumn.isEmpty, geometryColumn.utf8.count <= 63, !geometryColumn.utf8.contains(0) else {
            throw ChangeTriggerError(message: "geometry column \"\(geometryColumn)\": expected a column name of 1 to 63 bytes")
        }
        self.table = table
        self.geometryColumn = geometryColumn
    }

    /// The trigger function's name, in the table's schema (shared by every table of the schema).
    public var functionName: String { SQLIdentifier.quote(table.schema) + ".cairn_notify_changes" }

    static let triggerNames = ["cairn_changes_insert", "cairn_changes_update", "cairn_changes_delete", "cairn_changes_truncate"]

    /// The statements that install (or replace) the function and triggers, in order; run them in
    /// one transaction.
    public var installStatements: [String] {
        let channel = SQLLiteral.quote(ChangeNotification.channel)
        let function = """
        CREATE OR REPLACE FUNCTION \(functionName)() RETURNS trigger LANGUAGE plpgsql AS $cairn$
        DECLARE
            geom_column text := quote_ident(TG_ARGV[0]);
            stamp double precision := extract(epoch FROM clock_timestamp());
            source text;
            geometries bigint;
            srid integer;
            bounds box2d;
            boxes json;
            payload text;
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                PERFORM pg_notify(\(channel), json_build_object('v', 1, 'table', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
                    'op', TG_OP, 'at', stamp, 'all', true)::text);
                RETURN NULL;
            END IF;
            source := CASE TG_OP
                WHEN 'INSERT' THEN format('SELECT %1$s AS g FROM new_rows', geom_column)
                WHEN 'DELETE' THEN format('SELECT %1$s AS g FROM old_rows', geom_column)
                ELSE format('SELECT %1$s AS g FROM old_rows UNION ALL SELECT %1$s FROM new_rows', geom_column) END;
            EXECUTE format('SELECT count(*), max(ST_SRID(g)), ST_Extent(g) FROM (%s) r WHERE g IS NOT NULL AND NOT ST_IsEmpty(g)', source)
                INTO geometries, srid, bounds;
            IF geometries = 0 THEN
                RETURN NULL;
            END IF;
            IF geometries <= \(Self.maximumListedBoxes) THEN
                EXECUTE format('SELECT json_agg(json_build_array(ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g))) FROM (%s) r WHERE g IS NOT NULL AND NOT ST_IsEmpty(g)', source)
                    INTO boxes;
            ELSE
                boxes := json_build_array(json_build_array(ST_XMin(bounds), ST_YMin(bounds), ST_XMax(bounds), ST_YMax(bounds)));
            END IF;
            payload := json_build_object('v', 1, 'table', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'op', TG_OP, 'at', stamp,
                'srid', srid, 'rows', geometries, 'boxes', boxes)::text;
            IF octet_length(payload) > \(Self.maximumPayloadBytes) THEN
                payload := json_build_object('v', 1, 'table', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'op', TG_OP, 'at', stamp,
                    'srid', srid, 'rows', geometries,
                    'boxes', json_build_array(json_build_array(ST_XMin(bounds), ST_YMin(bounds), ST_XMax(bounds), ST_YMax(bounds))))::text;
            END IF;
            PERFORM pg_notify(\(channel), payload);
            RETURN NULL;
        END
        $cairn$
        """
        let argument = SQLLiteral.quote(geometryColumn)
        let call = "FOR EACH STATEMENT EXECUTE FUNCTION \(functionName)(\(argument))"
        return [function] + dropTriggerStatements + [
            "CREATE TRIGGER cairn_changes_insert AFTER INSERT ON \(table.quoted) REFERENCING NEW TABLE AS new_rows \(call)",
            "CREATE TRIGGER cairn_changes_update AFTER UPDATE ON \(table.quoted) REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows \(call)",
            "CREATE TRIGGER cairn_changes_delete AFTER DELETE ON \(table.quoted) REFERENCING OLD TABLE AS old_rows \(call)",
            "CREATE TRIGGER cairn_changes_truncate AFTER TRUNCATE ON \(table.quoted) \(call)",
        ]
    }

    /// The statements that remove the table's triggers (the shared function stays: other tables
    /// of the schema may use it).
    public var dropStatements: [String] { dropTriggerStatements }

    private var dropTriggerStatements: [String] {
        Self.triggerNames.map { "DROP TRIGGER IF EXISTS \($0) ON \(table.quoted)" }
    }

    /// The statements as one script for `--print` (psql runs it as one transaction).
    public static func script(_ statements: [String]) -> String {
        (["BEGIN;"] + statements.map { $0 + ";" } + ["COMMIT;"]).joined(separator: "\n") + "\n"
    }
}

/// Quoting of string literals in DDL, where PostgreSQL takes no bound parameters (a trigger's
/// arguments). Standard-conforming strings: only the quote is special.
public enum SQLLiteral {
    public static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// Installing triggers failed: what and why, never a password.
public struct ChangeTriggerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}
