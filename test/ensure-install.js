// Makes `npm test` work on a fresh clone: installs the locked devDependencies when node_modules is
// missing or was installed from another lockfile. Scripts stay off (.npmrc): see README, Node 20.
const { createHash } = require('crypto');
const { execSync } = require('child_process');
const { existsSync, readFileSync, writeFileSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..');
const lockHash = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
const stamp = join(root, 'node_modules', '.agentcall-lock-hash');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash) process.exit(0);

console.log('Installing devDependencies (npm ci --ignore-scripts)…');
execSync('npm ci --ignore-scripts --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
writeFileSync(stamp, lockHash);
