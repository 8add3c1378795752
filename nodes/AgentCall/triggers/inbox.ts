import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { extractList, extractNextCursor, PAGE_SIZE_MAX } from '../shared/lists';
import { toMessage } from '../shared/shapes';
import { agentCallRequest } from '../shared/transport';

/**
 * Reading one SMS inbox exactly once across polls. The inbox route has no "since" parameter and,
 * by default, no cursor: it answers the newest `limit` messages. What we remember per number:
 *
 * - `seen`: the ids (with timestamps) of the newest messages already handled, capped;
 * - `floor`: everything at or before this time is old (set at the baseline, raised when `seen`
 *   is trimmed), so a bounded `seen` never lets an old message come back;
 * - `resume`: for an API that lists oldest first with a cursor, where the next poll starts.
 *
 * A message is new when it is neither in `seen` nor at/before `floor`. Ids, not timestamps, decide
 * what is new, so a message stamped slightly earlier than one already seen is still caught.
 */

export interface InboxState extends IDataObject {
	numberId: string;
	/** [id, epoch ms], newest first. */
	seen: Array<[string, number]>;
	floor: number | null;
	resume?: string;
	/** The API was seen listing oldest first. */
	asc?: boolean;
	/** A baseline read ran out of time: the next poll goes on recording, still reporting nothing. */
	pending?: boolean;
}

export interface FetchedMessage {
	raw: IDataObject;
	id: string;
	ts: number;
	/** Position in the order the API returned it, across pages. */
	position: number;
}

export interface InboxRead {
	/** New messages in arrival order (nothing on a baseline read). */
	fresh: FetchedMessage[];
	next: InboxState;
	/** Messages may have been skipped: more arrived than the API let us read back. */
	lost: boolean;
	requests: number;
}

/** The ids remembered per number; one full page, so an idle poll always meets a known message. */
export const SEEN_CAP = PAGE_SIZE_MAX;

/** A second, wider request when a burst overflowed a page and the API gave no cursor. */
export const WIDE_PAGE = 1000;

/** A guard against a cursor that never ends. */
const MAX_PAGES = 100;

