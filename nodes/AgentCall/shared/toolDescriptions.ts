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
	},
	sms: {
		send: 'Sends a text message (SMS) from one of the user\'s phone numbers to any phone number. A real person receives it, so only text people the user asked you to contact. Costs $0.015 per message; the Free plan includes 10 a month. Returns the sent message: ID, from, to, text and status, as stored',
		getInbox:
			'Reads the text messages (SMS) one of the user\'s phone numbers received, newest first, by the number\'s ID. Free; reaches no one. Returns one entry per message: ID, from, to, text ("body"), received time and "otp", the one-time code found in it (or null)',
		getMessage:
			'Looks up one sent or received text message (SMS) by its message ID. Free; reaches no one. Returns the message: from, to, text, direction, status, time and "otp", the one-time code found in it (or null), as stored',
		waitForOtp:
			'Waits up to the tool\'s timeout (at most 60 seconds) for a one-time code (OTP) to arrive by SMS at one of the user\'s phone numbers, by the number\'s ID. Call it right after asking a service to text the code. Free; reaches no one; the Free plan includes 5 code extractions a month. Returns "otp" with the code and the message it came in. If no code arrived in time it returns "otp" null and "timedOut" true: then ask the user whether to request a new code or wait again, and never guess a code. Codes are read from the texts the number received',
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
