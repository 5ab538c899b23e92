// The detailed analyses of bench/bench_detailed.py answered by DuckDB over the same CDRs, loaded
// from one CSV file into an in-memory table first (loading is not timed). Each question runs
// `runs` times; prints one JSON line {analysis: median milliseconds}.
//
//   node bench/duckdb/detailed.mjs CALLS.csv FIRST_DAY RUNS
//
// The SQL does the work each analysis does on the server (group-bys by prefecture, pair, AN and
// day; distinct callers and their repeat histogram; the per-hour peak of simultaneous calls by
// a sweep over start and end events; weekday × hour, talk-time and time-band counts), on the
// whole table: the benchmark asks the server for the whole detailed window, which holds every
// row of the file.

import { DuckDBInstance } from '@duckdb/node-api';

const [csv, , runsText] = process.argv.slice(2);
const runs = Number(runsText || 5);

const QUESTIONS = {
  origin: [`SELECT origin_pref, count(*) AS calls, count(*) FILTER (WHERE result = 'completed') AS completed
            FROM calls GROUP BY 1 ORDER BY calls DESC, 1`],
  destination: [`SELECT dest_pref, count(*) AS calls, count(*) FILTER (WHERE result = 'completed') AS completed
                 FROM calls GROUP BY 1 ORDER BY calls DESC, 1`],
  'origin-destination': [`SELECT origin_pref, dest_pref, count(*) AS calls FROM calls GROUP BY 1, 2 ORDER BY calls DESC, 1, 2`],
  numbers: [`WITH by_hour AS (SELECT an, hour, count(*) AS n FROM calls GROUP BY 1, 2),
                  busiest AS (SELECT an, arg_max(hour, n) AS busiest_hour FROM by_hour GROUP BY an)
             SELECT c.an, count(*) AS calls, count(*) FILTER (WHERE result = 'completed') AS completed,
                    sum(duration_s) AS talk_seconds, any_value(b.busiest_hour) AS busiest_hour
             FROM calls c JOIN busiest b USING (an) GROUP BY c.an ORDER BY c.an`],
  'calls-minutes': [`SELECT day, count(*) AS calls, count(*) FILTER (WHERE result = 'completed') AS completed,
                            sum(duration_s) AS talk_seconds FROM calls GROUP BY day ORDER BY day`],
  callers: [`WITH c AS (SELECT caller, count(*) AS n FROM calls WHERE caller IS NOT NULL AND caller <> '' GROUP BY caller)
             SELECT least(n, 10) AS repeat, count(*) AS callers FROM c GROUP BY ROLLUP (repeat) ORDER BY repeat`],
  lines: [`WITH ev AS (SELECT t AS ts, 1 AS d FROM calls WHERE result = 'completed' AND duration_s > 0
                      UNION ALL SELECT t + duration_s, -1 FROM calls WHERE result = 'completed' AND duration_s > 0),
                run AS (SELECT ts, sum(d) OVER (ORDER BY ts, d ROWS UNBOUNDED PRECEDING) AS busy FROM ev),
                peak AS (SELECT (ts + 32400) // 3600 AS h, max(busy) AS peak FROM run GROUP BY 1),
                offered AS (SELECT (t + 32400) // 3600 AS h, sum(duration_s) / 3600.0 AS erlangs FROM calls GROUP BY 1)
           SELECT h, peak, erlangs FROM peak LEFT JOIN offered USING (h) ORDER BY h`],
  distribution: [
    `SELECT weekday, hour, count(*) FROM calls GROUP BY 1, 2 ORDER BY 1, 2`,
    `SELECT CASE WHEN duration_s < 30 THEN 0 WHEN duration_s < 60 THEN 1 WHEN duration_s < 180 THEN 2
                 WHEN duration_s < 300 THEN 3 WHEN duration_s < 600 THEN 4 WHEN duration_s < 1800 THEN 5 ELSE 6 END AS b,
            count(*) FROM calls WHERE result = 'completed' GROUP BY 1 ORDER BY 1`,
    `SELECT CASE WHEN hour < 6 THEN 0 ELSE (hour - 6) // 3 + 1 END AS band, count(*) FROM calls GROUP BY 1 ORDER BY 1`],
};

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
await db.run(`CREATE TABLE calls AS
  SELECT an, dn, caller, origin_pref, dest_pref, duration_s, result, t,
         (t + 32400) // 86400 AS day, ((t + 32400) % 86400) // 3600 AS hour,
         ((t + 32400) // 86400 + 3) % 7 AS weekday
  FROM (SELECT *, epoch(start)::BIGINT AS t FROM read_csv('${csv.replaceAll("'", "''")}', header = true, columns = {
    'call_id': 'VARCHAR', 'start': 'TIMESTAMPTZ', 'an': 'VARCHAR', 'dn': 'VARCHAR', 'caller': 'VARCHAR',
    'origin_pref': 'VARCHAR', 'dest_pref': 'VARCHAR', 'duration_s': 'INTEGER', 'result': 'VARCHAR'}))`);
const rows = (await db.runAndReadAll('SELECT count(*) FROM calls')).getRows()[0][0];
process.stderr.write(`duckdb: ${rows} rows loaded\n`);

const out = {};
for (const [name, sqls] of Object.entries(QUESTIONS)) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = process.hrtime.bigint();
    for (const sql of sqls) await db.runAndReadAll(sql);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  out[name] = Math.round(times[Math.floor(times.length / 2)] * 100) / 100;
}
console.log(JSON.stringify(out));
