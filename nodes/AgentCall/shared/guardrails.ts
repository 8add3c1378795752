import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { isKnownTimeZone, localMinutes, recipientTimeZone } from './timeZones';

/**
 * The credential's guardrails as a pure policy: what the owner of an AgentCall credential allows
 * every node, tool and trigger reply using it to send. `guardrailEnforcer.ts` applies it to a
 * request; everything here is deterministic given the policy, the number, the counters and `now`.
 */

export type GuardrailAction = 'sms' | 'call' | 'aiCall';

export type QuietHoursMode = 'off' | 'calls' | 'all';

/** Credential field names, shared by the credential and the reader below. */
export const GUARDRAIL_FIELDS = {
	allowedDestinations: 'allowedDestinations',
	blockedPrefixes: 'blockedPrefixes',
	maxSms: 'maxSmsPerExecution',
	maxCalls: 'maxCallsPerExecution',
	maxAiMinutes: 'maxAiCallMinutesPerExecution',
	quietHours: 'quietHours',
	quietFrom: 'quietHoursFrom',
	quietUntil: 'quietHoursUntil',
	timeZone: 'quietHoursTimeZone',
} as const;

/**
 * Premium-rate, high-cost and "one-ring scam" ranges blocked unless the owner edits the list.
 * The README's Guardrails section explains each one.
 */
export const DEFAULT_BLOCKED_PREFIXES = [
	'+1900', // NANP premium rate (900 numbers)
	'+1268', // Antigua and Barbuda  \
	'+1284', // British Virgin Islands |
	'+1473', // Grenada                |  Caribbean NANP codes dialled like US numbers but billed
	'+1649', // Turks and Caicos       |  as international; the codes the FCC names in its
	'+1664', // Montserrat             |  "one-ring scam" warning
	'+1767', // Dominica               |
	'+1809', // Dominican Republic     |
	'+1829', // Dominican Republic     |
	'+1849', // Dominican Republic     |
	'+1876', // Jamaica               /
	'+449', // UK 09: premium rate
	'+4470', // UK 070: personal numbering, a known fraud range
	'+44871', // UK 0871-0873: service numbers with a per-minute charge
	'+44872',
	'+44873',
	'+870', // Inmarsat satellite
	'+881', // Global Mobile Satellite System (Iridium, Globalstar)
	'+882', // International Networks
	'+883', // International Networks
	'+979', // International Premium Rate Service
].join(', ');

/** Defaults a cautious owner wants; the credential shows them and a credential without the fields gets them. */
export const GUARDRAIL_DEFAULTS = {
	/** AgentCall numbers are US and Canadian, and international destinations are where toll fraud lives. */
	allowedDestinations: '+1',
	blockedPrefixes: DEFAULT_BLOCKED_PREFIXES,
	maxSms: 20,
	maxCalls: 5,
	/** Three AI calls at AgentCall's default Max Duration of 10 minutes. */
	maxAiMinutes: 30,
	quietHours: 'calls' as QuietHoursMode,
	/** The US telemarketing rule (TCPA): no calls before 8 am or after 9 pm at the called party's location. */
	quietFrom: '21:00',
	quietUntil: '08:00',
	/** Empty: the workflow's time zone (Settings of the workflow, else the instance's). */
	timeZone: '',
};

export interface GuardrailPolicy {
	/** Digit prefixes (no +); empty allows every destination that is not blocked. */
	allowed: string[];
	blocked: string[];
	caps: Record<GuardrailAction, number>;
	quietHours: QuietHoursMode;
	/** Minutes after midnight. */
	quietFrom: number;
	quietUntil: number;
	/** Zone for numbers whose zone the number does not tell. */
	fallbackZone: string;
}

/** A credential setting the policy cannot be read from: nothing may be sent until it is fixed. */
export class GuardrailSettingError extends Error {
	constructor(
		readonly setting: string,
		readonly problem: string,
	) {
		super(`"${setting}" ${problem}`);
	}
}

export type GuardrailRule = 'blockedPrefix' | 'notAllowed' | 'quietHours' | 'cap' | 'invalidSetting';

export interface GuardrailRefusal {
	rule: GuardrailRule;
	/** What the model (and the person) should do: said in the error message. */
	message: string;
	/** Which credential setting applies: for the person who owns the credential. */
	setting: string;
	detail: string;
}

/** Per execution and credential: what was let through, and how many requests were refused. */
export interface GuardrailCounters {
	sms: number;
	call: number;
	aiCall: number;
	refusals: number;
}

