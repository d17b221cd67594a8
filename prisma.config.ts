// Configuration of the Prisma CLI (generate, migrate diff, migrate status).
//
// Prisma's CLI normally downloads a native schema engine; this machine cannot reach Prisma's
// download host, so the CLI runs its WASM engine (`engine: 'js'`) over a driver adapter.
// The stock @prisma/adapter-pg 6.19.3 has three bugs when the schema engine drives it
// (see docs/DATABASE.md); `CliPrismaPg` below works around each one. The application itself
// uses the stock adapter (packages/db) and migrates with packages/db's own runner.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

// Without a DATABASE_URL the CLI falls back to the native engine and tries to download it,
// so generate/validate/format get a placeholder that is never connected to.
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/flotilla';
process.env.DATABASE_URL = databaseUrl;

const PG_NAME_OID = 19;
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;
type QueryResult = { fields?: { dataTypeID: number }[] };
// A multi-statement script (a migration) answers with one result per statement.
type PerformIo = (query: unknown) => Promise<QueryResult | QueryResult[]>;

function patchAdapter(adapter: Adapter): Adapter {
  const pool = adapter.underlyingDriver();
  // Bug 1: the engine's catalog queries return `name` and `"char"` columns, which the adapter
  // cannot map ("Column type 'name' could not be deserialized"). They are text: say so.
  const target = adapter as unknown as { performIO: PerformIo };
  const performIo = target.performIO.bind(adapter);
  target.performIO = async (query) => {
    const result = await performIo(query);
    for (const statement of Array.isArray(result) ? result : [result]) {
      for (const field of statement.fields ?? []) {
        if (field.dataTypeID === PG_NAME_OID || field.dataTypeID === PG_CHAR_OID) {
          field.dataTypeID = PG_TEXT_OID;
        }
      }
    }
    return result;
  };
  // Bug 3: the stock executeScript splits on every `;`, which breaks `$$ ... $$` bodies and is
  // not atomic. One simple-protocol query runs the script in one implicit transaction.
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  return adapter;
}

class CliPrismaPg extends PrismaPg {
  constructor(private readonly connectionString: string) {
    super({ connectionString });
  }

  override async connect(): Promise<Adapter> {
    return patchAdapter(await super.connect());
  }

  // Bug 2: the stock shadow database spreads `database` into a config whose connectionString
  // wins, so the "shadow" database is the main one. Make a real one and drop it afterwards.
  override async connectToShadowDb(): Promise<Adapter> {
    const admin = new pg.Client({ connectionString: this.connectionString });
    await admin.connect();
    const database = `prisma_shadow_${crypto.randomUUID().replaceAll('-', '')}`;
    await admin.query(`CREATE DATABASE "${database}"`);
    const url = new URL(this.connectionString);
    url.pathname = `/${database}`;
    const shadow = patchAdapter(await new PrismaPg({ connectionString: url.toString() }).connect());
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    };
    return shadow;
  }
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new CliPrismaPg(databaseUrl),
});
