// What `pgdba check` loads to analyse (dist/cli-check.js): the analysis, its rules and the parser, without the other
// commands' modules (the database client, PGlite's engine, the packager), which a check never runs.
export { ruleInfos, runCheck } from './check';
