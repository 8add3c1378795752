import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * What an AI Agent's model reads about each operation when AgentCall is attached as a tool with
 * its Tool Description left on "Set Automatically".
 *
 * n8n 2.41 builds that text at run time as `<operation's action> in <defaults.name>` from the
 * node description it loaded (NodeHelpers.getToolDescriptionForNode → makeDescription;
 * `usableAsTool.replacements` only reach the editor, not that code). The same `action` is the
 * label of the action in the nodes panel and the base of default node names, so it must stay
 * short there. The editor only ever receives node descriptions as JSON, so each operation option
 * serialises with its short action (toJSON) while the loaded node carries the model's text.
 * docs/agent-tools.md has the details and what to check when n8n changes.
 *
 * Each text says what the operation does, whether a real person is reached, what it costs and
 * what it returns. n8n appends " in AgentCall", so every text ends mid-sentence.
 */
export const TOOL_DESCRIPTIONS: Record<string, Record<string, string>> = {
	aiCall: {
		start:
			'Places a real phone call in which a voice AI talks with the person called, following the instructions you give it (who it is, why it calls, what to find out). A real person answers, so only call people the user asked you to contact. Costs $0.40 per minute of AI voice, on the Pro plan with a card. Returns, when the tool waits for the call to end, the finished call: status, duration, summary, insights (intent, urgency, callback time) and "transcriptText", the conversation as "AI:" and "Human:" lines; "timedOut" true means the call had not ended within the wait and goes on, so tell the user and read its transcript later with the call ID. Without waiting, returns the new call ID and status; the transcript can be read later with that ID',
		getTranscript:
			'Reads what was said in an AI phone call that has ended, by call ID: the lines spoken by "ai" and "human", a summary and insights such as intent, urgency and callback time. Free; reaches no one. Fails while the call is still going on, so wait for the call to end first. Returns the call ID, duration, summary, insights and "transcriptText", the conversation as "AI:" and "Human:" lines',
	},
	call: {
		make:
			'Places a real outbound phone call from one of the user\'s phone numbers: the recipient\'s phone rings and a real person may answer. Plain voice, no AI speaks, so use it only to ring someone, not to talk. Costs $0.035 per minute, plus $0.01 per minute when recorded. Returns the new call: ID, status (initiated, ringing, in-progress, completed, busy, no_answer, failed), from and to, as stored',
		get: 'Looks up one phone call by its call ID. Free; reaches no one. Returns the call: status (initiated, ringing, in-progress, completed, busy, no_answer or failed), direction, from, to, duration in seconds and times, as stored',
		getAll:
			'Lists the recent phone calls of the user\'s account, newest first, inbound and outbound. Free; reaches no one. Returns one entry per call: ID, mode ("voice" or "ai"), direction, status, from, to, duration in seconds, and the created and ended times',
		getRecording:
			'Downloads the audio recording of an ended call, by call ID, as a file for the workflow; you cannot listen to it. Only calls made with recording on have one. Free; reaches no one. Returns the file\'s details (name, type, size, duration) and a temporary download link, as stored',
		getReport:
			'Reads the structured report AgentCall writes after an AI phone call, by call ID: summary, intent, urgency, spam, "briefWorthy", people and facts mentioned, preferences, decisions, commitments, tasks, risks, open questions, the next action and a brief for the owner. Free; reaches no one. The report is ready 5-30 seconds after the call ends and the tool waits for it. Returns the report\'s fields with "ready" true; "ready" false means it was not ready in time, so try again shortly and never invent its content. Plain calls and unanswered calls have no report',
		hangUp:
			'Ends a phone call that is ringing or in progress, by call ID; the real person on the line is cut off. Free. Returns the call with its final status; a call that had already ended is returned unchanged, as stored',
	},
	phoneNumber: {
		getAll:
			'Lists the phone numbers the user owns, to find the number (and its ID) to text, call or receive codes from. Free; reaches no one. Returns one entry per number: ID, phone number in E.164 format, type, country, label and status',
		get: 'Looks up one of the user\'s phone numbers by its ID. Free; reaches no one. Returns the number: phone number in E.164 format, type, country, label, status and its inbound and outbound settings, as stored',
		provision:
			'Buys a new US or Canadian phone number for the user that can send and receive SMS and calls. Costs a monthly fee ($2-$8 depending on the type) until it is released, so only do it when the user asked for a new number. Reaches no one. Returns the new number: ID, phone number in E.164 format, type, country and label, as stored',
		release:
			'Permanently gives up one of the user\'s phone numbers, by ID, and stops its monthly fee. Irreversible: the number stops receiving texts and calls and can never be provisioned again, so only do it when the user asked. Free; reaches no one. Returns the number ID with "released" true, as stored',
		update:
			'Changes the label of one of the user\'s phone numbers, by number ID, or the voice and language of the AI that answers its calls (only when inbound AI is set up). Free; reaches no one. Returns the number with its new label and inbound settings, as stored',
		getInboundAi:
			'Reads how the AI agent answers calls and texts to one of the user\'s phone numbers, by number ID: system prompt, voice, language, first message, SMS mode, allowed senders, notifications and webhooks (secrets hidden). Free; reaches no one. Returns the number ID and its "config" (null when inbound AI is off), as stored',
		setInboundAi:
			'Sets up or changes the AI agent that answers calls (and optionally texts) to one of the user\'s phone numbers, by number ID: instructions, voice, language, first message, SMS mode, allowed senders. Only do it when the user asked; with the whole-configuration mode every setting not given (including webhooks and tools) is removed. Free to set; AI voice minutes on answered calls cost $0.40 each on paid plans. Reaches no one now. Returns the number ID and its new "config", as stored',
		removeInboundAi:
			'Turns off the AI agent of one of the user\'s phone numbers, by number ID: incoming calls then hang up and its webhooks and tools are removed. Only do it when the user asked. Free; reaches no one. Returns the number ID with "inboundAiRemoved" true',
		getOutboundDefaults:
			'Reads the outbound AI agent saved on one of the user\'s phone numbers, by number ID, which AI calls with "use saved agent" follow. Free; reaches no one. Returns the number ID, "hasOutboundDefaults" and, when saved, the system prompt, voice, language, first message and max duration',
		setOutboundDefaults:
			'Saves an outbound AI agent on one of the user\'s phone numbers, by number ID (instructions, voice, language, first message, max duration), replacing the saved one; later AI calls with "use saved agent" follow it. Pro plan. Free to save; reaches no one. Returns the number ID and the saved settings, as stored',
		removeOutboundDefaults:
			'Deletes the outbound AI agent saved on one of the user\'s phone numbers, by number ID; AI calls with "use saved agent" from it then fail until a new one is saved. Free; reaches no one. Returns the number ID with "outboundDefaultsRemoved" true',
	},
	sms: {
		send: 'Sends a text message (SMS) from one of the user\'s phone numbers to any phone number. A real person receives it, so only text people the user asked you to contact. Costs $0.015 per message; the Free plan includes 10 a month. Returns the sent message: ID, from, to, text and status, as stored',
		getInbox:
			'Reads the text messages (SMS) one of the user\'s phone numbers received, newest first, by the number\'s ID. Free; reaches no one. Returns one entry per message: ID, from, to, text ("body"), received time and "otp", the one-time code found in it (or null)',
		getMessage:
			'Looks up one sent or received text message (SMS) by its message ID. Free; reaches no one. Returns the message: from, to, text, direction, status, time and "otp", the one-time code found in it (or null), as stored',
		getConversations:
			'Lists the SMS conversations (threads with one contact each) of the user\'s phone numbers, most recent first, optionally for one number ID. Free; reaches no one. Returns one entry per conversation: ID, number, contact phone, message count, last message and whether the contact opted out',
		getConversation:
			'Reads one SMS conversation by its conversation ID: the contact, the number and the last 50 messages, oldest first, each with direction, text and time. Free; reaches no one. Returns the conversation with its "messages", as stored',
		replyToConversation:
			'Sends a text message (SMS) to the contact of an SMS conversation, by conversation ID, from the number the conversation is on, e.g. to answer a text the user received. A real person receives it, so only reply when the user asked you to. Costs $0.015 per message. Contacts who replied STOP are refused; do not retry then. Returns the conversation ID, recipient, text and status "sent"',
		waitForOtp:
			'Waits up to the tool\'s timeout (at most 60 seconds) for a one-time code (OTP) to arrive by SMS at one of the user\'s phone numbers, by the number\'s ID. Call it right after asking a service to text the code. Free; reaches no one; the Free plan includes 5 code extractions a month. Returns "otp" with the code and the message it came in. If no code arrived in time it returns "otp" null and "timedOut" true: then ask the user whether to request a new code or wait again, and never guess a code. Codes are read from the texts the number received',
	},
	schedule: {
		create:
			'Schedules a text message (SMS) to one phone number for later, from one of the user\'s phone numbers: once at a date and time, or every day or week. A real person receives it when it fires, so only schedule texts the user asked for. The text is a template with {{placeholders}} filled from a payload, or written by the number\'s SMS AI from a hint. Needs the Pro plan and a number with AI SMS replies; each text costs $0.015. Returns the new schedule: ID, status, contact phone and timing, as stored',
		getAll:
			'Lists the scheduled text messages (SMS) of one of the user\'s phone numbers, by the number\'s ID, optionally only those pending, sent or failed. Free; reaches no one. Returns one entry per schedule: ID, status, contact phone, fire time or recurrence, and the template or prompt hint',
		cancel:
			'Cancels a scheduled text message (SMS) so it is never sent, by the number\'s ID and the schedule ID. Free; reaches no one. Returns the schedule ID with "cancelled" true, as confirmed',
	},
	speech: {
		generate:
			'Turns a text of up to 4,096 characters into spoken audio (MP3 or WAV) as a file for the workflow; you cannot hear the file, and it reaches no one. Costs $0.03 per 1,000 characters on the Pro plan, so only do it when the user asked for an audio file. Returns the file\'s name, type, size and the number of characters billed',
	},
	usage: {
		get: 'Reports what the user\'s account used and spent in a month (YYYY-MM, empty for the current month): phone numbers, SMS, voice minutes, AI voice minutes and recording, each with its cost in US dollars, and the total. Free; reaches no one. Returns the usage report as stored',
	},
	webhook: {
		register:
			'Registers a URL to which AgentCall sends chosen events (received SMS, call status, transcripts). Free; reaches no one, but events start being sent to that URL. Returns the webhook: ID, URL, events and its signing secret, which is shown only this once, as stored',
		getAll:
			'Lists the webhook URLs registered on the user\'s account. Free; reaches no one. Returns one entry per webhook: ID, URL and events (signing secrets are not shown), as stored',
		rotateSecret:
			'Replaces the signing secret of a webhook, by webhook ID; the old secret stops working at once, so whoever checks the signatures must get the new one. Free; reaches no one. Returns the webhook with its new secret, as stored',
		delete:
			'Deletes a webhook, by webhook ID: AgentCall stops sending events to its URL. Free; reaches no one. Returns the webhook ID with "deleted" true, as confirmed',
	},
	contact: {
		getByPhone:
			'Finds what AgentCall knows about a phone number (any format; a number without a country code is read as US): the contact AgentCall made when that number first called, texted or was called by the user\'s numbers. Free; reaches no one. Returns the contact: ID, phone, display name, tags, owner notes, verified, blocked time, call count and last seen time. Fails with "No contact with the phone number ... yet" when the number never talked with the user\'s numbers',
		get: 'Looks up one contact by contact ID. Free; reaches no one. Returns the contact: ID, phone, display name, tags, owner notes, verified, blocked time, call count and last seen time, as stored',
		getAll:
			'Lists the contacts AgentCall knows from the user\'s calls and texts. Free; reaches no one. Returns one entry per contact: ID, phone, display name, tags, owner notes, verified, blocked time, call count and last seen time',
		update:
			'Changes a contact, by contact ID: display name, tags (comma-separated, replacing the old ones), owner notes, verified, blocked. Only change what the user asked for. Free; reaches no one. Returns the updated contact, as stored',
		delete:
			'Permanently forgets a contact, by contact ID (right to be forgotten): its memory, memory candidates and briefs are wiped and its call reports redacted. Irreversible, so only do it when the user explicitly asked to forget this person. Free; reaches no one. Returns the contact ID with "deleted" true',
		getNextCallContext:
			'Reads what AgentCall\'s voice AI will be told about a contact, by contact ID, when they next call: the approved memory and open briefs as one text. Free; reaches no one. Returns "contextBlock" (the text), "isEmpty" (true when nothing is known yet), its length, the contact ID and phone',
	},
	memory: {
		getCurrent:
			'Lists what AgentCall currently remembers about a contact, by contact ID: approved facts, preferences, decisions and commitments from earlier calls that have not expired or been deleted. Free; reaches no one. Returns one entry per memory: ID, type, text, expiry and source call',
		getTimeline:
			'Reads the audit log of one memory, by memory ID: when it was approved, edited or deleted, with the earlier text. Free; reaches no one. Returns one entry per change, oldest first: action, text, previous text, time and note',
		getCandidates:
			'Lists what AgentCall proposed to remember from calls, filtered by status (proposed = waiting for approval, approved, rejected), contact ID and type (fact, preference, decision, commitment). Free; reaches no one. Returns one entry per candidate: ID, contact ID, call ID, type, text, the quote it came from and status',
		approve:
			'Approves a proposed memory candidate, by candidate ID, so it becomes part of what the voice AI is told about the contact on later calls. Only approve what the user confirmed is true. Free; reaches no one. Returns the candidate with status "approved" and the new memory (its ID is "memoryId")',
		reject:
			'Rejects a proposed memory candidate, by candidate ID, so it is never remembered; an optional reason is kept. Free; reaches no one. Returns the candidate with status "rejected", as stored',
		update:
			'Corrects a memory, by memory ID: new text, an expiry date and time, or no expiry. Free; reaches no one. Returns the updated memory; the change is recorded on its timeline',
		delete:
			'Deletes a memory, by memory ID, so the voice AI is no longer told it; the timeline keeps a record. Only do it when the user asked. Free; reaches no one. Returns the memory ID with "deleted" true',
	},
	brief: {
		getAll:
			'Lists the owner\'s briefs: calls AgentCall flagged for a person to follow up, filtered by status (open, acknowledged, resolved) and urgency (high, medium, low). Free; reaches no one. Returns one entry per brief: ID, contact ID, call ID, urgency, intent, summary, next action, status and times',
		acknowledge:
			'Marks an open brief as seen, by brief ID; it stays in the inbox until resolved. Free; reaches no one. Returns the brief with status "acknowledged", as stored',
		resolve:
			'Marks a brief as dealt with, by brief ID, so it leaves the open inbox; resolving twice changes nothing. Free; reaches no one. Returns the brief with status "resolved", as stored',
	},
	report: {
		getAll:
			'Lists the post-call reports of the user\'s AI calls, filtered by contact ID, intent, urgency and whether the report was flagged for the owner (brief-worthy). Free; reaches no one. Returns one entry per report: call ID, contact ID, summary, intent, urgency, facts, preferences, decisions, commitments, tasks, risks, next action and owner brief',
	},
};

/** The resource an operation selector belongs to (each selector shows for exactly one). */
function resourceOf(property: INodeProperties): string | undefined {
	const resources = property.displayOptions?.show?.resource;
	return Array.isArray(resources) && resources.length === 1 ? String(resources[0]) : undefined;
}

function isOption(value: unknown): value is INodePropertyOptions {
	return !!value && typeof value === 'object' && 'value' in value && 'name' in value && !('type' in value);
}

/**
 * The node's properties with every operation's action replaced by its model text at run time.
 * Serialised (what the editor gets), each option is exactly as written: the panel is unchanged.
 */
export function withToolDescriptions(properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => {
		const resource = resourceOf(property);
		const texts = resource === undefined ? undefined : TOOL_DESCRIPTIONS[resource];
		if (property.name !== 'operation' || !texts || !Array.isArray(property.options)) return property;
		const options = property.options.map((option) => {
			if (!isOption(option)) return option;
			const text = texts[String(option.value)];
			if (text === undefined) return option;
			const written = { ...option };
			return { ...option, action: text, toJSON: () => ({ ...written }) };
		});
		return { ...property, options };
	});
}
