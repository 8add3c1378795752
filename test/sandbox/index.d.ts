/** Types of the AgentCall sandbox (implementation: index.js, plain CommonJS). See README.md. */

export type ListWrapper = 'data' | 'numbers' | 'messages' | 'calls' | 'conversations' | 'bare';
export type Plan = 'pro' | 'free' | 'pro_no_card';
export type CallOutcome = 'completed' | 'busy' | 'no_answer' | 'failed';

export interface Fault {
	/** HTTP method or '*' (default: any) */
	method?: string;
	/** '/v1/sms/send', '/v1/calls/:id', '/v1/*' */
	path: string;
	/** answer with this status + error body, without running the handler */
	status?: number;
	/** error code (default: internal / service_unavailable / voice_ai_unavailable on POST /v1/calls/ai) */
	code?: string;
	message?: string;
	/** delay before handling, ms */
	slowMs?: number;
	/** run the handler, then garble the JSON reply */
	brokenJson?: boolean;
	/**
	 * answer 200 with something that is not the route's JSON: an HTML page or plain text (handler not
	 * run; `message` replaces the text), a JSON object that is not the answer, or the handler's JSON cut in half
	 */
	reply?: 'html' | 'text' | 'object' | 'truncated';
	/** drop the connection without an answer, before the handler runs or after it */
	reset?: 'before' | 'after';
	/** fire this many times, then remove itself */
	times?: number;
}

/** Every row of §12.1 as a setting. Defaults in README.md / config.js. */
export interface SandboxConfig {
	apiKeys: string[];
	plan: Plan;
	upgradeUrl: string;
	setupUrl: string;
	publicBaseUrl: string | null;
	idFormat: 'cuid' | 'prefixed';
	listWrappers: { numbers: ListWrapper; calls: ListWrapper; webhooks: ListWrapper; inbox: ListWrapper; conversations: ListWrapper };
	listLimitDefault: number;
	listLimitMax: number;
	listLimitOverMax: 'clamp' | 'reject';
	pagination: 'none' | 'cursor';
	cursorField: string;
	listOrder: 'newest' | 'oldest';
	createStatus: 200 | 201;
	deleteReply: '204' | '200';
	releasedNumber: '404' | '200';
	messageTimestamps: 'both' | 'createdAt' | 'receivedAt';
	messageOtpField: boolean;
	smsSendReply: 'full' | 'minimal';
	otpRegex: string;
	otpTimeoutReply: 'null' | '204' | '408' | '404';
	otpWindow: 'recent' | 'after_request' | 'newest';
	otpRecentWindowMs: number;
	otpDefaultTimeoutMs: number;
	otpMaxTimeoutMs: number;
	otpTimeoutOverMax: 'clamp' | 'reject';
	callReply: 'full' | 'minimal';
	timeScale: number;
	clockRingingMs: number;
	clockInProgressMs: number;
	clockCompletedMs: number;
	inProgressStatus: 'in-progress' | 'answered';
	hangupEnded: 'idempotent' | '409';
	transcriptShape: 'live' | 'documented';
	transcriptNotReady: '404' | '202';
	aiRole: 'ai' | 'assistant';
	reportDelayMs: number;
	reportField: 'report' | 'payload' | 'both';
	recordingUrlField: 'recordingUrl' | 'url' | 'signedUrl';
	recordingUrlTtlSecs: number;
	recordingWebhookUrlTtlSecs: number;
	/** where GET inbound-config says a block has a secret: block.hasSigningSecret, or config.<block>HasSigningSecret */
	inboundSecretNesting: 'inside' | 'flat';
	/** GET inbound-config of an unconfigured number: `config: null` or no `config` key */
	inboundConfigUnset: 'null' | 'absent';
	/** GET /v1/sms-conversations paging; 'global' follows `pagination` */
	conversationPagination: 'cursor' | 'none' | 'global';
	/** budget of a tool call-out, 1..8000 ms */
	calloutToolTimeoutMs: number;
	webhookExtraFields: boolean;
	webhookDuplicates: 'allow' | 'reject';
	rotateGraceMs: number;
	webhookBody: 'envelope' | 'root';
	eventHeader: boolean;
	deliveryTimeoutMs: number;
	deliveryRetries: number;
	deliveryBackoffMs: number[];
	deliveryBackoffScale: number;
	deliveryRestamp: boolean;
	errorLinks: 'inside' | 'top';
	errorMessage: boolean;
	validationStatus: 422 | 400;
	validationDetails: 'list' | 'map' | 'none';
	rateLimitWindowMs: number;
	rateLimitGlobal: number;
	rateLimitAiCalls: number;
	rateLimitRetryAfter: boolean;
	rateLimitHeaders: boolean;
	faults: Fault[];
	requestLogMax: number;
	deliveryLogMax: number;
}

export type ConfigPatch = Partial<Omit<SandboxConfig, 'listWrappers'>> & { listWrappers?: Partial<SandboxConfig['listWrappers']> };

export type Json = Record<string, unknown>;

