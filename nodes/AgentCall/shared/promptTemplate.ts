import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties, NodeOperationError } from 'n8n-workflow';

import type { PromptTemplate, TemplateDirection } from './catalogue';
import { fetchPromptTemplates } from './catalogue';
import { inputError } from './fields';

/**
 * "Prompt Source: From Template" for the operations that set up an AI agent (AI Call > Start,
 * Phone Number > Set Inbound AI and Set Outbound Defaults): one set of fields per resource, so
 * each sits in its place in the form. The template's `[PLACEHOLDERS]` are filled from the
 * user's name/value pairs; its first message, voice and max duration apply unless the user set
 * their own.
 */

/** The parameter names of one resource's template fields (one set per resource, in its own place in the form). */
export interface TemplateFieldNames {
	source: string;
	templateId: string;
	placeholders: string;
}

export const AI_CALL_TEMPLATE_FIELDS: TemplateFieldNames = {
	source: 'promptSource',
	templateId: 'promptTemplateId',
	placeholders: 'templatePlaceholders',
};

export const NUMBER_TEMPLATE_FIELDS: TemplateFieldNames = {
	source: 'numberPromptSource',
	templateId: 'numberPromptTemplateId',
	placeholders: 'numberTemplatePlaceholders',
};

/** Prompt Source, Prompt Template and Template Placeholders for the operations in `displayOptions`. */
export function promptSourceFields(names: TemplateFieldNames, displayOptions: IDisplayOptions): INodeProperties[] {
	const fromTemplate = { show: { ...displayOptions.show, [names.source]: ['template'] } };
	return [
		{
			displayName: 'Prompt Source',
			name: names.source,
			type: 'options',
			noDataExpression: true,
			default: 'own',
			description: "Whether to write the system prompt yourself or start from one of AgentCall's prompt templates",
			options: [
				{ name: 'Write My Own', value: 'own', description: 'Write the instructions in System Prompt' },
				{
					name: 'From Template',
					value: 'template',
					description: 'Use a ready-made AgentCall prompt and fill in its [PLACEHOLDERS]',
				},
			],
			displayOptions,
		},
		{
			displayName: 'Prompt Template Name or ID',
			name: names.templateId,
			type: 'options',
			default: '',
			required: true,
			typeOptions: { loadOptionsMethod: 'getPromptTemplates', loadOptionsDependsOn: ['operation'] },
			description:
				'The AgentCall prompt template to start from. Its first message, voice and max duration apply unless you set your own. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			displayOptions: fromTemplate,
		},
		{
			displayName: 'Template Placeholders',
			name: names.placeholders,
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Placeholder',
			default: {},
			description:
				'A value for each [PLACEHOLDER] in the template, e.g. Name BUSINESS_NAME and Value Bright Dental. Every placeholder of the template needs one; the node lists the missing ones.',
			displayOptions: fromTemplate,
			options: [
				{
					displayName: 'Placeholder',
					name: 'values',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. BUSINESS_NAME' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'e.g. Bright Dental' },
					],
				},
			],
		},
	];
}

/** What a filled template contributes to the request body. */
export interface FilledTemplate {
	templateId: string;
	systemPrompt: string;
	firstMessage?: string;
	voice?: string;
	maxDurationSecs?: number;
}

const PLACEHOLDER = /\[([A-Z][A-Z0-9_]*)\]/g;

/** `business name`, `[BUSINESS_NAME]` and `BUSINESS_NAME` all name the same placeholder. */
function placeholderKey(name: string): string {
	return name.trim().replace(/^\[|\]$/g, '').trim().replace(/[\s-]+/g, '_').toUpperCase();
}

function placeholdersOf(...texts: Array<string | undefined>): string[] {
	const found = new Set<string>();
	for (const text of texts) for (const match of (text ?? '').matchAll(PLACEHOLDER)) found.add(match[1]);
	return [...found];
}

function invalid(context: IExecuteFunctions, itemIndex: number, message: string, description: string): NodeOperationError {
	return inputError({ getNode: () => context.getNode(), getItemIndex: () => itemIndex }, message, description);
}

function readPlaceholderValues(context: IExecuteFunctions, itemIndex: number, parameter: string): Map<string, string> {
	const raw = context.getNodeParameter(parameter, itemIndex, {}) as IDataObject;
	const rows = Array.isArray(raw.values) ? (raw.values as IDataObject[]) : [];
	const values = new Map<string, string>();
	for (const row of rows) {
		const key = placeholderKey(String(row.name ?? ''));
		const value = row.value === undefined || row.value === null ? '' : String(row.value);
		if (key === '' && value === '') continue;
		if (key === '') throw invalid(context, itemIndex, `"Template Placeholders" has a value without a name: "${value}"`, 'Give each value the name of its placeholder, e.g. BUSINESS_NAME.');
		if (values.has(key)) throw invalid(context, itemIndex, `"Template Placeholders" names ${key} twice`, 'Give each placeholder one value.');
		values.set(key, value);
	}
	return values;
}

