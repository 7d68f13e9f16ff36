import pg from 'pg';

// bigint columns (seq, ids, ms times) come back as numbers, not strings: they stay far below
// 2^53. Every store imports this module, so the rule holds wherever a store is used.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
