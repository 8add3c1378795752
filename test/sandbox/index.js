// @ts-check
'use strict';

const { createConfig, mergeConfig } = require('./config');
const { createState, periodOf } = require('./state');
const { createScheduler } = require('./scheduler');
const { createIdGenerator } = require('./ids');
const { createPlans } = require('./plans');
const { createNumbers } = require('./numbers');
const { createInbound } = require('./inbound');
const { createOtp } = require('./otp');
const { createSms } = require('./sms');
const { createConversations } = require('./conversations');
const { createRecording } = require('./recording');
const { createClock } = require('./clock');
const { createCalls } = require('./calls');
const { createAiCalls } = require('./aicalls');
const { createWebhooks } = require('./webhooks');
const { createDelivery, sign } = require('./delivery');
const { createUsage } = require('./usage');
const { createCallouts } = require('./callouts');
const { createPublic } = require('./public');
const { createHttpServer } = require('./server');
const { createControl } = require('./control');
const { checkFaults } = require('./faults');
const { ConfigError } = require('./config');
const { ApiError } = require('./errors');

const DEFAULT_API_KEY = 'ac_live_sandbox_demo_key';

/**
 * Starts the AgentCall sandbox on `host:port` (port 0 = any free port). See README.md and index.d.ts.
 * @param {{ port?: number, host?: string, apiKey?: string, config?: Record<string, any> }} [options]
 */
