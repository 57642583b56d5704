/**
 * Asking for values on the terminal (`vetted login`): secrets without echo. When standard input is
 * not a terminal (a script, a pipe), the answers are its lines, in order, and nothing is printed.
 */
import { UsageError } from "./usage-error.js";

export interface Question {
  label: string;
  secret: boolean;
}

export async function askLines(
  questions: readonly Question[],
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
): Promise<string[]> {
  if (questions.length === 0) return [];
  if (!input.isTTY) {
    const lines = (await readAll(input)).split(/\r?\n/).map((line) => line.trim());
    const answers = lines.slice(0, questions.length);
    if (answers.length < questions.length || answers.some((answer) => answer === "")) {
      throw new UsageError(
        `standard input must hold, one per line: ${questions.map((question) => question.label).join(", ")}`,
      );
    }
    return answers;
  }
  const answers: string[] = [];
  for (const question of questions) answers.push(await askOnTerminal(question, input, output));
  input.pause();
  return answers;
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** One answer, typed in raw mode so a secret is never echoed; Ctrl-C or Ctrl-D gives up. */
function askOnTerminal(
  question: Question,
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
): Promise<string> {
  output.write(`${question.label}: `);
  return new Promise((resolve, reject) => {
    let answer = "";
    input.setRawMode(true);
    input.setEncoding("utf8");
    const finish = (error?: Error) => {
      input.off("data", onData);
      input.setRawMode(false);
      output.write("\n");
      if (error) reject(error);
      else resolve(answer.trim());
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === "\r" || character === "\n") return finish();
        if (character === "\u0003" || character === "\u0004")
          return finish(new UsageError("login cancelled"));
        if (character === "\u007f" || character === "\b") {
          if (answer.length > 0) {
            answer = answer.slice(0, -1);
            if (!question.secret) output.write("\b \b");
          }
          continue;
        }
        answer += character;
        if (!question.secret) output.write(character);
      }
    };
    input.on("data", onData);
    input.resume();
  });
}