export interface SandboxNumber {
	id: string;
	number: string;
	type: 'local' | 'tollfree' | 'mobile' | 'sim';
	country: 'US' | 'CA';
	label: string | null;
	status: 'active' | 'released';
	monthlyCost: number;
	createdAt: string;
	releasedAt?: string;
	inbound: { configured: boolean; mode: 'ai' | null; voice: string | null; language: string | null; systemPrompt: string | null; firstMessage: string | null; smsMode: 'off' | 'ai' | 'relay' };
	outbound: { configured: boolean; systemPrompt: string | null; firstMessage: string | null; voice: string | null; language: string | null; maxDurationSecs: number | null };
}

/** `otp`, `createdAt`, `receivedAt` presence follows messageOtpField / messageTimestamps */
export interface SandboxMessage {
	id: string;
	numberId: string;
	direction: 'inbound' | 'outbound';
	from: string;
	to: string;
	body: string;
	otp?: string | null;
	status: 'sent' | 'received';
	createdAt?: string;
	receivedAt?: string;
}

export interface SandboxCall {
	id: string;
	/** initiated | ringing | in-progress (or 'answered' by config) | completed | busy | no_answer | failed */
	status: string;
	direction: 'inbound' | 'outbound';
	mode: 'voice' | 'ai';
	from: string;
	to: string;
	numberId: string;
	record: boolean;
	recordingUrl: string | null;
	duration: number | null;
	peerCallId: string | null;
	toolCallCount: number;
	metadata: Record<string, string> | null;
	createdAt: string;
	updatedAt: string;
	answeredAt: string | null;
	endedAt: string | null;
	voice?: string;
	language?: string;
	maxDurationSecs?: number;
	liveTranscript?: boolean;
}

export interface SandboxWebhook {
	id: string;
	url: string;
	events: string[];
	secret: string;
	previousSecret: string | null;
	active?: boolean;
	createdAt?: string;
	updatedAt?: string;
}

export interface RequestLogEntry {
	id: string;
	time: string;
	method: string;
	path: string;
	query: Record<string, string>;
	route: string | null;
	status: number;
	durationMs: number;
	/** never the header itself */
	auth: 'valid' | 'invalid' | 'missing' | 'public';
	body?: unknown;
}

export interface DeliveryLogEntry {
	/** `${deliveryId}-${attempt}` */
	id: string;
	deliveryId: string;
	webhookId: string;
	event: string;
	url: string;
	attempt: number;
	status: number | null;
	error: string | null;
	ok: boolean;
	time: string;
	durationMs: number;
	signature: string;
	/** the exact bytes sent */
	body: string;
	nextRetryInMs: number | null;
}

export interface Usage {
	period: string;
	currency: 'USD';
	breakdown: {
		numbers: { count: number; cost: number };
		sms: { count: number; sent: number; received: number; cost: number };
		voice: { minutes: number; outboundMinutes: number; inboundMinutes: number; cost: number };
		voiceAi: { minutes: number; cost: number };
		recording: { minutes: number; cost: number };
	};
	total: number;
}

export type CalloutKind = 'context' | 'tool' | 'relay';

export interface SimulatedCallInput {
	from: string;
	toolCalls?: Array<{ tool: string; arguments?: Json; atSecond?: number }>;
	/** simulated talk time (default clockCompletedMs), capped by maxDurationSecs */
	durationSecs?: number;
	/** tool budget for this call, 1..8000 ms */
	toolTimeoutMs?: number;
	wait?: boolean;
}

export interface SimulatedCall {
	callId: string;
	numberId: string;
	from: string;
	status: string;
	context: { outcome: 'used' | 'empty' | 'timeout' | 'failed' | 'skipped'; contextBlock: string | null; status?: number | null; error?: string; latencyMs: number | null };
	toolCalls: Array<{ tool: string; arguments: Json; outcome: 'ok' | 'timeout' | 'failed' | 'refused'; result?: string; error?: string; status: number | null; latencyMs: number | null }>;
}

export interface SimulatedSms {
	message: SandboxMessage;
	conversationId: string;
	agent: 'ai' | 'relay' | 'none';
	reason: null | 'sms_mode_off' | 'opt_keyword' | 'opted_out' | 'sender_not_allowed' | 'no_agent_webhook' | 'ai_reply_loop';
}

export interface CalloutLogEntry {
	id: string;
	kind: CalloutKind;
	numberId: string;
	callId?: string;
	tool?: string;
	messageId?: string;
	conversationId?: string;
	url: string;
	attempt: number;
	time: string;
	/** headers sent, incl. X-AgentCall-Signature (and X-AgentCall-Event on relays) */
	headers: Record<string, string>;
	/** raw body sent */
	body: string;
	status: number | null;
	error: string | null;
	ok: boolean;
	latencyMs: number;
	responseBody: string | null;
}

export interface SandboxOptions {
	/** default 0 (any free port) */
	port?: number;
	/** default 127.0.0.1 */
	host?: string;
	/** default ac_live_sandbox_demo_key */
	apiKey?: string;
	config?: ConfigPatch;
}

