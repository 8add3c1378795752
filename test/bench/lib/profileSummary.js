#!/usr/bin/env node
'use strict';
/**
 * `node test/bench/lib/profileSummary.js <file.cpuprofile> [top=30] [filter]`: self and inclusive
 * time per function (and per package/file), from a V8 CPU profile written with BENCH_PROFILE.
 */
const fs = require('fs');

const [file, topArg, filter] = process.argv.slice(2);
const top = Number(topArg) || 30;
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children || []) parent.set(child, node.id);

const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) {
	const delta = profile.timeDeltas[i + 1] ?? 0;
	dt.set(profile.samples[i], (dt.get(profile.samples[i]) || 0) + delta / 1000);
}
const total = [...dt.values()].reduce((a, b) => a + b, 0);

function shortUrl(url) {
	return url
		.replace(/^file:\/\//, '')
		.replace(/.*\/node_modules\//, '')
		.replace(/.*\/test-artifacts\/bench\/package\//, 'agentcall/')
		.replace(/.*\/work\/main\//, '');
}
const label = (node) => {
	const f = node.callFrame;
	return `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
};
const pkgOf = (node) => {
	const url = shortUrl(node.callFrame.url);
	if (!url) return node.callFrame.functionName.startsWith('(') ? node.callFrame.functionName : '(native)';
	const parts = url.split('/');
	if (parts[0].startsWith('@')) return `${parts[0]}/${parts[1]}`;
	if (parts[0] === 'agentcall') return `agentcall/${parts.slice(1, -1).join('/')}`;
	return parts[0];
};

const self = new Map();
const selfPkg = new Map();
const inclusive = new Map();
for (const [id, ms] of dt) {
	const node = nodes.get(id);
	self.set(label(node), (self.get(label(node)) || 0) + ms);
	selfPkg.set(pkgOf(node), (selfPkg.get(pkgOf(node)) || 0) + ms);
	const seen = new Set();
	for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
		const l = label(nodes.get(cur));
		if (seen.has(l)) continue;
		seen.add(l);
		inclusive.set(l, (inclusive.get(l) || 0) + ms);
	}
}
const print = (title, map) => {
	console.log(`\n${title}`);
	[...map]
		.filter(([name]) => !filter || name.includes(filter))
		.sort((a, b) => b[1] - a[1])
		.slice(0, top)
		.forEach(([name, ms]) => console.log(`${ms.toFixed(1).padStart(9)} ms ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${name}`));
};
console.log(`total sampled ${total.toFixed(0)} ms`);
print('self time by package/file', selfPkg);
print('self time by function', self);
print('inclusive time by function', inclusive);
