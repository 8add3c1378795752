import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isAgentCallError, toNodeError } from '../shared/errors';
import { extractList, PAGE_SIZE_MAX } from '../shared/lists';
import { DEFAULT_COUNTRY, toE164 } from '../shared/phone';
import { toMessage } from '../shared/shapes';
import { agentCallRequest, DEFAULT_TIMEOUT_MS } from '../shared/transport';
import type { FetchedMessage, InboxState } from './inbox';
import { byArrival, listDirection, messageId, messageTime, readInbox } from './inbox';
import { listAccountNumbers } from './numbers';
import { warnIfOverBudget } from './pollBudget';

/**
 * The SMS Trigger's poll: which inboxes to read, what to emit, what to keep in static data.
 * Static data (node): `{ version, query, scope, listedAt?, numbers: InboxState[] }`, written only
 * when it changed and only after every request of the poll succeeded, so a failed poll repeats.
 */

/** How long the account's number list is reused in All Numbers mode. */
export const NUMBER_LIST_TTL_MS = 5 * 60 * 1000;

const DEFAULT_POLL_BUDGET_MS = 5 * 60 * 1000;

interface StoredState {
	version: 1;
	/** Inbox query the state was built with; another one starts over (otpOnly hides messages). */
	query: 'all' | 'otp';
	scope: 'all' | 'chosen';
	listedAt?: number;
	numbers: InboxState[];
}

interface Watched {
	ids: string[];
	/** Numbers that appeared on the account after activation: all their messages are new. */
	newIds: Set<string>;
	listedAt?: number;
	/** How the numbers are named in a "no messages yet" error. */
	label: string;
}

function readStored(data: IDataObject): StoredState | undefined {
	if (data.version !== 1 || !Array.isArray(data.numbers)) return undefined;
	return data as unknown as StoredState;
}

