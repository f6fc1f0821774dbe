import * as lancedb from '@lancedb/lancedb';
import type { Schema } from 'apache-arrow';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DAMAGED_ADVICE, lanceReason, StoreError } from './errors.js';
import { MANIFEST_FILE } from './manifest.js';

/** The LanceDB connection of an index folder, with its tables by name. */
export class IndexDb {
  private constructor(
    readonly dir: string,
    private readonly connection: lancedb.Connection,
  ) {}

  static async connect(dir: string): Promise<IndexDb> {
    // Always an absolute path: LanceDB reads some relative names (e.g. "db") as cloud URIs.
    return new IndexDb(dir, await lancedb.connect(resolve(dir)));
  }

  /** The table, or undefined when there is none; a table LanceDB cannot open is a `StoreError` naming it. */
  async table(name: string): Promise<lancedb.Table | undefined> {
    if (!(await this.connection.tableNames()).includes(name)) return undefined;
    try {
      return await this.connection.openTable(name);
    } catch (error) {
      throw new StoreError(this.dir, `the ${name} table is damaged (${error instanceof Error ? lanceReason(error) : String(error)}); ${DAMAGED_ADVICE}`, error);
    }
  }

  async require(name: string): Promise<lancedb.Table> {
    const table = await this.table(name);
    if (table) return table;
    // With a manifest the index was initialised, so the table was there: it is lost, not yet to be made.
    if (existsSync(join(this.dir, MANIFEST_FILE))) throw new StoreError(this.dir, `the ${name} table is missing though the index's manifest is there: the index is damaged; ${DAMAGED_ADVICE}`);
    throw new StoreError(this.dir, `the index has no ${name} table; run 'vidlens index' first`);
  }

  /** The names of the tables in the folder. */
  tableNames(): Promise<string[]> {
    return this.connection.tableNames();
  }

  /** A table's version (it grows with every commit), or -1 when the table does not exist. */
  async version(name: string): Promise<number> {
    const table = await this.table(name);
    return table ? table.version() : -1;
  }

  /** A table's schema metadata (empty when the table does not exist). */
  async metadata(name: string): Promise<Map<string, string>> {
    const table = await this.table(name);
    return table ? (await table.schema()).metadata : new Map();
  }

  /** Removes a table and its files. */
  async drop(name: string): Promise<void> {
    await this.connection.dropTable(name);
  }

  /** Creates a table unless it exists (another writer may be creating it right now). */
  create(name: string, schema: Schema): Promise<lancedb.Table> {
    return this.connection.createEmptyTable(name, schema, { existOk: true });
  }
}
