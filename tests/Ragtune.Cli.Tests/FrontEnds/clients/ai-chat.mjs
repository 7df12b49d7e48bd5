// Drives the AI SDK's chat (the pinned `ai` package: the AbstractChat that useChat wraps, with its DefaultChatTransport,
// which validates every chunk against the UI message chunk schema) against POST /api/chat, as a useChat front end would.
// Reads one JSON call from standard input: {"api", "headers", "questions": ["...", ...]}, sends each question in turn in one
// chat (so later ones carry the earlier messages as history), and prints one JSON line: the chat's messages, status and
// error after each question.
import { AbstractChat, DefaultChatTransport } from 'ai';

const call = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.on('data', chunk => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

/** useChat keeps this state in React; a plain one serves outside it. */
class PlainChatState {
  status = 'ready';
  error = undefined;
  messages = [];
  pushMessage = message => { this.messages = this.messages.concat(message); };
  popMessage = () => { this.messages = this.messages.slice(0, -1); };
  replaceMessage = (index, message) => { this.messages = [...this.messages.slice(0, index), this.snapshot(message), ...this.messages.slice(index + 1)]; };
  snapshot = thing => structuredClone(thing);
}

class PlainChat extends AbstractChat {
  constructor(init) {
    super({ ...init, state: new PlainChatState() });
  }
}

const chat = new PlainChat({
  transport: new DefaultChatTransport({ api: call.api, headers: call.headers ?? {} }),
  onError: () => {},
});

const turns = [];
for (const question of call.questions) {
  await chat.sendMessage({ text: question });
  turns.push({ status: chat.status, error: chat.error?.message ?? null, messages: structuredClone(chat.messages) });
}

console.log(JSON.stringify({ turns }));
