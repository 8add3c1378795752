// Fails when the published tarball would ship anything but dist/, README, LICENSE and package.json,
// or when a node or credential listed in package.json#n8n is missing from dist/.
// Also checks the rest of the n8n guide's §11 packaging list: package.json rules, every node and
// credential source listed in package.json#n8n, each node's codex file packed (category
// Communication, documentation links), and every icon a node or credential points at packed.
const { execSync } = require('child_process');
const { existsSync, readdirSync, readFileSync } = require('fs');
const { dirname, join, posix, relative } = require('path');

const root = join(__dirname, '..');
const pkg = require(join(root, 'package.json'));
const [report] = JSON.parse(execSync('npm pack --dry-run --json --ignore-scripts', { cwd: root, encoding: 'utf8' }));
const files = report.files.map((file) => file.path);
const allowed = (path) => path.startsWith('dist/') || ['README.md', 'LICENSE.md', 'package.json'].includes(path);
const problems = files.filter((path) => !allowed(path)).map((path) => `not allowed in the package: ${path}`);
for (const required of ['README.md', 'LICENSE.md', 'package.json']) {
	if (!files.includes(required)) problems.push(`missing from the package: ${required}`);
}
for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
	if (!files.includes(entry) || !existsSync(join(root, entry))) problems.push(`listed in package.json#n8n but not packed: ${entry}`);
}
if (pkg.dependencies && Object.keys(pkg.dependencies).length) problems.push('package.json has runtime dependencies');

// package.json (guide §1.2)
if (pkg.overrides) problems.push('package.json has "overrides"');
if (JSON.stringify(pkg.peerDependencies) !== JSON.stringify({ 'n8n-workflow': '*' })) {
	problems.push('package.json#peerDependencies must be exactly { "n8n-workflow": "*" }');
}
if (pkg.n8n.n8nNodesApiVersion !== 1) problems.push('package.json#n8n.n8nNodesApiVersion must be 1 (n8n 2.41 skips higher versions)');
for (const script of ['prepare', 'preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'postprepare']) {
	if (pkg.scripts && pkg.scripts[script]) problems.push(`package.json has the forbidden script "${script}"`);
}
if (!(pkg.keywords || []).includes('n8n-community-node-package')) problems.push('package.json#keywords lacks n8n-community-node-package');
if (!pkg.author || !pkg.author.name || !pkg.author.email) problems.push('package.json#author needs name and email');
for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
	if (!entry.startsWith('dist/')) problems.push(`package.json#n8n entry outside dist/: ${entry}`);
}

/** Source files below `dir` whose name ends with `suffix`, as repo-relative posix paths. */
function sources(dir, suffix) {
	const found = [];
	const walk = (current) => {
		for (const entry of readdirSync(current, { withFileTypes: true })) {
			const full = join(current, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith(suffix)) found.push(relative(root, full).split('\\').join('/'));
		}
	};
	if (existsSync(join(root, dir))) walk(join(root, dir));
	return found.sort();
}

const distOf = (source) => `dist/${source.replace(/\.ts$/, '.js')}`;

// Every node and credential source is registered (an unlisted node silently never loads).
for (const [dir, suffix, list] of [
	['nodes', '.node.ts', pkg.n8n.nodes],
	['credentials', '.credentials.ts', pkg.n8n.credentials],
]) {
	for (const source of sources(dir, suffix)) {
		if (!list.includes(distOf(source))) problems.push(`${source} is not listed in package.json#n8n as ${distOf(source)}`);
	}
}

// Codex next to each node (guide §6): packed, category Communication, documentation links.
const isUrl = (value) => typeof value === 'string' && /^https:\/\/\S+$/.test(value);
for (const nodeJs of pkg.n8n.nodes) {
	const codex = nodeJs.replace(/\.js$/, '.json');
	if (!files.includes(codex) || !existsSync(join(root, codex))) {
		problems.push(`codex file not packed: ${codex} (add ${codex.replace(/^dist\//, '').replace(/\.js$/, '.json')} beside the node)`);
		continue;
	}
	let data;
	try {
		data = JSON.parse(readFileSync(join(root, codex), 'utf8'));
	} catch (error) {
		problems.push(`${codex} is not valid JSON: ${error.message}`);
		continue;
	}
	if (JSON.stringify(data.categories) !== JSON.stringify(['Communication'])) {
		problems.push(`${codex}: categories must be ["Communication"], found ${JSON.stringify(data.categories)}`);
	}
	if (data.subcategories) problems.push(`${codex}: no subcategories for community nodes`);
	for (const kind of ['primaryDocumentation', 'credentialDocumentation']) {
		const links = (data.resources && data.resources[kind]) || [];
		if (!links.length || !links.every((link) => isUrl(link && link.url))) problems.push(`${codex}: resources.${kind} needs an https URL`);
	}
}

// Icons (guide §6): every `file:` icon a node or credential names is packed where it resolves.
const iconFiles = new Set(['dist/icons/agentcall.svg', 'dist/icons/agentcall.dark.svg']);
for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
	const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
	if (!existsSync(join(root, source))) continue;
	const text = readFileSync(join(root, source), 'utf8');
	const icons = [...text.matchAll(/['"]file:([^'"]+)['"]/g)].map((match) => match[1]);
	if (!icons.length) problems.push(`${source} names no file: icon`);
	for (const icon of icons) iconFiles.add(posix.normalize(posix.join(dirname(entry), icon)));
}
for (const icon of iconFiles) {
	if (!icon.startsWith('dist/')) problems.push(`icon outside the package's dist/: ${icon}`);
	else if (!icon.endsWith('.svg')) problems.push(`icon is not an SVG: ${icon}`);
	else if (!files.includes(icon)) problems.push(`icon not packed: ${icon}`);
}

if (problems.length) {
	console.error(problems.join('\n'));
	process.exit(1);
}
console.log(
	`package contents OK: ${files.length} files, ${(report.size / 1024).toFixed(1)} kB packed; ` +
		`${pkg.n8n.nodes.length} nodes with codex, ${pkg.n8n.credentials.length} credential, ${iconFiles.size} icons`,
);
