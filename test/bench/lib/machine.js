'use strict';
/** Machine facts and whole-machine CPU use from /proc/stat (busy share of all cores). */
const fs = require('fs');
const os = require('os');

function cpuTimes() {
	try {
		const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
		const v = line.trim().split(/\s+/).slice(1).map(Number);
		const idle = v[3] + (v[4] || 0);
		const total = v.reduce((a, b) => a + b, 0);
		return { idle, total };
	} catch {
		return null;
	}
}

/** Busy share (0..1) of all cores between two cpuTimes() samples. */
function busyShare(a, b) {
	if (!a || !b || b.total === a.total) return null;
	return 1 - (b.idle - a.idle) / (b.total - a.total);
}

function machine() {
	const cpus = os.cpus();
	return {
		cores: cpus.length,
		cpuModel: cpus[0] ? cpus[0].model.trim() : 'unknown',
		node: process.version,
		platform: `${process.platform}-${process.arch}`,
		memoryGb: Math.round(os.totalmem() / 2 ** 30),
		loadavg: os.loadavg(),
	};
}

module.exports = { cpuTimes, busyShare, machine };