function cleanId(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

async function watchedNumbers(this: IPollFunctions, stored: StoredState | undefined, now: number, fresh: boolean): Promise<Watched> {
	const watch = this.getNodeParameter('watch', 'number') as string;
	if (watch === 'all') {
		const known = new Set((stored?.numbers ?? []).map((state) => state.numberId));
		const cacheValid = !fresh && stored?.scope === 'all' && stored.listedAt !== undefined && now - stored.listedAt < NUMBER_LIST_TTL_MS;
		if (cacheValid) return { ids: [...known], newIds: new Set(), listedAt: stored.listedAt, label: 'any of your numbers' };
		const ids = (await listAccountNumbers.call(this)).map((number) => number.id);
		const newIds = new Set(stored?.scope === 'all' ? ids.filter((id) => !known.has(id)) : []);
		return { ids, newIds, listedAt: now, label: 'any of your numbers' };
	}
	if (watch === 'numbers') {
		const raw = this.getNodeParameter('numberIds', []) as unknown;
		const list = Array.isArray(raw) ? raw : String(raw ?? '').split(',');
		const ids = [...new Set(list.map(cleanId).filter((id) => id !== ''))];
		if (!ids.length) {
			throw new NodeOperationError(this.getNode(), 'Choose at least one phone number to watch', {
				description: 'Pick the numbers under "Phone Number Names or IDs", or switch Watch to All Numbers.',
			});
		}
		return { ids, newIds: new Set(), label: 'the watched numbers' };
	}
	const locator = this.getNodeParameter('numberId', {}) as IDataObject;
	const id = cleanId(this.getNodeParameter('numberId', '', { extractValue: true }));
	if (id === '') {
		throw new NodeOperationError(this.getNode(), 'Choose the phone number to watch', {
			description: 'Pick one of your AgentCall numbers under "Phone Number", or enter its ID.',
		});
	}
	const name = typeof locator.cachedResultName === 'string' && locator.cachedResultName !== '' ? locator.cachedResultName : id;
	return { ids: [id], newIds: new Set(), label: name };
}

type SenderCheck = (from: unknown) => boolean;

/** The Sender option: comma-separated numbers or names; phone numbers compared in E.164. */
function senderFilter(options: IDataObject): SenderCheck {
	const wanted = String(options.senders ?? '')
		.split(',')
		.map((value) => value.trim())
		.filter((value) => value !== '');
	if (!wanted.length) return () => true;
	const country = typeof options.defaultCountry === 'string' && options.defaultCountry ? options.defaultCountry : DEFAULT_COUNTRY;
	const digits = (value: string) => value.replace(/\D/g, '');
	const looksLikeNumber = (value: string) => /^[+\d\s().\-/]+$/.test(value) && digits(value) !== '';
	if (options.senderMatch === 'contains') {
		return (from) => {
			const text = String(from ?? '');
			return wanted.some((part) =>
				looksLikeNumber(part) ? digits(text).includes(digits(part)) : text.toLowerCase().includes(part.toLowerCase()),
			);
		};
	}
	const exact = wanted.map((value) => {
		const parsed = toE164(value, country);
		return parsed.ok ? parsed.e164 : value.toLowerCase();
	});
	return (from) => {
		const text = String(from ?? '').trim();
		const parsed = toE164(text, country);
		return exact.includes(parsed.ok ? parsed.e164 : text.toLowerCase());
	};
}

/** What OTP Only and Sender let through; the API already filters OTP Only, this catches an API that ignores it. */
function messageFilter(options: IDataObject): (raw: IDataObject) => boolean {
	const sender = senderFilter(options);
	const otpOnly = options.otpOnly === true;
	return (raw) => sender(raw.from) && (!otpOnly || !('otp' in raw) || Boolean(raw.otp));
}

/** Fetch Test Event: the newest matching message, state untouched. */
async function newestMessage(this: IPollFunctions, options: IDataObject): Promise<INodeExecutionData[][]> {
	const watched = await watchedNumbers.call(this, undefined, Date.now(), true);
	const keep = messageFilter(options);
	let newest: { message: FetchedMessage; numberId: string } | undefined;
	for (const numberId of watched.ids) {
		const qs: IDataObject = { limit: PAGE_SIZE_MAX };
		if (options.otpOnly === true) qs.otpOnly = true;
		const { body } = await agentCallRequest.call(this, {
			method: 'GET',
			path: `/v1/sms/inbox/${encodeURIComponent(numberId)}`,
			qs,
			subject: { label: 'phone number', id: numberId },
			expect: 'list',
		});
		const page = extractList(body)
			.filter((raw) => messageId(raw) !== undefined)
			.map((raw, position) => ({ raw, id: messageId(raw) as string, ts: messageTime(raw, 0), position }));
		const candidates = page.filter((message) => keep(message.raw)).sort(byArrival(listDirection(page) === 'asc'));
		const last = candidates[candidates.length - 1];
		if (last && (!newest || last.ts > newest.message.ts)) newest = { message: last, numberId };
	}
	if (!newest) {
		const filtered = options.otpOnly === true || String(options.senders ?? '').trim() !== '';
		throw new NodeOperationError(this.getNode(), `No messages yet on ${watched.label}${filtered ? ' that match the options' : ''}`, {
			description: `Send a text message to the number${filtered ? ' (matching OTP Only and Sender)' : ''}, then click Fetch Test Event again.`,
		});
	}
	return [[{ json: toMessage(newest.message.raw, newest.numberId) }]];
}

export async function pollInboxes(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	if (this.getMode() === 'manual') return await newestMessage.call(this, options);

	const started = Date.now();
	const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : DEFAULT_POLL_BUDGET_MS;
	const deadline = started + Math.max(0, budget - Math.max(DEFAULT_TIMEOUT_MS, budget * 0.2));
	const data = this.getWorkflowStaticData('node');
	const query = options.otpOnly === true ? 'otp' : 'all';
	const stored = readStored(data);
	const usable = stored?.query === query ? stored : undefined;
	const previous = new Map((usable?.numbers ?? []).map((state) => [state.numberId, state]));
	const watched = await watchedNumbers.call(this, usable, started, false);
	const scope = this.getNodeParameter('watch', 'number') === 'all' ? 'all' : 'chosen';

	const readOne = async (numberId: string) => {
		const before = previous.get(numberId);
		const isNew = !before && watched.newIds.has(numberId);
		try {
			const read = await readInbox.call(this, numberId, before ?? (isNew ? { numberId, seen: [], floor: null } : undefined), {
				otpOnly: query === 'otp',
				deadline,
				now: started,
				baseline: !before && !isNew,
			});
			return { numberId, before, read };
		} catch (error) {
			// All Numbers: a number released since the list was cached. Relist next time; a number
			// still listed then keeps its state, so nothing is reported twice.
			if (scope === 'all' && isAgentCallError(error) && error.httpCode === '404') return { numberId, before, read: undefined };
			throw toNodeError(this.getNode(), error);
		}
	};
	// Every inbox at once: the key's rate-limit gate lets as many go as its budget allows and holds the rest.
	await warnIfOverBudget.call(this, watched.ids.length);
	const results = await Promise.all(watched.ids.map(readOne));

	const emitted: Array<{ message: FetchedMessage; numberId: string; index: number }> = [];
	const states: InboxState[] = [];
	let listedAt = watched.listedAt;
	for (const [index, { numberId, before, read }] of results.entries()) {
		if (!read) {
			if (before) states.push(before);
			listedAt = 0;
			continue;
		}
		states.push(read.next);
		if (read.lost) {
			this.logger.warn(
				`AgentCall SMS Trigger: more messages arrived on number ${numberId} since the last poll than AgentCall lets the trigger read back; the oldest of them were skipped. Poll more often to avoid this.`,
				{ numberId },
			);
		}
		for (const message of read.fresh) emitted.push({ message, numberId, index });
	}

	const next: StoredState = { version: 1, query, scope, numbers: states };
	if (scope === 'all' && listedAt !== undefined) next.listedAt = listedAt;
	if (JSON.stringify(next) !== JSON.stringify(data)) {
		for (const key of Object.keys(data)) delete data[key];
		Object.assign(data, next);
	}

	const keep = messageFilter(options);
	const items = emitted
		.sort((a, b) => a.message.ts - b.message.ts || a.index - b.index)
		.filter(({ message }) => keep(message.raw))
		.map(({ message, numberId }) => ({ json: toMessage(message.raw, numberId) }));
	return items.length ? [items] : null;
}