export interface GuardrailRequest {
	action: GuardrailAction;
	/** E.164, already normalised by shared/phone.ts. */
	to: string;
	/** AI calls: the minutes this call may last (its Max Duration, rounded up). */
	aiMinutes?: number;
}

const ACTION_NAMES: Record<GuardrailAction, string> = { sms: 'SMS', call: 'calls', aiCall: 'AI calls' };

const CAP_SETTINGS: Record<GuardrailAction, string> = {
	sms: 'Max SMS per Execution',
	call: 'Max Calls per Execution',
	aiCall: 'Max AI Call Minutes per Execution',
};

function text(value: unknown, fallback: string): string {
	return value === undefined || value === null ? fallback : String(value);
}

/** "+1, +44 20 7946" → ["1", "44207946"]. Entries are split on commas, semicolons and new lines only. */
export function parsePrefixList(setting: string, raw: string): string[] {
	const entries = raw
		.split(/[,;\n]/)
		.map((entry) => entry.replace(/[\s().-]/g, ''))
		.filter((entry) => entry !== '');
	return entries.map((entry) => {
		if (!/^\+?\d{1,15}$/.test(entry)) {
			throw new GuardrailSettingError(setting, `has "${entry}", which is not a phone number prefix: use a + and digits, e.g. +1, +44 or +14155551234`);
		}
		return entry.replace(/^\+/, '');
	});
}

function parseCap(setting: string, raw: unknown, fallback: number): number {
	const value = raw === undefined || raw === null || raw === '' ? fallback : Number(raw);
	if (!Number.isFinite(value) || value < 0) {
		throw new GuardrailSettingError(setting, `is ${JSON.stringify(raw)}: use 0 or a positive number`);
	}
	return Math.floor(value);
}

