// Drives OpenAI's own JavaScript library (the pinned `openai` package) against a Ragtune server, as a front end would.
// Reads one JSON call from standard input: {"baseURL", "apiKey", "defaultHeaders", "operation": "chat" | "models", "request"}
// and prints one JSON line: what the client returned, or the error it threw (its class, status, param, type, code,
// Retry-After, and the chunks of a stream that came before it).
import OpenAI from 'openai';

const call = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.on('data', chunk => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

const client = new OpenAI({
  baseURL: call.baseURL,
  apiKey: call.apiKey ?? 'not-a-key',
  defaultHeaders: call.defaultHeaders ?? {},
  maxRetries: 0,
  timeout: 120_000,
});

const chunks = [];
try {
  if (call.operation === 'models') {
    const models = [];
    for await (const model of client.models.list()) {
      models.push(model);
    }
    console.log(JSON.stringify({ ok: true, models }));
  } else if (call.request.stream) {
    const stream = await client.chat.completions.create(call.request);
    for await (const chunk of stream) {
      chunks.push(chunk);
    }
    const text = chunks.flatMap(c => c.choices).map(c => c.delta?.content ?? '').join('');
    console.log(JSON.stringify({ ok: true, chunks, text }));
  } else {
    const completion = await client.chat.completions.create(call.request);
    console.log(JSON.stringify({ ok: true, completion }));
  }
} catch (error) {
  console.log(JSON.stringify({
    ok: false,
    error: error.constructor.name,
    isApiError: error instanceof OpenAI.APIError,
    status: error.status ?? null,
    param: error.param ?? null,
    type: error.type ?? null,
    code: error.code ?? null,
    retryAfter: error.headers?.get?.('retry-after') ?? null,
    message: error.message,
    chunks,
  }));
}
