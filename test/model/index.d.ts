/** Types of the scripted model server (implementation: index.js, plain CommonJS). See README.md. */

export interface JsonSchema {
	type?: string;
	description?: string;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	[key: string]: unknown;
}

export interface ChatToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

export interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: ChatToolCall[];
	tool_call_id?: string;
}

export interface ChatTool {
	type: 'function';
	function: { name: string; description?: string; parameters?: JsonSchema; strict?: boolean };
}

/** A chat-completions request body as OpenAI clients send it (other routes: whatever JSON came). */
export interface ChatRequestBody {
	model?: string;
	messages?: ChatMessage[];
	tools?: ChatTool[];
	stream?: boolean;
	[key: string]: unknown;
}

/** One request n8n (or anyone) sent to the server, exactly as received. */
export interface ModelRequest {
	method: string;
	/** path without the query, e.g. /v1/chat/completions */
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** the body as received, for "never contains" checks */
	raw: string;
	/** the parsed JSON body, undefined when it was not JSON */
	body: ChatRequestBody | undefined;
	time: string;
	/** the completion the server answered with */
	answer?: { choices: Array<{ finish_reason: string; message: ChatMessage }>; [key: string]: unknown };
	/** why the server refused this request (answered 400) */
	problem?: string;
}

export interface ModelToolCall {
	name: string;
	args?: Record<string, unknown>;
	id?: string;
}

/** An assistant turn: tool calls (finish_reason "tool_calls") or text (finish_reason "stop"). */
export interface ModelTurn {
	toolCalls?: ModelToolCall[];
	content?: string;
}

/** A scripted answer, or a function of the request (the conversation so far) that returns one. */
export type ScriptStep = ModelTurn | ((request: ModelRequest, index: number) => ModelTurn | Promise<ModelTurn>);

export type Script = ScriptStep[] | ((request: ModelRequest, index: number) => ModelTurn | Promise<ModelTurn>);

export interface ToolResult {
	toolCallId: string;
	/** the tool the assistant called with that id */
	name: string | undefined;
	text: string;
	/** `text` parsed, when it is JSON (node tools: the output items' JSON, as an array) */
	json: unknown;
}

export interface ModelServer {
	/** base URL for the OpenAI credential, e.g. http://127.0.0.1:45123/v1 */
	url: string;
	port: number;
	/** every request, in order (cleared by `script`) */
	requests: ModelRequest[];
	/** requests the server refused, with the reason (unscripted turn, wrong route, streaming) */
	problems: string[];
	readonly chatRequests: ModelRequest[];
	/** set the script for the next conversation; clears recorded requests and problems */
	script(script: Script): void;
	/** scripted answers not used yet (array scripts) */
	readonly pending: number;
	close(): Promise<void>;
}

export declare function startModelServer(options?: { script?: Script; models?: string[] }): Promise<ModelServer>;
export declare function callTools(...calls: ModelToolCall[]): ModelTurn;
export declare function say(content: string): ModelTurn;
export declare function toolResults(request: ModelRequest): ToolResult[];
export declare function lastToolResult(request: ModelRequest, name?: string): ToolResult | undefined;
export declare function toolItems(request: ModelRequest, name: string): Array<Record<string, unknown>>;
