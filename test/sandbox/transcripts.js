// @ts-check
'use strict';

/**
 * Deterministic conversation generator for AI calls: a script derived from the system prompt and
 * first message, the post-call summary (§4.5) and the post-call report (§4.6). Pure functions.
 */

const NAMES = ['Jordan Lee', 'Maria Garcia', 'Sam Patel', 'Alex Chen', 'Taylor Brooks', 'Chris Novak', 'Priya Shah', 'Daniel Kim'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** @typedef {{ role: 'ai' | 'human', text: string }} Line */
/** @typedef {{ systemPrompt?: string | null, firstMessage?: string | null, to: string, from: string }} Brief */

/** @param {string} s */
function hash(s) {
	let h = 0;
	for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
	return h;
}

/** @param {Brief} b */
function intentOf(b) {
	const t = `${b.systemPrompt || ''} ${b.firstMessage || ''}`.toLowerCase();
	if (/spam|robocall|extended warranty|you have won|prize/.test(t)) return 'spam';
	if (/complain|refund|unhappy|dissatisf|problem with/.test(t)) return 'complaint';
	if (/appointment|schedul|book|reservation|confirm/.test(t)) return 'scheduling';
	if (/quote|pricing|price|estimate|cost/.test(t)) return 'quote_request';
	if (/repair|fix|broken|install|service|leak/.test(t)) return 'service_request';
	if (/question|ask|inquir|information|info\b/.test(t)) return 'general_inquiry';
	return 'other';
}

/** @param {Brief} b @param {string} intent */
function urgencyOf(b, intent) {
	const t = `${b.systemPrompt || ''} ${b.firstMessage || ''}`.toLowerCase();
	if (/urgent|asap|emergency|immediately|right away|today/.test(t)) return 'high';
	if (['scheduling', 'service_request', 'complaint', 'quote_request'].includes(intent)) return 'medium';
	return 'low';
}

/** The call's purpose in the AI's words, from the first sentence of the prompt. @param {Brief} b */
function purposeOf(b) {
	const first = (b.systemPrompt || '').split(/[.!?\n]/)[0].trim().slice(0, 160);
	if (!first) return 'I am calling to follow up on your recent request';
	return first
		.replace(/^you are\b/i, 'I am')
		.replace(/^you're\b/i, "I'm")
		.replace(/\byour\b/gi, 'my');
}

const REPLIES = {
	scheduling: 'Yes, Tuesday at 3 pm works for me.',
	quote_request: "Sure, I'd like a quote for the full job, ideally this week.",
	service_request: 'Yes, the problem is still there, please send someone over.',
	complaint: "Honestly, I'm still unhappy with how this was handled.",
	spam: "I'm not interested, please take me off your list.",
	general_inquiry: 'Sure, happy to answer. What would you like to know?',
	other: 'Okay, go ahead, I have a minute.',
};

/** Facts about the other party, stable per phone number. @param {Brief} b */
function persona(b) {
	const h = hash(b.to);
	const name = NAMES[h % NAMES.length];
	const day = DAYS[1 + (h % 5)];
	return { name, day };
}

/** @param {Brief} b @returns {Line[]} */
function script(b) {
	const intent = intentOf(b);
	const { name, day } = persona(b);
	const opening = b.firstMessage || 'Hi, this is an AI assistant calling on behalf of the team.';
	if (intent === 'spam') {
		return [
			{ role: 'ai', text: opening },
			{ role: 'human', text: 'Hello? Who is this?' },
			{ role: 'ai', text: `${purposeOf(b)}.` },
			{ role: 'human', text: REPLIES.spam },
			{ role: 'ai', text: 'Understood, sorry to bother you. Goodbye.' },
		];
	}
	return [
		{ role: 'ai', text: opening },
		{ role: 'human', text: `Hello, this is ${name}. Who's calling?` },
		{ role: 'ai', text: `${purposeOf(b)}.` },
		{ role: 'human', text: REPLIES[/** @type {keyof typeof REPLIES} */ (intent)] },
		{ role: 'ai', text: 'Thank you. Could I confirm your name and the best time to call you back?' },
		{ role: 'human', text: `It's ${name}. Please call me back before ${day}.` },
		{ role: 'ai', text: "Perfect, I've noted everything. Have a great day!" },
		{ role: 'human', text: 'Thanks, bye.' },
	];
}

/** The same conversation seen from the other leg (roles swapped). @param {Line[]} lines @returns {Line[]} */
function swapRoles(lines) {
	return lines.map((l) => ({ role: l.role === 'ai' ? 'human' : 'ai', text: l.text }));
}

/** @param {Date} from @param {string} day */
function nextWeekday(from, day) {
	const target = DAYS.indexOf(day);
	const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate(), 17, 0, 0));
	do d.setUTCDate(d.getUTCDate() + 1);
	while (d.getUTCDay() !== target);
	return d.toISOString();
}

