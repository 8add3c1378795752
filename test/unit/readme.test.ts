/* eslint-disable @n8n/community-nodes/no-restricted-imports -- reads README.md and examples/ from the repository */
import { existsSync, readdirSync, readFileSync } from 'fs';
import type { ICredentialType, INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { join } from 'path';

import type { LoadedPackage } from '../harness/engine';
import { loadPackage, REPO_ROOT } from '../harness/engine';

/**
 * The README is the user's manual: it must name every node, resource, operation, field and trigger
 * event of the BUILT package (as n8n loads it), so a new operation or field cannot ship
 * undocumented. Layout it expects:
 *
 *   ### <node display name>            e.g. "### AgentCall", "### AgentCall Trigger"
 *   #### <resource>                    action node only, inside the node's section
 *   ##### <operation>                  inside the resource's section; mentions every field
 *
 * Headings may carry a suffix after " (", " - ", " — " or ":", and a trailing "node"/"resource".
 * Trigger sections mention every field and, for the AgentCall Trigger, each event's display name
 * and its API name (`sms.inbound`). The Credentials section names every credential field.
 */

interface Section {
	level: number;
	title: string;
	core: string;
	start: number;
	end: number;
	text: string;
}

function stripMarkdown(text: string): string {
	return text
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/[`*_]/g, '')
		.replace(/<[^>]+>/g, '')
		.trim();
}

function coreOf(title: string): string {
	return title
		.split(/ \(| - | — | – |: /)[0]
		.replace(/\s+(node|resource|operation)$/i, '')
		.trim()
		.toLowerCase();
}

/** Every heading with the text up to the next heading of the same or a higher level. */
export function sections(markdown: string): Section[] {
	const lines = markdown.split('\n');
	const headings: Array<{ level: number; title: string; line: number }> = [];
	let fenced = false;
	lines.forEach((line, index) => {
		if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
		const match = fenced ? null : /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
		if (match) headings.push({ level: match[1].length, title: stripMarkdown(match[2]), line: index });
	});
	return headings.map((heading, index) => {
		const next = headings.slice(index + 1).find((other) => other.level <= heading.level);
		const end = next ? next.line : lines.length;
		return {
			level: heading.level,
			title: heading.title,
			core: coreOf(heading.title),
			start: heading.line,
			end,
			text: stripMarkdown(lines.slice(heading.line, end).join('\n')).toLowerCase(),
		};
	});
}

function findHeading(all: Section[], name: string, within?: Section): Section | undefined {
	return all.find(
		(section) =>
			section.core === name.toLowerCase() &&
			(!within || (section.start > within.start && section.end <= within.end && section.level > within.level)),
	);
}

function isCollection(property: INodeProperties): boolean {
	return property.type === 'collection' || property.type === 'fixedCollection';
}

/** Properties n8n adds to every polling trigger: named in the README, their insides are n8n's. */
const N8N_ADDED = new Set(['pollTimes']);

/** Display names a user sees for a field: the field, and the fields inside our own collections. */
function fieldNames(property: INodeProperties): string[] {
	const names = [property.displayName];
	if (isCollection(property) && !N8N_ADDED.has(property.name)) {
		for (const option of property.options ?? []) {
			const entry = option as INodeProperties | INodePropertyCollection;
			// fixedCollection groups ("Field" of Metadata) are layout, their values are the fields.
			if ('values' in entry && Array.isArray(entry.values)) names.push(...entry.values.map((value) => value.displayName));
			else if ('displayName' in entry) names.push(entry.displayName);
		}
	}
	return names;
}

/** The fields an editor user can fill in: no notices, no n8n-added node settings. */
function userFields(properties: INodeProperties[]): INodeProperties[] {
	return properties.filter((property) => property.type !== 'notice' && !property.isNodeSetting);
}

function shownFor(property: INodeProperties, resource: string, operation: string): boolean {
	const show = property.displayOptions?.show ?? {};
	const resources = show.resource as string[] | undefined;
	const operations = show.operation as string[] | undefined;
	return !!resources?.includes(resource) && !!operations?.includes(operation);
}

function optionsOf(property: INodeProperties | undefined): INodePropertyOptions[] {
	return ((property?.options ?? []) as INodePropertyOptions[]).filter((option) => 'value' in option);
}

/** Every way the README falls short of the package; empty when it covers everything. */
export function coverageProblems(readme: string, pkg: LoadedPackage, exampleFiles: string[] = []): string[] {
	const all = sections(readme);
	const problems: string[] = [];
	const mentions = (section: Section, name: string) => section.text.includes(stripMarkdown(name).toLowerCase());

	for (const { type } of Object.values(pkg.loader.nodeTypes)) {
		const description = (type as { description: INodeTypeDescription }).description;
		const node = findHeading(all, description.displayName);
		if (!node) {
			problems.push(`no heading for node "${description.displayName}" (add "### ${description.displayName}")`);
			continue;
		}
		const properties = userFields(description.properties);
		const resourceProperty = properties.find((property) => property.name === 'resource');

		if (!resourceProperty) {
			// A trigger: every field in its section, and every event it can start on.
			for (const property of properties) {
				for (const name of fieldNames(property)) {
					if (!mentions(node, name)) problems.push(`"${description.displayName}" section does not mention the field "${name}"`);
				}
			}
			for (const property of properties.filter((candidate) => candidate.name === 'events' || candidate.name === 'watch')) {
				for (const option of optionsOf(property)) {
					if (!mentions(node, option.name)) problems.push(`"${description.displayName}" section does not mention "${option.name}" (${property.displayName})`);
					if (property.name === 'events' && !mentions(node, String(option.value))) {
						problems.push(`"${description.displayName}" section does not mention the event name "${String(option.value)}"`);
					}
				}
			}
			continue;
		}

		for (const resource of optionsOf(resourceProperty)) {
			const resourceSection = findHeading(all, resource.name, node);
			if (!resourceSection) {
				problems.push(`no heading for resource "${resource.name}" inside the "${description.displayName}" section (add "#### ${resource.name}")`);
				continue;
			}
			const operationProperty = properties.find(
				(property) => property.name === 'operation' && (property.displayOptions?.show?.resource as string[] | undefined)?.includes(String(resource.value)),
			);
			for (const operation of optionsOf(operationProperty)) {
				const operationSection = findHeading(all, operation.name, resourceSection);
				if (!operationSection) {
					problems.push(`no heading for operation "${operation.name}" inside the "${resource.name}" section (add "##### ${operation.name}")`);
					continue;
				}
				for (const property of properties.filter((candidate) => shownFor(candidate, String(resource.value), String(operation.value)))) {
					for (const name of fieldNames(property)) {
						if (!mentions(operationSection, name)) {
							problems.push(`"${resource.name} > ${operation.name}" section does not mention the field "${name}"`);
						}
					}
				}
			}
		}
	}

	const credentials = findHeading(all, 'Credentials');
	if (!credentials) problems.push('no "Credentials" heading (the credential and codex documentation links point at #credentials)');
	for (const { type } of Object.values(pkg.loader.credentialTypes)) {
		const credential = type as ICredentialType;
		if (!credentials) break;
		if (!mentions(credentials, credential.displayName)) problems.push(`"Credentials" section does not name "${credential.displayName}"`);
		for (const property of userFields(credential.properties)) {
			if (!mentions(credentials, property.displayName)) problems.push(`"Credentials" section does not mention the field "${property.displayName}"`);
		}
	}

	for (const file of exampleFiles) {
		if (!readme.includes(file)) problems.push(`the example workflow "${file}" is not listed`);
	}
	return problems;
}

function exampleFiles(): string[] {
	const dir = join(REPO_ROOT, 'examples');
	return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.json')).sort() : [];
}

describe('README.md documents the whole package', () => {
	let pkg: LoadedPackage;
	let readme: string;

	beforeAll(async () => {
		pkg = await loadPackage();
		readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
	});

	it('loads the built package with its nodes and credential', () => {
		expect(Object.keys(pkg.loader.nodeTypes).sort()).toEqual(['agentCall', 'agentCallAgentTrigger', 'agentCallPollTrigger', 'agentCallTrigger', 'agentCallWait']);
		expect(Object.keys(pkg.loader.credentialTypes)).toEqual(['agentCallApi']);
	});

	it('names every node, resource, operation, field, trigger event, credential field and example', () => {
		expect(coverageProblems(readme, pkg, exampleFiles())).toEqual([]);
	});

	it('keeps the quick start and its two commands at the top', () => {
		const top = readme.slice(0, readme.search(/^## (?!Quick start)/m));
		expect(top).toMatch(/^## Quick start/m);
		expect(top).toContain('npm start');
		expect(top).toContain('npm test');
	});

	// The check itself must be able to fail: the README with one operation, one field, one event
	// or one credential field taken out is reported.
	it('reports what a README leaves out', () => {
		const withoutLine = (pattern: RegExp) => {
			const lines = readme.split('\n');
			const index = lines.findIndex((line) => pattern.test(line));
			expect(index).toBeGreaterThanOrEqual(0);
			return [...lines.slice(0, index), ...lines.slice(index + 1)].join('\n');
		};
		expect(coverageProblems(withoutLine(/^#{2,6} Wait for OTP\b/), pkg)).toContain(
			'no heading for operation "Wait for OTP" inside the "SMS" section (add "##### Wait for OTP")',
		);
		expect(coverageProblems(readme.replace(/Idempotency Key/g, 'Key'), pkg)).toContain(
			'"AI Call > Start" section does not mention the field "Idempotency Key"',
		);
		expect(coverageProblems(readme.replace(/transcript\.partial/g, 'partial'), pkg)).toContain(
			'"AgentCall Trigger" section does not mention the event name "transcript.partial"',
		);
		expect(coverageProblems(readme.replace(/Base URL/g, 'Server'), pkg)).toContain(
			'"Credentials" section does not mention the field "Base URL"',
		);
		expect(coverageProblems(readme, pkg, ['not-in-the-readme.json'])).toContain(
			'the example workflow "not-in-the-readme.json" is not listed',
		);
	});
});
