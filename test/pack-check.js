// Fails when the published tarball would ship anything but dist/, README, LICENSE and package.json,
// or when a node or credential listed in package.json#n8n is missing from dist/.
const { execSync } = require('child_process');
const { existsSync } = require('fs');
const { join } = require('path');

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
if (problems.length) {
	console.error(problems.join('\n'));
	process.exit(1);
}
console.log(`package contents OK: ${files.length} files, ${(report.size / 1024).toFixed(1)} kB packed`);