/**
 * Post-call summary (§4.5).
 * @param {Brief} b
 * @param {number} heardLines how many script lines were spoken before the call ended
 * @param {Date} endedAt
 */
function summarize(b, heardLines, endedAt) {
	const intent = intentOf(b);
	const spam = intent === 'spam';
	const { name, day } = persona(b);
	const knowsName = !spam && heardLines >= 2;
	const urgency = spam ? 'low' : urgencyOf(b, intent);
	const topic = purposeOf(b).replace(/^I am calling (to|about) /i, '').replace(/^I am /, 'being ');
	const summary = spam
		? `Unwanted call to ${b.to}; the callee declined and asked to be removed from the list.`
		: `${knowsName ? name : 'The callee'} was called about: ${topic}. Intent ${intent.replace('_', ' ')}, ${urgency} urgency.` +
			(heardLines >= 6 ? ` ${name} asked for a callback before ${day}.` : ' The call ended early.');
	return {
		summary,
		callerName: knowsName ? name : null,
		intent,
		urgency,
		callbackBy: !spam && heardLines >= 6 ? nextWeekday(endedAt, day) : null,
		spam,
	};
}

/**
 * Post-call report (§4.6).
 * @param {Brief} b
 * @param {ReturnType<typeof summarize>} s
 */
function report(b, s) {
	const who = s.callerName || 'the callee';
	return {
		summary: s.summary,
		intent: s.intent,
		urgency: s.urgency,
		spam: s.spam,
		briefWorthy: !s.spam && s.urgency !== 'low',
		entities: [
			...(s.callerName ? [{ type: 'person', value: s.callerName }] : []),
			{ type: 'phone', value: b.to },
		],
		// Shapes of §13.4: facts { text, quote }, commitments { owner, task }.
		facts: [
			{ text: `${who} answered a call from ${b.from}`, quote: null },
			{ text: `Purpose: ${purposeOf(b)}`, quote: `${purposeOf(b)}.` },
		],
		preferences: s.callbackBy ? [`Prefers a callback before ${s.callbackBy.slice(0, 10)}`] : [],
		decisions: s.intent === 'scheduling' && s.callbackBy ? ['Tuesday at 3 pm agreed'] : [],
		commitments: s.callbackBy ? [{ owner: 'agent', task: `Call ${who} back before ${s.callbackBy.slice(0, 10)}` }] : [],
		tasks: s.spam ? [] : [{ description: `Follow up with ${who}`, dueBy: s.callbackBy }],
		risks: s.urgency === 'high' ? ['Time-sensitive request'] : [],
		unresolved: s.callbackBy ? [] : ['Call ended before a follow-up was agreed'],
		nextAction: s.spam ? 'No action; consider blocking the number' : `Call ${who} back`,
		nextCallContext: `Previous call: ${s.summary}`,
		ownerBrief: `${who} (${b.to}): ${s.intent}, ${s.urgency} urgency.`,
	};
}

module.exports = { script, swapRoles, summarize, report, intentOf };
