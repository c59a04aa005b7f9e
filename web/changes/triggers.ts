/**
 * The triggers that make PostgreSQL announce its own changes: one function
 * per watched schema and, on each of its tables, a statement-level trigger
 * that runs `pg_notify('tally_changes', <table name>)`. Statement-level, so a
 * sink's batch upsert of 500 rows is one notification, not 500; PostgreSQL
 * also folds identical notifications within one transaction.
 *
 * Installing is idempotent and safe to run from several dashboards at once
 * (a transaction-scoped advisory lock serialises them).
 */
import pg from 'pg';

export const CHANGES_CHANNEL = 'tally_changes';
export const TRIGGER_NAME = 'tally_changes';
export const FUNCTION_NAME = 'tally_notify_change';

// An arbitrary constant: the advisory lock that serialises trigger installs.
const INSTALL_LOCK = 7_461_171;

const quote = (identifier: string) => pg.escapeIdentifier(identifier);

/** Tables of the schema that lack the trigger (ordinary and partitioned tables, not partitions). */
const UNWATCHED_TABLES = `
  SELECT c.relname AS table_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = $2)`;

/**
 * Installs the function (when missing) and the trigger on every table of the
 * schema that lacks it. Returns the tables it newly watches.
 */
export async function installChangeTriggers(db: pg.Client | pg.PoolClient, schema: string): Promise<string[]> {
  // The common case, every table already watched, costs one catalog query and no lock.
  const { rows: before } = await db.query<{ table_name: string }>(UNWATCHED_TABLES, [schema, TRIGGER_NAME]);
  const functionExists = await db.query(
    `SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = $2`,
    [schema, FUNCTION_NAME],
  );
  if (before.length === 0 && functionExists.rowCount) return [];

  const fn = `${quote(schema)}.${quote(FUNCTION_NAME)}`;
  await db.query('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock($1)', [INSTALL_LOCK]);
    await db.query(`
      CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $body$
      BEGIN
        PERFORM pg_notify('${CHANGES_CHANNEL}', TG_TABLE_NAME);
        RETURN NULL;
      END
      $body$`);
    // Read again under the lock: another dashboard may have installed some meanwhile.
    const { rows } = await db.query<{ table_name: string }>(UNWATCHED_TABLES, [schema, TRIGGER_NAME]);
    for (const { table_name } of rows) {
      await db.query(
        `CREATE OR REPLACE TRIGGER ${quote(TRIGGER_NAME)}
           AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${quote(schema)}.${quote(table_name)}
           FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      );
    }
    await db.query('COMMIT');
    return rows.map((r) => r.table_name);
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * A fingerprint of the schema's tables and their columns: when it changes, a
 * table appeared, went, or changed shape, and the grid of panels is redrawn.
 */
export async function schemaFingerprint(
  db: pg.Client | pg.PoolClient,
  schema: string,
): Promise<{ fingerprint: string; tables: string[] }> {
  const { rows } = await db.query<{ fingerprint: string | null; tables: string[] | null }>(
    `SELECT string_agg(c.relname || ':' || a.attname || ':' || a.atttypid::text, ',' ORDER BY c.relname, a.attnum) AS fingerprint,
            array_agg(DISTINCT c.relname::text) AS tables
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
    [schema],
  );
  return { fingerprint: rows[0]?.fingerprint ?? '', tables: (rows[0]?.tables ?? []).sort() };
}