function parseClock(setting: string, raw: string): number {
	const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(raw.trim());
	if (!match) throw new GuardrailSettingError(setting, `is "${raw}": use a 24-hour time such as 21:00`);
	return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * The policy of a credential. A field the credential does not have (a credential saved before the
 * guardrails existed, outside n8n's defaults) gets its cautious default; a value that cannot be
 * read throws GuardrailSettingError, which refuses everything: a guardrail must never fail open.
 */
export function readGuardrailPolicy(credentials: ICredentialDataDecryptedObject | IDataObject, workflowZone: string): GuardrailPolicy {
	const f = GUARDRAIL_FIELDS;
	const d = GUARDRAIL_DEFAULTS;
	const quietHours = text(credentials[f.quietHours], d.quietHours) as QuietHoursMode;
	if (!['off', 'calls', 'all'].includes(quietHours)) {
		throw new GuardrailSettingError('Quiet Hours', `is "${quietHours}": choose Off, Calls and AI Calls, or Calls, AI Calls and SMS`);
	}
	const policy: GuardrailPolicy = {
		allowed: parsePrefixList('Allowed Destinations', text(credentials[f.allowedDestinations], d.allowedDestinations)),
		blocked: parsePrefixList('Blocked Prefixes', text(credentials[f.blockedPrefixes], d.blockedPrefixes)),
		caps: {
			sms: parseCap(CAP_SETTINGS.sms, credentials[f.maxSms], d.maxSms),
			call: parseCap(CAP_SETTINGS.call, credentials[f.maxCalls], d.maxCalls),
			aiCall: parseCap(CAP_SETTINGS.aiCall, credentials[f.maxAiMinutes], d.maxAiMinutes),
		},
		quietHours,
		quietFrom: 0,
		quietUntil: 0,
		fallbackZone: text(credentials[f.timeZone], d.timeZone).trim() || workflowZone,
	};
	if (quietHours !== 'off') {
		policy.quietFrom = parseClock('Quiet From', text(credentials[f.quietFrom], d.quietFrom));
		policy.quietUntil = parseClock('Quiet Until', text(credentials[f.quietUntil], d.quietUntil));
		if (policy.quietFrom === policy.quietUntil) {
			throw new GuardrailSettingError('Quiet Until', 'is the same time as Quiet From: to allow every hour, set Quiet Hours to Off');
		}
		if (!isKnownTimeZone(policy.fallbackZone)) {
			throw new GuardrailSettingError('Time Zone', `is "${policy.fallbackZone}", which is not an IANA time zone such as America/New_York`);
		}
	}
	return policy;
}

function longestMatch(prefixes: string[], digits: string): string | undefined {
	return prefixes.filter((prefix) => digits.startsWith(prefix)).sort((a, b) => b.length - a.length)[0];
}

function list(prefixes: string[]): string {
	return prefixes.map((prefix) => `+${prefix}`).join(', ');
}

/** Blocked prefixes win over allowed destinations, however specific the allowed entry is. */
export function checkDestination(policy: GuardrailPolicy, e164: string): GuardrailRefusal | undefined {
	const digits = e164.replace(/^\+/, '');
	const blocked = longestMatch(policy.blocked, digits);
	if (blocked !== undefined) {
		return {
			rule: 'blockedPrefix',
			message: `${e164} starts with +${blocked}, a blocked premium-rate or high-cost range. Do not retry this number; ask the user for a different number.`,
			setting: 'Blocked Prefixes',
			detail: `The credential blocks every number starting with +${blocked}.`,
		};
	}
	if (policy.allowed.length > 0 && longestMatch(policy.allowed, digits) === undefined) {
		return {
			rule: 'notAllowed',
			message: `${e164} is outside the allowed destinations (${list(policy.allowed)}). Do not retry this number; ask the user for a number that starts with one of them.`,
			setting: 'Allowed Destinations',
			detail: `The credential allows only numbers starting with ${list(policy.allowed)}.`,
		};
	}
	return undefined;
}

function clock(minutes: number): string {
	return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Whether `minute` lies in [from, until), a window that may cross midnight. */
export function inWindow(minute: number, from: number, until: number): boolean {
	return from < until ? minute >= from && minute < until : minute >= from || minute < until;
}

export function checkQuietHours(policy: GuardrailPolicy, action: GuardrailAction, e164: string, now: Date): GuardrailRefusal | undefined {
	if (policy.quietHours === 'off' || (policy.quietHours === 'calls' && action === 'sms')) return undefined;
	const known = recipientTimeZone(e164);
	const zone = known ?? policy.fallbackZone;
	const minute = localMinutes(now, zone);
	if (!inWindow(minute, policy.quietFrom, policy.quietUntil)) return undefined;
	const window = `${clock(policy.quietFrom)}-${clock(policy.quietUntil)}`;
	return {
		rule: 'quietHours',
		message: `it is ${clock(minute)} for the recipient of ${e164} (${zone}), inside the quiet hours ${window}. Do not retry now; try again after ${clock(policy.quietUntil)} ${zone} time, or tell the user when it can be sent.`,
		setting: 'Quiet Hours',
		detail: known
			? `The recipient's time zone ${zone} comes from the number.`
			: `The number does not tell its time zone, so the credential's Time Zone (${zone}) applies.`,
	};
}

/** The amount one request adds to its action's counter: 1 message or call, or the AI call's minutes. */
export function costOf(request: GuardrailRequest): number {
	return request.action === 'aiCall' ? Math.max(1, Math.ceil(request.aiMinutes ?? 10)) : 1;
}

export function checkCap(policy: GuardrailPolicy, request: GuardrailRequest, counters: GuardrailCounters): GuardrailRefusal | undefined {
	const { action } = request;
	const cap = policy.caps[action];
	const used = counters[action];
	const cost = costOf(request);
	if (used + cost <= cap) return undefined;
	const what = ACTION_NAMES[action];
	const setting = CAP_SETTINGS[action];
	if (cap === 0) {
		return {
			rule: 'cap',
			message: `this credential may not be used for ${what}. Do not retry; tell the user.`,
			setting,
			detail: `"${setting}" is 0, which forbids ${what} with this credential.`,
		};
	}
	const usage =
		action === 'aiCall'
			? `this run already requested ${used} of its ${cap} AI-call minutes and this call asks for ${cost}`
			: `this run already placed or sent ${used} ${what}, the most allowed in one run (${cap})`;
	return {
		rule: 'cap',
		message: `${usage}. Do not retry in this run; tell the user the limit was reached${action === 'aiCall' && used < cap ? ', or use a shorter Max Duration' : ''}.`,
		setting,
		detail: `"${setting}" is ${cap}. Counting starts again with the next execution of the workflow.`,
	};
}

/**
 * The whole decision for one request, in order: destination, quiet hours, cap. Only a request that
 * passes is counted against its cap; a refusal counts as a refusal.
 */
export function decide(policy: GuardrailPolicy, request: GuardrailRequest, counters: GuardrailCounters, now: Date): GuardrailRefusal | undefined {
	const refusal =
		checkDestination(policy, request.to) ?? checkQuietHours(policy, request.action, request.to, now) ?? checkCap(policy, request, counters);
	if (refusal) counters.refusals++;
	else counters[request.action] += costOf(request);
	return refusal;
}