async function startSandbox(options = {}) {
	const initialConfig = createConfig(options.config);
	/** @type {any} */
	const core = {
		apiKey: options.apiKey || DEFAULT_API_KEY,
		config: initialConfig,
		state: createState(),
		scheduler: createScheduler(),
		url: '',
		/** @param {Record<string, any>} partial */
		setConfig(partial) {
			core.config = mergeConfig(core.config, partial);
			return core.config;
		},
		baseUrl: () => String(core.config.publicBaseUrl || core.url).replace(/\/+$/, ''),
		/** @param {string} event @param {Record<string, any>} data */
		emit: (event, data) => core.webhooks.emit(event, data),
	};
	core.newId = createIdGenerator(() => core.config.idFormat);
	core.plans = createPlans(core);
	core.numbers = createNumbers(core);
	core.inbound = createInbound(core);
	core.otp = createOtp(core);
	core.sms = createSms(core);
	core.conversations = createConversations(core);
	core.recording = createRecording(core);
	core.clock = createClock(core);
	core.calls = createCalls(core);
	core.aiCalls = createAiCalls(core);
	core.webhooks = createWebhooks(core);
	core.delivery = createDelivery(core);
	core.callouts = createCallouts(core);
	core.usage = createUsage(core);
	/** @type {any[]} */
	const routes = [];
	const pub = createPublic(core, () => routes);
	for (const m of [pub, core.numbers, core.inbound, core.sms, core.conversations, core.otp, core.calls, core.aiCalls, core.recording, core.webhooks, core.usage]) {
		routes.push(...m.routes);
	}

	/** Stops timers, long-polls and deliveries (shared by reset and close). */
	function stopActivity() {
		core.otp.closeAll();
		core.delivery.abortAll();
		core.callouts.abortAll();
		core.scheduler.clearAll();
	}

	/** @param {any} list */
	function faultsOrThrow(list) {
		const p = checkFaults(list);
		if (p) throw new ConfigError([{ field: 'faults', message: p }]);
		return list;
	}

	const handle = {
		url: '',
		port: 0,
		host: options.host || '127.0.0.1',
		apiKey: core.apiKey,
		controlUrl: '',
		get config() {
			return core.config;
		},
		/** @param {Record<string, any>} partial */
		setConfig: (partial) => core.setConfig(partial),
		/** Fresh state (and the startup config unless keepConfig); URL and key stay. @param {{ keepConfig?: boolean }} [o] */
		reset(o = {}) {
			stopActivity();
			core.state = createState();
			if (!o.keepConfig) core.config = initialConfig;
			return { reset: true, keepConfig: !!o.keepConfig };
		},
		/** @param {{ to: string, from: string, body: string }} input */
		injectSms: (input) => core.sms.inject(input),
		/** @param {{ to: string, from: string }} input */
		injectCall: (input) => core.calls.inject(input),
		/** @param {{ callId?: string, to?: string, outcome: string | null, durationSecs?: number }} o */
		setCallOutcome: (o) => core.calls.setOutcome(o),
		/** @param {string} id @param {string} [status] */
		advanceCall: (id, status) => core.calls.advance(id, status),
		/** @param {string} id */
		completeCall: (id) => core.calls.advance(id, 'completed'),
		/** @param {string} numberId @param {any} cfg */
		configureInbound: (numberId, cfg) => core.inbound.configure(numberId, cfg),
		/** Stored inbound config with secrets (test use). @param {string} numberId */
		inboundConfig: (numberId) => {
			const cfg = core.numbers.byId(numberId).inboundConfig;
			return cfg ? JSON.parse(JSON.stringify(cfg)) : null;
		},
		/** @param {string} numberId @param {any} d */
		setOutboundDefaults: (numberId, d) => core.inbound.setOutbound(numberId, d),
		requestLog: () => core.state.requestLog.map((/** @type {any} */ e) => ({ ...e })),
		clearRequestLog: () => void core.state.requestLog.splice(0),
		/** @param {{ event?: string, webhookId?: string }} [filter] */
		deliveries: (filter = {}) =>
			core.state.deliveryLog
				.filter((/** @type {any} */ d) => (!filter.event || d.event === filter.event) && (!filter.webhookId || d.webhookId === filter.webhookId))
				.map((/** @type {any} */ d) => ({ ...d })),
		clearDeliveries: () => void core.state.deliveryLog.splice(0),
		/** @param {number} [timeoutMs] */
		settled: async (timeoutMs = 10000) => {
			const [d, c] = await Promise.all([core.delivery.settled(timeoutMs), core.callouts.settled(timeoutMs)]);
			return d && c;
		},
		/** @param {string} numberId @param {any} input */
		simulateInboundCall: (numberId, input) => core.callouts.simulateCall(numberId, input || {}),
		/** @param {string} callId */
		simulation: (callId) => {
			const sim = core.calls.get(callId).simulation;
			if (!sim) throw new ApiError(404, 'not_found', `Call '${callId}' is not a simulated inbound AI call`);
			return JSON.parse(JSON.stringify(sim));
		},
		/** @param {string} numberId @param {any} input */
		simulateInboundSms: (numberId, input) => core.sms.simulate(numberId, input || {}),
		/** @param {{ numberId?: string, kind?: string, callId?: string }} [filter] */
		callouts: (filter) => core.callouts.log(filter),
		clearCallouts: () => void core.state.calloutLog.splice(0),
		/** @param {any[]} list */
		setFaults: (list) => core.setConfig({ faults: faultsOrThrow(list) }).faults,
		/** @param {any} fault */
		addFault: (fault) => core.setConfig({ faults: faultsOrThrow([...core.config.faults, fault]) }).faults,
		clearFaults: () => core.setConfig({ faults: [] }).faults,
		/** @param {{ windowMs?: number, global?: number, aiCalls?: number, retryAfter?: boolean, headers?: boolean }} l */
		setLimits(l) {
			/** @type {Record<string, any>} */
			const p = {};
			if (l.windowMs !== undefined) p.rateLimitWindowMs = l.windowMs;
			if (l.global !== undefined) p.rateLimitGlobal = l.global;
			if (l.aiCalls !== undefined) p.rateLimitAiCalls = l.aiCalls;
			if (l.retryAfter !== undefined) p.rateLimitRetryAfter = l.retryAfter;
			if (l.headers !== undefined) p.rateLimitHeaders = l.headers;
			core.setConfig(p);
			core.state.rate.clear();
			const c = core.config;
			return { windowMs: c.rateLimitWindowMs, global: c.rateLimitGlobal, aiCalls: c.rateLimitAiCalls, retryAfter: c.rateLimitRetryAfter, headers: c.rateLimitHeaders };
		},
		/** @param {string} plan */
		setPlan: (plan) => core.setConfig({ plan }),
		/** @param {string} [period] YYYY-MM, default current UTC month */
		usage: (period) => core.usage.compute(period || periodOf(Date.now())),
		/** Everything in the account, including webhook secrets (test use). */
		snapshot: () => ({
			numbers: [...core.state.numbers.values()].map(core.numbers.view),
			messages: [...core.state.messages.values()].map(core.sms.view),
			calls: [...core.state.calls.values()].map(core.calls.view),
			webhooks: [...core.state.webhooks.values()].map((w) => ({ ...core.webhooks.view(w, true), previousSecret: w.previousSecret })),
			outcomes: Object.fromEntries(core.state.toOutcomes),
		}),
		/** @param {string} webhookId */
		webhookSecret: (webhookId) => core.webhooks.get(webhookId).secret,
		/** Number of OTP long-polls currently waiting. */
		get waitingOtpRequests() {
			return core.otp.waiting;
		},
		close: async () => {},
	};

	const server = createHttpServer(core, routes, createControl(handle));
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, handle.host, () => resolve(undefined));
	});
	const addr = /** @type {import('net').AddressInfo} */ (server.address());
	const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
	handle.port = addr.port;
	handle.url = `http://${hostPart}:${addr.port}`;
	handle.controlUrl = `${handle.url}/_sandbox`;
	core.url = handle.url;

	let closing = /** @type {Promise<void> | null} */ (null);
	handle.close = () => {
		if (!closing) {
			closing = (async () => {
				stopActivity(); // ended long-polls get their timeout reply ...
				core.delivery.close();
				await new Promise((r) => setImmediate(r)); // ... written before the sockets go
				await new Promise((resolve) => {
					const force = setTimeout(() => server.closeAllConnections(), 200);
					server.close(() => {
						clearTimeout(force);
						resolve(undefined);
					});
					server.closeIdleConnections();
				});
			})();
		}
		return closing;
	};
	return handle;
}

module.exports = { startSandbox, DEFAULT_API_KEY, signPayload: sign };
