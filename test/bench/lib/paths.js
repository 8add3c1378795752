'use strict';
/** Where a bench run keeps its files (all under test-artifacts/, which git ignores). */
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..', '..');
const OUT = path.join(REPO, 'test-artifacts', 'bench');

module.exports = {
	REPO,
	OUT,
	/** One JSON file per scenario, written by the scenario, read by globalTeardown. */
	RESULTS: path.join(OUT, 'results'),
	/** Run facts written by globalSetup: runtime paths, machine, load at the start. */
	RUN_FILE: path.join(OUT, 'run.json'),
	/** A copy of the built package taken at the start, so a rebuild by someone else mid-run changes nothing. */
	SNAPSHOT: path.join(OUT, 'package'),
	PROFILES: path.join(OUT, 'profiles'),
	REPORT: path.join(REPO, 'BENCHMARKS.md'),
	NOTES: path.join(__dirname, '..', 'NOTES.md'),
};