export interface Sandbox {
	/** e.g. http://127.0.0.1:4010 (no trailing slash) */
	url: string;
	port: number;
	host: string;
	apiKey: string;
	/** `${url}/_sandbox` */
	controlUrl: string;
	readonly config: Readonly<SandboxConfig>;
	/** validates; throws (ConfigError with .details) on unknown keys / bad values */
	setConfig(partial: ConfigPatch): Readonly<SandboxConfig>;
	/** fresh state + startup config (unless keepConfig); ends timers, long-polls, deliveries */
	reset(options?: { keepConfig?: boolean }): { reset: true; keepConfig: boolean };
	/** inbound SMS; `to` = number id or E.164 of an account number */
	injectSms(input: { to: string; from: string; body: string }): SandboxMessage;
	/** inbound call from an outside number to an account number (fires call.inbound) */
	injectCall(input: { to: string; from: string }): SandboxCall;
	/** per call (callId) or per `to` number (to; outcome null clears) */
	setCallOutcome(input: { callId?: string; to?: string; outcome: CallOutcome | null; durationSecs?: number }): SandboxCall | { to: string; outcome: CallOutcome | null; durationSecs: number | null };
	/** next status, or `status` (ringing | in-progress | answered | completed | busy | no_answer | failed) now */
	advanceCall(callId: string, status?: string): SandboxCall;
	completeCall(callId: string): SandboxCall;
	/**
	 * Lenient inbound-config (no prompt required, no plan gate): merges { mode?: 'ai' | null, voice?, language?,
	 * systemPrompt?, firstMessage?, smsMode?, …any inbound-config field } into the stored config; mode null clears.
	 */
	configureInbound(numberId: string, cfg: Json): SandboxNumber;
	/** the stored inbound config WITH signing secrets (null when unset) */
	inboundConfig(numberId: string): Json | null;
	/** saved outbound agent for useSavedAgent (replaces): { systemPrompt?, firstMessage?, voice?, language?, maxDurationSecs?, record?, templateId? }; {} clears */
	setOutboundDefaults(numberId: string, defaults: Json): SandboxNumber;
	/**
	 * An inbound AI call on a number with inbound AI (else 409): rings, POSTs the context call-out (fail-open after
	 * contextWebhook.timeoutMs), connects, makes each tool call-out at `atSecond` of talk time (budget: toolTimeoutMs
	 * or calloutToolTimeoutMs), writes what came back into the transcript and completes. `wait: false`: resolves at once
	 * with `{ callId, numberId, status: 'running' }`; read the result with `simulation(callId)`.
	 */
	simulateInboundCall(numberId: string, input: SimulatedCallInput): Promise<SimulatedCall>;
	/** state of a simulated call (status 'running' | 'completed' | an error code) */
	simulation(callId: string): SimulatedCall;
	/** an inbound SMS to a number through the usual path (OTP, sms.inbound, opt-out, allowedSenders) and who answered it */
	simulateInboundSms(numberId: string, input: { from: string; body: string }): SimulatedSms;
	/** every HTTP attempt of the numbers' call-outs, oldest first */
	callouts(filter?: { numberId?: string; kind?: CalloutKind; callId?: string }): CalloutLogEntry[];
	clearCallouts(): void;
	requestLog(): RequestLogEntry[];
	clearRequestLog(): void;
	deliveries(filter?: { event?: string; webhookId?: string }): DeliveryLogEntry[];
	clearDeliveries(): void;
	/** resolves true when no delivery is in flight or waiting for a retry */
	settled(timeoutMs?: number): Promise<boolean>;
	setFaults(faults: Fault[]): Fault[];
	addFault(fault: Fault): Fault[];
	clearFaults(): Fault[];
	/** also resets the rate-limit counters */
	setLimits(limits: { windowMs?: number; global?: number; aiCalls?: number; retryAfter?: boolean; headers?: boolean }): {
		windowMs: number;
		global: number;
		aiCalls: number;
		retryAfter: boolean;
		headers: boolean;
	};
	setPlan(plan: Plan): Readonly<SandboxConfig>;
	usage(period?: string): Usage;
	snapshot(): {
		numbers: SandboxNumber[];
		messages: SandboxMessage[];
		calls: SandboxCall[];
		webhooks: SandboxWebhook[];
		outcomes: Record<string, { outcome: CallOutcome; durationSecs?: number }>;
	};
	webhookSecret(webhookId: string): string;
	readonly waitingOtpRequests: number;
	/** ends timers, long-polls, retries and connections */
	close(): Promise<void>;
}

export declare const DEFAULT_API_KEY: 'ac_live_sandbox_demo_key';
export declare function startSandbox(options?: SandboxOptions): Promise<Sandbox>;
/** `sha256=<hex HMAC-SHA256(raw, secret as UTF-8)>`, exactly as deliveries are signed */
export declare function signPayload(secret: string, raw: string | Buffer): string;
