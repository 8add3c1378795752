import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { agentCallRequest } from './transport';

/**
 * AgentCall's public catalogues (voices, prompt templates) as the editor's dropdowns, and the
 * prompt templates as the operations that start from one read them. The voices keep the values
 * the node always had (`shimmer`, …), so saved workflows stay valid whatever the catalogue says;
 * when the catalogue is unreachable or answers something unusable, the built-in list is shown.
 */

/** The voices of AgentCall's standard AI voice (DOC §13.1), as the built-in fallback. */
export const BUILT_IN_VOICES: INodePropertyOptions[] = [
	{ name: 'Alloy', value: 'alloy', description: 'Neutral and balanced, for any purpose' },
	{ name: 'Ash', value: 'ash', description: 'Calm and steady, reassuring for support calls' },
	{ name: 'Ballad', value: 'ballad', description: 'Warm and expressive, soft delivery' },
	{ name: 'Cedar', value: 'cedar', description: 'Grounded and natural; one of the newest voices' },
	{ name: 'Coral', value: 'coral', description: 'Bright and upbeat, friendly for sales calls' },
	{ name: 'Echo', value: 'echo', description: 'Clear and crisp, good for announcements' },
	{ name: 'Marin', value: 'marin', description: 'Natural and conversational; one of the newest voices' },
	{ name: 'Sage', value: 'sage', description: 'Composed and precise, good for scheduling' },
	{ name: 'Shimmer', value: 'shimmer', description: 'Warm and clear; the AgentCall default' },
	{ name: 'Verse', value: 'verse', description: 'Lively, with varied intonation' },
];

export const DEFAULT_VOICE = 'shimmer';

/** Languages the AI speaks (DOC §13.1); `auto` follows the caller. */
export const LANGUAGE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Arabic', value: 'ar' },
	{ name: 'Auto-Detect', value: 'auto' },
	{ name: 'Chinese', value: 'zh' },
	{ name: 'Dutch', value: 'nl' },
	{ name: 'English', value: 'en' },
	{ name: 'French', value: 'fr' },
	{ name: 'German', value: 'de' },
	{ name: 'Hindi', value: 'hi' },
	{ name: 'Italian', value: 'it' },
	{ name: 'Japanese', value: 'ja' },
	{ name: 'Korean', value: 'ko' },
	{ name: 'Portuguese', value: 'pt' },
	{ name: 'Spanish', value: 'es' },
];

/** Prompt templates AgentCall documents, for the dropdown when the catalogue cannot be read. */
const BUILT_IN_TEMPLATES: Record<TemplateDirection, INodePropertyOptions[]> = {
	inbound: [
		{ name: 'Appointment Booker', value: 'appointment-booker' },
		{ name: 'Call Screener', value: 'call-screener' },
		{ name: 'Customer Support', value: 'customer-support' },
		{ name: 'Lead Qualifier', value: 'lead-qualifier' },
		{ name: 'Receptionist', value: 'receptionist' },
	],
	outbound: [
		{ name: 'Outbound Appointment Booker', value: 'outbound-appointment-booker' },
		{ name: 'Outbound Callback Confirmation', value: 'outbound-callback-confirmation' },
		{ name: 'Outbound Info Request', value: 'outbound-info-request' },
	],
};

/** The catalogue is a nicety in a dropdown: it may not hold the editor up for long. */
const CATALOGUE_TIMEOUT_MS = 5_000;

export type TemplateDirection = 'inbound' | 'outbound';

export interface PromptTemplate {
	id: string;
	title: string;
	description?: string;
	systemPrompt: string;
	firstMessage?: string;
	recommendedVoice?: string;
	maxDurationSecs?: number;
}

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The entries of a catalogue answer, whatever the wrapper: a bare array, an array under a known
 * key, or (for templates) an object keyed by direction or by template ID.
 */
function entriesOf(body: unknown, keys: string[], keyedById = false): IDataObject[] {
	if (Array.isArray(body)) return body.filter(isObject);
	if (!isObject(body)) return [];
	for (const key of keys) {
		const value = body[key];
		if (Array.isArray(value)) return value.filter(isObject);
		if (isObject(value)) return entriesOf(value, keys, keyedById);
	}
	if (!keyedById) return [];
	// `{ "receptionist": { ... }, … }`: an object of entries keyed by ID.
	const values = Object.entries(body).filter(([, value]) => isObject(value));
	return values.map(([id, value]) => ({ ...(value as IDataObject), id: (value as IDataObject).id ?? id }));
}

