// Runs Lojal's migrations against the database in argv[2], as a start of the server does;
// the fault test kills this process in the middle.
import { connect } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';

const { db, pool } = connect(process.argv[2]!, 2);
await migrate(pool);
await db.destroy();