/** The templates of one direction, fetched once per node run whatever the number of items. */
const templatesByRun = new WeakMap<IExecuteFunctions, Map<TemplateDirection, Promise<PromptTemplate[]>>>();

async function templatesFor(context: IExecuteFunctions, direction: TemplateDirection, itemIndex: number): Promise<PromptTemplate[]> {
	let byDirection = templatesByRun.get(context);
	if (!byDirection) templatesByRun.set(context, (byDirection = new Map()));
	let templates = byDirection.get(direction);
	if (!templates) {
		templates = fetchPromptTemplates(context, direction, itemIndex);
		byDirection.set(direction, templates);
		// A failed read is not kept: the next item tries again.
		templates.catch(() => byDirection?.delete(direction));
	}
	return await templates;
}

/** Whether the item starts from a template (Prompt Source "From Template"). */
export function usesTemplate(context: IExecuteFunctions, itemIndex: number, names: TemplateFieldNames): boolean {
	return context.getNodeParameter(names.source, itemIndex, 'own') === 'template';
}

/** The chosen template with its placeholders filled, or undefined when the user writes their own prompt. */
export async function readTemplate(
	context: IExecuteFunctions,
	itemIndex: number,
	names: TemplateFieldNames,
	direction: TemplateDirection,
): Promise<FilledTemplate | undefined> {
	if (!usesTemplate(context, itemIndex, names)) return undefined;
	const id = String(context.getNodeParameter(names.templateId, itemIndex, '') ?? '').trim();
	if (id === '') {
		throw invalid(context, itemIndex, '"Prompt Template" is empty - pick a template', 'Or set Prompt Source to Write My Own and write the System Prompt.');
	}
	const values = readPlaceholderValues(context, itemIndex, names.placeholders);
	const templates = await templatesFor(context, direction, itemIndex);
	const template = templates.find((candidate) => candidate.id === id);
	if (!template) {
		throw invalid(
			context,
			itemIndex,
			`The prompt template "${id}" is not among AgentCall's ${direction} templates`,
			`Available: ${templates.map((candidate) => candidate.id).join(', ') || 'none'}. Pick one from the list.`,
		);
	}
	const wanted = placeholdersOf(template.systemPrompt, template.firstMessage);
	const unknown = [...values.keys()].filter((key) => !wanted.includes(key));
	if (unknown.length > 0) {
		throw invalid(
			context,
			itemIndex,
			`The template "${template.title}" has no placeholder ${unknown.map((key) => `[${key}]`).join(', ')}`,
			`Its placeholders are ${wanted.map((key) => `[${key}]`).join(', ') || 'none'}. Check the names in Template Placeholders.`,
		);
	}
	const missing = wanted.filter((key) => (values.get(key) ?? '').trim() === '');
	if (missing.length > 0) {
		throw invalid(
			context,
			itemIndex,
			`The template "${template.title}" needs a value for ${missing.map((key) => `[${key}]`).join(', ')}`,
			'Add each missing placeholder under Template Placeholders, with its name (e.g. BUSINESS_NAME) and its value. Nothing was sent.',
		);
	}
	const fill = (text: string) => text.replace(PLACEHOLDER, (_match, key: string) => values.get(key) ?? '');
	return {
		templateId: template.id,
		systemPrompt: fill(template.systemPrompt),
		...(template.firstMessage ? { firstMessage: fill(template.firstMessage) } : {}),
		...(template.recommendedVoice ? { voice: template.recommendedVoice } : {}),
		...(template.maxDurationSecs ? { maxDurationSecs: template.maxDurationSecs } : {}),
	};
}

/** Puts a filled template into a request body: its prompt, and its other fields where the user set none. */
export function applyTemplate(body: IDataObject, template: FilledTemplate): void {
	body.systemPrompt = template.systemPrompt;
	if (body.firstMessage === undefined && template.firstMessage !== undefined) body.firstMessage = template.firstMessage;
	if (body.voice === undefined && template.voice !== undefined) body.voice = template.voice;
	if (body.maxDurationSecs === undefined && template.maxDurationSecs !== undefined) body.maxDurationSecs = template.maxDurationSecs;
}
