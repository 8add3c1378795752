'use strict';
/**
 * A real browser for the editor tests: Debian's chromium driven by playwright-core (no browser
 * download). Chromium is installed by .ci/run (`apt-get install -y chromium`); locally install it
 * the same way or point AGENTCALL_CHROMIUM at another Chromium/Chrome binary.
 * Plain CommonJS: Node built-ins are not allowed in the linted .ts tests.
 */
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { REPO_DIR } = require('./n8n');

const SCREENSHOT_DIR = path.join(REPO_DIR, 'test-artifacts', 'e2e', 'editor');
const DOCS_DIR = path.join(REPO_DIR, 'docs');
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];

function chromiumPath() {
	const wanted = process.env.AGENTCALL_CHROMIUM;
	if (wanted) {
		if (!fs.existsSync(wanted)) throw new Error(`AGENTCALL_CHROMIUM=${wanted} does not exist`);
		return wanted;
	}
	const found = CANDIDATES.find((candidate) => fs.existsSync(candidate));
	if (!found) {
		throw new Error(
			'No Chromium for the editor tests. Install it (Debian/Ubuntu, as root: apt-get install -y chromium; .ci/run does this) ' +
				'or set AGENTCALL_CHROMIUM to a Chromium or Chrome binary.',
		);
	}
	return found;
}

/**
 * Chromium with one page (1440x900). `shot(name)` saves test-artifacts/e2e/editor/<nn>-<name>.png.
 * @returns {Promise<{ browser: import('playwright-core').Browser, page: import('playwright-core').Page, shot: (name: string) => Promise<string>, close: () => Promise<void> }>}
 */
async function launchEditorBrowser() {
	fs.rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const browser = await chromium.launch({ executablePath: chromiumPath(), args: ARGS });
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const page = await context.newPage();
	page.setDefaultTimeout(30000);
	let count = 0;
	return {
		browser,
		page,
		async shot(name) {
			count += 1;
			const file = path.join(SCREENSHOT_DIR, `${String(count).padStart(2, '0')}-${name}.png`);
			await page.screenshot({ path: file });
			return file;
		},
		close: () => browser.close(),
	};
}

/**
 * A README screenshot: written to docs/<name>.png only with AGENTCALL_UPDATE_DOCS_SCREENSHOT=1
 * (so that test runs leave the committed files alone), always to
 * test-artifacts/e2e/editor/docs-<name>.png. Returns the paths written.
 * @param {import('playwright-core').Page} page
 * @param {string} [name] `editor` (the README's first picture) or `agent` (the AI agent recipe)
 */
async function saveDocsScreenshot(page, name = 'editor') {
	const files = [path.join(SCREENSHOT_DIR, `docs-${name}.png`)];
	// no "Workflow executed successfully" toast in the picture
	for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => undefined);
	await page.locator('.el-notification').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
	if (process.env.AGENTCALL_UPDATE_DOCS_SCREENSHOT === '1') {
		fs.mkdirSync(DOCS_DIR, { recursive: true });
		files.push(path.join(DOCS_DIR, `${name}.png`));
	}
	for (const file of files) await page.screenshot({ path: file });
	return files;
}

/** Whether an <img> finished loading with real pixels. */
function imageLoaded(locator) {
	return locator.evaluate((img) => img.complete && img.naturalWidth > 0);
}

module.exports = { launchEditorBrowser, saveDocsScreenshot, chromiumPath, imageLoaded, SCREENSHOT_DIR, DOCS_DIR };
