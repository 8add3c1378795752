/**
 * The scripted model server over real HTTP: the answers follow the script, every request is
 * recorded, and anything unscripted is refused loudly (400, OpenAI's error shape, in `problems`).
 */
import type { ChatMessage, ModelServer } from './index';
import { callTools, lastToolResult, say, startModelServer, toolResults } from './index';

interface Completion {
	object: string;
	model: string;
	choices: Array<{ finish_reason: string; message: ChatMessage }>;
	error?: { message: string };
	data?: Array<{ id: string }>;
}

let model: ModelServer;

beforeAll(async () => {
	model = await startModelServer();
});

afterAll(async () => {
	await model?.close();
});

async function chat(body: Record<string, unknown>) {
	const res = await fetch(`${model.url}/chat/completions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
		body: JSON.stringify(body),
	});
	return { status: res.status, json: (await res.json()) as Completion };
}

const tools = [
	{
		type: 'function',
		function: { name: 'Wait_for_OTP', description: 'Waits for a code', parameters: { type: 'object', properties: { numberId: { type: 'string' } } } },
	},
];

describe('scripted model server', () => {
	it('answers a tool call, then text, in chat-completions shape, and records both requests', async () => {
		model.script([callTools({ name: 'Wait_for_OTP', args: { numberId: 'num_1' }, id: 'call_a' }), say('The code is 123456.')]);
		const user = { role: 'user', content: 'Verify my account' };

		const first = await chat({ model: 'gpt-4o-mini', messages: [user], tools });
		expect(first.status).toBe(200);
		expect(first.json.object).toBe('chat.completion');
		expect(first.json.model).toBe('gpt-4o-mini');
		expect(first.json.choices[0].finish_reason).toBe('tool_calls');
		expect(first.json.choices[0].message).toEqual({
			role: 'assistant',
			content: null,
			refusal: null,
			tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'Wait_for_OTP', arguments: '{"numberId":"num_1"}' } }],
		});

		const assistant = first.json.choices[0].message;
		const toolMessage = { role: 'tool', tool_call_id: 'call_a', content: '[{"otp":"123456","timedOut":false}]' };
		const second = await chat({ model: 'gpt-4o-mini', messages: [user, assistant, toolMessage], tools });
		expect(second.json.choices[0]).toEqual(
			expect.objectContaining({ finish_reason: 'stop', message: expect.objectContaining({ content: 'The code is 123456.' }) }),
		);

		expect(model.chatRequests).toHaveLength(2);
		expect(model.chatRequests[0].body?.tools).toEqual(tools);
		expect(model.chatRequests[0].headers.authorization).toBe('Bearer sk-test');
		expect(toolResults(model.chatRequests[1])).toEqual([
			{ toolCallId: 'call_a', name: 'Wait_for_OTP', text: toolMessage.content, json: [{ otp: '123456', timedOut: false }] },
		]);
		expect(lastToolResult(model.chatRequests[1], 'Wait_for_OTP')?.json).toEqual([{ otp: '123456', timedOut: false }]);
		expect(lastToolResult(model.chatRequests[1], 'Other')).toBeUndefined();
		expect(model.pending).toBe(0);
		expect(model.problems).toEqual([]);
	});

	it('lets a step read the conversation so far', async () => {
		model.script([(request) => say(`You said: ${String(request.body?.messages?.at(-1)?.content)}`)]);
		const { json } = await chat({ model: 'm', messages: [{ role: 'user', content: 'hello' }] });
		expect(json.choices[0].message.content).toBe('You said: hello');
	});

	it('refuses what is not scripted with a 400 the test can see: no turn left, Responses API, streaming', async () => {
		model.script([]);
		const unscripted = await chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
		expect(unscripted.status).toBe(400);
		expect(unscripted.json.error?.message).toMatch(/no scripted answer left for model request #1/);

		const responses = await fetch(`${model.url}/responses`, { method: 'POST', body: '{}' });
		expect(responses.status).toBe(400);
		expect(((await responses.json()) as Completion).error?.message).toMatch(/responsesApiEnabled: false/);

		const streamed = await chat({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] });
		expect(streamed.status).toBe(400);
		expect(model.problems).toHaveLength(3);
	});

	it('lists its models and starts each script with a clean record', async () => {
		model.script([]);
		const res = await fetch(`${model.url}/models`);
		expect(((await res.json()) as Completion).data?.map((m: { id: string }) => m.id)).toEqual(['gpt-4o-mini']);
		expect(model.requests).toHaveLength(1);
		model.script([say('x')]);
		expect(model.requests).toHaveLength(0);
		expect(model.problems).toEqual([]);
		expect(model.pending).toBe(1);
	});
});
