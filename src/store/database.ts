import * as lancedb from '@lancedb/lancedb';
import { resolve } from 'node:path';
import type { Schema } from 'apache-arrow';
import { StoreError } from './errors.js';

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

  async table(name: string): Promise<lancedb.Table | undefined> {
    return (await this.connection.tableNames()).includes(name) ? this.connection.openTable(name) : undefined;
  }

  async require(name: string): Promise<lancedb.Table> {
    const table = await this.table(name);
    if (!table) throw new StoreError(this.dir, `the index has no ${name} table; run 'vidlens index' first`);
    return table;
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

  /** Creates a table unless it exists (another writer may be creating it right now). */
  create(name: string, schema: Schema): Promise<lancedb.Table> {
    return this.connection.createEmptyTable(name, schema, { existOk: true });
  }
}