export function messageId(raw: IDataObject): string | undefined {
	const id = raw.id ?? raw.messageId;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** Epoch ms of a message, from whichever timestamp the API sent; `fallback` when none parses. */
export function messageTime(raw: IDataObject, fallback: number): number {
	const ms = Date.parse(String(toMessage(raw).receivedAt ?? ''));
	return Number.isNaN(ms) ? fallback : ms;
}

/** 'asc' or 'desc' when the timestamps say so; undefined when they are all equal or mixed. */
export function listDirection(items: FetchedMessage[]): 'asc' | 'desc' | undefined {
	let up = 0;
	let down = 0;
	for (let i = 1; i < items.length; i++) {
		if (items[i].ts > items[i - 1].ts) up++;
		if (items[i].ts < items[i - 1].ts) down++;
	}
	if (up && !down) return 'asc';
	if (down && !up) return 'desc';
	return undefined;
}

/**
 * The list order read from where known and new messages sit, for pages whose timestamps tie:
 * newest first puts new messages before known ones.
 */
export function positionalDirection(items: FetchedMessage[], isKnown: (message: FetchedMessage) => boolean): 'asc' | 'desc' | undefined {
	const known = items.filter(isKnown).map((message) => message.position);
	const fresh = items.filter((message) => !isKnown(message)).map((message) => message.position);
	if (!known.length || !fresh.length) return undefined;
	if (Math.max(...fresh) < Math.min(...known)) return 'desc';
	if (Math.min(...fresh) > Math.max(...known)) return 'asc';
	return undefined;
}

/** Oldest first; equal timestamps keep the API's order, read backwards when it lists newest first. */
export function byArrival(asc: boolean) {
	return (a: FetchedMessage, b: FetchedMessage) => a.ts - b.ts || (asc ? a.position - b.position : b.position - a.position);
}

export interface ReadOptions {
	otpOnly: boolean;
	/** Epoch ms after which no further page is requested (the first one always is). */
	deadline: number;
	now: number;
	/** No state yet: record what is there, report nothing. */
	baseline: boolean;
}

export async function readInbox(
	this: IPollFunctions,
	numberId: string,
	previous: InboxState | undefined,
	options: ReadOptions,
): Promise<InboxRead> {
	const baseline = options.baseline || previous?.pending === true;
	const seenIds = new Set((previous?.seen ?? []).map(([id]) => id));
	const floor = previous?.floor ?? null;
	const knowsSomething = seenIds.size > 0 || floor !== null;
	const isKnown = (message: FetchedMessage) => seenIds.has(message.id) || (floor !== null && message.ts <= floor);

	let startCursor = previous?.resume;
	let cursor = startCursor;
	let limit = PAGE_SIZE_MAX;
	let fetched: FetchedMessage[] = [];
	let narrowFetch: FetchedMessage[] | undefined;
	let ids = new Set<string>();
	let lost = false;
	let interrupted = false;
	let requests = 0;
	let asc = previous?.asc === true;

	for (;;) {
		const qs: IDataObject = { limit };
		if (options.otpOnly) qs.otpOnly = true;
		if (cursor) qs.cursor = cursor;
		const response = await agentCallRequest.call(this, {
			method: 'GET',
			path: `/v1/sms/inbox/${encodeURIComponent(numberId)}`,
			qs,
			subject: { label: 'phone number', id: numberId },
			expect: 'list',
			// A stale stored cursor or a page wider than the API allows is not a failure of the poll.
			acceptStatuses: cursor || narrowFetch ? [400, 422] : undefined,
		});
		requests++;
		if (response.statusCode === 400 || response.statusCode === 422) {
			if (cursor && cursor === startCursor && fetched.length === 0 && !narrowFetch) {
				startCursor = undefined;
				cursor = undefined;
				continue;
			}
			if (narrowFetch) fetched = narrowFetch;
			lost = true;
			break;
		}

		const page: FetchedMessage[] = [];
		for (const raw of extractList(response.body)) {
			const id = messageId(raw);
			if (id === undefined) continue;
			const message = { raw, id, ts: messageTime(raw, options.now), position: fetched.length };
			page.push(message);
			if (!ids.has(id)) {
				ids.add(id);
				fetched.push(message);
			}
		}
		const next = extractNextCursor(response.body, response.headers);
		asc = (listDirection(fetched) ?? positionalDirection(fetched, isKnown) ?? (asc ? 'asc' : 'desc')) === 'asc';
		const full = page.length >= limit;
		// Newest first: stop at known ground (with none, at the end). Oldest first: new messages are
		// at the end, so read on. A page can be "short" because the API caps it: a cursor says more.
		// An empty page ends the read even if known messages are gone (e.g. removed by retention).
		const needMore = asc
			? Boolean(next) || full
			: page.length > 0 && !page.some(isKnown) && (knowsSomething || full || Boolean(next));
		if (narrowFetch && fetched.length <= narrowFetch.length && needMore === false && !knowsSomething) {
			// The wider page brought nothing more: the API caps pages, and a full one hid the rest.
			lost = true;
		}
		if (!needMore || (baseline && !asc)) break;
		if (Date.now() >= options.deadline || requests >= MAX_PAGES) {
			// Oldest first resumes at the last page read next time; newest first cannot come back.
			interrupted = asc && Boolean(next);
			lost = !interrupted;
			// This page is read: the next poll starts at the following one.
			if (interrupted) cursor = next;
			break;
		}
		if (next && next !== cursor) {
			cursor = next;
			continue;
		}
		if (!narrowFetch) {
			narrowFetch = fetched;
			fetched = [];
			ids = new Set();
			limit = WIDE_PAGE;
			cursor = startCursor;
			continue;
		}
		lost = true;
		break;
	}

	const fresh = baseline ? [] : fetched.filter((message) => !isKnown(message)).sort(byArrival(asc));
	const next = remember(numberId, previous, fetched, { baseline, lost, asc, resume: asc ? cursor : undefined });
	if (baseline && interrupted) next.pending = true;
	return { fresh, next, lost: lost && !baseline, requests };
}

/** The state after a read: `seen` merged and capped, `floor` raised past anything forgotten. */
export function remember(
	numberId: string,
	previous: InboxState | undefined,
	fetched: FetchedMessage[],
	how: { baseline: boolean; lost: boolean; asc: boolean; resume?: string },
): InboxState {
	const merged = new Map<string, number>(previous?.seen ?? []);
	for (const message of fetched) if (!merged.has(message.id)) merged.set(message.id, message.ts);
	let seen = [...merged].sort((a, b) => b[1] - a[1]);
	let floor = previous?.floor ?? null;
	const raise = (to: number) => {
		floor = floor === null ? to : Math.max(floor, to);
	};
	const oldestFetched = fetched.length ? Math.min(...fetched.map((message) => message.ts)) : undefined;
	// Beyond the first page (baseline) or beyond what a burst let us read (loss), nothing may come back later.
	if (oldestFetched !== undefined && (how.baseline || (how.lost && !how.asc))) raise(oldestFetched);
	if (seen.length > SEEN_CAP) {
		raise(seen[SEEN_CAP][1]);
		seen = seen.slice(0, SEEN_CAP);
	}
	const state: InboxState = { numberId, seen, floor };
	if (how.resume) state.resume = how.resume;
	if (how.asc) state.asc = true;
	return state;
}
