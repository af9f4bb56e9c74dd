import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "./ports.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface BotProcess {
  child: ChildProcess;
  stderr(): string;
  stdout(): string;
  exited: Promise<number | null>;
  /** Sends a signal to the whole process group (npm → tsx → node). */
  kill(signal?: NodeJS.Signals): void;
}

/** Runs `npm <script>` as the operator would (in the repository, unless `cwd` says where), in its own process group. */
export function startNpm(script: string, env: Record<string, string | undefined>, cwd = ROOT): BotProcess {
  const child = spawn("npm", script === "start" ? ["start", "--silent"] : ["run", script, "--silent"], {
    cwd,
    env: { PATH: process.env["PATH"], HOME: process.env["HOME"], ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  // "close", not "exit": npm may exit before the bot it started has finished shutting down and closed its output.
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    stderr: () => err,
    stdout: () => out,
    exited,
    kill: (signal = "SIGTERM") => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      }
    },
  };
}

export async function stopProcess(p: BotProcess, timeoutMs = 10_000): Promise<number | null> {
  p.kill("SIGTERM");
  const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return code;
}

/** Starts `npm <script>` and waits for its JSON log line with that "msg" (e.g. "polling"). */
export async function startUntilLogged(script: string, env: Record<string, string | undefined>, msg: string, timeoutMs = 60_000): Promise<BotProcess> {
  // Every process serves the web on PORT: without one of its own, parallel test files would fight over 8080.
  return untilLogged(startNpm(script, "PORT" in env ? env : { ...env, PORT: String(await freePort()) }), script, msg, timeoutMs);
}

/** Waits for the JSON log line of `p` with that "msg"; throws with its stderr if it exits or takes too long. */
export async function untilLogged(p: BotProcess, script: string, msg: string, timeoutMs = 60_000): Promise<BotProcess> {
  const t0 = Date.now();
  while (!p.stderr().includes(`"msg":"${msg}"`)) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      // Wait for its output to close, so the line that says why is in the error.
      const code = await Promise.race([p.exited, new Promise((r) => setTimeout(r, 2000))]);
      throw new Error(`npm ${script} exited (code ${String(code ?? p.child.exitCode)}, signal ${String(p.child.signalCode)}): ${p.stderr()}${p.stdout()}`);
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`npm ${script} did not log "${msg}": ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return p;
}

/**
 * The environment of `npm start` against an emulator, with its own SQLite file. The emulator enforces
 * no limits unless a test sets them: then the test also sets TELEGRAM_CHAT_GAP_MS back to Telegram's
 * pace; otherwise replies are not held a second apart, so that conversations run at test speed.
 */
export function botEnv(apiRoot: string, dbFile: string, extra: Record<string, string> = {}): Record<string, string> {
  // `npm start` serves the web on PORT: test processes running side by side must not all take 8080.
  const port = String(20_000 + Math.floor(Math.random() * 40_000));
  return { BOT_TOKEN: "123456:e2e-token", TELEGRAM_API_ROOT: apiRoot, DATABASE_URL: dbFile, LOG_LEVEL: "info", TELEGRAM_CHAT_GAP_MS: "0", PORT: port, ...extra };
}

/** Starts `npm start` and waits until the bot holds a long poll on the emulator; returns it and the ms taken. */
export async function startPollingBot(env: Record<string, string>, emu: { waitForPoll(ms: number): Promise<unknown> }): Promise<{ bot: BotProcess; ms: number }> {
  const t0 = Date.now();
  const bot = await startUntilLogged("start", env, "polling");
  await emu.waitForPoll(10_000);
  return { bot, ms: Date.now() - t0 };
}