/** The voices in a `/v1/calls/voices` answer; empty when it holds none in a usable shape. */
export function voicesFromCatalogue(body: unknown): INodePropertyOptions[] {
	const seen = new Set<string>();
	const options: INodePropertyOptions[] = [];
	for (const voice of entriesOf(body, ['voices', 'data', 'items', 'results'])) {
		const id = text(voice.id) ?? text(voice.value);
		if (id === undefined || seen.has(id) || !/^[\w.-]{1,64}$/.test(id)) continue;
		seen.add(id);
		const builtIn = BUILT_IN_VOICES.find((option) => option.value === id);
		const parts = [text(voice.description), text(voice.bestFor) ? `best for ${text(voice.bestFor)}` : undefined].filter(Boolean);
		const description = parts.length ? parts.join('; ') : builtIn?.description;
		options.push({ name: text(voice.name) ?? builtIn?.name ?? id, value: id, ...(description ? { description } : {}) });
	}
	return options.sort((a, b) => a.name.localeCompare(b.name));
}

/** A template entry in whichever field names it came with; undefined when it has no ID or prompt. */
function toTemplate(entry: IDataObject): PromptTemplate | undefined {
	const id = text(entry.id) ?? text(entry.templateId) ?? text(entry.slug);
	const systemPrompt = text(entry.systemPrompt) ?? text(entry.prompt);
	if (id === undefined || systemPrompt === undefined) return undefined;
	const maxDuration = Number(entry.maxDurationSecs);
	return {
		id,
		title: text(entry.title) ?? text(entry.name) ?? id,
		description: text(entry.description),
		systemPrompt,
		firstMessage: text(entry.firstMessage),
		recommendedVoice: text(entry.recommendedVoice) ?? text(entry.voice),
		maxDurationSecs: Number.isInteger(maxDuration) && maxDuration > 0 ? maxDuration : undefined,
	};
}

/** The templates in a `/v1/calls/prompt-templates` answer (the wrapper is undocumented). */
export function templatesFromCatalogue(body: unknown, direction: TemplateDirection): PromptTemplate[] {
	const directed = isObject(body) && (Array.isArray(body[direction]) || isObject(body[direction])) ? body[direction] : body;
	return entriesOf(directed, ['templates', 'promptTemplates', 'data', 'items', 'results'], true)
		.map(toTemplate)
		.filter((template): template is PromptTemplate => template !== undefined);
}

async function readCatalogue(
	context: ILoadOptionsFunctions | IExecuteFunctions,
	path: string,
	qs?: IDataObject,
	itemIndex?: number,
): Promise<unknown> {
	const { body } = await agentCallRequest.call(context, { method: 'GET', path, qs, timeoutMs: CATALOGUE_TIMEOUT_MS, itemIndex });
	return body;
}

/** Which templates an operation starts from: outbound for AI calls and outbound defaults. */
export function templateDirectionOf(resource: unknown, operation: unknown): TemplateDirection {
	return resource === 'phoneNumber' && operation === 'setInboundAi' ? 'inbound' : 'outbound';
}

/**
 * Fetches the prompt templates of one direction for an operation that starts from one. Unlike the
 * dropdown there is no fallback: a prompt cannot be made up, so a failure is the mapped error.
 */
export async function fetchPromptTemplates(
	context: IExecuteFunctions,
	direction: TemplateDirection,
	itemIndex: number,
): Promise<PromptTemplate[]> {
	return templatesFromCatalogue(await readCatalogue(context, '/v1/calls/prompt-templates', { direction }, itemIndex), direction);
}

/** loadOptions: the voice catalogue, or the built-in voices when it cannot be read. */
export async function getVoices(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const options = voicesFromCatalogue(await readCatalogue(this, '/v1/calls/voices'));
		if (options.length > 0) return options;
		this.logger.warn('AgentCall: the voice catalogue held no voices; showing the built-in list');
	} catch (error) {
		this.logger.warn(`AgentCall: the voice catalogue could not be read (${(error as Error).message}); showing the built-in list`);
	}
	return BUILT_IN_VOICES;
}

/** loadOptions: the prompt templates for the current operation (inbound or outbound). */
export async function getPromptTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const direction = templateDirectionOf(this.getCurrentNodeParameter('resource'), this.getCurrentNodeParameter('operation'));
	try {
		const templates = templatesFromCatalogue(await readCatalogue(this, '/v1/calls/prompt-templates', { direction }), direction);
		if (templates.length > 0) {
			return templates
				.map((template) => ({
					name: template.title,
					value: template.id,
					...(template.description ? { description: template.description } : {}),
				}))
				.sort((a, b) => a.name.localeCompare(b.name));
		}
		this.logger.warn('AgentCall: the prompt template catalogue held no templates; showing the built-in list');
	} catch (error) {
		this.logger.warn(`AgentCall: the prompt templates could not be read (${(error as Error).message}); showing the built-in list`);
	}
	return BUILT_IN_TEMPLATES[direction];
}
