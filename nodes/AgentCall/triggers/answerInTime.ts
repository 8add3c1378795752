import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/**
 * One answer per call-out, in AgentCall's shape, before AgentCall stops waiting.
 *
 * The trigger's webhook runs in n8n's "last node" response mode: n8n answers with the last
 * node's first item when the run ends, or with a 500 when it fails. Neither is in time by itself
 * (n8n has no response deadline) nor in AgentCall's shape. So webhook() takes charge of the HTTP
 * response n8n hands it (`getResponseObject()`), in the process that received the request:
 * - a timer answers `{ [field]: fallback }` at the deadline;
 * - whatever n8n writes before that (the item, the "no item" error, the 500) is turned into
 *   `{ [field]: text }`, or the fallback when it is an error;
 * - whatever n8n writes after the first answer is dropped, so a late run cannot write twice.
 * In queue mode the request and `res` stay on the main or webhook process that received it while
 * a worker runs the workflow; n8n relays the result back to that process, which answers from it
 * or has already answered from the timer. Nothing here depends on where the workflow runs.
 */

type Response = ReturnType<IWebhookFunctions['getResponseObject']>;
type AnyFunction = (...args: unknown[]) => unknown;

/** n8n's own replies when the last node gave nothing: no answer, not a result. */
const N8N_NO_DATA = /^Workflow executed successfully but/;

export interface AnswerPlan {
	/** `result` for tool calls, `contextBlock` for caller context. */
	field: 'result' | 'contextBlock';
	/** What AgentCall gets when the workflow fails or is too slow. */
	fallback: string;
	/** When to answer with the fallback at the latest, counted from now. */
	deadlineMs: number;
	/** Told once which answer went out, for logging. */
	onAnswer?: (how: 'workflow' | 'failed' | 'deadline') => void;
}

/** The answer text in what n8n writes: the item's own field, else the item as JSON text. */
export function answerText(body: unknown, field: string): string | undefined {
	if (body === undefined || body === null) return undefined;
	if (Buffer.isBuffer(body)) return answerText(body.toString('utf8'), field);
	if (typeof body === 'string') {
		try {
			const parsed = JSON.parse(body) as unknown;
			if (parsed && typeof parsed === 'object') return answerText(parsed, field);
		} catch {
			// plain text is the answer as it stands
		}
		return body;
	}
	if (Array.isArray(body)) return answerText(body[0], field);
	if (typeof body !== 'object') return String(body);
	const item = body as IDataObject;
	if (field in item) {
		const value = item[field];
		if (value === undefined || value === null) return '';
		return typeof value === 'string' ? value : JSON.stringify(value);
	}
	const keys = Object.keys(item);
	if (keys.length === 1 && typeof item.message === 'string' && N8N_NO_DATA.test(item.message)) return undefined;
	return keys.length ? JSON.stringify(item) : '';
}

export function answerInTime(res: Response, plan: AnswerPlan): void {
	const target = res as unknown as Record<string, AnyFunction> & { statusCode: number; headersSent: boolean; writableEnded: boolean };
	const original = {
		setHeader: target.setHeader.bind(res) as AnyFunction,
		writeHead: target.writeHead.bind(res) as AnyFunction,
		end: target.end.bind(res) as AnyFunction,
	};
	let answered = false;
	let chunks: string[] = [];

	const answer = (text: string, how: 'workflow' | 'failed' | 'deadline') => {
		if (answered) return;
		answered = true;
		deadline.abort();
		if (target.headersSent || target.writableEnded) return;
		target.statusCode = 200;
		original.setHeader('content-type', 'application/json; charset=utf-8');
		original.end(JSON.stringify({ [plan.field]: text }));
		plan.onAnswer?.(how);
	};
	const fromN8n = (body: unknown) => {
		if (answered) return;
		const text = target.statusCode >= 400 ? undefined : answerText(body, plan.field);
		if (text === undefined) answer(plan.fallback, 'failed');
		else answer(text, 'workflow');
	};
	const deadline = new AbortController();
	void sleep(Math.max(0, plan.deadlineMs), deadline.signal).then(
		() => answer(plan.fallback, 'deadline'),
		() => undefined,
	);
	const closing = res as unknown as { once?: (event: string, listener: () => void) => void };
	if (typeof closing.once === 'function') closing.once('close', () => deadline.abort());

	target.json = (body: unknown) => (fromN8n(body), res);
	target.send = (body: unknown) => (fromN8n(body), res);
	target.sendStatus = (code: unknown) => ((target.statusCode = Number(code)), fromN8n(undefined), res);
	target.write = (chunk: unknown) => {
		if (!answered && chunk !== undefined && chunk !== null) chunks.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
		return true;
	};
	target.end = (chunk: unknown) => {
		if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) target.write(chunk);
		const body = chunks.join('');
		chunks = [];
		fromN8n(body === '' ? undefined : body);
		return res;
	};
	// Headers and status n8n sets for its own answer would throw once ours is out; before that, ours replaces them.
	// Node's own end() writes the status line through writeHead: only calls after the headers went out are dropped.
	target.setHeader = (...args: unknown[]) => (target.headersSent ? res : original.setHeader(...args));
	target.writeHead = (...args: unknown[]) => (target.headersSent ? res : original.writeHead(...args));
	target.status = (code: unknown) => {
		if (!answered) target.statusCode = Number(code);
		return res;
	};
}
